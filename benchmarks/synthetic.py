"""A large synthetic municipality as scenario JSON (docs/scenario.md), for benchmarks and load
tests.

The same seed and sizes always give the same scenario. Interventions run over ``months`` months
from ``start`` (mostly monthly or yearly costs, some weekly and one-off, open-ended or ending); each
has 1–4 split versions (mostly agreed; re-assessments fall mid-month so months are split between
versions), each version shared by 2–4 departments with one of the four methods. Interventions under
Barnets lov and Serviceloven count towards the state refund, at the 2022 rates every year.

    python benchmarks/synthetic.py OUT.json [--seed 1] [--cases 5000] [--interventions 20000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from typing import Any

from finans.demo.decisions import REJECTION_REASONS
from finans.demo.kinds import INTERVENTION_KINDS
from finans.demo.people import (
    DEPARTMENTS,
    PARTNERS,
    SURNAMES,
    caseworker,
    controller,
    demo_departments,
)
from finans.demo.splits import split_inputs

Json = dict[str, Any]

_CODES = [d.code for d in DEPARTMENTS]
_LEAD_WEIGHTS = [14 if code == "BFH" else 3 for code in _CODES]
_PER_WEIGHTS = {"month": 4, "year": 4, "week": 1, "once": 1}
"""Mostly monthly and yearly costs, some weekly and one-off."""
_KINDS_BY_GRANTER = {code: [k for k in INTERVENTION_KINDS if k.granted_by == code]
                     for code in _CODES}
_KIND_WEIGHTS = {code: [_PER_WEIGHTS[k.per] for k in kinds]
                 for code, kinds in _KINDS_BY_GRANTER.items()}
_METHODS = ("fixed", "equal", "weighted", "savings")
_METHOD_WEIGHTS = (40, 20, 25, 15)
_VERSION_COUNTS = (1, 2, 3, 4)
_VERSION_WEIGHTS = (50, 30, 14, 6)
_FIRST_STATUSES = (("agreed", 85), ("proposed", 7), ("rejected", 5), ("draft", 3))
_LATER_STATUSES = (("agreed", 75), ("proposed", 12), ("rejected", 8), ("draft", 5))
_RATIONALES = {
    "fixed": "Faste andele efter ansvar i sagen.",
    "equal": "Lige deling mellem de deltagende afdelinger.",
    "weighted": "Vægtet efter ansvar og gevinst.",
    "savings": "Fordelt efter forventede besparelser.",
}
_REFUNDABLE_LAWS = ("Barnets lov", "Serviceloven")
"""The laws whose interventions count towards the state refund for expensive cases."""
_REFUND_RATES = {"thresholds": ["860000", "1680000", "2120000"], "percents": ["25", "50", "75"]}
"""The statutory thresholds and percents at 2022 level, used for every year of the scenario."""
_MAX_TAIL_DAYS = 1000
"""Ends and drawn re-assessment days may fall this far after the last start day."""
_MAX_LEAD_DAYS = 30
"""Decisions may fall this far before an intervention's start."""


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class _Generator:
    """Draws the scenario from one seeded generator in a fixed order."""

    def __init__(self, seed: int, start: date, months: int) -> None:
        self.rng = random.Random(seed)
        self.days = (add_months(start, months) - start).days
        first = start - timedelta(days=_MAX_LEAD_DAYS)
        self.iso = [(first + timedelta(days=n)).isoformat()
                    for n in range(self.days + _MAX_LEAD_DAYS + _MAX_TAIL_DAYS)]

    def date(self, day: int) -> str:
        """ISO text of day number ``day`` (0 is ``start``)."""
        return self.iso[day + _MAX_LEAD_DAYS]

    def stamp(self, day: int) -> str:
        hour, minute = self.rng.randint(8, 15), self.rng.randrange(0, 60, 5)
        return f"{self.date(day)}T{hour:02d}:{minute:02d}:00"

    def cases(self, count: int) -> list[tuple[Json, list[str], int]]:
        """Cases in order of assessment with their teams (lead first) and assessment day."""
        rng, drafted = self.rng, []
        for _ in range(count):
            lead = rng.choices(_CODES, _LEAD_WEIGHTS)[0]
            team = [lead, *rng.sample(PARTNERS[lead], rng.randint(1, min(3, len(PARTNERS[lead]))))]
            drafted.append((rng.randrange(0, max(1, self.days - 30)), lead, team,
                            rng.random() < 0.9))
        drafted.sort(key=lambda item: item[0])
        width = max(4, len(str(count)))
        per_year: dict[str, int] = {}
        result = []
        for assessed, lead, team, consent in drafted:
            year = self.date(assessed)[:4]
            per_year[year] = per_year.get(year, 0) + 1
            case = {
                "ref": f"S-{year}-{per_year[year]:0{width}d}",
                "family": f"Familie {rng.choice(SURNAMES)}", "coordinator": caseworker(lead),
                "consent": consent, "assessed_on": self.date(assessed),
                "core_team": sorted(team),
            }
            result.append((case, team, assessed))
        return result

    def intervention(self, number: int, case: Json, team: list[str], assessed: int) -> Json:
        rng = self.rng
        granter = team[0] if rng.random() < 0.6 else rng.choice(team)
        kind = rng.choices(_KINDS_BY_GRANTER[granter], _KIND_WEIGHTS[granter])[0]
        start = min(assessed + rng.randrange(0, 60), self.days - 1)
        end = None
        cost = {"amount": f"{rng.randrange(kind.low, kind.high + 1, kind.step)}.00",
                "per": kind.per, "start": self.date(start)}
        if kind.per != "once" and rng.random() < 0.4:
            end = start + rng.randrange(60, 730)
            cost["end"] = self.date(end)
        account = {"account": kind.account} if kind.account else {}
        return {
            "id": f"I-{number}", "case": case["ref"], "title": kind.title,
            "legal_basis": kind.legal_basis, "granted_by": kind.granted_by,
            "paid_by": kind.paid_by, "cost": cost, **account,
            "splits": self.splits(kind.paid_by, team, kind.per, start, end),
            "refundable": kind.legal_basis.startswith(_REFUNDABLE_LAWS),
        }

    def splits(self, lead: str, team: list[str], per: str, start: int,
               end: int | None) -> list[Json]:
        """1–4 versions; later ones start mid-month, at least six weeks after the previous."""
        rng = self.rng
        count = 1 if per == "once" else rng.choices(_VERSION_COUNTS, _VERSION_WEIGHTS)[0]
        limit = end if end is not None else self.days
        versions, day, statuses = [], start, _FIRST_STATUSES
        for _ in range(count):
            if day > limit:
                break
            versions.append(self.split(lead, team, day, statuses))
            statuses = _LATER_STATUSES
            later = day + rng.randrange(45, 240)
            day = later - int(self.date(later)[8:10]) + rng.randint(5, 25)
        return versions

    def split(self, lead: str, team: list[str], day: int,
              statuses: tuple[tuple[str, int], ...]) -> Json:
        rng = self.rng
        status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
        method = rng.choices(_METHODS, _METHOD_WEIGHTS)[0]
        pool = [code for code in team if code != lead]
        if len(pool) < 3:
            pool += [code for code in PARTNERS[lead] if code not in pool and code != lead]
        others = rng.sample(pool, rng.randint(1, min(3, len(pool))))
        split = {"effective_from": self.date(day), "method": method, "status": status,
                 **split_inputs(rng, method, lead, others), "rationale": _RATIONALES[method]}
        decided = day - rng.randint(0, 14)
        if status == "agreed":
            split["decisions"] = [self.approve(code, decided) for code in sorted([lead, *others])]
        elif status == "proposed":
            split["decisions"] = [self.approve(lead, decided)]
        elif status == "rejected":
            rejecter = rng.choice(others)
            split["decisions"] = [
                self.approve(lead, decided),
                {"department": rejecter, "decision": "reject", "by": controller(rejecter),
                 "at": self.stamp(decided + 2), "at_meeting": False,
                 "reason": rng.choice(REJECTION_REASONS)},
            ]
        return split

    def approve(self, code: str, day: int) -> Json:
        return {"department": code, "decision": "approve", "by": controller(code),
                "at": self.stamp(day), "at_meeting": False}


