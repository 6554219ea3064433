"""Scenario JSON → records: every rule reports a stable code at its JSON path, nothing raises."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finans.allocation.problems import Problem
from finans.allocation.records import (
    Case,
    CostSchedule,
    Decision,
    Department,
    Intervention,
    Method,
    Per,
    RefundRates,
    Scenario,
    SplitVersion,
    Status,
)
from finans.allocation.validation import (
    parse_case,
    parse_department,
    parse_intervention,
    parse_scenario,
    parse_split,
)

SCENARIO_JSON = """
{
  "departments": [
    {"code": "BFH", "name": "Børn og Familie – børnehandicap", "account": "5.28.21"},
    {"code": "JOB", "name": "Jobcenter", "account": "5.68.90", "active": true},
    {"code": "PPR", "name": "Skole og PPR"}
  ],
  "cases": [
    {"ref": "S-2026-0001", "family": "Familie A", "coordinator": "rådgiver1",
     "consent": true, "assessed_on": "2026-01-10", "core_team": ["JOB", "BFH"]}
  ],
  "interventions": [
    {"id": "I-1", "case": "S-2026-0001", "title": "Aflastning", "legal_basis": "Barnets lov § 32",
     "granted_by": "BFH", "paid_by": "BFH",
     "cost": {"amount": "12000.00", "per": "month", "start": "2026-01-15", "end": "2026-12-31"},
     "splits": [
       {"effective_from": "2026-01-15", "method": "fixed", "status": "agreed",
        "shares": {"JOB": "40", "BFH": 60.0, "PPR": 0}, "rationale": "Aftalt ved udredningen",
        "decisions": [{"department": "JOB", "decision": "approve", "by": "controller2",
                       "at": "2026-01-12T10:03:00", "at_meeting": true}]},
       {"effective_from": "2026-07-01", "method": "weighted", "status": "agreed", "alpha": "0.5",
        "responsibility": {"BFH": "2", "JOB": "1"}, "benefit": {"BFH": "1", "JOB": "1"}},
       {"effective_from": "2026-07-01", "method": "equal", "status": "proposed",
        "departments": ["PPR", "BFH"]},
       {"effective_from": "2026-09-01", "method": "savings", "status": "draft",
        "savings": {"JOB": "1500.50", "PPR": 500}}
     ]}
  ]
}
"""

CPR = "010190-1234"


def scenario() -> dict[str, Any]:
    """A fresh, valid scenario as ``json.loads(..., parse_float=Decimal)`` gives it."""
    return json.loads(SCENARIO_JSON, parse_float=Decimal)


def found(data: object) -> set[tuple[str, str]]:
    parsed, problems = parse_scenario(data)
    assert parsed is None
    return {(problem.code, problem.where) for problem in problems}


def json_path(parts: tuple[str | int, ...]) -> str:
    """``("cases", 0, "ref")`` → ``cases[0].ref``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def replaced(parts: tuple[str | int, ...], value: object) -> dict[str, Any]:
    """The valid scenario with the value at ``parts`` replaced."""
    data = scenario()
    holder: Any = data
    for part in parts[:-1]:
        holder = holder[part]
    holder[parts[-1]] = value
    return data


def intervention(data: dict[str, Any]) -> dict[str, Any]:
    return data["interventions"][0]


