"""A realistic, made-up demo municipality as scenario JSON (design §5), with its demo users.

Used by ``finans demo``, the web UI's first run and the tests. Everything is invented: family labels
are labels, not identities, and no person named here exists. The data comes from a fixed seed and
every date is counted from the ``today`` you pass in, so the same day always gives the same
municipality and the demo always looks current. Its shape does not depend on ``today``: only the
dates move.

The demo holds 9 departments, 40 cases (about 70 % eligible for joint financing) and 120
interventions whose split versions are in every state: agreed, re-assessed, proposed (a queue for
every department's controller), draft and rejected.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import Any, NamedTuple

from finans.allocation.engine import allocate
from finans.allocation.money import format_ore, round_half_up
from finans.allocation.records import Period
from finans.allocation.validation import parse_scenario

DEMO_PASSWORD = "demo1234"
"""Password of every demo user: for demonstrations only, never in a production database."""

SEED = 2026
CASE_COUNT = 40
INTERVENTION_COUNT = 120
JOINT_CASES = 28
"""Cases with consent and several departments: 28 of 40 (70 %) qualify for joint financing."""
NO_CONSENT_CASES = 5
"""Cases with several departments but no consent; the rest involve a single department."""
MIN_PENDING = 3
"""Every department's controller finds at least this many proposals awaiting their answer."""

Json = dict[str, Any]


class DepartmentInfo(NamedTuple):
    """A demo department: code, Danish name, account string and the short name used in texts."""

    code: str
    name: str
    account: str
    short: str


DEPARTMENTS: tuple[DepartmentInfo, ...] = (
    DepartmentInfo("BFH", "Børn og Familie – børnehandicap", "5.28.21", "Børnehandicap"),
    DepartmentInfo("BFA", "Børn og Familie – anbringelser", "5.28.23", "Anbringelsesområdet"),
    DepartmentInfo("DAG", "Dagtilbud og specialdagtilbud", "5.25.17", "Dagtilbud"),
    DepartmentInfo("SKO", "Skole og PPR", "3.22.08", "Skole og PPR"),
    DepartmentInfo("JOB", "Jobcenter", "5.68.90", "Jobcentret"),
    DepartmentInfo("UNG", "Ungeindsats og STU", "3.30.46", "Ungeindsatsen"),
    DepartmentInfo("VOK", "Voksenhandicap", "5.38.52", "Voksenhandicap"),
    DepartmentInfo("SUN", "Sundhed og træning", "4.62.82", "Sundhed og træning"),
    DepartmentInfo("HJM", "Hjælpemidler", "5.30.38", "Hjælpemidler"),
)
SHORT_NAMES = {d.code: d.short for d in DEPARTMENTS}

PARTNERS: dict[str, tuple[str, ...]] = {
    "BFH": ("JOB", "SKO", "SUN", "HJM", "DAG", "BFA"),
    "BFA": ("BFH", "SKO", "SUN", "JOB"),
    "DAG": ("BFH", "SUN", "HJM", "SKO"),
    "SKO": ("BFH", "SUN", "UNG", "DAG"),
    "JOB": ("BFH", "SKO", "VOK"),
    "UNG": ("BFH", "VOK", "JOB", "SKO"),
    "VOK": ("UNG", "JOB", "HJM", "SUN"),
    "SUN": ("BFH", "DAG", "HJM"),
    "HJM": ("BFH", "VOK", "SUN"),
}
"""Departments a lead department typically shares a family with."""


class InterventionKind(NamedTuple):
    """A kind of help with its legal basis, usual granting and paying department and cost level.

    Amounts are whole kroner per ``per``, drawn from ``low``..``high`` in steps of ``step``.
    ``account`` is the function the payer books it on when that is not the payer's own (cash
    benefits to families under Barnets lov §§ 85–88 go on 5.57.72, not 5.28.21).
    """

    title: str
    legal_basis: str
    granted_by: str
    paid_by: str
    per: str
    low: int
    high: int
    step: int
    account: str = ""


CASH_BENEFITS = "5.57.72"

