"""Money as integer øre: parsing, formatting and the one rounding rule."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from finans.allocation.money import (
    MoneyError,
    format_ore,
    fraction_to_ore,
    parse_decimal,
    round_half_up,
    to_ore,
)


@pytest.mark.parametrize(
    ("value", "ore"),
    [("12.50", 1250), ("1234.5", 123_450), (" 7.00 ", 700), ("0", 0), (12, 1200),
     (Decimal("0.01"), 1), ("12000.00", 1_200_000), ("1E+2", 10_000)],
)
def test_to_ore_reads_kroner_exactly(value: object, ore: int) -> None:
    assert to_ore(value) == ore


@pytest.mark.parametrize(
    "value", [12.5, True, None, "12.345", "-1", "abc", "NaN", "Infinity", "", [1]]
)
def test_to_ore_refuses_floats_fractions_of_an_ore_negatives_and_non_numbers(value: object) -> None:
    with pytest.raises(MoneyError):
        to_ore(value)


def test_parse_decimal_refuses_float_even_when_it_looks_exact() -> None:
    with pytest.raises(MoneyError):
        parse_decimal(0.5)
    assert parse_decimal("-3.25") == Decimal("-3.25")


@pytest.mark.parametrize(
    ("ore", "text"),
    [(123_450, "1234.50"), (0, "0.00"), (5, "0.05"), (100, "1.00"), (-5, "-0.05"),
     (-123_450, "-1234.50"), (13_858_065, "138580.65")],
)
def test_format_ore_writes_two_decimals_with_a_dot(ore: int, text: str) -> None:
    assert format_ore(ore) == text


def test_format_and_to_ore_round_trip() -> None:
    for ore in (0, 1, 99, 100, 101, 123_456_789):
        assert to_ore(format_ore(ore)) == ore


def test_round_half_up_rounds_halves_up_and_the_rest_to_nearest() -> None:
    # 1/2 → 1, 3/2 → 2, 5/2 → 3 (not banker's rounding); 1/3 → 0, 2/3 → 1, 7/7 → 1.
    assert [round_half_up(n, d) for n, d in [(1, 2), (3, 2), (5, 2), (1, 3), (2, 3), (7, 7)]] == [
        1, 2, 3, 0, 1, 1
    ]


def test_round_half_up_agrees_with_exact_rationals_everywhere_small() -> None:
    for denominator in range(1, 40):
        for numerator in range(0, 200):
            exact = Fraction(numerator, denominator) + Fraction(1, 2)
            assert round_half_up(numerator, denominator) == exact.numerator // exact.denominator


def test_fraction_to_ore_rounds_the_design_january_half_up() -> None:
    # 12000.00 × 17/31 in øre = 20400000/31 = 658064.516… → 658065.
    assert fraction_to_ore(Fraction(1_200_000 * 17, 31)) == 658_065
    assert fraction_to_ore(Fraction(1, 2)) == 1