def split(data: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return intervention(data)["splits"][index]


SPLIT = "interventions[0].splits[0]"
WEIGHTED = "interventions[0].splits[1]"
EQUAL = "interventions[0].splits[2]"
SAVINGS = "interventions[0].splits[3]"
COST = "interventions[0].cost"


# --- a valid scenario ---------------------------------------------------------------------------


def test_valid_scenario_parses_into_the_expected_records() -> None:
    parsed, problems = parse_scenario(scenario())

    assert problems == []
    fixed = SplitVersion(
        effective_from=date(2026, 1, 15),
        method=Method.FIXED,
        status=Status.AGREED,
        shares=(("BFH", Decimal(60)), ("JOB", Decimal(40)), ("PPR", Decimal(0))),
        rationale="Aftalt ved udredningen",
        decisions=(Decision("JOB", "approve", "controller2", "2026-01-12T10:03:00", True),),
    )
    weighted = SplitVersion(
        effective_from=date(2026, 7, 1),
        method=Method.WEIGHTED,
        status=Status.AGREED,
        alpha=Decimal("0.5"),
        responsibility=(("BFH", Decimal(2)), ("JOB", Decimal(1))),
        benefit=(("BFH", Decimal(1)), ("JOB", Decimal(1))),
    )
    equal = SplitVersion(
        date(2026, 7, 1), Method.EQUAL, Status.PROPOSED, departments=("BFH", "PPR")
    )
    savings = SplitVersion(
        date(2026, 9, 1),
        Method.SAVINGS,
        Status.DRAFT,
        savings=(("JOB", Decimal("1500.50")), ("PPR", Decimal(500))),
    )
    assert parsed == Scenario(
        departments=(
            Department("BFH", "Børn og Familie – børnehandicap", "5.28.21"),
            Department("JOB", "Jobcenter", "5.68.90"),
            Department("PPR", "Skole og PPR", ""),
        ),
        cases=(
            Case("S-2026-0001", "Familie A", "rådgiver1", True, date(2026, 1, 10), ("BFH", "JOB")),
        ),
        interventions=(
            Intervention(
                id="I-1",
                case="S-2026-0001",
                title="Aflastning",
                legal_basis="Barnets lov § 32",
                granted_by="BFH",
                paid_by="BFH",
                cost=CostSchedule(1_200_000, Per.MONTH, date(2026, 1, 15), date(2026, 12, 31)),
                splits=(fixed, weighted, equal, savings),
            ),
        ),
    )


def test_weights_keep_their_exact_decimals_and_are_sorted_by_department() -> None:
    parsed, _ = parse_scenario(scenario())

    assert parsed is not None
    shares = parsed.interventions[0].splits[0].shares
    assert [code for code, _ in shares] == ["BFH", "JOB", "PPR"]
    assert all(type(value) is Decimal for _, value in shares)


def test_optional_keys_may_be_absent_and_take_their_defaults() -> None:
    data = {
        "departments": [{"code": "BFH", "name": "Børn og Familie"}],
        "cases": [{"ref": "S-1"}],
        "interventions": [
            {
                "id": "I-1",
                "case": "S-1",
                "title": "Aflastning",
                "granted_by": "BFH",
                "paid_by": "BFH",
                "cost": {"amount": 100, "per": "once", "start": "2026-03-01"},
            }
        ],
    }

    parsed, problems = parse_scenario(data)

    assert problems == []
    assert parsed is not None
    assert parsed.cases == (Case("S-1"),)
    assert parsed.interventions[0].legal_basis == ""
    assert parsed.interventions[0].cost == CostSchedule(10_000, Per.ONCE, date(2026, 3, 1), None)
    assert parsed.interventions[0].splits == ()


def test_null_counts_as_absent_for_optional_keys() -> None:
    data = scenario()
    intervention(data)["cost"]["end"] = None
    data["cases"][0]["assessed_on"] = None

    parsed, problems = parse_scenario(data)

    assert problems == []
    assert parsed is not None
    assert parsed.interventions[0].cost.end is None
    assert parsed.cases[0].assessed_on is None


def test_unknown_extra_keys_are_ignored() -> None:
    data = scenario()
    data["generated_by"] = "demo"
    intervention(data)["colour"] = "blue"
    split(data)["note"] = {"any": ["thing"]}

    parsed, problems = parse_scenario(data)

    assert problems == []
    assert parsed == parse_scenario(scenario())[0]


def test_inputs_of_other_methods_are_ignored() -> None:
    data = scenario()
    split(data)["responsibility"] = "not even an object"

    parsed, problems = parse_scenario(data)

    assert problems == []
    assert parsed is not None
    assert parsed.interventions[0].splits[0].responsibility == ()


# --- shape and types ----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [None, [], "scenario", 3, Decimal(1)])
def test_a_scenario_that_is_not_an_object_is_a_problem_at_the_root(data: object) -> None:
    assert found(data) == {("not_object", "")}


@pytest.mark.parametrize("key", ["departments", "cases", "interventions"])
def test_missing_top_level_lists_are_reported(key: str) -> None:
    data = scenario()
    del data[key]

    assert ("missing", key) in found(data)


@pytest.mark.parametrize("key", ["departments", "cases", "interventions"])
def test_top_level_lists_must_be_lists(key: str) -> None:
    data = scenario()
    data[key] = {"BFH": "Børn"}

    assert ("not_list", key) in found(data)


def test_an_entry_that_is_not_an_object_is_reported_at_its_index() -> None:
    data = scenario()
    data["cases"].append("S-2026-0002")
    intervention(data)["splits"].append(["fixed"])

    assert found(data) == {
        ("not_object", "cases[1]"),
        ("not_object", "interventions[0].splits[4]"),
    }


@pytest.mark.parametrize(
    "path",
    [
        ("departments", 0, "name"),
        ("cases", 0, "ref"),
        ("interventions", 0, "paid_by"),
        ("interventions", 0, "cost"),
        ("interventions", 0, "cost", "start"),
        ("interventions", 0, "splits", 0, "status"),
        ("interventions", 0, "splits", 0, "shares"),
        ("interventions", 0, "splits", 2, "departments"),
        ("interventions", 0, "splits", 3, "savings"),
        ("interventions", 0, "splits", 0, "decisions", 0, "decision"),
    ],
)
def test_missing_required_keys_are_reported_at_their_path(path: tuple[str | int, ...]) -> None:
    assert ("missing", json_path(path)) in found(replaced(path, None))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("cases", 0, "consent"), "ja"),
        (("cases", 0, "family"), 7),
        (("departments", 0, "account"), 5.2821),
        (("departments", 1, "active"), "yes"),
        (("interventions", 0, "title"), ["Aflastning"]),
        (("interventions", 0, "splits", 0, "decisions", 0, "at_meeting"), 1),
    ],
)
def test_wrongly_typed_fields_are_reported(path: tuple[str | int, ...], value: object) -> None:
    assert found(replaced(path, value)) == {("wrong_type", json_path(path))}


