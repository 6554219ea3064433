"""The calculator's Danish text report for people (``finans calc --format text``)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from finans.allocation.eligibility import UNMET_CONSENT, UNMET_DEPARTMENTS, check_eligibility
from finans.allocation.engine import allocate
from finans.allocation.problems import Problem
from finans.allocation.records import Period, Scenario
from finans.allocation.settlement import SettlementMode, settle
from finans.formatting import format_amount, format_date, format_percent

UNMET_TEXT = {
    UNMET_DEPARTMENTS: "færre end to forvaltninger involveret",
    UNMET_CONSENT: "familiens samtykke er ikke registreret",
}


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]], right: set[int]) -> list[str]:
    """Plain aligned columns; the columns in ``right`` are right-aligned (amounts)."""
    body = [header, *rows]
    widths = [max(len(row[i]) for row in body) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in body[1:])]


def render_text(scenario: Scenario, period: Period, mode: SettlementMode = "pairwise") -> str:
    """Per-department totals with shares, transfers, unsplit interventions and eligibility."""
    allocation = allocate(scenario, period)
    names = {department.code: department.name for department in scenario.departments}
    out = [
        "Fælles finansiering – fordeling",
        f"Periode: {format_date(period.start)} – {format_date(period.end)}",
        "",
    ]
    rows = [
        (
            code,
            names.get(code, ""),
            format_amount(amount),
            format_percent(Fraction(amount, allocation.total or 1)),
        )
        for code, amount in allocation.totals.items()
    ]
    rows.append(("I alt", "", format_amount(allocation.total), format_percent(1 if rows else 0)))
    out += _table(("Afdeling", "Navn", "Beløb (kr.)", "Andel"), rows, {2, 3})
    transfers = settle(allocation, mode)
    heading = "minimalt antal overførsler" if mode == "minimal" else "parvis nettet"
    out += ["", f"Intern afregning ({heading}):"]
    if transfers:
        out += _table(
            ("Fra", "Til", "Beløb (kr.)"),
            ((t.from_, t.to, format_amount(t.amount)) for t in transfers),
            {2},
        )
    else:
        out.append("Ingen overførsler.")
    out += ["", "Indsatser uden aftalt fordeling (betales fuldt af 'betales af'):"]
    if allocation.unsplit:
        out += _table(
            ("Indsats", "Sag", "Betales af", "Dage"),
            ((u.intervention, u.case, u.paid_by, str(u.days)) for u in allocation.unsplit),
            {3},
        )
    else:
        out.append("Ingen.")
    unmet = [
        (ref, ", ".join(UNMET_TEXT[code] for code in result.unmet))
        for ref, result in check_eligibility(scenario).items()
        if not result.eligible
    ]
    out += ["", "Sager, der ikke opfylder kriterierne for fælles finansiering:"]
    out += _table(("Sag", "Mangler"), unmet, set()) if unmet else ["Ingen."]
    return "\n".join(out)


def render_problems(problems: Iterable[Problem]) -> str:
    """One line per problem: ``where: message``."""
    lines = [f"{problem.where}: {problem.message}" for problem in problems]
    return "\n".join(["Inputtet er ugyldigt – intet er beregnet:", *lines])
