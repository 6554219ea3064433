"""The departments' answers to demo split versions: approvals at the meeting or afterwards,
proposals still waiting, and rejections with a reason."""

from __future__ import annotations

from fractions import Fraction

from finans.demo.draws import Draws
from finans.demo.people import REPRESENTATIVES, Json, controller

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


def parties(split: Json) -> list[str]:
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


def awaiting(splits: list[Json]) -> list[str]:
    """Departments with a share in a proposed split that have not answered it yet."""
    codes = []
    for split in splits:
        if split["status"] == "proposed":
            answered = {d["department"] for d in split.get("decisions", ())}
            codes += [code for code in parties(split) if code not in answered]
    return codes


def _reasons(code: str) -> tuple[str, ...]:
    own = _OWN_REJECTION_REASONS.get(code)
    return (*REJECTION_REASONS, own) if own else REJECTION_REASONS


class Decisions:
    """Draws the answers of the departments with a share in a version."""

    def __init__(self, draws: Draws) -> None:
        self.draws = draws

    def approve(self, code: str, offset: int, at_meeting: bool = False) -> Json:
        by = REPRESENTATIVES[code] if at_meeting else controller(code)
        return {"department": code, "decision": "approve", "by": by,
                "at": self.draws.stamp(offset), "at_meeting": at_meeting}

    def agreed(self, split: Json, lead: str, offset: int, at_meeting: bool) -> list[Json]:
        """Every department with a share approves: the others' representatives at the meeting,
        or each controller within ten days of it."""
        decisions = []
        for code in parties(split):
            if at_meeting and code != lead:
                decisions.append(self.approve(code, offset, at_meeting=True))
            else:
                decisions.append(self.approve(code, offset + self.draws.rng.randint(0, 10)))
        return sorted(decisions, key=lambda d: d["at"])

    def pending(self, split: Json, lead: str, offset: int) -> list[Json]:
        """The proposing department approves; at most some of the others have answered."""
        rng = self.draws.rng
        decisions = [self.approve(lead, offset)]
        others = [code for code in parties(split) if code != lead]
        for code in others[: rng.randint(0, len(others) - 1)]:
            decisions.append(self.approve(code, offset + rng.randint(1, 5)))
        return sorted(decisions, key=lambda d: d["at"])

    def rejected(self, split: Json, lead: str, offset: int) -> list[Json]:
        """The proposing department approved; one other department rejected with a reason."""
        rng = self.draws.rng
        rejecter = rng.choice([code for code in parties(split) if code != lead])
        return [
            self.approve(lead, offset),
            {"department": rejecter, "decision": "reject", "by": controller(rejecter),
             "at": self.draws.stamp(offset + 3), "at_meeting": False,
             "reason": rng.choice(_reasons(rejecter))},
        ]