def test_a_required_text_that_is_blank_is_reported() -> None:
    data = scenario()
    intervention(data)["title"] = "   "

    assert found(data) == {("empty", "interventions[0].title")}


# --- amounts and numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("tolv", "not_number"),
        ("12 000", "not_number"),
        ("1.234,50", "not_number"),
        ("NaN", "not_number"),
        (Decimal("Infinity"), "not_number"),
        (True, "not_number"),
        ({"kr": 12}, "not_number"),
        ("-1", "negative"),
        (Decimal("-0.01"), "negative"),
        ("12.345", "sub_ore"),
        (Decimal("0.001"), "sub_ore"),
        (12.5, "float_not_exact"),
        ("1000000000001", "too_large"),
        (Decimal("1E+999999999"), "too_large"),
    ],
)
def test_bad_amounts_are_reported_at_the_amount(amount: object, code: str) -> None:
    data = scenario()
    intervention(data)["cost"]["amount"] = amount

    assert found(data) == {(code, f"{COST}.amount")}


@pytest.mark.parametrize(
    ("amount", "ore"),
    [(12, 1200), ("12.5", 1250), ("12,50", 1250), (Decimal("12.300"), 1230), ("-0", 0)],
)
def test_exact_amounts_become_whole_ore(amount: object, ore: int) -> None:
    data = scenario()
    intervention(data)["cost"]["amount"] = amount

    parsed, problems = parse_scenario(data)

    assert problems == []
    assert parsed is not None
    assert parsed.interventions[0].cost.amount == ore


def test_a_float_is_refused_with_a_message_that_says_why() -> None:
    data = scenario()
    intervention(data)["cost"]["amount"] = 12000.0

    _, problems = parse_scenario(data)

    assert [p.code for p in problems] == ["float_not_exact"]
    assert "ikke eksakt" in problems[0].message


# --- per, dates ---------------------------------------------------------------------------------


def test_an_unknown_per_is_reported_with_the_allowed_values() -> None:
    data = scenario()
    intervention(data)["cost"]["per"] = "day"

    _, problems = parse_scenario(data)

    assert [(p.code, p.where) for p in problems] == [("unknown_per", f"{COST}.per")]
    assert "once, week, month eller year" in problems[0].message


@pytest.mark.parametrize(
    "value", ["2026-02-30", "2026-1-15", "15-01-2026", "2026-01-15T00:00", "2026-01-1５", 20260115]
)
def test_malformed_dates_are_reported(value: object) -> None:
    data = scenario()
    intervention(data)["cost"]["start"] = value

    assert found(data) == {("bad_date", f"{COST}.start")}


def test_an_end_before_the_start_is_reported_at_the_end() -> None:
    data = scenario()
    intervention(data)["cost"]["end"] = "2026-01-14"

    _, problems = parse_scenario(data)

    assert [(p.code, p.where) for p in problems] == [("end_before_start", f"{COST}.end")]
    assert problems[0].message == "Slutdatoen 14-01-2026 ligger før startdatoen 15-01-2026"


def test_an_end_on_the_start_day_is_allowed() -> None:
    data = scenario()
    intervention(data)["cost"]["end"] = "2026-01-15"

    assert parse_scenario(data)[1] == []


# --- fixed shares -------------------------------------------------------------------------------


def test_fixed_shares_that_do_not_sum_to_100_say_what_they_sum_to() -> None:
    data = scenario()
    split(data)["shares"] = {"BFH": "50", "JOB": "40"}

    _, problems = parse_scenario(data)

    assert problems == [
        Problem(
            "shares_sum",
            "Andelene for indsats I-1 fra 15-01-2026 summerer til 90 %, ikke 100 %",
            f"{SPLIT}.shares",
        )
    ]


def test_a_share_sum_with_decimals_is_written_with_a_decimal_comma() -> None:
    data = scenario()
    split(data)["shares"] = {"BFH": "59,5", "JOB": "40.00"}

    _, problems = parse_scenario(data)

    assert [p.message for p in problems] == [
        "Andelene for indsats I-1 fra 15-01-2026 summerer til 99,5 %, ikke 100 %"
    ]


def test_shares_with_four_decimals_summing_to_exactly_100_are_accepted() -> None:
    data = scenario()
    split(data)["shares"] = {"BFH": "33.3334", "JOB": "33,3333", "PPR": Decimal("33.3333")}

    parsed, problems = parse_scenario(data)

    assert problems == []
    assert parsed is not None
    assert parsed.interventions[0].splits[0].shares[1] == ("JOB", Decimal("33.3333"))


