"""Loading the refund's yearly rates (``refund.years`` of a dump or the ``Refusionssatser`` sheet).

Each year is matched with the stored year: unchanged years pass for anyone; a new or changed year
needs the right to keep the rates (administrators), and a refusal is a problem at the year (its
row in a workbook). A year the load does not name is left alone: a load never deletes rates.
finans keeps three tiers per year. Changed amounts are no longer the statutory ones unless the
dump itself says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from finans.allocation import records
from finans.services import audit
from finans.services.loads import Change
from finans.services.policy import Action, refusal
from finans.services.refund_rates import ENTITY, rate_rows
from finans.store.mapping import TIERS, refund_rate_columns, refund_rates_record
from finans.store.refund import RefundRate

if TYPE_CHECKING:
    from finans.services.loader import Loader


class RateLoader:
    """Loads the years of one scenario for a :class:`~finans.services.loader.Loader`."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.rates = {row.year: row for row in rate_rows(loader.session)}

    def load(self, _index: int, record: records.RefundRates) -> None:
        loader = self.loader
        report = loader.report.refund_rates
        where = loader.locate("refund_rates", record.year, None)
        key = str(record.year)
        if len(record.thresholds) != TIERS:
            message = f"finans fører {TIERS} trin pr. år (tre grænser og tre procentsatser)"
            loader.problem("tier_count", message, f"{where}.thresholds")
            return
        columns = refund_rate_columns(record)
        note = loader.extras.rate_notes.get(record.year)
        row = self.rates.get(record.year)
        amounts_changed = row is None or refund_rates_record(row) != record
        changed = (
            [name for name, value in columns.items() if getattr(row, name) != value]
            if row is not None and amounts_changed else []
        )
        if row is not None and note is not None:
            changed += [name for name, value in zip(("note", "statutory"), note, strict=True)
                        if getattr(row, name) != value]
        if row is not None and not changed:
            report.unchanged.append(key)
            return
        reason = refusal(loader.actor, Action.MANAGE_REFUND_RATES)
        if reason is not None:
            loader.problem("admin_only", reason, where)
            return
        if row is None:
            text, statutory = note or ("", False)
            row = RefundRate(**columns, note=text, statutory=statutory)
            loader.session.add(row)
            self.rates[record.year] = row
            audit.record(loader.session, loader.actor, "create", ENTITY, key,
                         after=audit.snapshot(row))
            report.created.append(key)
            return
        before = audit.snapshot(row)
        for name in changed:
            if name in columns:
                setattr(row, name, columns[name])
        if note is not None:
            row.note, row.statutory = note
        elif amounts_changed:
            row.statutory = False
        loader.session.flush()
        audit.record(loader.session, loader.actor, "update", ENTITY, key, before,
                     audit.snapshot(row))
        report.changed.append(Change(key, tuple(changed)))
