"""Resolving split versions into exact shares (docs/calculation.md, "Shares of a version")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings

from finans.allocation import Method, SplitVersion, Status, resolve_shares
from finans.allocation.shares import participants
from tests.unit.strategies import CODES, split_versions

FROM = date(2026, 1, 1)


def weights(**values: str) -> tuple[tuple[str, Decimal], ...]:
    return tuple((code, Decimal(value)) for code, value in values.items())


def test_fixed_percents_become_exact_fractions_including_four_decimals() -> None:
    split = SplitVersion(
        FROM, Method.FIXED, Status.AGREED, shares=weights(BFH="33.3333", JOB="66.6667")
    )
    # 33.3333 % = 333333/1000000 exactly, not 1/3.
    assert resolve_shares(split) == {
        "BFH": Fraction(333_333, 1_000_000),
        "JOB": Fraction(666_667, 1_000_000),
    }


def test_equal_gives_each_listed_department_one_nth() -> None:
    split = SplitVersion(FROM, Method.EQUAL, Status.AGREED, departments=("SKO", "BFH", "JOB"))
    assert resolve_shares(split) == {code: Fraction(1, 3) for code in ("BFH", "JOB", "SKO")}


def test_weighted_mixes_responsibility_and_benefit_by_alpha() -> None:
    split = SplitVersion(
        FROM,
        Method.WEIGHTED,
        Status.AGREED,
        alpha=Decimal("0.25"),
        responsibility=weights(BFH="2", JOB="1", SKO="1"),
        benefit=weights(JOB="3", SKO="1"),
    )
    # BFH ¼·½ = 1/8; JOB ¼·¼ + ¾·¾ = 1/16 + 9/16 = 5/8; SKO ¼·¼ + ¾·¼ = 1/16 + 3/16 = 1/4.
    assert resolve_shares(split) == {
        "BFH": Fraction(1, 8),
        "JOB": Fraction(5, 8),
        "SKO": Fraction(1, 4),
    }


def test_a_side_with_weight_zero_may_be_empty() -> None:
    only_responsibility = SplitVersion(
        FROM, Method.WEIGHTED, Status.AGREED, alpha=Decimal("1"),
        responsibility=weights(BFH="1", JOB="3"), benefit=weights(BFH="0"),
    )
    only_benefit = SplitVersion(
        FROM, Method.WEIGHTED, Status.AGREED, alpha=Decimal("0"),
        responsibility=(), benefit=weights(SKO="5"),
    )
    assert resolve_shares(only_responsibility) == {"BFH": Fraction(1, 4), "JOB": Fraction(3, 4)}
    assert resolve_shares(only_benefit) == {"SKO": Fraction(1)}


def test_savings_shares_are_proportional_to_the_kroner_saved() -> None:
    split = SplitVersion(
        FROM, Method.SAVINGS, Status.AGREED, savings=weights(BFH="1000.50", JOB="999.50")
    )
    # 1000.50 / 2000 and 999.50 / 2000.
    assert resolve_shares(split) == {"BFH": Fraction(2001, 4000), "JOB": Fraction(1999, 4000)}


def test_zero_shares_are_dropped_and_codes_come_out_sorted() -> None:
    fixed = SplitVersion(
        FROM, Method.FIXED, Status.AGREED, shares=weights(SKO="60", BFH="0", JOB="40")
    )
    resolved = resolve_shares(fixed)
    assert list(resolved) == ["JOB", "SKO"]
    assert resolved == {"JOB": Fraction(2, 5), "SKO": Fraction(3, 5)}
    weighted = SplitVersion(
        FROM, Method.WEIGHTED, Status.AGREED, alpha=Decimal("0.5"),
        responsibility=weights(VOK="1", BFH="0"), benefit=weights(VOK="1", BFH="0"),
    )
    assert resolve_shares(weighted) == {"VOK": Fraction(1)}


def test_resolved_shares_sum_to_exactly_one_for_every_method() -> None:
    splits = [
        SplitVersion(FROM, Method.FIXED, Status.AGREED,
                     shares=weights(A="12.3456", B="0.0001", C="87.6543")),
        SplitVersion(FROM, Method.EQUAL, Status.AGREED, departments=tuple("ABCDEFG")),
        SplitVersion(FROM, Method.WEIGHTED, Status.AGREED, alpha=Decimal("0.37"),
                     responsibility=weights(A="3", B="7"), benefit=weights(B="1.5", C="11")),
        SplitVersion(FROM, Method.SAVINGS, Status.AGREED, savings=weights(A="0.01", B="77777")),
    ]
    for split in splits:
        assert sum(resolve_shares(split).values()) == 1


@settings(max_examples=300, deadline=None)
@given(split_versions(list(CODES)))
def test_the_participants_are_the_departments_with_a_share_above_zero(split: SplitVersion) -> None:
    assert participants(split) == set(resolve_shares(split))


def test_a_weighted_side_without_weight_takes_no_one_in() -> None:
    split = SplitVersion(
        FROM, Method.WEIGHTED, Status.AGREED, alpha=Decimal(1),
        responsibility=weights(BFH="2", JOB="0"), benefit=weights(SKO="1"),
    )
    # Only responsibility weighs; JOB has none of it and SKO's benefit weighs nothing.
    assert participants(split) == {"BFH"}