def test_a_negative_share_is_reported_at_its_department() -> None:
    data = scenario()
    split(data)["shares"] = {"BFH": "110", "JOB": "-10"}

    assert found(data) == {("negative", f"{SPLIT}.shares.JOB")}


def test_a_share_with_more_than_four_decimals_is_reported() -> None:
    data = scenario()
    split(data)["shares"] = {"BFH": "59.99999", "JOB": "40.00001"}

    assert found(data) == {
        ("too_many_decimals", f"{SPLIT}.shares.BFH"),
        ("too_many_decimals", f"{SPLIT}.shares.JOB"),
    }


def test_an_empty_shares_object_sums_to_zero() -> None:
    data = scenario()
    split(data)["shares"] = {}

    _, problems = parse_scenario(data)

    assert [(p.code, p.where) for p in problems] == [("shares_sum", f"{SPLIT}.shares")]
    assert "summerer til 0 %" in problems[0].message


# --- references ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "key", "value", "where"),
    [
        (0, "shares", {"BFH": "60", "SUND": "40"}, f"{SPLIT}.shares.SUND"),
        (1, "responsibility", {"BFH": "1", "SUND": "1"}, f"{WEIGHTED}.responsibility.SUND"),
        (1, "benefit", {"BFH": "1", "SUND": "1"}, f"{WEIGHTED}.benefit.SUND"),
        (2, "departments", ["BFH", "SUND"], f"{EQUAL}.departments[1]"),
        (3, "savings", {"SUND": "100"}, f"{SAVINGS}.savings.SUND"),
    ],
)
def test_an_unknown_department_in_a_split_is_reported_at_its_key(
    index: int, key: str, value: object, where: str
) -> None:
    data = scenario()
    split(data, index)[key] = value

    assert found(data) == {("unknown_department", where)}


@pytest.mark.parametrize("key", ["granted_by", "paid_by"])
def test_an_unknown_granting_or_paying_department_is_reported(key: str) -> None:
    data = scenario()
    intervention(data)[key] = "SUND"

    assert found(data) == {("unknown_department", f"interventions[0].{key}")}


def test_an_unknown_department_in_a_core_team_is_reported() -> None:
    data = scenario()
    data["cases"][0]["core_team"] = ["BFH", "SUND"]

    assert found(data) == {("unknown_department", "cases[0].core_team[1]")}


def test_an_unknown_case_is_reported() -> None:
    data = scenario()
    intervention(data)["case"] = "S-2026-9999"

    assert found(data) == {("unknown_case", "interventions[0].case")}


def test_a_department_with_problems_is_still_known_to_its_references() -> None:
    data = scenario()
    del data["departments"][1]["name"]

    assert found(data) == {("missing", "departments[1].name")}


def test_duplicate_department_codes_are_reported_at_the_repeat() -> None:
    data = scenario()
    data["departments"].append({"code": "JOB", "name": "Jobcenter igen"})

    assert found(data) == {("duplicate_department", "departments[3].code")}


def test_duplicate_case_refs_are_reported_at_the_repeat() -> None:
    data = scenario()
    data["cases"].append({"ref": "S-2026-0001"})

    assert found(data) == {("duplicate_case", "cases[1].ref")}


def test_duplicate_intervention_ids_are_reported_at_the_repeat() -> None:
    data = scenario()
    data["interventions"].append(copy.deepcopy(intervention(data)))

    assert found(data) == {("duplicate_intervention", "interventions[1].id")}


# --- weighted and savings -----------------------------------------------------------------------


def test_alpha_defaults_to_one_half() -> None:
    data = scenario()
    del split(data, 1)["alpha"]

    parsed, problems = parse_scenario(data)

    assert problems == []
    assert parsed is not None
    assert parsed.interventions[0].splits[1].alpha == Decimal("0.5")


@pytest.mark.parametrize("alpha", ["1.5", "-0.1", 2])
def test_alpha_outside_zero_to_one_is_reported(alpha: object) -> None:
    data = scenario()
    split(data, 1)["alpha"] = alpha

    assert found(data) == {("alpha_range", f"{WEIGHTED}.alpha")}


def test_alpha_with_too_many_decimals_is_reported() -> None:
    data = scenario()
    split(data, 1)["alpha"] = "0.3333333"

    assert found(data) == {("too_many_decimals", f"{WEIGHTED}.alpha")}


def test_all_responsibility_may_not_be_zero_when_alpha_is_one() -> None:
    data = scenario()
    split(data, 1).update(alpha="1", responsibility={"BFH": 0, "JOB": "0"}, benefit={})

    assert found(data) == {("zero_weights", f"{WEIGHTED}.responsibility")}


