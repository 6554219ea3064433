"""Which cases qualify for joint financing (docs/calculation.md, "Eligibility")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finans.allocation import (
    Case,
    CostSchedule,
    Eligibility,
    EligibilityCriteria,
    Intervention,
    Method,
    Per,
    Scenario,
    SplitVersion,
    Status,
    check_eligibility,
)

COST = CostSchedule(100_000, Per.MONTH, date(2026, 1, 1))


def split(status: Status, **percents: str) -> SplitVersion:
    return SplitVersion(
        date(2026, 1, 1),
        Method.FIXED,
        status,
        shares=tuple((code, Decimal(p)) for code, p in sorted(percents.items())),
    )


def intervention(
    case: str, *splits: SplitVersion, granted_by: str = "BFH", paid_by: str = "BFH"
) -> Intervention:
    return Intervention(
        f"I-{case}", case, "Aflastning", "BL § 32", granted_by, paid_by, COST, splits
    )


def check(*interventions: Intervention, consent: bool = True, **kwargs: object) -> Eligibility:
    scenario = Scenario((), (Case("S-1", consent=consent),), interventions)
    criteria = EligibilityCriteria(**kwargs)  # type: ignore[arg-type]
    return check_eligibility(scenario, criteria)["S-1"]


def test_two_departments_and_consent_make_a_case_eligible() -> None:
    result = check(intervention("S-1", split(Status.AGREED, BFH="50", JOB="50")))
    assert result == Eligibility(True, (), ("BFH", "JOB"))


def test_granting_and_paying_departments_count_as_involved() -> None:
    result = check(intervention("S-1", granted_by="BFH", paid_by="SKO"))
    assert result.eligible
    assert result.departments == ("BFH", "SKO")


def test_a_proposed_split_counts_but_draft_and_rejected_do_not() -> None:
    proposed = check(intervention("S-1", split(Status.PROPOSED, JOB="100")))
    assert proposed.departments == ("BFH", "JOB")
    ignored = check(
        intervention("S-1", split(Status.DRAFT, JOB="100"), split(Status.REJECTED, SKO="100"))
    )
    assert ignored == Eligibility(False, ("min_departments",), ("BFH",))


def test_a_department_with_share_zero_is_not_involved() -> None:
    result = check(intervention("S-1", split(Status.AGREED, BFH="100", JOB="0")))
    assert result.departments == ("BFH",)
    assert result.unmet == ("min_departments",)


def test_every_unmet_criterion_is_listed() -> None:
    result = check(intervention("S-1"), consent=False)
    assert result == Eligibility(False, ("min_departments", "consent"), ("BFH",))


def test_missing_consent_alone_makes_a_case_ineligible() -> None:
    result = check(intervention("S-1", paid_by="JOB"), consent=False)
    assert result == Eligibility(False, ("consent",), ("BFH", "JOB"))


def test_a_case_without_interventions_involves_no_departments() -> None:
    assert check() == Eligibility(False, ("min_departments",), ())


def test_criteria_are_configurable() -> None:
    two = intervention("S-1", paid_by="JOB")
    assert check(two, min_departments=3).unmet == ("min_departments",)
    assert check(two, consent=False, require_consent=False).eligible
    assert check(intervention("S-1"), min_departments=1).eligible


def test_every_case_is_reported_sorted_by_journal_number() -> None:
    scenario = Scenario(
        (),
        (Case("S-2", consent=True), Case("S-1", consent=True)),
        (intervention("S-2", paid_by="JOB"), intervention("S-1")),
    )
    result = check_eligibility(scenario)
    assert list(result) == ["S-1", "S-2"]
    assert [e.eligible for e in result.values()] == [False, True]
