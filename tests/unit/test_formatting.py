"""Danish numbers and dates for people: formatted exactly from integers, Fractions and Decimals,
and read back exactly from what people type."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from finans.formatting import (
    format_amount,
    format_date,
    format_money,
    format_month,
    format_number,
    format_percent,
    parse_date,
    parse_number,
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


@pytest.mark.parametrize(
    ("value", "options", "text"),
    [
        ("1234.5", {}, "1.234,5"),
        (Decimal("1234.5000"), {}, "1.234,5"),
        ("1234.5", {"grouping": False}, "1234,5"),
        (Decimal("20.96"), {"decimals": 1}, "21,0"),
        (7, {}, "7"),
        ("-0.25", {}, "-0,25"),
    ],
)
def test_a_number_shows_its_significant_digits_the_danish_way(value, options, text):
    assert format_number(value, **options) == text


def test_a_number_refuses_floats():
    with pytest.raises(TypeError):
        format_number(0.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.234,50", "1234.50"),
        ("1234,5", "1234.5"),
        ("-3,25", "-3.25"),
        ("\u22123,25", "-3.25"),
        ("+5", "5"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1\u202f234\u202f567,5", "1234567.5"),
        ("1'234,5", "1234.5"),
        ("1.234.567,89", "1234567.89"),
        ("1.234", "1234"),
        ("12.5", "12.5"),
        ("0,1", "0.1"),
        ("  7  ", "7"),
        ("1.234,50 kr.", "1234.50"),
        ("1.234,50 kr", "1234.50"),
        ("10 DKK", "10"),
        ("40 %", "40"),
        ("12,5%", "12.5"),
        ("98765432109876543,21", "98765432109876543.21"),
    ],
)
def test_danish_typed_numbers_are_read_exactly(typed, number):
    parsed = parse_number(typed)
    assert isinstance(parsed, Decimal)
    assert (parsed, str(parsed)) == (Decimal(number), number)


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "-", "abc", "1,234.50", "1.23,5", "1.2345,6", "12 34,5", "1,2,3", "--5", "1-2",
     "1e5", "NaN", "Infinity", "DKK 10", "\u0661\u0662", "١٢٣", "0x10", "1_000"],
)
def test_what_is_no_danish_number_is_refused(typed):
    assert parse_number(typed) is None


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("23-11-2026", date(2026, 11, 23)),
        ("23.11.2026", date(2026, 11, 23)),
        ("23/11/2026", date(2026, 11, 23)),
        ("5-1-2026", date(2026, 1, 5)),
        (" 2026-11-23 ", date(2026, 11, 23)),
        ("2026-1-5", date(2026, 1, 5)),
        ("29-02-2028", date(2028, 2, 29)),
    ],
)
def test_danish_and_iso_typed_dates_are_read(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize(
    "typed",
    ["", "31-02-2026", "29-02-2027", "23-11-26", "23-13-2026", "00-11-2026", "2026/11/23",
     "23 11 2026", "i morgen", "23-11-2026 12:00", "11/23/2026", "2026-11-23T10:00"],
)
def test_what_is_no_date_is_refused(typed):
    assert parse_date(typed) is None
