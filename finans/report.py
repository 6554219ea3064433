"""The calculator's Danish text report for people (``finans calc --format text``)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from finans.allocation.eligibility import UNMET_CONSENT, UNMET_DEPARTMENTS, check_eligibility
from finans.allocation.engine import Allocation, allocate
from finans.allocation.money import fraction_to_ore
from finans.allocation.problems import Problem
from finans.allocation.records import Period, Scenario
from finans.allocation.refund import refunds
from finans.allocation.settlement import SettlementMode, settle
from finans.formatting import format_amount, format_date, format_month, format_percent

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
    out += _refund_lines(scenario, allocation)
    return "\n".join(out)


def _refund_lines(scenario: Scenario, allocation: Allocation) -> list[str]:
    """The state refund per case and month, and gross, refund and net per department."""
    if not any(intervention.refundable for intervention in scenario.interventions):
        return []
    refunded = refunds(scenario, allocation)
    out = ["", "Statsrefusion i særligt dyre enkeltsager (Barnets lov § 198, Serviceloven § 176):"]
    if not refunded.refunds:
        out.append("Ingen refusion i periodens hele måneder.")
    else:
        out += _table(
            ("Sag", "Måned", "Grundlag (kr.)", "Refusion (kr.)", "Fordelt"),
            (
                (
                    refund.case,
                    format_month(refund.month),
                    format_amount(fraction_to_ore(refund.basis)),
                    format_amount(refund.amount),
                    ", ".join(f"{code} {format_amount(part)}" for code, part in refund.departments),
                )
                for refund in refunded.refunds
            ),
            {2, 3},
        )
        codes = sorted(allocation.totals.keys() | refunded.totals.keys())
        rows = [
            (
                code,
                format_amount(allocation.totals.get(code, 0)),
                format_amount(refunded.totals.get(code, 0)),
                format_amount(allocation.totals.get(code, 0) - refunded.totals.get(code, 0)),
            )
            for code in codes
        ]
        out += ["", "Udgift efter refusion:"]
        header = ("Afdeling", "Brutto (kr.)", "Refusion (kr.)", "Netto (kr.)")
        out += _table(header, rows, {1, 2, 3})
    for year in refunded.missing_years:
        out.append(f"Der mangler refusionssatser for {year}: ingen refusion beregnet for det år.")
    return out


def render_problems(problems: Iterable[Problem]) -> str:
    """One line per problem: ``where: message``."""
    lines = [f"{problem.where}: {problem.message}" for problem in problems]
    return "\n".join(["Inputtet er ugyldigt – intet er beregnet:", *lines])
