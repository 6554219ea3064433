"""The lagkage workflow: propose a split version, departments approve or reject their share.

- A caseworker on the case proposes a version (or saves a draft); the engine's validators check it.
- Every department with a share above 0 answers once: the controller of that department, or the
  caseworker on the representative's word given at the joint meeting (``at_meeting``).
- The version becomes ``agreed`` when all of them have approved, ``rejected`` as soon as one
  rejects (with a reason). Agreed and rejected versions never change: a re-assessment is a new
  version with a later ``effective_from``, and the history stays.
- Editing a draft or proposal clears the approvals given so far: they were given to other content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, delete

from finans.allocation.problems import Problem
from finans.allocation.records import Status
from finans.allocation.validation import check_no_cpr, parse_split
from finans.formatting import format_date
from finans.services import audit, lookup, versions
from finans.services.access import may_read, require_case_work, require_read
from finans.services.actor import Actor, Role
from finans.services.errors import Conflict, Forbidden, ServiceError, problem
from finans.services.text import text_problems
from finans.services.transactions import atomic
from finans.services.views import awaiting, split_view
from finans.store import models
from finans.store.mapping import Json, parties, split_columns, split_json
from finans.store.rows import columns, fetch
from finans.store.timestamps import local, now, to_text

MAX_REASON = 2000
"""A rejection's reason: several lines, never a document."""

ENTITY = "split"
OPEN = ("draft", "proposed")
_STATUS_WORDS = {"agreed": "aftalt", "rejected": "afvist"}


def label(row: models.SplitVersion, intervention: str) -> str:
    """``fordelingen af I-17 fra 01-07-2026`` for messages."""
    return f"fordelingen af {intervention} fra {format_date(row.effective_from)}"


def immutable_problem(row: models.SplitVersion, intervention: str) -> Problem:
    """Agreed and rejected versions are history; a re-assessment is a new version."""
    message = (
        f"{label(row, intervention).capitalize()} er {_STATUS_WORDS[row.status]} og kan ikke "
        "ændres – tilføj en ny version med en senere 'Gælder fra'"
    )
    return Problem("immutable_split", message, "status")


@dataclass(frozen=True, slots=True)
class _Context:
    """A split version with what every rule about it needs."""

    row: models.SplitVersion
    intervention: models.Intervention
    case: models.Case
    core_team: list[str]
    decisions: list[models.Decision]

    @property
    def label(self) -> str:
        return label(self.row, self.intervention.public_id)

    @property
    def conflict_label(self) -> str:
        return self.label.capitalize()

    def view(self) -> Json:
        return split_view(self.row, self.decisions, self.intervention.public_id)


def _context(session: Session, split_id: int) -> _Context:
    row = lookup.split(session, split_id)
    intervention = lookup.intervention_by_id(session, row.intervention_id)
    case = lookup.case_by_id(session, intervention.case_id)
    return _Context(
        row, intervention, case, lookup.core_team(session, case.id),
        lookup.decisions_of(session, row.id),
    )


def get_split(session: Session, *, actor: Actor, split_id: int) -> Json:
    context = _context(session, split_id)
    require_read(actor, context.case, context.core_team)
    return context.view()


# --- proposing and editing ----------------------------------------------------------------------


def _parse(
    session: Session, data: Mapping[str, object], intervention: str, *, meeting: bool
) -> Json:
    """Validated columns of a new or edited version, which is a draft or a proposal."""
    problems = []
    if "decisions" in data:
        message = "Godkendelser gives efter forslaget (godkend eller afvis), ikke sammen med det"
        problems.append(Problem("decisions_separately", message, "decisions"))
    status = data.get("status", "proposed")
    allowed = ("proposed", "agreed") if meeting else OPEN
    if status not in allowed:
        message = (
            "En fordeling aftalt på mødet gemmes med godkendelser for hver afdeling med en andel"
            if meeting
            else "En ny fordeling gemmes som kladde eller forslag; den bliver aftalt, når alle "
            "afdelinger med en andel har godkendt"
        )
        problems.append(Problem("status_not_allowed", message, "status"))
        status = "proposed"
    parsed = {**data, "status": "proposed" if status == "agreed" else status}
    parsed.pop("decisions", None)
    split, parse_problems = parse_split(
        parsed, "", lookup.department_codes(session, active_only=True), intervention=intervention
    )
    problems += parse_problems
    if split is None or problems:
        raise ServiceError(problems)
    return split_columns(split)