def test_all_benefit_may_not_be_zero_when_alpha_is_zero() -> None:
    data = scenario()
    split(data, 1).update(alpha=0, responsibility={}, benefit={"BFH": "0.0"})

    assert found(data) == {("zero_weights", f"{WEIGHTED}.benefit")}


def test_a_side_without_weight_may_be_absent() -> None:
    data = scenario()
    split(data, 1)["alpha"] = "1"
    del split(data, 1)["benefit"]

    assert parse_scenario(data)[1] == []


def test_both_sides_need_a_positive_value_when_alpha_is_between_zero_and_one() -> None:
    data = scenario()
    split(data, 1).update(responsibility={"BFH": 0})
    del split(data, 1)["benefit"]

    assert found(data) == {
        ("zero_weights", f"{WEIGHTED}.responsibility"),
        ("zero_weights", f"{WEIGHTED}.benefit"),
    }


def test_negative_weights_are_reported() -> None:
    data = scenario()
    split(data, 1)["benefit"] = {"BFH": "2", "JOB": "-1"}

    assert found(data) == {("negative", f"{WEIGHTED}.benefit.JOB")}


def test_savings_all_zero_are_reported() -> None:
    data = scenario()
    split(data, 3)["savings"] = {"JOB": 0, "PPR": "0.00"}

    assert found(data) == {("zero_weights", f"{SAVINGS}.savings")}


def test_negative_savings_are_reported_with_the_missing_positive_total() -> None:
    data = scenario()
    split(data, 3)["savings"] = {"JOB": "-100"}

    assert found(data) == {
        ("negative", f"{SAVINGS}.savings.JOB"),
        ("zero_weights", f"{SAVINGS}.savings"),
    }


def test_savings_in_fractions_of_an_ore_are_reported() -> None:
    data = scenario()
    split(data, 3)["savings"] = {"JOB": "100.005"}

    assert found(data) == {("sub_ore", f"{SAVINGS}.savings.JOB")}


# --- equal --------------------------------------------------------------------------------------


def test_an_equal_split_without_departments_is_reported() -> None:
    data = scenario()
    split(data, 2)["departments"] = []

    assert found(data) == {("no_departments", f"{EQUAL}.departments")}


def test_a_department_twice_in_an_equal_split_is_reported() -> None:
    data = scenario()
    split(data, 2)["departments"] = ["BFH", "PPR", "BFH"]

    assert found(data) == {("duplicate_department", f"{EQUAL}.departments[2]")}


# --- versions, methods, statuses ----------------------------------------------------------------


def test_two_agreed_versions_from_the_same_day_are_reported() -> None:
    data = scenario()
    split(data, 1)["effective_from"] = "2026-01-15"

    _, problems = parse_scenario(data)

    assert [(p.code, p.where) for p in problems] == [
        ("duplicate_agreed_version", f"{WEIGHTED}.effective_from")
    ]
    assert "15-01-2026" in problems[0].message


def test_proposed_and_draft_versions_may_share_a_day_with_others() -> None:
    data = scenario()
    split(data, 3).update(effective_from="2026-07-01", status="proposed")

    assert parse_scenario(data)[1] == []


def test_an_unknown_method_is_reported() -> None:
    data = scenario()
    split(data)["method"] = "lagkage"

    assert found(data) == {("unknown_method", f"{SPLIT}.method")}


@pytest.mark.parametrize("status", ["aftalt", 1])
def test_an_unknown_status_is_reported(status: object) -> None:
    data = scenario()
    split(data)["status"] = status

    assert found(data) == {("unknown_status", f"{SPLIT}.status")}


# --- decisions ----------------------------------------------------------------------------------


def test_decisions_must_be_a_list() -> None:
    data = scenario()
    split(data)["decisions"] = {"JOB": "approve"}

    assert found(data) == {("not_list", f"{SPLIT}.decisions")}


def test_a_decision_by_an_unknown_department_is_reported() -> None:
    data = scenario()
    split(data)["decisions"][0]["department"] = "SUND"

    assert found(data) == {("unknown_department", f"{SPLIT}.decisions[0].department")}


def test_a_decision_other_than_approve_or_reject_is_reported() -> None:
    data = scenario()
    split(data)["decisions"][0]["decision"] = "godkendt"

    assert found(data) == {("unknown_decision", f"{SPLIT}.decisions[0].decision")}


def test_a_decision_time_that_is_not_iso_is_reported() -> None:
    data = scenario()
    split(data)["decisions"][0]["at"] = "12. januar kl. 10"

    assert found(data) == {("bad_timestamp", f"{SPLIT}.decisions[0].at")}


def test_a_rejection_keeps_its_reason() -> None:
    data = scenario()
    split(data)["decisions"] = [{"department": "JOB", "decision": "reject", "reason": "For højt"}]

    parsed, _ = parse_scenario(data)

    assert parsed is not None
    assert parsed.interventions[0].splits[0].decisions == (
        Decision("JOB", "reject", reason="For højt"),
    )


