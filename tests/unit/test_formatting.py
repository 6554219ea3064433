"""Danish formats for people, computed exactly from integers, Fractions and Decimals."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from finans.formatting import (
    format_amount,
    format_date,
    format_money,
    format_month,
    format_percent,
)


@pytest.mark.parametrize(
    ("ore", "text"),
    [
        (123450, "1.234,50 kr."),
        (8194839, "81.948,39 kr."),
        (5, "0,05 kr."),
        (0, "0,00 kr."),
        (-123450, "-1.234,50 kr."),
        (123456789012345, "1.234.567.890.123,45 kr."),
    ],
)
def test_money_is_written_the_danish_way(ore, text):
    assert format_money(ore) == text


def test_an_amount_without_unit_has_two_decimals_and_dot_thousands():
    assert format_amount(100000) == "1.000,00"


def test_money_refuses_anything_but_integer_ore():
    with pytest.raises(TypeError):
        format_money(Decimal("12.50"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_amount(True)


def test_a_date_is_day_month_year_with_dashes():
    assert format_date(date(2026, 11, 23)) == "23-11-2026"
    assert format_date(date(2026, 1, 5)) == "05-01-2026"


@pytest.mark.parametrize(
    ("month", "text"),
    [("2026-01", "jan. 2026"), ("2026-05", "maj 2026"), ("2027-12", "dec. 2027")],
)
def test_a_month_gets_its_short_danish_name(month, text):
    assert format_month(month) == text


@pytest.mark.parametrize(
    ("ratio", "decimals", "text"),
    [
        (Fraction(1, 3), 1, "33,3 %"),
        (Fraction(2, 3), 1, "66,7 %"),
        (Decimal("0.6"), 0, "60 %"),
        (Fraction(1, 8), 0, "13 %"),
        (Fraction(1, 800), 2, "0,13 %"),
        (Fraction(-1, 8), 0, "-13 %"),
        (1, 1, "100,0 %"),
        (Fraction(12345, 10), 1, "123.450,0 %"),
    ],
)
def test_a_percentage_is_rounded_exactly_with_halves_away_from_zero(ratio, decimals, text):
    assert format_percent(ratio, decimals) == text


def test_a_tiny_negative_percentage_is_not_shown_as_minus_zero():
    assert format_percent(Fraction(-1, 10**6)) == "0,0 %"


def test_a_percentage_refuses_floats():
    with pytest.raises(TypeError):
        format_percent(0.5)  # type: ignore[arg-type]