def _check_agreed_date(
    session: Session, intervention: models.Intervention, day: date, exclude: int | None = None
) -> None:
    """Refuse a version dated like an agreed one: the split in force would be undefined."""
    for other in lookup.splits_of(session, intervention.id):
        if other.id != exclude and other.status == "agreed" and other.effective_from == day:
            raise problem(
                "duplicate_agreed_version",
                f"Indsats {intervention.public_id} har allerede en aftalt fordeling fra "
                f"{format_date(day)}; en revurdering skal gælde fra en senere dato",
                "effective_from",
            )


def _check_representatives(
    row: models.SplitVersion,
    decisions: list[models.Decision],
    representatives: Mapping[str, str],
    *,
    where: str,
    complete: bool,
) -> None:
    """Named representatives for departments with a share that have not answered yet."""
    problems = []
    answered = {decision.department for decision in decisions}
    needed = [code for code in parties(row) if code not in answered]
    for code, name in representatives.items():
        path = f"{where}.{code}"
        if code not in needed:
            reason = "har allerede svaret" if code in answered else "har ingen andel i fordelingen"
            problems.append(Problem("not_awaiting", f"Afdelingen {code} {reason}", path))
        elif not isinstance(name, str) or not name.strip():
            message = f"Skriv navnet på den, der godkendte for {code} på mødet"
            problems.append(Problem("representative_missing", message, path))
        else:
            problems += check_no_cpr(name, path)
    if complete:
        for code in needed:
            if code not in representatives:
                message = f"Skriv navnet på den, der godkendte for {code} på mødet"
                problems.append(Problem("representative_missing", message, f"{where}.{code}"))
    if not representatives and not complete:
        message = "Angiv mindst én afdeling, der godkendte på mødet"
        problems.append(Problem("no_representatives", message, where))
    if problems:
        raise ServiceError(problems)


@atomic
def propose_split(
    session: Session,
    *,
    actor: Actor,
    intervention: str,
    data: Mapping[str, object],
    meeting: Mapping[str, str] | None = None,
) -> Json:
    """Add a split version (JSON as in design §5, ``status`` ``proposed`` by default or
    ``draft``).

    With ``meeting`` — department code → the representative who approved at the joint meeting, for
    every department with a share — the version is saved as agreed at the meeting.
    """
    row_intervention = lookup.intervention(session, intervention)
    case = lookup.case_by_id(session, row_intervention.case_id)
    core_team = lookup.core_team(session, case.id)
    require_case_work(actor, case, core_team)
    columns = _parse(session, data, intervention, meeting=meeting is not None)
    _check_agreed_date(session, row_intervention, columns["effective_from"])
    assert row_intervention.id is not None
    row = models.SplitVersion(
        **columns,
        intervention_id=row_intervention.id,
        proposed_by=actor.username,
        proposed_at=now(),
    )
    if meeting is not None:
        _check_representatives(row, [], meeting, where="meeting", complete=True)
    session.add(row)
    session.flush()
    after = audit.snapshot(row, exclude={"intervention_id"}, intervention=intervention)
    audit.record(session, actor, "create", ENTITY, str(row.id), after=after)
    context = _Context(row, row_intervention, case, core_team, [])
    for code, name in (meeting or {}).items():
        _add_decision(session, actor, context, code, "approve", by=name, at_meeting=True)
    versions.commit(session, label=context.conflict_label)
    return context.view()


