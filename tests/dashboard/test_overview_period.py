"""Choosing the dashboard's period from its query string."""

from __future__ import annotations

from datetime import date

from finans.allocation.records import Period
from finans.services.dashboard import choose_period, months_of

TODAY = date(2026, 11, 23)


def chosen(**args: str) -> Period:
    choice, problems = choose_period(args, TODAY)
    assert problems == [] and choice is not None
    return choice.period


def problem_fields(**args: str) -> list[str]:
    choice, problems = choose_period(args, TODAY)
    assert choice is None
    return [problem.where for problem in problems]


def test_nothing_chosen_means_the_current_year() -> None:
    assert chosen() == Period(date(2026, 1, 1), date(2026, 12, 31))


def test_a_year_quarter_and_month_cover_whole_calendar_units() -> None:
    assert chosen(kind="year", year="2025") == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert chosen(kind="quarter", year="2024", quarter="1") == Period(date(2024, 1, 1),
                                                                      date(2024, 3, 31))
    assert chosen(kind="month", year="2024", month="2") == Period(date(2024, 2, 1),
                                                                  date(2024, 2, 29))


def test_a_quarter_or_month_without_a_number_is_the_current_one() -> None:
    assert chosen(kind="quarter") == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert chosen(kind="month") == Period(date(2026, 11, 1), date(2026, 11, 30))


def test_a_custom_range_is_taken_as_given_and_inclusive() -> None:
    assert chosen(kind="range", **{"from": "2026-02-10", "to": "2026-05-03"}) == Period(
        date(2026, 2, 10), date(2026, 5, 3)
    )
    assert chosen(**{"from": "2026-02-10", "to": "2026-02-10"}) == Period(
        date(2026, 2, 10), date(2026, 2, 10)
    )


def test_invalid_choices_are_named_by_their_field() -> None:
    assert problem_fields(kind="decade") == ["kind"]
    assert problem_fields(kind="year", year="20x6") == ["year"]
    assert problem_fields(kind="quarter", quarter="5") == ["quarter"]
    assert problem_fields(kind="month", month="0") == ["month"]
    assert problem_fields(kind="range", **{"from": "2026-02-30"}) == ["from", "to"]
    assert problem_fields(kind="range", **{"from": "2026-03-01", "to": "2026-02-01"}) == ["to"]


def test_a_custom_range_longer_than_ten_years_is_refused() -> None:
    assert problem_fields(kind="range", **{"from": "2000-01-01", "to": "2020-12-31"}) == ["to"]


def test_the_choice_gives_back_the_query_that_makes_it_and_a_danish_label() -> None:
    for args, label in (
        ({"kind": "year", "year": "2026"}, "2026"),
        ({"kind": "quarter", "year": "2026", "quarter": "2"}, "2. kvartal 2026"),
        ({"kind": "month", "year": "2026", "month": "3"}, "marts 2026"),
        ({"kind": "range", "from": "2026-01-05", "to": "2026-02-01"}, "05-01-2026 – 01-02-2026"),
    ):
        choice, _ = choose_period(args, TODAY)
        assert choice is not None
        assert choice.query() == args
        assert choice.label == label


def test_the_months_of_a_period_include_those_without_spend() -> None:
    assert months_of(Period(date(2025, 11, 15), date(2026, 2, 1))) == (
        "2025-11", "2025-12", "2026-01", "2026-02",
    )
