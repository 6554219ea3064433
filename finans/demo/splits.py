"""Demo split versions: their inputs and rationales, and how the versions of an intervention came
about (agreed at once, re-assessed, waiting for answers, rejected, drafts)."""

from __future__ import annotations

import random
from datetime import date
from itertools import pairwise

from finans.demo.decisions import Decisions
from finans.demo.draws import Draws
from finans.demo.kinds import InterventionKind
from finans.demo.people import PARTNERS, SHORT_NAMES, Json, listing

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


def _prefix(status: str, reassessed: bool) -> str:
    if not reassessed:
        return ""
    return _REASSESSED.get(status, _REASSESSMENT_PROPOSED)


class Splits:
    """Draws the split versions of one intervention and the answers to them."""

    def __init__(self, draws: Draws) -> None:
        self.draws = draws
        self.decisions = Decisions(draws)

    def others(self, team: list[str], lead: str) -> list[str]:
        """One to three departments sharing with ``lead``: from the team, else its partners."""
        rng = self.draws.rng
        pool = [code for code in team if code != lead] or [
            code for code in PARTNERS[lead] if code not in team]
        return rng.sample(pool, rng.randint(1, min(3, len(pool))))

    def split(self, lead: str, others: list[str], effective: date, status: str,
              method: str | None = None, reassessed: bool = False) -> Json:
        rng = self.draws.rng
        method = method or rng.choice(("fixed", "fixed", "equal", "weighted", "savings"))
        template = rng.choice(_RATIONALES[method])
        rationale = template.format(lead=SHORT_NAMES[lead], others=listing(others))
        return {
            "effective_from": effective.isoformat(), "method": method, "status": status,
            **split_inputs(rng, method, lead, others),
            "rationale": _prefix(status, reassessed) + rationale,
        }

    def joint(self, team: list[str], assessed: int, kind: InterventionKind, pattern: str,
              start: int, end: int | None) -> list[Json]:
        """Split versions of an intervention in a case that qualifies for joint financing."""
        draws, decide = self.draws, self.decisions
        rng, lead = draws.rng, kind.paid_by
        others = self.others(team, lead)
        last = 0 if end is None else min(0, end)
        long_enough = kind.per != "once" and last - start >= 60
        if pattern in ("reassessed", "agreed_then_rejected") and not long_enough:
            pattern = "agreed"
        if pattern in ("pending", "agreed_then_draft") and (
                kind.per == "once" or start > -45 or (end is not None and end < 31)):
            pattern = "agreed"
        if pattern == "proposed":
            split = self.split(lead, others, draws.day(start), "proposed")
            split["decisions"] = decide.pending(split, lead, start)
            return [split]
        if pattern == "rejected_then_agreed":
            rejected = self.split(lead, others, draws.day(start), "rejected")
            rejected["decisions"] = decide.rejected(rejected, lead, assessed)
            agreed = self.split(lead, others, draws.day(start), "agreed")
            agreed["decisions"] = decide.agreed(agreed, lead, assessed + 8, at_meeting=False)
            return [rejected, agreed]
        first = self.split(lead, others, draws.day(start), "agreed")
        first["decisions"] = decide.agreed(first, lead, assessed, rng.random() < 0.5)
        if pattern == "agreed":
            return [first]
        if pattern in ("reassessed", "agreed_then_rejected"):
            offset = rng.randint(start + 30, last - 1)
            effective = self._maybe_first_of_month(offset, last)
            status = "agreed" if pattern == "reassessed" else "rejected"
            if rng.random() < 0.3:
                others = self.others(team, lead)
            second = self.split(lead, others, effective, status, reassessed=True)
            decided = (effective - draws.today).days - rng.randint(2, 20)
            if status == "agreed":
                second["decisions"] = decide.agreed(second, lead, decided, rng.random() < 0.5)
            else:
                second["decisions"] = decide.rejected(second, lead, decided)
            return [first, second]
        effective = draws.first_of_next_month(0)
        status = "proposed" if pattern == "pending" else "draft"
        second = self.split(lead, others, effective, status, reassessed=True)
        if status == "proposed":
            second["decisions"] = decide.pending(second, lead, -rng.randint(1, 14))
        return [first, second]

    def _maybe_first_of_month(self, offset: int, last: int) -> date:
        """Re-assessments usually start on the 1st; keep the drawn day when that would be late."""
        candidate = self.draws.first_of_next_month(offset)
        if self.draws.rng.random() < 0.6 and candidate <= self.draws.day(last):
            return candidate
        return self.draws.day(offset)

    def lone(self, team: list[str], consent: bool, kind: InterventionKind,
             start: int) -> list[Json]:
        """Splits outside joint financing: none, a draft, or (one department) a rejected ask."""
        rng, lead = self.draws.rng, kind.paid_by
        choice = rng.random()
        if choice < 0.5:
            return []
        others = self.others(team, lead)
        if not consent or choice < 0.85:
            return [self.split(lead, others, self.draws.day(start), "draft")]
        split = self.split(lead, others, self.draws.day(start), "rejected")
        split["decisions"] = self.decisions.rejected(split, lead, start)
        return [split]