# --- cases and departments ----------------------------------------------------------------------


def test_a_blank_case_ref_is_reported() -> None:
    data = scenario()
    data["cases"][0]["ref"] = ""

    assert ("empty", "cases[0].ref") in found(data)


def test_a_bad_assessment_date_is_reported() -> None:
    data = scenario()
    data["cases"][0]["assessed_on"] = "10-01-2026"

    assert found(data) == {("bad_date", "cases[0].assessed_on")}


def test_a_core_team_must_be_a_list_of_distinct_codes() -> None:
    data = scenario()
    data["cases"][0]["core_team"] = ["BFH", 3, "BFH"]

    assert found(data) == {
        ("wrong_type", "cases[0].core_team[1]"),
        ("duplicate_department", "cases[0].core_team[2]"),
    }


@pytest.mark.parametrize("code", ["B FH", " BFH", "BFH\u00a0"])
def test_a_department_code_with_whitespace_is_reported(code: str) -> None:
    data = {"departments": [{"code": code, "name": "Børn"}], "cases": [], "interventions": []}

    assert found(data) == {("whitespace_in_code", "departments[0].code")}


def test_single_departments_and_cases_parse_on_their_own() -> None:
    department, department_problems = parse_department({"code": "BFH", "name": "Børn"}, "")
    case, case_problems = parse_case({"ref": "S-1", "core_team": ["X"]}, "", {"BFH"})

    assert (department, department_problems) == (Department("BFH", "Børn"), [])
    assert case is None
    assert [(p.code, p.where) for p in case_problems] == [("unknown_department", "core_team[0]")]


# --- CPR numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["cpr", "CPR", "cpr_nummer", "forældre_cpr"])
def test_a_cpr_key_in_a_case_is_refused_without_echoing_the_number(key: str) -> None:
    data = scenario()
    data["cases"][0][key] = CPR

    _, problems = parse_scenario(data)

    assert [(p.code, p.where) for p in problems] == [("cpr_field", f"cases[0].{key}")]
    assert "CPR-numre må ikke registreres" in problems[0].message


def test_a_cpr_key_nested_inside_a_case_is_refused() -> None:
    data = scenario()
    data["cases"][0]["parents"] = [{"name": "Mor", "Cpr": CPR}]

    assert found(data) == {("cpr_field", "cases[0].parents[0].Cpr")}


def test_cpr_like_text_is_refused_and_never_echoed() -> None:
    data = scenario()
    data["cases"][0]["family"] = f"Familie {CPR}"
    data["cases"][0]["ref"] = "0101901234"
    intervention(data)["paid_by"] = CPR
    split(data)["shares"] = {"BFH": "100", CPR: "0"}

    _, problems = parse_scenario(data)

    assert ("cpr_like", "cases[0].family") in {(p.code, p.where) for p in problems}
    assert ("cpr_like", "cases[0].ref") in {(p.code, p.where) for p in problems}
    shown = " ".join(f"{p.message} {p.where}" for p in problems)
    assert "1234" not in shown
    assert "010190" not in shown


def test_journal_numbers_and_account_strings_are_not_taken_for_cpr_numbers() -> None:
    data = scenario()
    data["cases"][0]["ref"] = intervention(data)["case"] = "S-2026-0001234"
    data["departments"][0]["account"] = "5.28.21.0101901"

    assert parse_scenario(data)[1] == []


# --- text fields --------------------------------------------------------------------------------

TEXT_FIELDS = [
    ("departments", 0, "code"),
    ("departments", 0, "name"),
    ("departments", 0, "account"),
    ("cases", 0, "ref"),
    ("cases", 0, "family"),
    ("cases", 0, "coordinator"),
    ("interventions", 0, "id"),
    ("interventions", 0, "title"),
    ("interventions", 0, "legal_basis"),
    ("interventions", 0, "splits", 0, "rationale"),
    ("interventions", 0, "splits", 0, "decisions", 0, "by"),
    ("interventions", 0, "splits", 0, "decisions", 0, "reason"),
]


@pytest.mark.parametrize("place", TEXT_FIELDS, ids=json_path)
@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x7f", "\u0085", "\ud800"])
def test_nul_and_other_control_characters_are_refused_in_every_text_field(
    place: tuple[str | int, ...], control: str
) -> None:
    data = replaced(place, f"Tekst{control}slut")

    parsed, problems = parse_scenario(data)

    assert parsed is None
    assert ("control_character", json_path(place)) in {(p.code, p.where) for p in problems}
    assert all(control not in p.message for p in problems)


@pytest.mark.parametrize("place", TEXT_FIELDS, ids=json_path)
def test_a_megabyte_of_text_is_refused_in_every_text_field(place: tuple[str | int, ...]) -> None:
    data = replaced(place, "x" * 1_000_000)

    parsed, problems = parse_scenario(data)

    assert parsed is None
    assert ("too_long", json_path(place)) in {(p.code, p.where) for p in problems}
    assert all(len(p.message) < 200 for p in problems)


