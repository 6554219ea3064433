"""Account strings: the municipal shape is taken, anything else is refused where it stands."""

from __future__ import annotations

import pytest

from finans.allocation.validation import parse_scenario
from tests.unit.test_validation import intervention, scenario


@pytest.mark.parametrize("account", [
    "5.28.21", "5.57.72", "0.00.00", "5.28.21.1", "5.28.21.1.4.001 1001", "5.28.21 1001 A7",
    "  5.68.90  ",
])
def test_function_strings_with_further_groups_are_taken(account: str) -> None:
    data = scenario()
    data["departments"][0]["account"] = account
    intervention(data)["account"] = account
    parsed, problems = parse_scenario(data)
    assert problems == []
    assert parsed is not None
    assert parsed.departments[0].account == account.strip()
    assert parsed.interventions[0].account == account.strip()


@pytest.mark.parametrize("account", [
    "5-28-21", "52821", "5.28", "5.28.2", "15.28.21", "5.28.21.", "5.28.21  1001", "5.28.21/1",
    "konto 5.28.21", "5.28.21&1",
])
def test_other_shapes_are_refused_at_the_field(account: str) -> None:
    data = scenario()
    data["departments"][1]["account"] = account
    intervention(data)["account"] = account
    parsed, problems = parse_scenario(data)
    assert parsed is None
    assert [(p.code, p.where) for p in problems] == [
        ("bad_account", "departments[1].account"), ("bad_account", "interventions[0].account"),
    ]
    assert "5.28.21" in problems[0].message


def test_an_empty_department_account_means_not_set_yet_and_an_intervention_may_have_none() -> None:
    data = scenario()
    data["departments"][0]["account"] = ""
    intervention(data).pop("account", None)
    parsed, problems = parse_scenario(data)
    assert problems == [] and parsed is not None
    assert parsed.departments[0].account == ""
    assert parsed.interventions[0].account is None


def test_an_account_string_that_looks_like_a_cpr_number_is_refused() -> None:
    data = scenario()
    intervention(data)["account"] = "5.28.21 0101901234"
    parsed, problems = parse_scenario(data)
    assert [(p.code, p.where) for p in problems] == [("cpr_like", "interventions[0].account")]


def test_an_account_string_takes_up_to_60_characters_and_not_one_more() -> None:
    longest = "5.28.21 " + "1" * 52
    data = scenario()
    data["departments"][1]["account"] = longest
    parsed, problems = parse_scenario(data)
    assert problems == [] and parsed is not None
    assert parsed.departments[1].account == longest
    data["departments"][1]["account"] = longest + "1"
    problems = parse_scenario(data)[1]
    assert [(p.code, p.where) for p in problems] == [("too_long", "departments[1].account")]
    assert "højst 60" in problems[0].message
