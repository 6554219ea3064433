"""The lagkage workflow's services: propose a split version, departments approve or reject their
share, the coordinator records approvals given at the joint meeting.

The rules themselves — one agreed and one open version per intervention and day, settled versions
never change, when a version becomes agreed or rejected — live in :mod:`finans.services.workflow`;
who may do what in :mod:`finans.services.policy`. Here they are applied to a request: parse, check
access, lock the intervention, check the rules against what is stored, save, audit, queue the
event's mails (through the workflow), answer with the version's view. Editing a draft or
proposal clears the approvals given so far: they were given to other content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete

from finans.allocation.problems import Problem
from finans.allocation.validation import check_no_cpr, parse_split
from finans.services import audit, lookup, versions, workflow
from finans.services.actor import Actor
from finans.services.errors import ServiceError, problem
from finans.services.policy import Action, CaseParties, everywhere, parties, permits, require
from finans.services.text import text_problems
from finans.services.transactions import atomic
from finans.services.views import awaiting, split_view
from finans.store import models
from finans.store.mapping import Json, split_columns, split_json
from finans.store.mapping import parties as split_parties
from finans.store.rows import columns, fetch
from finans.store.timestamps import local, now, to_text

MAX_REASON = 2000
"""A rejection's reason: several lines, never a document."""

ENTITY = workflow.ENTITY
OPEN = workflow.OPEN


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
        return workflow.label(self.intervention.public_id, self.row.effective_from)

    @property
    def conflict_label(self) -> str:
        return workflow.title(self.intervention.public_id, self.row.effective_from)

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


def _locked_context(session: Session, split_id: int) -> _Context:
    """The version read after its intervention's lock is taken, so nothing changes it meanwhile."""
    row = lookup.split(session, split_id)
    workflow.lock(session, row.intervention_id)
    session.expire_all()
    return _context(session, split_id)


def _case(session: Session, context: _Context) -> CaseParties:
    """Who is on the version's case, with who takes part (for the access policy)."""
    return lookup.case_parties(session, context.case, involved=True)


def get_split(session: Session, *, actor: Actor, split_id: int) -> Json:
    context = _context(session, split_id)
    case = parties(context.case.ref, context.case.coordinator, context.core_team)
    require(actor, Action.READ_CASE, case=case)
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


def _check_day(
    session: Session, intervention: models.Intervention, day: date, exclude: int | None = None
) -> None:
    """The workflow's day rules for a draft or proposal dated ``day``."""
    found = workflow.open_day_problems(
        lookup.splits_of(session, intervention.id), intervention.public_id, day, exclude=exclude
    )
    if found:
        raise ServiceError(found)


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
    needed = [code for code in split_parties(row) if code not in answered]
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