@pytest.mark.parametrize(
    ("place", "limit"),
    [
        (("departments", 0, "code"), 16),
        (("cases", 0, "ref"), 40),
        (("interventions", 0, "id"), 40),
        (("departments", 0, "account"), 60),  # filled after "5.28.21 ", an account's start
        (("cases", 0, "family"), 200),
        (("interventions", 0, "title"), 200),
        (("interventions", 0, "splits", 0, "rationale"), 2000),
    ],
    ids=lambda value: json_path(value) if isinstance(value, tuple) else str(value),
)
def test_each_text_field_takes_up_to_its_limit_and_not_one_character_more(
    place: tuple[str | int, ...], limit: int
) -> None:
    def problems_with(text: str) -> set[tuple[str, str]]:
        # Only the field itself: a changed code or journal number is unknown where it is used.
        problems = parse_scenario(replaced(place, text))[1]
        return {(p.code, p.where) for p in problems if p.where == json_path(place)}

    start = "5.28.21 " if place[-1] == "account" else ""
    assert problems_with(start + "A" * (limit - len(start))) == set()
    assert problems_with(start + "A" * (limit + 1 - len(start))) == {("too_long", json_path(place))}


def test_free_text_keeps_newlines_and_tabs_but_one_line_text_does_not() -> None:
    data = scenario()
    split(data)["rationale"] = "Første linje\r\nAnden linje\tmed tabulator"
    split(data)["decisions"][0]["reason"] = "Aftalt\n"

    assert parse_scenario(data)[1] == []

    data["cases"][0]["family"] = "Familie\nA"
    intervention(data)["title"] = "Aflastning\t"
    assert found(data) == {
        ("control_character", "cases[0].family"),
        ("control_character", "interventions[0].title"),
    }


@pytest.mark.parametrize("ref", ["S 2026", "S/2026/1", "S-2026?", "sag#1", "Æble-1", "-S1", ".."])
def test_journal_numbers_and_intervention_ids_must_work_in_a_web_address(ref: str) -> None:
    data = scenario()
    data["cases"][0]["ref"] = ref
    intervention(data)["id"] = ref

    problems = found(data)

    assert ("bad_reference", "cases[0].ref") in problems
    assert ("bad_reference", "interventions[0].id") in problems


def test_journal_numbers_with_dots_dashes_and_underscores_are_fine() -> None:
    data = scenario()
    data["cases"][0]["ref"] = intervention(data)["case"] = "27.24.00-G01_3-26"
    intervention(data)["id"] = "I-17.b"

    assert parse_scenario(data)[1] == []


# --- the refund block ---------------------------------------------------------------------------


def test_refund_rates_and_refundable_interventions_are_read() -> None:
    data = scenario()
    data["refund"] = {"years": {
        "2027": {"thresholds": ["900000", 1700000], "percents": ["25", "50.5"]},
        "2026": {"thresholds": ["0", "860000.50"], "percents": [0, "33.3333"]},
    }}
    intervention(data)["refundable"] = True

    parsed, problems = parse_scenario(data)

    assert problems == []
    assert parsed is not None
    assert parsed.refund_rates == (
        RefundRates(2026, (0, 86_000_050), (Decimal(0), Decimal("33.3333"))),
        RefundRates(2027, (90_000_000, 170_000_000), (Decimal(25), Decimal("50.5"))),
    )
    assert parsed.interventions[0].refundable is True


def test_without_a_refund_block_there_are_no_rates_and_nothing_is_refundable() -> None:
    parsed, problems = parse_scenario(scenario())

    assert problems == [] and parsed is not None
    assert parsed.refund_rates == ()
    assert parsed.interventions[0].refundable is False


def test_bad_refund_rates_are_located_each_at_its_own_place() -> None:
    data = scenario()
    data["refund"] = {"years": {
        "26": {"thresholds": ["1"], "percents": ["1"]},
        "2026": {"thresholds": ["860000", "860000", "-1"], "percents": ["25", "100.5", "1.00001"]},
        "2027": {"thresholds": ["1", "2"], "percents": ["25"]},
        "2028": {"thresholds": [], "percents": []},
        "2029": {"percents": ["25"]},
        "2030": "25 %",
    }}
    intervention(data)["refundable"] = "ja"

    assert found(data) == {
        ("bad_year", "refund.years.26"),
        ("thresholds_order", "refund.years.2026.thresholds[1]"),
        ("negative", "refund.years.2026.thresholds[2]"),
        ("percent_range", "refund.years.2026.percents[1]"),
        ("too_many_decimals", "refund.years.2026.percents[2]"),
        ("tiers_mismatch", "refund.years.2027.percents"),
        ("no_tiers", "refund.years.2028.thresholds"),
        ("missing", "refund.years.2029.thresholds"),
        ("not_object", "refund.years.2030"),
        ("wrong_type", "interventions[0].refundable"),
    }