INTERVENTION_KINDS: tuple[InterventionKind, ...] = (
    InterventionKind("Aflastning i weekender", "Barnets lov § 32, stk. 1, nr. 7", "BFH", "BFH",
                     "month", 9000, 18500, 500),
    InterventionKind("Støtteophold", "Barnets lov § 32, stk. 1, nr. 7", "BFH", "BFH",
                     "week", 4600, 9200, 100),
    InterventionKind("Merudgifter", "Barnets lov § 86", "BFH", "BFH", "year", 6000, 42000, 500,
                     CASH_BENEFITS),
    InterventionKind("Tabt arbejdsfortjeneste", "Barnets lov §§ 87-88", "BFH", "BFH",
                     "month", 14000, 35000, 500, CASH_BENEFITS),
    InterventionKind("Hjemmetræning", "Barnets lov § 85", "BFH", "BFH", "month", 6000, 16000, 500,
                     CASH_BENEFITS),
    InterventionKind("Praktisk pædagogisk støtte i hjemmet", "Barnets lov § 32, stk. 1, nr. 2",
                     "BFH", "BFH", "week", 1800, 4200, 100),
    InterventionKind("Fast kontaktperson", "Barnets lov § 32, stk. 1, nr. 3", "BFH", "BFH",
                     "week", 1200, 3000, 100),
    InterventionKind("Familiebehandling", "Barnets lov § 32, stk. 1, nr. 5", "BFH", "BFH",
                     "month", 15600, 22500, 100),
    InterventionKind("Døgnophold for hele familien", "Barnets lov § 32, stk. 1, nr. 6", "BFH",
                     "BFH", "month", 55000, 90000, 1000),
    InterventionKind("Ledsagelse", "Barnets lov § 89", "BFH", "BFH", "month", 1800, 4500, 100),
    InterventionKind("Merudgifter, ferieophold med ledsager", "Barnets lov § 86", "BFH", "BFH",
                     "once", 4000, 15000, 250, CASH_BENEFITS),
    InterventionKind("Efterskoleophold, økonomisk støtte", "Barnets lov § 35", "BFH", "BFH",
                     "once", 25000, 60000, 500),
    InterventionKind("Anbringelse på børne- og ungehjem", "Barnets lov § 46", "BFA", "BFA",
                     "month", 74000, 101000, 500),
    InterventionKind("Anbringelse i plejefamilie", "Barnets lov § 46", "BFA", "BFA",
                     "month", 28000, 46000, 500),
    InterventionKind("Særligt dagtilbud", "Barnets lov § 83", "DAG", "DAG", "month",
                     12000, 24000, 500),
    InterventionKind("Ophold i dagtilbud som støtte", "Barnets lov § 32, stk. 1, nr. 1", "DAG",
                     "SKO", "month", 4500, 9000, 100),
    InterventionKind("Specialklasse", "Folkeskoleloven § 20, stk. 2", "SKO", "SKO", "year",
                     240000, 400000, 5000),
    InterventionKind("Specialskole", "Folkeskoleloven § 20, stk. 2", "SKO", "SKO", "month",
                     26000, 40000, 500),
    InterventionKind("Specialpædagogisk bistand", "Folkeskoleloven § 3, stk. 2", "SKO", "SKO",
                     "month", 4000, 12000, 250),
    InterventionKind("Mentor for forælder", "LAB, mentorstøtte", "JOB", "JOB", "week",
                     900, 2400, 50),
    InterventionKind("Ressourceforløb for forælder", "LAB, ressourceforløb", "JOB", "JOB",
                     "month", 9000, 16000, 500),
    InterventionKind("STU", "STU-loven", "UNG", "UNG", "year", 380000, 500000, 5000),
    InterventionKind("STU med praktikforløb", "STU-loven", "UNG", "UNG", "month",
                     32000, 42000, 500),
    InterventionKind("Botilbud efter 18 år", "Serviceloven § 107", "VOK", "VOK", "month",
                     48000, 60000, 500),
    InterventionKind("Aktivitets- og samværstilbud", "Serviceloven § 104", "VOK", "VOK", "week",
                     1200, 3800, 50),
    InterventionKind("Ekstra sundhedspleje", "Sundhedsloven § 120", "SUN", "SUN", "month",
                     1200, 3200, 100),
    InterventionKind("Genoptræning og fysioterapi", "Sundhedsloven § 140", "SUN", "SUN", "week",
                     900, 2100, 50),
    InterventionKind("Boligindretning", "Serviceloven § 116 via Barnets lov § 90", "HJM", "HJM",
                     "once", 40000, 250000, 1000),
    InterventionKind("Kommunikationshjælpemiddel", "Serviceloven § 112 via Barnets lov § 90",
                     "HJM", "HJM", "once", 8000, 60000, 500),
)

