"""The case list ("Mine sager" / "Sager"): search, filters by status, and sorting, for the cases
the actor may see.

Search matches part of the journal number, the family label or an intervention's title, in any
case. The statuses are what someone must act on: proposals awaiting approval, open rejections
(:mod:`finans.services.signals`), and days of this year without an agreed split.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from finans.allocation.eligibility import Eligibility, check_eligibility
from finans.allocation.engine import allocate
from finans.allocation.periods import year_period
from finans.allocation.records import Status
from finans.services import cases, figures, lookup, signals
from finans.services.actor import Actor
from finans.services.settings import eligibility_criteria
from finans.services.views import CaseView
from finans.store.timestamps import local, now

STATUSES = ("waiting", "rejected", "unsplit")
"""``waiting``: a proposal awaits approval; ``rejected``: an open rejection; ``unsplit``: days of
the year without an agreed split."""


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One row of the case list.

    Attributes:
      interventions: how many the case has; ``titles`` their titles (what search looks in).
      proposed: split versions awaiting approval.
      rejected: open rejections.
      unsplit_days: days of ``year`` without an agreed split, over the case's interventions.
    """

    case: CaseView
    eligibility: Eligibility
    interventions: int
    proposed: int
    rejected: int
    unsplit_days: int
    titles: tuple[str, ...]


SORTS: dict[str, Callable[[CaseSummary], Any]] = {
    "ref": lambda summary: lookup.natural_key(summary.case.ref),
    "family": lambda summary: summary.case.family.casefold(),
    "coordinator": lambda summary: summary.case.coordinator.casefold(),
    "interventions": lambda summary: summary.interventions,
    "proposed": lambda summary: summary.proposed,
    "rejected": lambda summary: summary.rejected,
    "unsplit": lambda summary: summary.unsplit_days,
}
"""The columns the list sorts by; ties keep journal-number order."""


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """What the case list is narrowed to and how it is sorted; ``None`` means no narrowing.

    Attributes:
      text: part of the journal number, the family label or an intervention title, any case.
      department: a department in the core team.
      consent: the family's consent is (or is not) recorded.
      eligible: the case qualifies (or does not) for joint financing.
      proposed: the case has (or has no) split version awaiting approval.
      status: one of :data:`STATUSES`.
      sort: a key of :data:`SORTS`; ``descending`` reverses it.
    """

    text: str = ""
    department: str | None = None
    consent: bool | None = None
    eligible: bool | None = None
    proposed: bool | None = None
    status: str | None = None
    sort: str = "ref"
    descending: bool = False


def _matches(summary: CaseSummary, wanted: CaseFilter) -> bool:
    case = summary.case
    needle = wanted.text.strip().casefold()
    found = not needle or any(
        needle in text.casefold() for text in (case.ref, case.family, *summary.titles)
    )
    status = wanted.status
    return (
        found
        and (wanted.department is None or wanted.department in case.core_team)
        and (wanted.consent is None or case.consent is wanted.consent)
        and (wanted.eligible is None or summary.eligibility.eligible is wanted.eligible)
        and (wanted.proposed is None or (summary.proposed > 0) is wanted.proposed)
        and (status != "waiting" or summary.proposed > 0)
        and (status != "rejected" or summary.rejected > 0)
        and (status != "unsplit" or summary.unsplit_days > 0)
    )


def search_cases(
    session: Session, *, actor: Actor, wanted: CaseFilter = CaseFilter(),
    today: date | None = None,
) -> list[CaseSummary]:
    """The cases the actor may see that match ``wanted``, in its order (by journal number
    unless it says otherwise); unsplit days are counted in ``today``'s year."""
    visible = cases.list_cases(session, actor=actor)
    scenario = figures.scenario_records(session, cases=[case.ref for case in visible],
                                        with_decisions=False)
    eligibility = check_eligibility(scenario, eligibility_criteria(session))
    year = year_period((today or local(now()).date()).year)
    unsplit: Counter[str] = Counter()
    for item in allocate(scenario, year).unsplit:
        unsplit[item.case] += item.days
    rejected = Counter(item.case for item in signals.open_rejections(session, actor=actor))
    titles: dict[str, list[str]] = {}
    proposed: Counter[str] = Counter()
    for intervention in scenario.interventions:
        titles.setdefault(intervention.case, []).append(intervention.title)
        proposed[intervention.case] += sum(
            split.status is Status.PROPOSED for split in intervention.splits
        )
    summaries = [
        CaseSummary(
            case, eligibility[case.ref], len(titles.get(case.ref, [])),
            proposed[case.ref], rejected[case.ref], unsplit[case.ref],
            tuple(titles.get(case.ref, [])),
        )
        for case in visible
    ]
    found = [summary for summary in summaries if _matches(summary, wanted)]
    key = SORTS.get(wanted.sort, SORTS["ref"])
    return sorted(found, key=key, reverse=wanted.descending)
