"""The whole database as scenario JSON (docs/scenario.md) and back.

:func:`dump_scenario` writes departments by code, cases by journal number, interventions by id
(numbers in natural order) and each intervention's split versions by ``effective_from``, then in the
order they were made, so the same database always gives the same text. Besides the calculator's
fields a dump keeps what a restore needs: departments' ``active``, each version's ``proposed_by``
and ``proposed_at`` and its ``decisions``, and each refund year's ``note`` and ``statutory`` mark.

:func:`load_scenario` restores such a file; :func:`load_records` is the same load for records that
were read elsewhere (the controller workbook). Both match what is already stored — departments
by code, cases by journal number, interventions by id, split versions as
:mod:`finans.services.version_loader` says, refund rates by year — and report per kind what is
created, changed or left unchanged (:mod:`finans.services.loads`). A dry run is the real load
inside a transaction that is rolled back; an applied load is one transaction, all or nothing.

A *trusted* load (a dump, for administrators) writes versions with the status and decisions it
holds. An *untrusted* load (a workbook) adds new versions as proposals without decisions (drafts
stay drafts), may edit drafts and proposals, and refuses any change to agreed or rejected
versions. Both check every change against the access policy (:mod:`finans.services.loader`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from finans.allocation import records
from finans.allocation.engine import collector_paused
from finans.allocation.problems import Problem
from finans.allocation.rules import LABEL, check_text
from finans.allocation.validation import parse_scenario
from finans.services import lookup
from finans.services.actor import Actor
from finans.services.errors import Conflict
from finans.services.loader import Loader
from finans.services.loads import (
    KIND_NAMES,
    KINDS,
    Change,
    Extras,
    KindReport,
    LoadReport,
    Locate,
    Proposal,
    json_location,
)
from finans.services.policy import Action, require_somewhere
from finans.services.refund_rates import rate_rows
from finans.services.transactions import atomic
from finans.store import models
from finans.store.mapping import (
    Json,
    case_json,
    department_json,
    intervention_json,
    refund_json,
    split_json,
)
from finans.store.rows import columns, fetch
from finans.store.timestamps import from_text

__all__ = [
    "KIND_NAMES", "KINDS", "Change", "Extras", "KindReport", "LoadReport", "Proposal",
    "dump_scenario", "json_location", "load_records", "load_scenario",
]
CHANGED_MEANWHILE = (
    "Databasen blev ændret samtidig med indlæsningen, så intet er gemt. Prøv igen."
)

# --- dump ---------------------------------------------------------------------------------------


@collector_paused()
def dump_scenario(session: Session) -> Json:
    """The whole database as scenario JSON, in a fixed order (users and audit log excluded).

    Rows are read as column tuples, with the garbage collector paused (hundreds of thousands of
    small objects, none in a cycle).
    """
    teams = lookup.core_teams(session)
    departments = session.exec(select(models.Department).order_by(col(models.Department.code)))
    case_rows = sorted(
        fetch(session, columns(models.Case).order_by(col(models.Case.id))),
        key=lambda row: lookup.natural_key(row.ref),
    )
    refs = {row.id: row.ref for row in case_rows}
    splits: dict[int, list[Json]] = defaultdict(list)
    decisions = lookup.decisions_by_split(session)
    split_query = columns(models.SplitVersion).order_by(
        col(models.SplitVersion.effective_from), col(models.SplitVersion.id)
    )
    for row in fetch(session, split_query):
        splits[row.intervention_id].append(split_json(row, decisions.get(row.id, [])))
    interventions = sorted(
        fetch(session, columns(models.Intervention).order_by(col(models.Intervention.id))),
        key=lambda row: lookup.natural_key(row.public_id),
    )
    return {
        "departments": [department_json(row) for row in departments],
        "cases": [case_json(row, teams.get(row.id, [])) for row in case_rows],
        "interventions": [
            intervention_json(row, refs[row.case_id], splits.get(row.id, []))
            for row in interventions
        ],
        "refund": refund_json(rate_rows(session)),
    }


# --- what a dump carries beyond the records -----------------------------------------------------


def _extras(data: Mapping[str, Any]) -> tuple[Extras, list[Problem]]:
    """``active`` flags and proposal metadata of valid scenario JSON."""
    active = {
        item["code"]: item.get("active", True) is not False for item in data["departments"]
    }
    proposals: dict[tuple[str, int], Proposal] = {}
    problems = []
    for i, intervention in enumerate(data["interventions"]):
        for j, split in enumerate(intervention.get("splits") or []):
            by, at = split.get("proposed_by"), split.get("proposed_at")
            if by is None and at is None:
                continue
            where = json_location("interventions", i, j)
            if not isinstance(by, str):
                message = "Skal være tekst (brugernavnet på den, der foreslog fordelingen)"
                problems.append(Problem("wrong_type", message, f"{where}.proposed_by"))
                continue
            try:
                moment = from_text(at) if isinstance(at, str) else None
            except ValueError:
                moment = None
            if moment is None:
                message = "Skal være et tidspunkt på formen ÅÅÅÅ-MM-DDTtt:mm:ss"
                problems.append(Problem("bad_timestamp", message, f"{where}.proposed_at"))
                continue
            proposals[(intervention["id"], j)] = Proposal(by, moment)
    notes, note_problems = _rate_notes(data.get("refund"))
    return Extras(active=active, proposals=proposals, rate_notes=notes), problems + note_problems


def _rate_notes(refund: object) -> tuple[dict[int, tuple[str, bool]], list[Problem]]:
    """``note`` and ``statutory`` of each year of valid ``refund`` JSON, where given."""
    notes: dict[int, tuple[str, bool]] = {}
    problems = []
    years = refund.get("years", {}) if isinstance(refund, Mapping) else {}
    for key, year in years.items():
        if not isinstance(year, Mapping) or ("note" not in year and "statutory" not in year):
            continue
        note, statutory = year.get("note", ""), year.get("statutory", False)
        where = f"refund.years.{key}"
        if not isinstance(note, str):
            problems.append(Problem("wrong_type", "Skal være tekst", f"{where}.note"))
        elif not isinstance(statutory, bool):
            problems.append(Problem("wrong_type", "Skal være true eller false",
                                    f"{where}.statutory"))
        else:
            problems += check_text(note, f"{where}.note", LABEL)
            notes[int(key)] = (note, statutory)
    return notes, problems


def load_scenario(
    session: Session, *, actor: Actor, data: object, apply: bool = False
) -> LoadReport:
    """Restore scenario JSON (a dump): validate it, then load it as trusted records."""
    scenario, problems = parse_scenario(data)
    if scenario is None:
        return LoadReport(problems=problems)
    assert isinstance(data, Mapping)
    extras, problems = _extras(data)
    if problems:
        return LoadReport(problems=problems)
    return load_records(
        session, actor=actor, scenario=scenario, trusted=True, apply=apply, extras=extras
    )


# --- load ---------------------------------------------------------------------------------------


@atomic
def load_records(
    session: Session,
    *,
    actor: Actor,
    scenario: records.Scenario,
    trusted: bool,
    apply: bool = False,
    extras: Extras | None = None,
    locate: Locate = json_location,
) -> LoadReport:
    """Load valid records into the database, as a dry run or (``apply``) for real.

    The load owns the session's transaction: it is rolled back after a dry run or when there are
    problems, committed otherwise. Untrusted loads leave a case's core team alone when the record
    has none (workbooks do not carry it).
    """
    require_somewhere(actor, Action.LOAD_DUMP if trusted else Action.IMPORT)
    loader = Loader(session, actor, trusted, extras or Extras(), locate)
    try:
        loader.run(scenario)
        report = loader.report
        if apply and not report.problems:
            session.commit()
            report.applied = True
    except (IntegrityError, StaleDataError):
        session.rollback()
        raise Conflict(CHANGED_MEANWHILE) from None
    if not report.applied:
        session.rollback()
    return report