def generate(seed: int = 1, cases: int = 5000, interventions: int = 20000,
             start: date = date(2024, 1, 1), months: int = 36) -> Json:
    """A synthetic scenario with exactly ``cases`` cases and ``interventions`` interventions.

    Every case gets one intervention before any gets a second (when there are enough).
    """
    generator = _Generator(seed, start, months)
    drafted = generator.cases(cases)
    counts = [0] * cases
    for index in range(interventions):
        counts[index if index < cases else generator.rng.randrange(cases)] += 1
    result: list[Json] = []
    for (case, team, assessed), count in zip(drafted, counts, strict=True):
        for _ in range(count):
            result.append(generator.intervention(len(result) + 1, case, team, assessed))
    last = add_months(start, months) - timedelta(days=1)
    years = {str(year): _REFUND_RATES for year in range(start.year, last.year + 1)}
    return {"departments": demo_departments(), "cases": [case for case, _, _ in drafted],
            "interventions": result, "refund": {"years": years}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Skriv et syntetisk scenarie som JSON.")
    parser.add_argument("out", help="output file (scenario JSON)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--interventions", type=int, default=20000)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1))
    parser.add_argument("--months", type=int, default=36)
    args = parser.parse_args(argv)
    scenario = generate(args.seed, args.cases, args.interventions, args.start, args.months)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(scenario, out, ensure_ascii=False)
    print(f"{len(scenario['cases'])} sager og {len(scenario['interventions'])} indsatser "
          f"skrevet til {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