_CASEWORKERS = {
    "BFH": "Anne Møller", "BFA": "Jonas Vestergaard", "DAG": "Camilla Frost",
    "SKO": "Rasmus Holm", "JOB": "Sara Lindberg", "UNG": "Mikkel Bang",
    "VOK": "Helle Skov", "SUN": "Nanna Krogh", "HJM": "Thomas Winther",
}
_CONTROLLERS = {
    "BFH": "Peter Kjær", "BFA": "Lise Dam", "DAG": "Martin Lund",
    "SKO": "Karina Bro", "JOB": "Søren Friis", "UNG": "Maja Storm",
    "VOK": "Henrik Aagaard", "SUN": "Julie Bech", "HJM": "Ole Falk",
}
_REPRESENTATIVES = {
    "BFH": "Lone Thomsen", "BFA": "Kim Ravn", "DAG": "Tina Buus",
    "SKO": "Anders Kirk", "JOB": "Mette Koch", "UNG": "Jesper Hald",
    "VOK": "Susanne Brink", "SUN": "Line Juul", "HJM": "Bo Lykke",
}
"""The department representatives who give their word at joint assessment meetings."""

SURNAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
    "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen",
    "Holm", "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Jeppesen",
    "Vinther", "Petersson", "Dahl", "Berg", "Bach", "Krogh", "Nørgaard",
)

_RATIONALES = {
    "fixed": (
        "{lead} bærer hovedparten som bevilgende myndighed; {others} betaler en andel, fordi "
        "indsatsen også støtter deres arbejde med familien.",
        "Indsatsen aflaster familien så meget, at {others} forventer færre akutte henvendelser; "
        "andelene afspejler det.",
    ),
    "equal": (
        "De deltagende afdelinger har lige stort ansvar for og udbytte af indsatsen.",
        "Kerneteamet kan ikke pege på én hovedansvarlig, så {lead} og {others} deler udgiften "
        "ligeligt.",
    ),
    "weighted": (
        "{lead} har det lovmæssige ansvar, mens gevinsten også viser sig hos {others}.",
        "{others} får en stor del af gevinsten, hvis forældrene kan fastholde tilknytningen til "
        "arbejde og skole.",
    ),
    "savings": (
        "{others} regner med at undgå dyrere indsatser, hvis denne lykkes.",
        "Andelene følger de besparelser, {lead} og {others} har skønnet for de næste to år.",
    ),
}
_REASSESSED = {"agreed": "Revurderet på opfølgningsmødet. "}
_REASSESSMENT_PROPOSED = "Forslag til revurdering. "
REJECTION_REASONS = (
    "Andelen står ikke mål med vores ansvar i sagen. Vi foreslår en mindre andel på næste møde.",
    "Indsatsen ligger uden for vores målgruppe, og vi kan ikke se en gevinst på vores område.",
    "Der mangler en begrundelse for vores andel. Send forslaget igen med et skøn over besparelsen.",
    "Budgettet for i år er disponeret; vi kan tidligst gå ind i finansieringen fra næste år.",
)
_OWN_REJECTION_REASONS = {
    "JOB": "Forælderen er allerede i ordinært job, så Jobcentret har ingen gevinst at finansiere.",
    "SKO": "Barnet er i almenklasse uden støtte fra PPR; skolen kan ikke se sin del af indsatsen.",
    "HJM": "Hjælpemidlet er allerede bevilget og betalt; vi deltager ikke i de løbende udgifter.",
}

_LEAD_WEIGHTS = {"BFH": 14, "BFA": 3, "UNG": 3, "VOK": 2, "SKO": 2, "DAG": 2, "JOB": 1,
                 "SUN": 1, "HJM": 1}
_JOINT_PATTERNS = {
    "agreed": 44, "reassessed": 22, "pending": 10, "proposed": 8, "rejected_then_agreed": 4,
    "agreed_then_rejected": 3, "agreed_then_draft": 6,
}
"""How the split versions of an intervention in a joint case came about, by weight."""


def demo_departments() -> list[Json]:
    """The nine demo departments as scenario JSON."""
    return [{"code": d.code, "name": d.name, "account": d.account} for d in DEPARTMENTS]


