"""One period parser for every door: two dates, a year, a month and a quarter, located problems."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from finans.allocation.periods import (
    MAX_DAYS,
    parse_month,
    parse_period,
    parse_period_in_year,
    parse_quarter,
    parse_year,
    quarter_of,
    quarter_period,
)
from finans.allocation.problems import Problem
from finans.allocation.records import Period


def codes_at(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.where) for p in problems]


def test_a_period_parses_into_inclusive_dates() -> None:
    assert parse_period("2026-01-01", "2026-12-31") == (
        Period(date(2026, 1, 1), date(2026, 12, 31)),
        [],
    )
    assert parse_period("2026-03-01", "2026-03-01")[1] == []


def test_a_period_ending_before_it_starts_is_reported_at_to() -> None:
    period, problems = parse_period("2026-12-31", "2026-01-01")
    assert period is None
    assert codes_at(problems) == [("end_before_start", "period.to")]
    assert problems[0].message == "Til-datoen ligger før fra-datoen (01-01-2026 før 31-12-2026)"


def test_a_period_reports_both_of_its_bad_dates_at_the_place_asked() -> None:
    assert codes_at(parse_period(None, "2026-13-01")[1]) == [
        ("missing", "period.from"),
        ("bad_date", "period.to"),
    ]
    assert codes_at(parse_period("2026-1-1", 20260101, "")[1]) == [
        ("bad_date", "from"),
        ("bad_date", "to"),
    ]


def test_a_period_outside_the_years_finans_keeps_is_refused() -> None:
    assert codes_at(parse_period("1899-12-31", "2026-01-01")[1]) == [("year_range", "period.from")]


def test_a_period_longer_than_asked_is_refused_at_to() -> None:
    assert parse_period("2020-01-01", "2029-12-31", max_days=MAX_DAYS)[1] == []
    assert codes_at(parse_period("2000-01-01", "2026-12-31", "", max_days=MAX_DAYS)[1]) == [
        ("period_too_long", "to")
    ]


def test_the_command_lines_missing_bounds_are_those_of_the_year() -> None:
    assert parse_period_in_year(None, None, 2026)[0] == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert parse_period_in_year("2026-03-01", None, 2026)[0] == Period(
        date(2026, 3, 1), date(2026, 12, 31)
    )


def test_a_month_and_a_quarter_are_whole_calendar_units() -> None:
    assert parse_month("2028-02", "month") == (Period(date(2028, 2, 1), date(2028, 2, 29)), [])
    assert parse_quarter("2026Q2", "quarter") == (Period(date(2026, 4, 1), date(2026, 6, 30)), [])
    assert parse_quarter("2026q4", "quarter")[0] == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_period(2026, 1) == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert [quarter_of(date(2026, m, 1)) for m in (1, 3, 4, 9, 10, 12)] == [1, 1, 2, 3, 4, 4]


def test_bad_months_quarters_and_years_are_located() -> None:
    for text in ("2026-13", "2026-1", "marts", "2026-03-01"):
        assert codes_at(parse_month(text, "month")[1]) == [("bad_month", "month")]
    for text in ("2026Q5", "2026-Q2", "Q2 2026", ""):
        assert codes_at(parse_quarter(text, "quarter")[1]) == [("bad_quarter", "quarter")]
    assert codes_at(parse_year("20x6", "year")[1]) == [("bad_number", "year")]
    assert codes_at(parse_year("3000", "year")[1]) == [("bad_number", "year")]
    assert parse_year(" 2026 ", "year") == (2026, [])
    assert parse_year(None, "year") == (None, [])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.sampled_from(["2026-01-15", "2026-02-30", "2026Q2", "2026-03", " 2026 "]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None)
@given(json_values, json_values)
def test_arbitrary_values_never_raise(start: object, end: object) -> None:
    period, problems = parse_period(start, end)
    assert (period is None) == bool(problems)
    for parse in (parse_month, parse_quarter):
        found, problems = parse(start, "x")
        assert (found is None) == bool(problems)
    year, problems = parse_year(start, "year")
    assert year is None or not problems