def test_a_refund_block_without_years_is_reported() -> None:
    data = scenario()
    data["refund"] = {}

    assert found(data) == {("missing", "refund.years")}


# --- collecting everything ----------------------------------------------------------------------


def test_a_scenario_with_many_problems_reports_all_of_them() -> None:
    data = scenario()
    data["departments"][1]["code"] = "BFH"
    data["cases"][0]["consent"] = "ja"
    intervention(data)["cost"].update(amount="12.345", per="day", end="2025-01-01")
    split(data)["shares"] = {"BFH": "60", "JOB": "30"}
    split(data, 1)["alpha"] = "2"
    split(data, 2)["departments"] = []
    split(data, 3)["status"] = "godkendt"
    data["interventions"].append({"id": "I-2", "case": "S-0", "title": "Kursus"})

    assert found(data) == {
        ("duplicate_department", "departments[1].code"),
        ("wrong_type", "cases[0].consent"),
        ("unknown_department", "cases[0].core_team[0]"),
        ("sub_ore", f"{COST}.amount"),
        ("unknown_per", f"{COST}.per"),
        ("end_before_start", f"{COST}.end"),
        ("unknown_department", f"{SPLIT}.decisions[0].department"),
        ("unknown_department", f"{SPLIT}.shares.JOB"),
        ("shares_sum", f"{SPLIT}.shares"),
        ("unknown_department", f"{WEIGHTED}.responsibility.JOB"),
        ("unknown_department", f"{WEIGHTED}.benefit.JOB"),
        ("alpha_range", f"{WEIGHTED}.alpha"),
        ("no_departments", f"{EQUAL}.departments"),
        ("unknown_status", f"{SAVINGS}.status"),
        ("unknown_department", f"{SAVINGS}.savings.JOB"),
        ("unknown_case", "interventions[1].case"),
        ("missing", "interventions[1].granted_by"),
        ("missing", "interventions[1].paid_by"),
        ("missing", "interventions[1].cost"),
    }


# --- single splits and interventions, and the period --------------------------------------------


def test_a_single_split_is_checked_with_paths_relative_to_its_own_place() -> None:
    proposal = {
        "effective_from": "2026-07-01",
        "method": "fixed",
        "status": "proposed",
        "shares": {"BFH": "70", "JOB": "20"},
    }

    split_version, problems = parse_split(proposal, "", {"BFH", "JOB"}, intervention="I-17")

    assert split_version is None
    assert problems == [
        Problem(
            "shares_sum",
            "Andelene for indsats I-17 fra 01-07-2026 summerer til 90 %, ikke 100 %",
            "shares",
        )
    ]


def test_a_valid_single_split_becomes_a_split_version() -> None:
    proposal = {
        "effective_from": "2026-07-01",
        "method": "equal",
        "status": "draft",
        "departments": ["JOB", "BFH"],
    }

    assert parse_split(proposal, "split", {"BFH", "JOB"}) == (
        SplitVersion(date(2026, 7, 1), Method.EQUAL, Status.DRAFT, departments=("BFH", "JOB")),
        [],
    )


def test_a_single_intervention_is_checked_against_the_known_departments_and_cases() -> None:
    data = intervention(scenario())

    parsed, problems = parse_intervention(data, "intervention", {"BFH", "JOB", "PPR"}, {"S-1"})

    assert parsed is None
    assert [(p.code, p.where) for p in problems] == [("unknown_case", "intervention.case")]


# --- nothing raises -----------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["2026-01-15", "BFH", "S-2026-0001", "agreed", "fixed", "12,5", CPR]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["code", "ref", "id", "shares", "cpr", "splits"]) | st.text(max_size=6),
            children,
            max_size=4,
        )
    ),
    max_leaves=25,
)


def _places(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every path inside a JSON value, for replacing one part of a valid scenario."""
    inner: list[tuple[str | int, ...]] = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            inner += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            inner += _places(item, (*path, index))
    return inner


PLACES = _places(scenario())[1:]


def _assert_well_formed(result: tuple[Scenario | None, list[Problem]]) -> None:
    parsed, problems = result
    assert (parsed is None) == bool(problems)
    assert all(isinstance(p.code, str) and p.message and isinstance(p.where, str) for p in problems)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_arbitrary_json_never_raises(data: object) -> None:
    _assert_well_formed(parse_scenario(data))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PLACES), json_values)
def test_any_part_of_a_valid_scenario_replaced_by_arbitrary_json_never_raises(
    place: tuple[str | int, ...], value: object
) -> None:
    _assert_well_formed(parse_scenario(replaced(place, value)))


def test_an_object_with_keys_that_are_not_text_is_reported() -> None:
    data = scenario()
    split(data)["shares"] = {1: "100"}

    assert found(data) == {("wrong_type", f"{SPLIT}.shares")}
