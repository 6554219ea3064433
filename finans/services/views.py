"""What the services hand back: the scenario JSON of a record (docs/scenario.md) plus what a screen
or an API client needs to act on it — its ``version`` for the next save, a split's row ``id``,
resolved shares and which departments have still to answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar, overload

from finans.store import models
from finans.store.mapping import (
    Json,
    case_json,
    department_json,
    intervention_json,
    parties,
    split_json,
)
from finans.store.rows import CaseRow, DecisionRow, InterventionRow, SplitRow

KeyT = TypeVar("KeyT")


def department_view(row: models.Department) -> Json:
    return {**department_json(row), "version": row.version}


def case_view(row: CaseRow, core_team: Sequence[str]) -> Json:
    return {**case_json(row, core_team), "version": row.version}


def awaiting(row: SplitRow, decisions: Sequence[DecisionRow]) -> list[str]:
    """Departments with a share that have not answered a proposed version yet."""
    if row.status != "proposed":
        return []
    answered = {decision.department for decision in decisions}
    return [code for code in parties(row) if code not in answered]


def split_view(row: SplitRow, decisions: Sequence[DecisionRow], intervention: str) -> Json:
    """The split's JSON with ``id``, ``intervention``, ``version``, ``resolved`` shares as
    fraction text and the departments it is ``awaiting``."""
    return {
        **split_json(row, decisions),
        "id": row.id,
        "intervention": intervention,
        "version": row.version,
        "resolved": dict(sorted(row.shares.items())),
        "awaiting": awaiting(row, decisions),
    }


def intervention_view(row: InterventionRow, case_ref: str, splits: list[Json]) -> Json:
    return {**intervention_json(row, case_ref, splits), "version": row.version}


class Listing(Sequence[Json], Generic[KeyT]):
    """The views of many records in a fixed order, built only for the part that is asked for.

    It holds each record's key; a slice reads the rows of its keys in a few queries whatever its
    length, so a page of a list of 20,000 interventions costs what the page holds.
    """

    def __init__(self, keys: list[KeyT], views: Callable[[list[KeyT]], list[Json]]) -> None:
        self._keys = keys
        self._views = views

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Json: ...

    @overload
    def __getitem__(self, index: slice) -> list[Json]: ...

    def __getitem__(self, index: int | slice) -> Json | list[Json]:
        if isinstance(index, slice):
            return self._views(self._keys[index])
        return self._views([self._keys[index]])[0]

    def __iter__(self) -> Iterator[Json]:
        return iter(self[:])
