"""The one-step reading of plain interventions, split versions and costs agrees with the general
readers.

The plain reading (finans/allocation/plain.py) may decline anything, but whatever it accepts the
general readers must accept too, building the very same record.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import generate
from finans.allocation import split_validation, validation
from finans.allocation.plain import plain_cost, plain_intervention, plain_split

SYNTHETIC = generate(seed=3, cases=40, interventions=120)
DEPARTMENTS = frozenset(department["code"] for department in SYNTHETIC["departments"])
SPLITS = [split for iv in SYNTHETIC["interventions"] for split in iv["splits"]]
COSTS = [iv["cost"] for iv in SYNTHETIC["interventions"]]
INTERVENTIONS = SYNTHETIC["interventions"]
CASES = frozenset(case["ref"] for case in SYNTHETIC["cases"])
CPR = "010190-1234"

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.decimals(-1, 200, places=7),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-0"), Decimal("1E+13")]),
    st.floats(allow_nan=False),
    st.sampled_from([
        "", " ", "60", "40.5", "33,5", " 60", "-1", "1e2", "100.00001", "0.5", "1.0000001",
        "2026-02-30", "2026-01-15", "2026-1-5", "agreed", "approve", "reject", "fixed", "equal",
        "weighted", "savings", "once", "month", "BFH", "JOB", "XYZ", "B FH", "Familie\x00",
        "linje\nto", "a\u00a0b", "x" * 3000, CPR, "2026-01-12T10:03:00", "i går",
    ]),
    st.lists(st.sampled_from(["BFH", "JOB", "SKO", "BFH", 1]), max_size=4),
    st.dictionaries(st.sampled_from(["BFH", "JOB", "SKO", "XYZ"]),
                    st.sampled_from(["50", "100", "0", "-5", "33.33335", 50, "1,5"]), max_size=3),
)


def places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += places(item, (*path, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, originals: list[dict[str, Any]], keys: list[str]) -> Any:
    """A real object, often with one part replaced or one key added."""
    data = copy.deepcopy(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(0, 2))):
        spots = places(data)[1:]
        if spots and draw(st.booleans()):
            *parents, last = draw(st.sampled_from(spots))
            holder = data
            for part in parents:
                holder = holder[part]
            holder[last] = draw(odd_values)
        else:
            data[draw(st.sampled_from(keys))] = draw(odd_values)
    return data


SPLIT_KEYS = ["effective_from", "method", "status", "rationale", "decisions", "shares",
              "departments", "alpha", "responsibility", "benefit", "savings"]
COST_KEYS = ["amount", "per", "start", "end"]
INTERVENTION_KEYS = ["id", "case", "title", "legal_basis", "granted_by", "paid_by", "cost",
                     "splits", "refundable", "account"]


@settings(max_examples=600, deadline=None)
@given(mutated(SPLITS, SPLIT_KEYS))
def test_a_plain_split_is_what_the_general_reader_makes_of_it(data: Any) -> None:
    plain = plain_split(data, DEPARTMENTS)
    with mock.patch.object(split_validation, "plain_split", return_value=None):
        general, problems = split_validation.parse_split(data, "split", DEPARTMENTS)
    if plain is not None:
        assert problems == []
        assert plain == general


@settings(max_examples=400, deadline=None)
@given(mutated(COSTS, COST_KEYS))
def test_a_plain_cost_is_what_the_general_reader_makes_of_it(data: Any) -> None:
    plain = plain_cost(data)
    with mock.patch.object(validation, "plain_cost", return_value=None):
        general, problems = validation._parse_cost(data, "cost")
    if plain is not None:
        assert problems == []
        assert plain == general


@settings(max_examples=400, deadline=None)
@given(mutated(INTERVENTIONS, INTERVENTION_KEYS))
def test_a_plain_intervention_is_what_the_general_reader_makes_of_it(data: Any) -> None:
    plain = plain_intervention(data, DEPARTMENTS, CASES)
    with mock.patch.object(validation, "plain_intervention", return_value=None):
        general, problems = validation.parse_intervention(data, "iv", DEPARTMENTS, CASES)
    if plain is not None:
        assert problems == []
        assert plain == general


def test_two_agreed_versions_from_one_day_are_left_to_the_general_reader() -> None:
    data = copy.deepcopy(next(iv for iv in INTERVENTIONS if iv["splits"][0]["status"] == "agreed"))
    data["splits"] = [data["splits"][0], copy.deepcopy(data["splits"][0])]
    assert plain_intervention(data, DEPARTMENTS, CASES) is None
    _, problems = validation.parse_intervention(data, "iv", DEPARTMENTS, CASES)
    assert [p.code for p in problems] == ["duplicate_agreed_version"]


def test_the_plain_reading_takes_the_usual_forms_and_leaves_the_rest() -> None:
    # Every intervention, split and cost the synthetic municipality writes is plain.
    assert all(plain_intervention(iv, DEPARTMENTS, CASES) is not None for iv in INTERVENTIONS)
    assert all(plain_split(split, DEPARTMENTS) is not None for split in SPLITS)
    assert all(plain_cost(cost) is not None for cost in COSTS)
    fixed = {"effective_from": "2026-01-15", "method": "fixed", "status": "agreed",
             "shares": {"BFH": "60", "JOB": Decimal("40")}}
    assert plain_split(fixed, DEPARTMENTS) is not None
    # A Danish decimal comma, a shares sum off 100 and an unknown department are left to the
    # general reader, which accepts the first and reports the others.
    for shares in ({"BFH": "59,5", "JOB": "40,5"}, {"BFH": "60", "JOB": "30"}, {"XYZ": "100"}):
        assert plain_split({**fixed, "shares": shares}, DEPARTMENTS) is None
    assert split_validation.parse_split(
        {**fixed, "shares": {"BFH": "59,5", "JOB": "40,5"}}, "split", DEPARTMENTS
    )[1] == []
