"""Interventions and their cost schedules: caseworkers on the case create and edit them.

Split versions are not edited here but through :mod:`finans.services.splits`, which keeps their
workflow.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from sqlmodel import Session, col, select

from finans.allocation.engine import collector_paused
from finans.allocation.legal_basis import refundable_by_default
from finans.allocation.problems import Problem
from finans.allocation.validation import parse_intervention
from finans.services import audit, lookup, versions
from finans.services.actor import Actor
from finans.services.errors import ServiceError, problem
from finans.services.policy import Action, everywhere, parties, permits, require
from finans.services.transactions import atomic
from finans.services.views import InterventionView, Listing, intervention_view, split_view
from finans.store import models
from finans.store.mapping import Json, cost_json, intervention_columns
from finans.store.rows import InterventionRow, SplitRow, columns, fetch, fetch_where_in

ENTITY = "intervention"
_NUMBERED = re.compile(r"I-([0-9]+)")


def _with_splits(
    session: Session, rows: Sequence[InterventionRow], refs: Mapping[int, str]
) -> list[InterventionView]:
    """Views of interventions with their split versions, read in two queries for a page (a few
    more for thousands); ``refs`` maps case row ids to journal numbers."""
    query = columns(models.SplitVersion).order_by(
        col(models.SplitVersion.effective_from), col(models.SplitVersion.id)
    )
    ids = [row.id for row in rows]
    splits: dict[int | None, list[SplitRow]] = defaultdict(list)
    for split in fetch_where_in(session, query, models.SplitVersion.intervention_id, ids):
        splits[split.intervention_id].append(split)
    decisions = lookup.decisions_by_split(
        session, [split.id or 0 for group in splits.values() for split in group]
    )
    return [
        intervention_view(row, refs[row.case_id], [
            split_view(split, decisions.get(split.id or 0, []), row.public_id)
            for split in splits.get(row.id, [])
        ])
        for row in rows
    ]


def _view(session: Session, row: models.Intervention, case_ref: str) -> InterventionView:
    return _with_splits(session, [row], {row.case_id: case_ref})[0]


Key = tuple[int, int, str]
"""What a listing holds of an intervention: its row id, its case's row id and journal number."""


def _views(session: Session, keys: list[Key]) -> list[InterventionView]:
    """Views of the interventions with these keys, in their order: three queries for a page."""
    ids = [row_id for row_id, _, _ in keys]
    query = columns(models.Intervention)
    rows = {row.id: row for row in fetch_where_in(session, query, models.Intervention.id, ids)}
    refs = {case_id: ref for _, case_id, ref in keys}
    return _with_splits(session, [rows[row_id] for row_id, _, _ in keys], refs)


@collector_paused()
def listing(
    session: Session, *, actor: Actor, case: str | None = None
) -> Listing[Key, InterventionView]:
    """The interventions the actor may see (of one case, if given), by id (``I-2`` before
    ``I-10``), with their split versions.

    Only the order and who may see what are read up front (with the garbage collector paused
    over the many small tuples); a slice reads just its own rows, so a page of a large
    municipality is quick.
    """
    teams = lookup.core_teams(session)
    case_query = select(models.Case.id, models.Case.ref, models.Case.coordinator)
    query = select(
        models.Intervention.id, models.Intervention.public_id, models.Intervention.case_id
    ).order_by(col(models.Intervention.id))
    if case is not None:
        only = lookup.case(session, case)
        case_query = case_query.where(models.Case.id == only.id)
        query = query.where(models.Intervention.case_id == only.id)
    cases = {row.id: row for row in fetch(session, case_query)}
    sees_all = everywhere(actor, Action.READ_CASE)
    visible = sorted(
        (
            (row_id or 0, public_id, case_id)
            for row_id, public_id, case_id in session.exec(query)
            if sees_all or permits(actor, Action.READ_CASE, case=parties(
                cases[case_id].ref, cases[case_id].coordinator, teams.get(case_id, [])
            ))
        ),
        key=lambda key: lookup.natural_key(key[1]),
    )
    refs = {case_id: row.ref for case_id, row in cases.items()}
    keys = [(row_id, case_id, refs[case_id]) for row_id, _, case_id in visible]
    return Listing(keys, lambda chosen: _views(session, chosen))


def list_interventions(
    session: Session, *, actor: Actor, case: str | None = None
) -> list[InterventionView]:
    """The interventions the actor may see (of one case, if given), by id (``I-2`` before
    ``I-10``), with their split versions."""
    return listing(session, actor=actor, case=case)[:]


def get_intervention(session: Session, *, actor: Actor, id: str) -> InterventionView:
    row = lookup.intervention(session, id)
    case = lookup.case_by_id(session, row.case_id)
    require(actor, Action.READ_CASE, case=lookup.case_parties(session, case))
    return _view(session, row, case.ref)


