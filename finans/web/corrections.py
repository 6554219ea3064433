"""Warnings for changes that reach into months closed for postings: what the correction moves."""

from __future__ import annotations

from finans.formatting import format_money
from finans.services.closing import CorrectionPreview, month_label


def amounts(correction: CorrectionPreview) -> str:
    """``BFH −1.234,50 kr., JOB 1.234,50 kr.`` (positive: the department bears more)."""
    return ", ".join(f"{code} {format_money(amount)}"
                     for code, amount in correction.departments.items())


def split_warning(correction: CorrectionPreview, *, agreed: bool) -> str:
    """The warning when a split version takes effect in a closed month."""
    through, posted_in = month_label(correction.closed_through), month_label(correction.posted_in)
    when = "Den er aftalt, så forskellen" if agreed else "Når den er aftalt, bogføres forskellen"
    verb = " bogføres" if agreed else ""
    return (
        f"Fordelingen gælder fra en måned, der er lukket for bogføring (lukket til og med "
        f"{through}). {when}{verb} som efterregulering i {posted_in}: {amounts(correction)}."
    )


def intervention_warning(correction: CorrectionPreview) -> str:
    """The warning when an intervention's cost or dates change what closed months give."""
    return (
        f"Ændringen rammer måneder, der er lukket for bogføring (lukket til og med "
        f"{month_label(correction.closed_through)}). Forskellen bogføres som efterregulering i "
        f"{month_label(correction.posted_in)}: {amounts(correction)}."
    )
