"""Demo cases and their interventions: profiles, core teams, journal numbers, costs, and the queue
of proposals every department's controller finds waiting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from finans.allocation.legal_basis import refundable_by_default
from finans.demo.decisions import awaiting, parties
from finans.demo.draws import Draws
from finans.demo.households import HOUSEHOLDS, demo_refund_rates, first_of_month, household_json
from finans.demo.kinds import INTERVENTION_KINDS, InterventionKind
from finans.demo.people import (
    DEPARTMENTS,
    PARTNERS,
    SURNAMES,
    Json,
    caseworker,
    demo_departments,
)
from finans.demo.splits import Splits

CASE_COUNT = 40
INTERVENTION_COUNT = 120
JOINT_CASES = 28
"""Cases with consent and several departments: 28 of 40 (70 %) qualify for joint financing."""
NO_CONSENT_CASES = 5
"""Cases with several departments but no consent; the rest involve a single department."""
MIN_PENDING = 3
"""Every department's controller finds at least this many proposals awaiting their answer."""

_LEAD_WEIGHTS = {"BFH": 14, "BFA": 3, "UNG": 3, "VOK": 2, "SKO": 2, "DAG": 2, "JOB": 1,
                 "SUN": 1, "HJM": 1}
_JOINT_PATTERNS = {
    "agreed": 44, "reassessed": 22, "pending": 10, "proposed": 8, "rejected_then_agreed": 4,
    "agreed_then_rejected": 3, "agreed_then_draft": 6,
}
"""How the split versions of an intervention in a joint case came about, by weight."""


@dataclass
class CasePlan:
    """A case being built: its profile, lead department, team and day offsets from today."""

    profile: str
    lead: str
    team: list[str]
    consent: bool
    assessed: int
    interventions: list[Json] = field(default_factory=list)