def _commit(session: Session, intervention: models.Intervention, day: date) -> None:
    """Commit; a duplicate the database refuses says what was saved at the same moment."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise workflow.race_conflict(
            session, intervention.id, intervention.public_id, day
        ) from None


@atomic
def propose_split(
    session: Session,
    *,
    actor: Actor,
    intervention: str,
    data: Mapping[str, object],
    meeting: Mapping[str, str] | None = None,
) -> Json:
    """Add a split version (JSON as in docs/scenario.md, ``status`` ``proposed`` by default or
    ``draft``).

    With ``meeting`` — department code → the representative who approved at the joint meeting, for
    every department with a share — the version is saved as agreed at the meeting.
    """
    row_intervention = lookup.intervention(session, intervention)
    workflow.lock(session, row_intervention.id)
    session.refresh(row_intervention)
    case = lookup.case_by_id(session, row_intervention.case_id)
    on_case = lookup.case_parties(session, case, involved=True)
    require(actor, Action.PROPOSE_SPLIT, case=on_case)
    if meeting is not None:
        require(actor, Action.RECORD_MEETING, case=on_case)
    columns = _parse(session, data, intervention, meeting=meeting is not None)
    _check_day(session, row_intervention, columns["effective_from"])
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
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise workflow.race_conflict(
            session, row_intervention.id, intervention, columns["effective_from"]
        ) from None
    after = audit.snapshot(row, exclude={"intervention_id"}, intervention=intervention)
    audit.record(session, actor, "create", ENTITY, str(row.id), after=after)
    context = _Context(row, row_intervention, case, sorted(on_case.core_team), [])
    for code, name in (meeting or {}).items():
        workflow.answer(session, actor, row, context.decisions, code, "approve",
                        intervention=intervention, by=name, at_meeting=True)
    workflow.announce_proposal(session, actor, row, row_intervention, case)
    _commit(session, row_intervention, row.effective_from)
    return context.view()


@atomic
def update_split(
    session: Session, *, actor: Actor, split_id: int, version: int, data: Mapping[str, object]
) -> Json:
    """Change a draft or proposal (fields given in ``data``); its approvals so far are cleared."""
    context = _locked_context(session, split_id)
    row = context.row
    require(actor, Action.PROPOSE_SPLIT, case=_case(session, context))
    key = str(split_id)
    versions.check_version(
        session, row, version, label=context.conflict_label, entity=ENTITY, key=key
    )
    workflow.check_editable(row, context.intervention.public_id)
    current = split_json(row)
    for meta in ("proposed_by", "proposed_at"):
        current.pop(meta)
    for method_input in ("shares", "departments", "alpha", "responsibility", "benefit", "savings"):
        if method_input in data or "method" in data:
            current.pop(method_input, None)
    columns = _parse(session, {**current, **data}, context.intervention.public_id, meeting=False)
    _check_day(session, context.intervention, columns["effective_from"], exclude=row.id)
    changes = {name: value for name, value in columns.items() if getattr(row, name) != value}
    if not changes:
        return context.view()
    before = audit.snapshot(row, exclude={"intervention_id"}, decisions=_decisions_json(context))
    for name, value in changes.items():
        setattr(row, name, value)
    if row.status == "proposed":
        row.proposed_by, row.proposed_at = actor.username, now()
    # The version's own row first: a concurrent save is refused here, before anything else.
    versions.flush(
        session, label=context.conflict_label, entity=ENTITY, key=key, version=version
    )
    session.exec(delete(models.Decision).where(col(models.Decision.split_id) == row.id))
    context.decisions.clear()
    after = audit.snapshot(row, exclude={"intervention_id"}, decisions=[])
    audit.record(session, actor, "update", ENTITY, key, before, after)
    workflow.announce_proposal(session, actor, row, context.intervention, context.case)
    _commit(session, context.intervention, row.effective_from)
    return context.view()


def _decisions_json(context: _Context) -> list[dict[str, Any]]:
    return [
        {"department": d.department, "decision": d.decision, "by": d.decided_by}
        for d in context.decisions
    ]


# --- deciding -----------------------------------------------------------------------------------


def _check_decidable(context: _Context, department: str) -> None:
    """The version is a proposal, the department has a share and has not answered yet."""
    workflow.check_answerable(context.row, context.intervention.public_id)
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

    With ``version``, the answer is refused if the version's content changed since the controller
    read it, or if it was settled meanwhile; other departments' answers in between do not matter.
    """
    require(actor, Action.DECIDE_SHARE, department=actor.department)
    assert actor.department is not None
    if decision not in ("approve", "reject"):
        raise problem("unknown_decision", "Beslutningen skal være approve eller reject", "decision")
    if decision == "reject" and not reason.strip():
        raise problem("reason_missing", "Skriv en begrundelse for afvisningen", "reason")
    if found := text_problems(reason, "reason", MAX_REASON, multiline=True) or check_no_cpr(
        reason, "reason"
    ):
        raise ServiceError(found)
    context = _locked_context(session, split_id)
    if version is not None:
        workflow.check_answer_version(
            session, context.row, context.decisions, actor.department, version,
            context.intervention.public_id,
        )
    _check_decidable(context, actor.department)
    workflow.answer(
        session, actor, context.row, context.decisions, actor.department, decision,
        intervention=context.intervention.public_id, by=actor.username, reason=reason.strip(),
    )
    _commit(session, context.intervention, context.row.effective_from)
    return context.view()


def check_answer(session: Session, *, actor: Actor, split_id: int, version: int) -> None:
    """Refuse as :func:`decide` would an answer to the version read at ``version``, without
    answering (a :class:`ServiceError` when the department has no share or has answered): lets a
    confirmation step stop early."""
    require(actor, Action.DECIDE_SHARE, department=actor.department)
    assert actor.department is not None
    context = _context(session, split_id)
    workflow.check_answer_version(
        session, context.row, context.decisions, actor.department, version,
        context.intervention.public_id,
    )
    _check_decidable(context, actor.department)


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
    context = _locked_context(session, split_id)
    require(actor, Action.RECORD_MEETING, case=_case(session, context))
    if version is not None:
        versions.check_version(
            session, context.row, version, label=context.conflict_label, entity=ENTITY,
            key=str(split_id),
        )
    workflow.check_answerable(context.row, context.intervention.public_id)
    _check_representatives(
        context.row, context.decisions, representatives, where="representatives", complete=False
    )
    for code, name in representatives.items():
        workflow.answer(
            session, actor, context.row, context.decisions, code, "approve",
            intervention=context.intervention.public_id, by=name.strip(), at_meeting=True,
        )
    _commit(session, context.intervention, context.row.effective_from)
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
    if department is None and actor.department is not None and permits(
        actor, Action.DECIDE_SHARE, department=actor.department
    ):
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
    sees_all = everywhere(actor, Action.READ_CASE)
    decisions = lookup.decisions_by_split(session, [row.id for row in splits])
    teams = lookup.core_teams(session)
    items = []
    for row in splits:
        on_case = parties(row.ref, row.coordinator, teams.get(row.case_id, []))
        if not sees_all and not permits(actor, Action.READ_CASE, case=on_case):
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
