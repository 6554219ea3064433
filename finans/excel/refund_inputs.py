"""The ``Refusionssatser`` sheet's cells → the scenario's ``refund`` (its yearly rates).

One row per year: År, three thresholds in kroner and three percents. The sheet becomes
``{"years": {"2026": {"thresholds": [...], "percents": [...]}}}``, each value's cell remembered, so
the engine's own checks of the rates are reported at the cells. Whether the one importing may
change rates is the load's business, not the reader's.
"""

from __future__ import annotations

from typing import Any

from finans.excel import layout
from finans.excel.cells import read_number
from finans.excel.collector import Collector, at
from finans.excel.inputs import InputSheet

TIERS = ("1", "2", "3")


def _number(collector: Collector, cell: Any, key: str, path: str, *, percent: bool) -> str | None:
    header = layout.REFUND_RATES.column(key).header
    value = collector.read(cell, lambda raw: read_number(raw, percent=percent), header,
                           path=path, required=True)
    return None if value is None else format(value, "f")


def read_refund_rates(sheet: InputSheet, collector: Collector) -> dict[str, Any]:
    """``Refusionssatser`` rows as the scenario's ``refund``; a year twice is a problem."""
    collector.map("refund", f"{sheet.name}!A1")
    collector.map("refund.years", f"{sheet.name}!A1")
    years: dict[str, Any] = {}
    header = layout.REFUND_RATES.column("year").header
    for cells in sheet.each():
        year_cell = cells["year"]
        number = collector.read(year_cell, read_number, header, required=True)
        if number is None:
            continue
        if number != number.to_integral_value() or not 1 <= number <= 9999:
            collector.problem("bad_value", f"Året skal være et helt tal, fx 2026 ({header})",
                              year_cell.where)
            continue
        key = str(int(number))
        if key in years:
            message = f"År {key} står mere end én gang i arket {sheet.name}"
            collector.problem("duplicate_year", message, year_cell.where)
            continue
        path = at("refund.years", key)
        collector.map(path, year_cell)
        years[key] = {
            "thresholds": [
                _number(collector, cells[f"threshold_{tier}"], f"threshold_{tier}",
                        f"{path}.thresholds[{index}]", percent=False)
                for index, tier in enumerate(TIERS)
            ],
            "percents": [
                _number(collector, cells[f"percent_{tier}"], f"percent_{tier}",
                        f"{path}.percents[{index}]", percent=True)
                for index, tier in enumerate(TIERS)
            ],
        }
    return {"years": years}
