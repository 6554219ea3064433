"""What the services hand back: the scenario JSON of a record (design §5) plus what a screen or an
API client needs to act on it — its ``version`` for the next save, a split's row ``id``, resolved
shares and which departments have still to answer."""

from __future__ import annotations

from collections.abc import Sequence

from finans.store import models
from finans.store.mapping import (
    Json,
    case_json,
    department_json,
    intervention_json,
    parties,
    split_json,
)


def department_view(row: models.Department) -> Json:
    return {**department_json(row), "version": row.version}


def case_view(row: models.Case, core_team: Sequence[str]) -> Json:
    return {**case_json(row, core_team), "version": row.version}


def awaiting(row: models.SplitVersion, decisions: Sequence[models.Decision]) -> list[str]:
    """Departments with a share that have not answered a proposed version yet."""
    if row.status != "proposed":
        return []
    answered = {decision.department for decision in decisions}
    return [code for code in parties(row) if code not in answered]


def split_view(
    row: models.SplitVersion, decisions: Sequence[models.Decision], intervention: str
) -> Json:
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


def intervention_view(row: models.Intervention, case_ref: str, splits: list[Json]) -> Json:
    return {**intervention_json(row, case_ref, splits), "version": row.version}