@atomic
def update_split(
    session: Session, *, actor: Actor, split_id: int, version: int, data: Mapping[str, object]
) -> Json:
    """Change a draft or proposal (fields given in ``data``); its approvals so far are cleared."""
    context = _context(session, split_id)
    row = context.row
    require_case_work(actor, context.case, context.core_team)
    key = str(split_id)
    versions.check_version(
        session, row, version, label=context.conflict_label, entity=ENTITY, key=key
    )
    if row.status not in OPEN:
        raise ServiceError([immutable_problem(row, context.intervention.public_id)])
    current = split_json(row)
    for meta in ("proposed_by", "proposed_at"):
        current.pop(meta)
    for method_input in ("shares", "departments", "alpha", "responsibility", "benefit", "savings"):
        if method_input in data or "method" in data:
            current.pop(method_input, None)
    columns = _parse(session, {**current, **data}, context.intervention.public_id, meeting=False)
    _check_agreed_date(session, context.intervention, columns["effective_from"], exclude=row.id)
    changes = {name: value for name, value in columns.items() if getattr(row, name) != value}
    if not changes:
        return context.view()
    before = audit.snapshot(row, exclude={"intervention_id"}, decisions=_decisions_json(context))
    for name, value in changes.items():
        setattr(row, name, value)
    if row.status == "proposed":
        row.proposed_by, row.proposed_at = actor.username, now()
    session.exec(delete(models.Decision).where(col(models.Decision.split_id) == row.id))
    versions.flush(
        session, label=context.conflict_label, entity=ENTITY, key=key, version=version
    )
    after = audit.snapshot(row, exclude={"intervention_id"}, decisions=[])
    audit.record(session, actor, "update", ENTITY, key, before, after)
    versions.commit(session, label=context.conflict_label)
    return _context(session, split_id).view()


def _decisions_json(context: _Context) -> list[dict[str, Any]]:
    return [
        {"department": d.department, "decision": d.decision, "by": d.decided_by}
        for d in context.decisions
    ]


# --- deciding -----------------------------------------------------------------------------------


def _check_open(context: _Context) -> None:
    """Only proposals take answers: drafts are not ready, agreed and rejected ones are history."""
    row = context.row
    if row.status in _STATUS_WORDS:
        raise ServiceError([immutable_problem(row, context.intervention.public_id)])
    if row.status == "draft":
        message = (
            f"{context.label.capitalize()} er en kladde; den kan først godkendes eller afvises, "
            "når den er foreslået"
        )
        raise problem("draft_split", message, "status")


def _check_decidable(context: _Context, department: str) -> None:
    """The department has a share and has not answered yet."""
    _check_open(context)
    if department not in context.row.shares:
        message = (
            f"Afdelingen {department} har ingen andel i {context.label} og skal ikke godkende den"
        )
        raise problem("no_share", message, "department")
    for decision in context.decisions:
        if decision.department == department:
            verb = "godkendt" if decision.decision == "approve" else "afvist"
            when = f", {local(decision.decided_at):%d-%m-%Y}" if decision.decided_at else ""
            message = (
                f"Afdelingen {department} har allerede {verb} {context.label} "
                f"({decision.decided_by}{when})"
            )
            raise problem("already_decided", message, "department")


def _add_decision(
    session: Session,
    actor: Actor,
    context: _Context,
    department: str,
    decision: str,
    *,
    by: str,
    at_meeting: bool = False,
    reason: str = "",
) -> None:
    """Record one department's answer and move the version to agreed or rejected when due."""
    row = context.row
    read_version = row.version
    before = {"status": row.status, "version": read_version}
    approved = {d.department for d in context.decisions if d.decision == "approve"}
    status = row.status
    if decision == "reject":
        status = Status.REJECTED.value
    elif approved | {department} >= set(parties(row)):
        _check_agreed_date(session, context.intervention, row.effective_from, exclude=row.id)
        status = Status.AGREED.value
    assert row.id is not None
    entry = models.Decision(
        split_id=row.id,
        department=department,
        decision=decision,
        decided_by=by,
        decided_at=now(),
        at_meeting=at_meeting,
        reason=reason,
    )
    session.add(entry)
    context.decisions.append(entry)
    row.status = status
    versions.touch(row, "status")
    versions.flush(
        session, label=context.conflict_label, entity=ENTITY, key=str(row.id),
        version=read_version,
    )
    after = {
        "department": department,
        "decision": decision,
        "by": by,
        "at_meeting": at_meeting,
        "reason": reason,
        "status": row.status,
        "version": row.version,
    }
    audit.record(session, actor, decision, ENTITY, str(row.id), before, after)


