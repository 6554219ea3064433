"""What a load of records reports, and what it is given beside the records.

:class:`LoadReport` says per kind of record what a load creates, changes and leaves alone, and every
problem; :class:`Extras` carries what a dump or a workbook holds beyond the engine's records (who
proposed a version and when, a department's ``active``, a version's id).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import SQLModel

from finans.allocation.problems import Problem
from finans.store.mapping import Json

KINDS = ("departments", "cases", "interventions", "splits")
KIND_NAMES = {
    "departments": "Afdelinger",
    "cases": "Sager",
    "interventions": "Indsatser",
    "splits": "Fordelinger",
}
"""Danish names of the kinds of record, for people."""


@dataclass(frozen=True, slots=True)
class Change:
    """A record that would change (or changed), and which of its fields."""

    key: str
    fields: tuple[str, ...]


@dataclass(slots=True)
class KindReport:
    """What a load does to one kind of record; keys as people know them."""

    created: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_dict(self) -> Json:
        return {
            "created": list(self.created),
            "changed": [{"key": c.key, "fields": list(c.fields)} for c in self.changed],
            "unchanged": len(self.unchanged),
        }


@dataclass(slots=True)
class LoadReport:
    """The outcome of a load: per kind what is created, changed and unchanged, and the problems.

    ``applied`` is true only when the changes were committed; with problems nothing is.
    """

    departments: KindReport = field(default_factory=KindReport)
    cases: KindReport = field(default_factory=KindReport)
    interventions: KindReport = field(default_factory=KindReport)
    splits: KindReport = field(default_factory=KindReport)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    def kind(self, name: str) -> KindReport:
        report: KindReport = getattr(self, name)
        return report

    @property
    def changes(self) -> int:
        """How many records are created or changed."""
        return sum(len(self.kind(k).created) + len(self.kind(k).changed) for k in KINDS)

    def as_dict(self) -> Json:
        return {
            **{kind: self.kind(kind).as_dict() for kind in KINDS},
            "problems": [problem.as_dict() for problem in self.problems],
            "applied": self.applied,
        }


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
    """

    active: Mapping[str, bool] | None = None
    proposals: Mapping[tuple[str, int], Proposal] = field(default_factory=dict)
    split_ids: Mapping[tuple[str, int], int] = field(default_factory=dict)


Locate = Callable[[str, int, int | None], str]
"""Where a record came from, for problems: (kind, index in the scenario, version index or None)."""


def json_location(kind: str, index: int, split: int | None = None) -> str:
    """``departments[0]``, ``interventions[2]``, ``interventions[2].splits[1]``."""
    if split is None:
        return f"{kind}[{index}]"
    return f"interventions[{index}].splits[{split}]"


def differences(row: SQLModel, columns: Mapping[str, object]) -> list[str]:
    """The columns whose stored value differs from the one given."""
    return [name for name, value in columns.items() if getattr(row, name) != value]