def caseworker(code: str) -> str:
    """User name of a department's demo caseworker (``raadgiver.bfh``)."""
    return f"raadgiver.{code.lower()}"


def controller(code: str) -> str:
    """User name of a department's demo controller (``controller.bfh``)."""
    return f"controller.{code.lower()}"


def demo_users() -> list[Json]:
    """One caseworker and one controller per department, a manager, a finance officer and an
    administrator.

    All share :data:`DEMO_PASSWORD`.
    """
    users: list[Json] = []
    for d in DEPARTMENTS:
        users.append({"username": caseworker(d.code), "name": _CASEWORKERS[d.code],
                      "role": "caseworker", "department": d.code})
        users.append({"username": controller(d.code), "name": _CONTROLLERS[d.code],
                      "role": "controller", "department": d.code})
    users.append({"username": "leder", "name": "Birgitte Dahl", "role": "manager",
                  "department": None})
    users.append({"username": "okonomi", "name": "Karen Holt", "role": "finance",
                  "department": None})
    users.append({"username": "admin", "name": "Systemadministrator", "role": "admin",
                  "department": None})
    return users


BUDGET_PERCENT = {"BFA": 96, "BFH": 108, "DAG": 110, "HJM": 90, "JOB": 115, "SKO": 104,
                  "SUN": 112, "UNG": 97, "VOK": 106}
"""Each demo department's joint-financing budget as a percentage of its forecast for the year:
most keep within budget, a few overspend, so the budget follow-up has something to show."""

BUDGET_ROUNDING_ORE = 1_000_000
"""Budgets are round figures: whole 10.000 kr."""


def demo_budgets(scenario: Json, year: int) -> list[Json]:
    """Yearly budgets ``{"department", "year", "amount"}`` sized from the scenario's forecast."""
    records, problems = parse_scenario(scenario)
    if records is None:
        raise ValueError(f"the demo scenario is invalid: {problems[:3]}")
    forecast = allocate(records, Period(date(year, 1, 1), date(year, 12, 31))).totals
    budgets = []
    for code, percent in BUDGET_PERCENT.items():
        ore = round_half_up(forecast.get(code, 0) * percent, 100 * BUDGET_ROUNDING_ORE)
        amount = format_ore(ore * BUDGET_ROUNDING_ORE)
        budgets.append({"department": code, "year": year, "amount": amount})
    return budgets


def demo_scenario(today: date) -> Json:
    """The demo municipality as scenario JSON, with every date counted back from ``today``."""
    return _DemoBuilder(today).build()


def _parties(split: Json) -> list[str]:
    """Codes of the departments with a share > 0 in a split version (scenario JSON), sorted."""
    method = split["method"]
    if method == "fixed":
        return sorted(code for code, pct in split["shares"].items() if Fraction(pct) > 0)
    if method == "equal":
        return sorted(split["departments"])
    if method == "savings":
        return sorted(code for code, kr in split["savings"].items() if Fraction(kr) > 0)
    alpha = Fraction(split.get("alpha", "0.5"))
    codes: set[str] = set()
    for weight, side in ((alpha, split["responsibility"]), (1 - alpha, split["benefit"])):
        if weight > 0:
            codes.update(code for code, points in side.items() if Fraction(points) > 0)
    return sorted(codes)


def fixed_percents(rng: random.Random, lead: str, others: list[str]) -> dict[str, str]:
    """Whole percents (or exact thirds) summing to exactly 100, the largest part on ``lead``."""
    if len(others) == 2 and rng.random() < 0.2:
        return dict(zip([lead, *others], ("33.34", "33.33", "33.33"), strict=True))
    lead_pct = rng.choice((40, 50, 60, 70, 75, 80) if len(others) == 1 else (40, 50, 60))
    cuts = sorted(rng.sample(range(5, 100 - lead_pct, 5), len(others) - 1))
    bounds = [0, *cuts, 100 - lead_pct]
    parts = [b - a for a, b in pairwise(bounds)]
    shares = {lead: str(lead_pct)}
    shares.update((code, str(part)) for code, part in zip(others, parts, strict=True))
    return shares