@atomic
def decide(
    session: Session,
    *,
    actor: Actor,
    split_id: int,
    decision: str,
    reason: str = "",
    version: int | None = None,
) -> Json:
    """A controller approves or rejects the share of their own department (``decision`` is
    ``approve`` or ``reject``; a rejection needs a ``reason``).

    With ``version``, the answer is refused if the version changed since the controller read it.
    """
    if actor.role is not Role.CONTROLLER or not actor.department:
        raise Forbidden("Kun en afdelings controller kan godkende eller afvise dens andel.")
    if decision not in ("approve", "reject"):
        raise problem("unknown_decision", "Beslutningen skal være approve eller reject", "decision")
    if decision == "reject" and not reason.strip():
        raise problem("reason_missing", "Skriv en begrundelse for afvisningen", "reason")
    if found := text_problems(reason, "reason", MAX_REASON, multiline=True) or check_no_cpr(
        reason, "reason"
    ):
        raise ServiceError(found)
    attempts = 3
    while True:
        attempts -= 1
        context = _context(session, split_id)
        if version is not None:
            versions.check_version(
                session, context.row, version, label=context.conflict_label, entity=ENTITY,
                key=str(split_id),
            )
        _check_decidable(context, actor.department)
        try:
            _add_decision(
                session, actor, context, actor.department, decision, by=actor.username,
                reason=reason.strip(),
            )
        except Conflict:
            # Another department answered at the same moment: read the version again and retry,
            # unless the caller asked for the exact version it read.
            if version is not None or not attempts:
                raise
            continue
        versions.commit(session, label=context.conflict_label)
        return context.view()


@atomic
def record_meeting_approvals(
    session: Session,
    *,
    actor: Actor,
    split_id: int,
    representatives: Mapping[str, str],
    version: int | None = None,
) -> Json:
    """Record approvals given at the joint meeting: department code → the representative's name.

    Done by a caseworker on the case (usually the coordinator) after the proposal was saved.
    """
    context = _context(session, split_id)
    require_case_work(actor, context.case, context.core_team)
    if version is not None:
        versions.check_version(
            session, context.row, version, label=context.conflict_label, entity=ENTITY,
            key=str(split_id),
        )
    _check_open(context)
    _check_representatives(
        context.row, context.decisions, representatives, where="representatives", complete=False
    )
    for code, name in representatives.items():
        _add_decision(session, actor, context, code, "approve", by=name.strip(), at_meeting=True)
    versions.commit(session, label=context.conflict_label)
    return context.view()


# --- the queue ----------------------------------------------------------------------------------


def pending_approvals(
    session: Session,
    *,
    actor: Actor,
    department: str | None = None,
    today: date | None = None,
) -> list[Json]:
    """Answers still awaited: one item per proposed version and department with a share that
    has not answered, oldest first, with its age in days.

    Controllers see their own department's queue unless ``department`` says otherwise;
    caseworkers see the cases they work on.
    """
    if department is None and actor.role is Role.CONTROLLER:
        department = actor.department
    today = today or local(now()).date()
    # Each proposed version with what the queue shows of its intervention and case, as columns.
    query = (
        columns(models.SplitVersion)
        .add_columns(
            col(models.Intervention.public_id),
            col(models.Intervention.title),
            col(models.Intervention.case_id),
            col(models.Case.ref),
            col(models.Case.family),
            col(models.Case.coordinator),
        )
        .select_from(models.SplitVersion)
        .join(models.Intervention)
        .join(models.Case)
        .where(col(models.SplitVersion.status) == "proposed")
        .order_by(col(models.SplitVersion.id))
    )
    splits = fetch(session, query)
    decisions = lookup.decisions_by_split(session, [row.id for row in splits])
    teams = lookup.core_teams(session)
    items = []
    for row in splits:
        if not may_read(actor, row, teams.get(row.case_id, [])):
            continue
        for code in awaiting(row, decisions.get(row.id, [])):
            if department is not None and code != department:
                continue
            items.append({
                "split": row.id,
                "version": row.version,
                "intervention": row.public_id,
                "title": row.title,
                "case": row.ref,
                "family": row.family,
                "effective_from": row.effective_from.isoformat(),
                "department": code,
                "proposed_by": row.proposed_by,
                "proposed_at": to_text(row.proposed_at),
                "age_days": (today - local(row.proposed_at).date()).days,
            })
    return sorted(items, key=lambda item: (-item["age_days"], item["intervention"],
                                           item["effective_from"], item["department"]))
