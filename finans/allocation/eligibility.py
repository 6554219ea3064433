"""Which cases qualify for joint financing (docs/calculation.md, "Eligibility")."""

from __future__ import annotations

from dataclasses import dataclass

from finans.allocation.records import CaseRef, DepartmentCode, Scenario, Status
from finans.allocation.shares import participants

UNMET_DEPARTMENTS = "min_departments"
UNMET_CONSENT = "consent"


@dataclass(frozen=True, slots=True)
class EligibilityCriteria:
    """The municipality's criteria; the defaults are the model's (two departments and consent)."""

    min_departments: int = 2
    require_consent: bool = True


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether a case qualifies, the codes of every unmet criterion and the departments involved."""

    eligible: bool
    unmet: tuple[str, ...]
    departments: tuple[DepartmentCode, ...]


def involved_departments(scenario: Scenario) -> dict[CaseRef, set[DepartmentCode]]:
    """Departments granting or paying a case's interventions or holding a share > 0 in an agreed
    or proposed split of them."""
    involved: dict[CaseRef, set[DepartmentCode]] = {case.ref: set() for case in scenario.cases}
    for intervention in scenario.interventions:
        codes = involved.setdefault(intervention.case, set())
        codes.update((intervention.granted_by, intervention.paid_by))
        for split in intervention.splits:
            if split.status in (Status.AGREED, Status.PROPOSED):
                codes.update(participants(split))
    return involved


DEFAULT_CRITERIA = EligibilityCriteria()


def check_eligibility(
    scenario: Scenario, criteria: EligibilityCriteria = DEFAULT_CRITERIA
) -> dict[CaseRef, Eligibility]:
    """Eligibility of every case, sorted by journal number."""
    involved = involved_departments(scenario)
    result = {}
    for case in sorted(scenario.cases, key=lambda c: c.ref):
        departments = tuple(sorted(involved[case.ref]))
        unmet = []
        if len(departments) < criteria.min_departments:
            unmet.append(UNMET_DEPARTMENTS)
        if criteria.require_consent and not case.consent:
            unmet.append(UNMET_CONSENT)
        result[case.ref] = Eligibility(not unmet, tuple(unmet), departments)
    return result