def split_inputs(rng: random.Random, method: str, lead: str, others: list[str]) -> Json:
    """The method-specific inputs of a split between ``lead`` and ``others`` (all share > 0)."""
    if method == "fixed":
        return {"shares": fixed_percents(rng, lead, others)}
    if method == "equal":
        return {"departments": sorted([lead, *others])}
    if method == "weighted":
        responsibility = {lead: str(rng.randint(2, 3))}
        responsibility.update((code, str(rng.randint(0, 2))) for code in others)
        benefit = {code: str(rng.randint(1, 3)) for code in [lead, *others]}
        return {"alpha": rng.choice(("0.5", "0.5", "0.7", "0.3")),
                "responsibility": responsibility, "benefit": benefit}
    return {"savings": {code: f"{rng.randrange(5000, 150001, 1000)}.00"
                        for code in [lead, *others]}}


@dataclass
class _CasePlan:
    """A case being built: its profile, lead department, team and day offsets from today."""

    profile: str
    lead: str
    team: list[str]
    consent: bool
    assessed: int
    interventions: list[Json] = field(default_factory=list)


class _DemoBuilder:
    """Draws the demo from a seeded generator; all draws happen in a fixed order, independent of
    ``today``, which only turns day offsets into dates."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.rng = random.Random(SEED)

    def build(self) -> Json:
        plans = self._plan_cases()
        counts = self._intervention_counts(len(plans))
        for plan, count in zip(plans, counts, strict=True):
            for _ in range(count):
                plan.interventions.append(self._intervention(plan))
        self._fill_queues(plans)
        cases, interventions = self._number(plans)
        coordinators = {case["ref"]: case["coordinator"] for case in cases}
        for item in interventions:
            for split in item["splits"]:
                split["proposed_by"] = coordinators[item["case"]]
                split["proposed_at"] = self._proposed_at(split)
        return {"departments": demo_departments(), "cases": cases, "interventions": interventions}

    def _proposed_at(self, split: Json) -> str:
        """The afternoon before the first answer (a draft: its first day, never after today)."""
        answers = sorted(decision["at"] for decision in split.get("decisions", ()))
        if answers:
            day = date.fromisoformat(answers[0][:10]) - timedelta(days=1)
        else:
            day = min(date.fromisoformat(split["effective_from"]), self.today)
        return f"{day.isoformat()}T14:00:00"

    # -- dates -------------------------------------------------------------------------------

    def day(self, offset: int) -> date:
        """The date ``offset`` days from today (negative is the past)."""
        return self.today + timedelta(days=offset)

    def stamp(self, offset: int) -> str:
        """An office-hours timestamp on day ``offset``, never after today."""
        hour, minute = self.rng.randint(8, 15), self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50))
        return f"{self.day(min(offset, 0)).isoformat()}T{hour:02d}:{minute:02d}:00"

    def first_of_next_month(self, offset: int) -> date:
        """The first day of the month after day ``offset``."""
        d = self.day(offset)
        return date(d.year + d.month // 12, d.month % 12 + 1, 1)

    def month_end(self, offset: int) -> date:
        """The last day of the month of day ``offset``."""
        return self.first_of_next_month(offset) - timedelta(days=1)

    # -- cases -------------------------------------------------------------------------------

    def _plan_cases(self) -> list[_CasePlan]:
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
            plans.append(_CasePlan(profile, lead, team, consent=profile != "no_consent",
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

    def _number(self, plans: list[_CasePlan]) -> tuple[list[Json], list[Json]]:
        """Journal numbers per year of assessment, intervention ids in case order."""
        cases: list[Json] = []
        interventions: list[Json] = []
        per_year: dict[int, int] = {}
        for plan in plans:
            assessed_on = self.day(plan.assessed)
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
    def _core_team(plan: _CasePlan) -> list[str]:
        """The planned team plus every department granting, paying or sharing in earnest."""
        codes = set(plan.team)
        for item in plan.interventions:
            codes.update((item["granted_by"], item["paid_by"]))
            for split in item["splits"]:
                if split["status"] in ("agreed", "proposed"):
                    codes.update(_parties(split))
        return sorted(codes)

    # -- interventions -----------------------------------------------------------------------

    def _kind(self, plan: _CasePlan) -> InterventionKind:
        if plan.profile == "single":
            kinds = [k for k in INTERVENTION_KINDS
                     if k.granted_by == plan.lead and k.paid_by == plan.lead]
            return self.rng.choice(kinds)
        kinds = [k for k in INTERVENTION_KINDS if k.granted_by in plan.team]
        weights = [3 if k.granted_by == plan.lead else 1 for k in kinds]
        return self.rng.choices(kinds, weights)[0]

    def _intervention(self, plan: _CasePlan) -> Json:
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
            splits = self._joint_splits(plan, kind, pattern, start, end)
        else:
            splits = self._lone_splits(plan, kind, start)
        amount = rng.randrange(kind.low, kind.high + 1, kind.step)
        cost = {"amount": f"{amount}.00", "per": kind.per, "start": self.day(start).isoformat()}
        if end is not None:
            cost["end"] = self.month_end(end).isoformat()
        if kind.account:
            item["account"] = kind.account
        return {**item, "cost": cost, "splits": splits}

    def _others(self, plan: _CasePlan, lead: str) -> list[str]:
        pool = [code for code in plan.team if code != lead] or [
            code for code in PARTNERS[lead] if code not in plan.team]
        return self.rng.sample(pool, self.rng.randint(1, min(3, len(pool))))

    def _split(self, lead: str, others: list[str], effective: date, status: str,
               method: str | None = None, reassessed: bool = False) -> Json:
        rng = self.rng
        method = method or rng.choice(("fixed", "fixed", "equal", "weighted", "savings"))
        template = rng.choice(_RATIONALES[method])
        rationale = template.format(lead=SHORT_NAMES[lead], others=_listing(others))
        return {
            "effective_from": effective.isoformat(), "method": method, "status": status,
            **split_inputs(rng, method, lead, others),
            "rationale": self._prefix(status, reassessed) + rationale,
        }

    @staticmethod
    def _prefix(status: str, reassessed: bool) -> str:
        if not reassessed:
            return ""
        return _REASSESSED.get(status, _REASSESSMENT_PROPOSED)

    def _joint_splits(self, plan: _CasePlan, kind: InterventionKind, pattern: str,
                      start: int, end: int | None) -> list[Json]:
        """Split versions of an intervention in a case that qualifies for joint financing."""
        rng, lead = self.rng, kind.paid_by
        others = self._others(plan, lead)
        last = 0 if end is None else min(0, end)
        long_enough = kind.per != "once" and last - start >= 60
        if pattern in ("reassessed", "agreed_then_rejected") and not long_enough:
            pattern = "agreed"
        if pattern in ("pending", "agreed_then_draft") and (
                kind.per == "once" or start > -45 or (end is not None and end < 31)):
            pattern = "agreed"
        if pattern == "proposed":
            split = self._split(lead, others, self.day(start), "proposed")
            split["decisions"] = self._pending_decisions(split, lead, start)
            return [split]
        if pattern == "rejected_then_agreed":
            rejected = self._split(lead, others, self.day(start), "rejected")
            rejected["decisions"] = self._rejected_decisions(rejected, lead, plan.assessed)
            agreed = self._split(lead, others, self.day(start), "agreed")
            agreed["decisions"] = self._agreed_decisions(agreed, lead, plan.assessed + 8,
                                                         at_meeting=False)
            return [rejected, agreed]
        first = self._split(lead, others, self.day(start), "agreed")
        first["decisions"] = self._agreed_decisions(first, lead, plan.assessed,
                                                    rng.random() < 0.5)
        if pattern == "agreed":
            return [first]
        if pattern in ("reassessed", "agreed_then_rejected"):
            offset = rng.randint(start + 30, last - 1)
            effective = self._maybe_first_of_month(offset, last)
            status = "agreed" if pattern == "reassessed" else "rejected"
            if rng.random() < 0.3:
                others = self._others(plan, lead)
            second = self._split(lead, others, effective, status, reassessed=True)
            decided = (effective - self.today).days - rng.randint(2, 20)
            if status == "agreed":
                second["decisions"] = self._agreed_decisions(second, lead, decided,
                                                             rng.random() < 0.5)
            else:
                second["decisions"] = self._rejected_decisions(second, lead, decided)
            return [first, second]
        effective = self.first_of_next_month(0)
        status = "proposed" if pattern == "pending" else "draft"
        second = self._split(lead, others, effective, status, reassessed=True)
        if status == "proposed":
            second["decisions"] = self._pending_decisions(second, lead, -rng.randint(1, 14))
        return [first, second]

    def _maybe_first_of_month(self, offset: int, last: int) -> date:
        """Re-assessments usually start on the 1st; keep the drawn day when that would be late."""
        candidate = self.first_of_next_month(offset)
        if self.rng.random() < 0.6 and candidate <= self.day(last):
            return candidate
        return self.day(offset)

    def _lone_splits(self, plan: _CasePlan, kind: InterventionKind, start: int) -> list[Json]:
        """Splits outside joint financing: none, a draft, or (one department) a rejected ask."""
        rng, lead = self.rng, kind.paid_by
        choice = rng.random()
        if choice < 0.5:
            return []
        others = self._others(plan, lead)
        if plan.profile == "no_consent" or choice < 0.85:
            return [self._split(lead, others, self.day(start), "draft")]
        split = self._split(lead, others, self.day(start), "rejected")
        split["decisions"] = self._rejected_decisions(split, lead, start)
        return [split]

    # -- decisions ---------------------------------------------------------------------------

    def _approve(self, code: str, offset: int, at_meeting: bool = False) -> Json:
        by = _REPRESENTATIVES[code] if at_meeting else controller(code)
        return {"department": code, "decision": "approve", "by": by,
                "at": self.stamp(offset), "at_meeting": at_meeting}

    def _agreed_decisions(self, split: Json, lead: str, offset: int,
                          at_meeting: bool) -> list[Json]:
        """Every department with a share approves: the others' representatives at the meeting,
        or each controller within ten days of it."""
        decisions = []
        for code in _parties(split):
            if at_meeting and code != lead:
                decisions.append(self._approve(code, offset, at_meeting=True))
            else:
                decisions.append(self._approve(code, offset + self.rng.randint(0, 10)))
        return sorted(decisions, key=lambda d: d["at"])

    def _pending_decisions(self, split: Json, lead: str, offset: int) -> list[Json]:
        """The proposing department approves; at most some of the others have answered."""
        decisions = [self._approve(lead, offset)]
        others = [code for code in _parties(split) if code != lead]
        for code in others[: self.rng.randint(0, len(others) - 1)]:
            decisions.append(self._approve(code, offset + self.rng.randint(1, 5)))
        return sorted(decisions, key=lambda d: d["at"])

    @staticmethod
    def _reasons(code: str) -> tuple[str, ...]:
        own = _OWN_REJECTION_REASONS.get(code)
        return (*REJECTION_REASONS, own) if own else REJECTION_REASONS

    def _rejected_decisions(self, split: Json, lead: str, offset: int) -> list[Json]:
        """The proposing department approved; one other department rejected with a reason."""
        rejecter = self.rng.choice([code for code in _parties(split) if code != lead])
        return [
            self._approve(lead, offset),
            {"department": rejecter, "decision": "reject", "by": controller(rejecter),
             "at": self.stamp(offset + 3), "at_meeting": False,
             "reason": self.rng.choice(self._reasons(rejecter))},
        ]

    # -- controllers' queues -----------------------------------------------------------------

    def _fill_queues(self, plans: list[_CasePlan]) -> None:
        """Give every department's controller at least ``MIN_PENDING`` proposals to answer by
        adding pending re-assessments to running, agreed interventions of joint cases."""
        pending = {d.code: 0 for d in DEPARTMENTS}
        for plan in plans:
            for item in plan.interventions:
                for code in _awaiting(item["splits"]):
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
                others = sorted({*_parties(item["splits"][-1]), code} - {lead})
                proposal = self._split(lead, others, self.first_of_next_month(0), "proposed",
                                       reassessed=True)
                proposal["decisions"] = [self._approve(lead, -self.rng.randint(1, 14))]
                item["splits"].append(proposal)
                for waiting in _awaiting([proposal]):
                    pending[waiting] += 1


def _listing(codes: list[str]) -> str:
    """``Jobcentret, Dagtilbud og Hjælpemidler`` for people."""
    names = [SHORT_NAMES[code] for code in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} og {names[-1]}"


def _awaiting(splits: list[Json]) -> list[str]:
    """Departments with a share in a proposed split that have not answered it yet."""
    codes = []
    for split in splits:
        if split["status"] == "proposed":
            answered = {d["department"] for d in split.get("decisions", ())}
            codes += [code for code in _parties(split) if code not in answered]
    return codes
