"""What a load of records reports, and what it is given beside the records.

:class:`LoadReport` says per kind of record what a load creates, changes and leaves alone, and every
problem; :class:`Extras` carries what a dump or a workbook holds beyond the engine's records (who
proposed a version and when, a department's ``active``, a version's id, a refund year's note).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from pydantic import PlainSerializer, WithJsonSchema
from sqlmodel import SQLModel

from finans.allocation.problems import Problem

KINDS = ("departments", "cases", "interventions", "splits", "refund_rates")
KIND_NAMES = {
    "departments": "Afdelinger",
    "cases": "Sager",
    "interventions": "Indsatser",
    "splits": "Fordelinger",
    "refund_rates": "Refusionssatser",
}
"""Danish names of the kinds of record, for people."""


@dataclass(frozen=True, slots=True)
class ValueChange:
    """One field of a changed record: its value before and after, as the audit log records it."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class Change:
    """A record that would change (or changed): which of its fields, and each field's value
    before and after, so a dry run can show old → new."""

    key: str
    fields: tuple[str, ...]
    values: tuple[ValueChange, ...] = ()

    @classmethod
    def between(
        cls, key: str, fields: Sequence[str], before: Mapping[str, Any],
        after: Mapping[str, Any],
    ) -> Change:
        return cls(key, tuple(fields),
                   tuple(ValueChange(name, before.get(name), after.get(name)) for name in fields))


Counted = Annotated[
    list[str],
    PlainSerializer(len, return_type=int),
    WithJsonSchema({"type": "integer", "minimum": 0, "description": "How many are left alone"},
                   mode="serialization"),
]
"""Keys of records left alone; JSON tells only how many."""


@dataclass(slots=True)
class KindReport:
    """What a load does to one kind of record; keys as people know them."""

    created: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: Counted = field(default_factory=list)


@dataclass(slots=True)
class LoadReport:
    """The outcome of a load: per kind what is created, changed and unchanged, and the problems.

    ``applied`` is true only when the changes were committed; with problems nothing is.
    """

    departments: KindReport = field(default_factory=KindReport)
    cases: KindReport = field(default_factory=KindReport)
    interventions: KindReport = field(default_factory=KindReport)
    splits: KindReport = field(default_factory=KindReport)
    refund_rates: KindReport = field(default_factory=KindReport)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    def kind(self, name: str) -> KindReport:
        report: KindReport = getattr(self, name)
        return report

    @property
    def changes(self) -> int:
        """How many records are created or changed."""
        return sum(len(self.kind(k).created) + len(self.kind(k).changed) for k in KINDS)



# --- what a load is given beside the records -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proposal:
    """Who proposed a split version and when."""

    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Extras:
    """What a dump or a workbook holds that the engine's records do not.

    Attributes:
      active: department code → active; ``None`` leaves stored departments as they are (and new
        ones active).
      proposals: (intervention id, index of the version in its record) → who proposed it and when.
        Without one, the loading actor proposed it at its first decision (or now).
      split_ids: (intervention id, index of the version in its record) → the stored version it
        is (a workbook's ``Fordelings-ID``); an untrusted load matches those versions by id.
      rate_notes: year → the refund rates' ``note`` and ``statutory`` mark, as dumped.
    """

    active: Mapping[str, bool] | None = None
    proposals: Mapping[tuple[str, int], Proposal] = field(default_factory=dict)
    split_ids: Mapping[tuple[str, int], int] = field(default_factory=dict)
    rate_notes: Mapping[int, tuple[str, bool]] = field(default_factory=dict)


Locate = Callable[[str, int, int | None], str]
"""Where a record came from, for problems: (kind, index in the scenario, version index or None)."""


def json_location(kind: str, index: int, split: int | None = None) -> str:
    """``departments[0]``, ``interventions[2]``, ``interventions[2].splits[1]``;
    ``refund.years.2026`` for the refund rates (``index`` is then the year)."""
    if kind == "refund_rates":
        return f"refund.years.{index}"
    if split is None:
        return f"{kind}[{index}]"
    return f"interventions[{index}].splits[{split}]"


def differences(row: SQLModel, columns: Mapping[str, object]) -> list[str]:
    """The columns whose stored value differs from the one given."""
    return [name for name, value in columns.items() if getattr(row, name) != value]