def next_id(session: Session) -> str:
    """``I-<n>``, one above the highest number in use."""
    numbers = [
        int(match.group(1))
        for public_id in session.exec(select(models.Intervention.public_id))
        if (match := _NUMBERED.fullmatch(public_id))
    ]
    return f"I-{max(numbers, default=0) + 1}"


def _refundable(data: Mapping[str, object]) -> dict[str, object]:
    """``data`` with ``refundable`` set from the legal basis when it is ``null`` or left out
    (:mod:`finans.allocation.legal_basis`); a caseworker's own ``true``/``false`` is kept."""
    if data.get("refundable") is not None:
        return dict(data)
    basis = data.get("legal_basis")
    return {**data, "refundable": refundable_by_default(basis if isinstance(basis, str) else "")}


def _parse(session: Session, data: Mapping[str, object]) -> tuple[Json, models.Case]:
    """Validated columns and the case row of intervention JSON without splits."""
    problems = []
    if "splits" in data:
        message = "Fordelinger gemmes hver for sig som forslag, ikke sammen med indsatsen"
        problems.append(Problem("splits_separately", message, "splits"))
    ref = data.get("case")
    case = None
    if isinstance(ref, str):
        case = session.exec(select(models.Case).where(models.Case.ref == ref)).first()
    known_cases = {case.ref} if case is not None else set()
    record, parse_problems = parse_intervention(
        {key: value for key, value in data.items() if key != "splits"},
        "",
        lookup.department_codes(session),
        known_cases,
    )
    problems += parse_problems
    if record is None or case is None or problems:
        raise ServiceError(problems)
    return intervention_columns(record), case


@atomic
def create_intervention(
    session: Session, *, actor: Actor, data: Mapping[str, object]
) -> InterventionView:
    """Add an intervention from its JSON (docs/scenario.md, without splits); ``id`` is given the
    next free ``I-<n>`` when left out, and ``refundable`` the default of its legal basis."""
    data = _refundable({"id": next_id(session), **data})
    columns, case = _parse(session, data)
    require(actor, Action.EDIT_INTERVENTION, case=lookup.case_parties(session, case, involved=True))
    if session.exec(
        select(models.Intervention.id).where(models.Intervention.public_id == columns["public_id"])
    ).first():
        raise problem(
            "duplicate_intervention", f"Indsats-id'et {columns['public_id']} findes allerede", "id"
        )
    assert case.id is not None
    row = models.Intervention(**columns, case_id=case.id)
    session.add(row)
    session.flush()
    after = audit.snapshot(row, exclude={"case_id"}, case=case.ref)
    audit.record(session, actor, "create", ENTITY, row.public_id, after=after)
    versions.commit(session, label=f"Indsatsen {row.public_id}")
    return _view(session, row, case.ref)


@atomic
def update_intervention(
    session: Session, *, actor: Actor, id: str, version: int, data: Mapping[str, object]
) -> InterventionView:
    """Change the fields given in ``data``; ``cost`` is replaced as a whole when given, and
    ``refundable: null`` sets it from the (new) legal basis again."""
    row = lookup.intervention(session, id)
    case = lookup.case_by_id(session, row.case_id)
    require(actor, Action.EDIT_INTERVENTION, case=lookup.case_parties(session, case, involved=True))
    label = f"Indsatsen {id}"
    versions.check_version(session, row, version, label=label, entity=ENTITY, key=id)
    current = {
        "id": row.public_id,
        "case": case.ref,
        "title": row.title,
        "legal_basis": row.legal_basis,
        "granted_by": row.granted_by,
        "paid_by": row.paid_by,
        "cost": cost_json(row),
        "refundable": row.refundable,
    }
    merged = _refundable({**current, **data})
    if merged["id"] != id:
        raise problem("id_fixed", "Indsats-id'et kan ikke ændres", "id")
    columns, new_case = _parse(session, merged)
    if new_case.id != case.id:
        require(actor, Action.EDIT_INTERVENTION,
                case=lookup.case_parties(session, new_case, involved=True))
    before = audit.snapshot(row, exclude={"case_id"}, case=case.ref)
    for name, value in columns.items():
        setattr(row, name, value)
    assert new_case.id is not None
    row.case_id = new_case.id
    versions.flush(session, label=label, entity=ENTITY, key=id, version=version)
    after = audit.snapshot(row, exclude={"case_id"}, case=new_case.ref)
    if audit.changed_fields(before, after):
        audit.record(session, actor, "update", ENTITY, id, before, after)
    versions.commit(session, label=label)
    return _view(session, row, new_case.ref)


def refundable_by_id(session: Session) -> dict[str, bool]:
    """Every intervention's ``refundable``, by id (for imports that do not carry it)."""
    query = select(models.Intervention.public_id, models.Intervention.refundable)
    return {ident: refundable for ident, refundable in session.exec(query)}
