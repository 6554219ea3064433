"""Which interventions count toward the state refund by default, read from their legal basis."""

from __future__ import annotations

import pytest

from finans.allocation.legal_basis import refundable_by_default
from finans.demo.kinds import INTERVENTION_KINDS


@pytest.mark.parametrize("basis", [
    "Barnets lov § 32, stk. 1, nr. 7", "barnets lov § 85", "BL § 46", "Barnets lov §§ 87-88",
    "Serviceloven § 107", "SEL § 41", "Lov om social service § 104",
    "Serviceloven § 116 via Barnets lov § 90",
])
def test_help_under_barnets_lov_or_serviceloven_counts(basis: str) -> None:
    assert refundable_by_default(basis) is True


@pytest.mark.parametrize("basis", [
    "LAB, mentorstøtte", "LAB § 32", "Lov om en aktiv beskæftigelsesindsats § 31",
    "Folkeskoleloven § 20, stk. 2", "FSL § 3", "Sundhedsloven § 140", "SUL § 120", "STU-loven",
    "Lov om ungdomsuddannelse for unge med særlige behov",
    "Dagtilbudsloven § 4", "", "bl.a. aflastning",
    "Folkeskoleloven § 20 jf. Barnets lov § 32",
])
def test_help_under_other_acts_or_without_a_basis_does_not(basis: str) -> None:
    assert refundable_by_default(basis) is False


def test_the_demo_kinds_follow_the_acts_the_refund_covers() -> None:
    counted = {kind.legal_basis for kind in INTERVENTION_KINDS if refundable_by_default(
        kind.legal_basis)}
    assert all(basis.startswith(("Barnets lov", "Serviceloven")) for basis in counted)
    assert {kind.legal_basis for kind in INTERVENTION_KINDS} - counted == {
        "Folkeskoleloven § 20, stk. 2", "Folkeskoleloven § 3, stk. 2", "LAB, mentorstøtte",
        "LAB, ressourceforløb", "STU-loven", "Sundhedsloven § 120", "Sundhedsloven § 140",
    }
