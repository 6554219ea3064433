"""The dashboard's figures as a small workbook: the ``Oversigt`` sheet and the department table.

``Oversigt`` has the controller workbook's layout (docs/workbook.md: Afdeling, Beløb, Andel % with a
native pie chart in the departments' colours), written with the Excel package's sheet writer and
layout so the two cannot drift apart. ``Budgetopfølgning`` holds the dashboard's table per
department. Both are computed sheets: an import ignores them.
"""

from __future__ import annotations

from typing import IO

from openpyxl import Workbook

from finans.excel.layout import Column, SheetLayout
from finans.excel.writer import SheetWriter, kroner, write_summary
from finans.services.dashboard import Figures

FOLLOW_UP = SheetLayout(
    "Budgetopfølgning",
    (
        Column("department", "Afdeling", 10),
        Column("name", "Navn", 38),
        Column("allocated", "Fordelt i perioden", 18, "amount"),
        Column("paid", "Betalt til leverandører", 18, "amount"),
        Column("net", "Netto afregning", 18, "amount"),
        Column("budget", "Budget", 18, "amount"),
        Column("spent", "Forbrug til dato", 18, "amount"),
        Column("forecast", "Prognose for året", 18, "amount"),
        Column("joint_cases", "Sager i fælles finansiering", 14, "number"),
        Column("eligible_without_split", "Berettigede uden aftalt fordeling", 14, "number"),
        Column("pending", "Afventer godkendelse", 14, "number"),
    ),
    imported=False,
)


def _follow_up(workbook: Workbook, figures: Figures) -> None:
    sheet = SheetWriter(workbook, FOLLOW_UP)
    for row in figures.departments:
        sheet.append((
            row.code,
            row.name,
            kroner(row.allocated),
            kroner(row.paid),
            kroner(row.net),
            None if row.budget is None else kroner(row.budget),
            kroner(row.spent),
            kroner(row.forecast),
            row.joint_cases,
            row.eligible_without_split,
            row.pending,
        ))
    sheet.as_table()


def write_overview_workbook(target: IO[bytes], figures: Figures, label: str) -> None:
    """Write the overview of one period (``label`` names it, e.g. ``2. kvartal 2026``)."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "finans"
    workbook.properties.title = f"Overblik {label}"
    title = f"Fordelt pr. afdeling, {label}"
    write_summary(workbook, dict(figures.pie()), figures.total, title)
    _follow_up(workbook, figures)
    workbook.save(target)