class DemoBuilder:
    """Draws the demo; all draws happen in a fixed order, independent of ``today``, which only
    turns day offsets into dates."""

    def __init__(self, today: date) -> None:
        self.draws = Draws(today)
        self.rng = self.draws.rng
        self.splits = Splits(self.draws)

    def build(self) -> Json:
        plans = self._plan_cases()
        counts = self._intervention_counts(len(plans))
        for plan, count in zip(plans, counts, strict=True):
            for _ in range(count):
                plan.interventions.append(self._intervention(plan))
        self._fill_queues(plans)
        cases, interventions = self._number(plans)
        self._add_households(cases, interventions)
        coordinators = {case["ref"]: case["coordinator"] for case in cases}
        for item in interventions:
            for split in item["splits"]:
                split["proposed_by"] = coordinators[item["case"]]
                split["proposed_at"] = self._proposed_at(split)
        return {"departments": demo_departments(), "cases": cases,
                "interventions": interventions, "refund": demo_refund_rates(self.draws.today)}

    def _add_households(self, cases: list[Json], interventions: list[Json]) -> None:
        """The expensive households after the drawn cases, numbered on from them; every
        intervention refundable by its legal basis."""
        today = self.draws.today
        for item in interventions:
            item["refundable"] = refundable_by_default(item["legal_basis"])
        for household in HOUSEHOLDS:
            year = first_of_month(today, household.months_ago).year
            number = 1 + sum(case["ref"].startswith(f"S-{year}-") for case in cases)
            case, items = household_json(
                household, f"S-{year}-{number:04d}", today, caseworker(household.lead),
                lambda split, lead, offset: self.splits.decisions.agreed(split, lead, offset,
                                                                         True),
            )
            cases.append(case)
            for item in items:
                interventions.append({"id": f"I-{len(interventions) + 1}", **item})

    def _proposed_at(self, split: Json) -> str:
        """The afternoon before the first answer (a draft: its first day, never after today)."""
        answers = sorted(decision["at"] for decision in split.get("decisions", ()))
        if answers:
            day = date.fromisoformat(answers[0][:10]) - timedelta(days=1)
        else:
            day = min(date.fromisoformat(split["effective_from"]), self.draws.today)
        return f"{day.isoformat()}T14:00:00"

    # -- cases -------------------------------------------------------------------------------

    def _plan_cases(self) -> list[CasePlan]:
        rng = self.rng
        profiles = (["joint"] * JOINT_CASES + ["no_consent"] * NO_CONSENT_CASES
                    + ["single"] * (CASE_COUNT - JOINT_CASES - NO_CONSENT_CASES))
        rng.shuffle(profiles)
        codes, weights = zip(*_LEAD_WEIGHTS.items(), strict=True)
        plans = []
        for profile in profiles:
            lead = rng.choices(codes, weights)[0]
            team = [lead]
            if profile != "single":
                team += rng.sample(PARTNERS[lead], rng.choice((1, 1, 2, 2, 3)))
            plans.append(CasePlan(profile, lead, team, consent=profile != "no_consent",
                                  assessed=-rng.randint(20, 680)))
        plans.sort(key=lambda p: p.assessed)
        return plans

    def _intervention_counts(self, cases: int) -> list[int]:
        """Exactly ``INTERVENTION_COUNT`` interventions, 1–5 per case."""
        counts = [INTERVENTION_COUNT // cases] * cases
        for i in range(INTERVENTION_COUNT - sum(counts)):
            counts[i] += 1
        for _ in range(cases * 2):
            giver, taker = self.rng.randrange(cases), self.rng.randrange(cases)
            if counts[giver] > 1 and counts[taker] < 5 and giver != taker:
                counts[giver] -= 1
                counts[taker] += 1
        return counts

    def _number(self, plans: list[CasePlan]) -> tuple[list[Json], list[Json]]:
        """Journal numbers per year of assessment, intervention ids in case order."""
        cases: list[Json] = []
        interventions: list[Json] = []
        per_year: dict[int, int] = {}
        for plan in plans:
            assessed_on = self.draws.day(plan.assessed)
            per_year[assessed_on.year] = per_year.get(assessed_on.year, 0) + 1
            ref = f"S-{assessed_on.year}-{per_year[assessed_on.year]:04d}"
            cases.append({
                "ref": ref, "family": "", "coordinator": caseworker(plan.lead),
                "consent": plan.consent, "assessed_on": assessed_on.isoformat(),
                "core_team": self._core_team(plan),
            })
            for item in plan.interventions:
                interventions.append({"id": f"I-{len(interventions) + 1}", "case": ref, **item})
        for case, surname in zip(cases, self.rng.sample(SURNAMES, len(cases)), strict=True):
            case["family"] = f"Familie {surname}"
        return cases, interventions

    @staticmethod
    def _core_team(plan: CasePlan) -> list[str]:
        """The planned team plus every department granting, paying or sharing in earnest."""
        codes = set(plan.team)
        for item in plan.interventions:
            codes.update((item["granted_by"], item["paid_by"]))
            for split in item["splits"]:
                if split["status"] in ("agreed", "proposed"):
                    codes.update(parties(split))
        return sorted(codes)

    # -- interventions -----------------------------------------------------------------------

    def _kind(self, plan: CasePlan) -> InterventionKind:
        if plan.profile == "single":
            kinds = [k for k in INTERVENTION_KINDS
                     if k.granted_by == plan.lead and k.paid_by == plan.lead]
            return self.rng.choice(kinds)
        kinds = [k for k in INTERVENTION_KINDS if k.granted_by in plan.team]
        weights = [3 if k.granted_by == plan.lead else 1 for k in kinds]
        return self.rng.choices(kinds, weights)[0]

    def _intervention(self, plan: CasePlan) -> Json:
        rng = self.rng
        kind = self._kind(plan)
        start = plan.assessed + rng.randint(0, min(45, -plan.assessed - 1))
        end = start + rng.randint(90, 600) if kind.per != "once" and rng.random() < 0.35 else None
        recent = -rng.randint(5, 40)
        item = {
            "title": kind.title, "legal_basis": kind.legal_basis,
            "granted_by": kind.granted_by, "paid_by": kind.paid_by,
        }
        if plan.profile == "joint":
            pattern = rng.choices(list(_JOINT_PATTERNS), list(_JOINT_PATTERNS.values()))[0]
            if pattern == "proposed":
                start, end = max(plan.assessed, recent), None
            splits = self.splits.joint(plan.team, plan.assessed, kind, pattern, start, end)
        else:
            splits = self.splits.lone(plan.team, plan.consent, kind, start)
        amount = rng.randrange(kind.low, kind.high + 1, kind.step)
        cost = {"amount": f"{amount}.00", "per": kind.per,
                "start": self.draws.day(start).isoformat()}
        if end is not None:
            cost["end"] = self.draws.month_end(end).isoformat()
        if kind.account:
            item["account"] = kind.account
        return {**item, "cost": cost, "splits": splits}

    # -- controllers' queues -----------------------------------------------------------------

    def _fill_queues(self, plans: list[CasePlan]) -> None:
        """Give every department's controller at least ``MIN_PENDING`` proposals to answer by
        adding pending re-assessments to running, agreed interventions of joint cases."""
        pending = {d.code: 0 for d in DEPARTMENTS}
        for plan in plans:
            for item in plan.interventions:
                for code in awaiting(item["splits"]):
                    pending[code] += 1
        for code in sorted(pending, key=lambda c: (pending[c], c)):
            candidates = [
                item for plan in plans if plan.profile == "joint"
                for item in plan.interventions
                if item["splits"] and item["splits"][-1]["status"] == "agreed"
                and item["paid_by"] != code and item["cost"]["per"] != "once"
                and "end" not in item["cost"]
            ]
            self.rng.shuffle(candidates)
            for item in candidates[: max(0, MIN_PENDING - pending[code])]:
                lead = item["paid_by"]
                others = sorted({*parties(item["splits"][-1]), code} - {lead})
                proposal = self.splits.split(lead, others, self.draws.first_of_next_month(0),
                                             "proposed", reassessed=True)
                proposal["decisions"] = [
                    self.splits.decisions.approve(lead, -self.rng.randint(1, 14))
                ]
                item["splits"].append(proposal)
                for waiting in awaiting([proposal]):
                    pending[waiting] += 1
