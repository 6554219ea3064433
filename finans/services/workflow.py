"""The split workflow's rules, in one place for every door (docs/workflow.md).

- A version is saved as a draft (``draft``) or a proposal (``proposed``); together they are *open*.
  Every department with a share answers a proposal once; it becomes ``agreed`` when all of them
  have approved and ``rejected`` as soon as one rejects. Agreed and rejected versions never change.
- One intervention has at most one agreed version per ``effective_from`` (otherwise the split in
  force on a day is undefined), and at most one open version per day: a second draft or proposal
  from the same day is refused, naming the one that exists, because nothing a user saved is
  silently replaced — edit that one instead. A day that already has an agreed version takes no
  new version at all (it could never be agreed); a re-assessment starts on a later day.
- An import proposes: new versions from a workbook become proposals (drafts stay drafts), open
  versions may be edited, and settled ones are left exactly as they are.

- Each event tells the people who must act, by a mail written to the outbox in the event's own
  transaction (:mod:`finans.services.notifications`): a version that becomes a proposal asks the
  controllers of the departments with a share; one that becomes agreed or rejected tells the
  case's coordinator. A restored dump tells nobody.

The database holds the same two rules as partial unique indexes (migration 0005), and every change
of an intervention's versions first takes that intervention's lock (:func:`lock`), so that two
requests at the same moment are decided one after the other and the later one is told what the
earlier did. The screens, the API, the workbook import, ``finans load`` and the split preview all
call the functions here; the services in :mod:`finans.services.splits` add access checks, parsing
and the answers' views.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlmodel import Session, col, select

from finans.allocation.problems import Problem
from finans.formatting import format_date
from finans.services import audit, lookup, notifications, versions
from finans.services.actor import Actor
from finans.services.errors import Conflict, ServiceError, problem
from finans.store import models
from finans.store.mapping import parties
from finans.store.timestamps import local, now

ENTITY = "split"
OPEN = ("draft", "proposed")
SETTLED = ("agreed", "rejected")
IMPORTED_STATUSES = OPEN
"""The statuses a workbook may give a version: it proposes, the departments answer in finans."""

_SETTLED_WORDS = {"agreed": "aftalt", "rejected": "afvist"}
_VERBS = {"approve": "godkendte", "reject": "afviste"}


class Dated(Protocol):
    """A split version as the day rules see it (a row or an engine record)."""

    @property
    def effective_from(self) -> date: ...

    @property
    def status(self) -> str: ...


class Stored(Dated, Protocol):
    """A stored split version, with who saved it."""

    @property
    def id(self) -> int | None: ...

    @property
    def proposed_by(self) -> str: ...

    @property
    def proposed_at(self) -> datetime: ...


def label(intervention: str, day: date) -> str:
    """``fordelingen af I-17 fra 01-07-2026`` for messages."""
    return f"fordelingen af {intervention} fra {format_date(day)}"


def title(intervention: str, day: date) -> str:
    """``Fordelingen af I-17 fra 01-07-2026``, to begin a sentence."""
    text = label(intervention, day)
    return text[:1].upper() + text[1:]


def _moment(at: datetime | None) -> str:
    return f"{local(at):%d-%m-%Y kl. %H:%M}" if at is not None else ""


def status_class(status: str) -> str:
    """``open`` for drafts and proposals, else the status: versions of one class and day are
    unique."""
    return "open" if status in OPEN else status


# --- the day rules ------------------------------------------------------------------------------


def agreed_day_problems(
    others: Iterable[Dated], intervention: str, day: date, *, where: str = "effective_from"
) -> list[Problem]:
    """A version dated ``day`` could never be agreed next to an agreed version of that day."""
    if any(other.status == "agreed" and other.effective_from == day for other in others):
        message = (
            f"Indsats {intervention} har allerede en aftalt fordeling fra {format_date(day)}; en "
            "revurdering skal gælde fra en senere dato"
        )
        return [Problem("duplicate_agreed_version", message, where)]
    return []


def open_version_problem(existing: Stored, intervention: str, where: str) -> Problem:
    """A second open version of one day, refused with the one that exists and who saved it."""
    day = format_date(existing.effective_from)
    moment = _moment(existing.proposed_at)
    if existing.status == "draft":
        message = (
            f"Indsats {intervention} har allerede en kladde fra {day} (fordeling {existing.id}, "
            f"gemt af {existing.proposed_by} {moment}); ret den i stedet for at lave en ny"
        )
    else:
        message = (
            f"Indsats {intervention} har allerede et forslag fra {day} (fordeling {existing.id}, "
            f"foreslået af {existing.proposed_by} {moment}); ret det i stedet for at lave et nyt"
        )
    return Problem("open_version_exists", message, where)


def open_day_problems(
    versions: Iterable[Stored],
    intervention: str,
    day: date,
    *,
    exclude: int | None = None,
    where: str = "effective_from",
) -> list[Problem]:
    """What keeps a draft or proposal from being saved on ``day`` next to the intervention's
    other versions (``exclude``: the version being edited)."""
    others = [version for version in versions if version.id is None or version.id != exclude]
    problems = agreed_day_problems(others, intervention, day, where=where)
    for other in others:
        if other.status in OPEN and other.effective_from == day:
            problems.append(open_version_problem(other, intervention, where))
            break
    return problems


def duplicate_days(versions: Iterable[Dated]) -> list[tuple[str, date]]:
    """(status class, day) pairs held by more than one version, by day: what the database
    refuses."""
    seen: set[tuple[str, date]] = set()
    twice: set[tuple[str, date]] = set()
    for version in versions:
        if version.status == "rejected":
            continue
        key = (status_class(version.status), version.effective_from)
        (twice if key in seen else seen).add(key)
    return sorted(twice, key=lambda pair: (pair[1], pair[0]))


def duplicate_day_message(intervention: str, kind: str, day: date) -> str:
    what = "aftalte fordelinger" if kind == "agreed" else "åbne fordelinger (kladde eller forslag)"
    return f"Indsats {intervention} ville få to {what} fra {format_date(day)}"


# --- a version's own state ----------------------------------------------------------------------


def immutable_problem(status: str, intervention: str, day: date, where: str = "status") -> Problem:
    """Agreed and rejected versions are history; a re-assessment is a new version."""
    message = (
        f"{title(intervention, day)} er {_SETTLED_WORDS[status]} og kan ikke "
        "ændres – tilføj en ny version med en senere 'Gælder fra'"
    )
    return Problem("immutable_split", message, where)


def check_editable(row: models.SplitVersion, intervention: str) -> None:
    """Only drafts and proposals are edited."""
    if row.status not in OPEN:
        raise ServiceError([immutable_problem(row.status, intervention, row.effective_from)])


def check_answerable(row: models.SplitVersion, intervention: str) -> None:
    """Only proposals take answers: drafts are not ready, agreed and rejected ones are history."""
    if row.status in SETTLED:
        raise ServiceError([immutable_problem(row.status, intervention, row.effective_from)])
    if row.status == "draft":
        message = (
            f"{title(intervention, row.effective_from)} er en kladde; den kan først "
            "godkendes eller afvises, når den er foreslået"
        )
        raise problem("draft_split", message, "status")


def imported_status(status: str) -> str:
    """The status a workbook's new version is saved with: drafts stay drafts, all else is
    proposed."""
    return "draft" if status == "draft" else "proposed"


def imported_status_problem(status: str, where: str) -> Problem | None:
    """A workbook may set a changed version's status to draft or proposed only."""
    if status in IMPORTED_STATUSES:
        return None
    message = (
        "En fordeling bliver kun aftalt eller afvist, når afdelingerne svarer i finans; ved "
        "import kan status kun være kladde eller foreslået"
    )
    return Problem("status_not_allowed", message, where)


# --- locking and races --------------------------------------------------------------------------


def lock(session: Session, intervention_id: int | None) -> None:
    """Take the intervention's lock until the transaction ends, before reading its versions.

    PostgreSQL locks the intervention's row (``SELECT … FOR UPDATE``); SQLite holds the whole
    database's write lock from the start of every change (see
    :func:`finans.services.transactions.begin_write`), so there is nothing more to take.
    """
    query = (
        select(models.Intervention.id)
        .where(models.Intervention.id == intervention_id)
        .with_for_update()
    )
    session.exec(query).first()


def race_conflict(
    session: Session, intervention_id: int | None, intervention: str, day: date
) -> Conflict:
    """What was saved at the same moment on ``day``, after the database refused a duplicate."""
    query = (
        select(models.SplitVersion)
        .where(
            models.SplitVersion.intervention_id == intervention_id,
            models.SplitVersion.effective_from == day,
            col(models.SplitVersion.status).in_(("draft", "proposed", "agreed")),
        )
        .order_by(col(models.SplitVersion.id).desc())
    )
    existing = session.exec(query).first()
    if existing is None:
        return Conflict(
            f"{title(intervention, day)} blev ændret af en anden samtidig. Hent den "
            "igen, og prøv på ny."
        )
    what = "en aftalt fordeling" if existing.status == "agreed" else "et forslag"
    return Conflict(
        f"Samtidig gemte {existing.proposed_by} {what} til indsats {intervention} fra "
        f"{format_date(day)} (fordeling {existing.id}). Intet af dit er gemt; hent indsatsen "
        "igen, og ret den fordeling i stedet."
    )


# --- telling people ------------------------------------------------------------------------------


def announce_proposal(
    session: Session,
    actor: Actor,
    row: models.SplitVersion,
    intervention: models.Intervention,
    case: models.Case,
) -> None:
    """A version saved as a proposal (new, edited or imported) asks every department with a share
    for its answer: one mail to each of their controllers. Drafts ask nobody yet."""
    if row.status == "proposed":
        notifications.queue_split_proposed(
            session, actor=actor, split=row, intervention=intervention, case=case,
            departments=parties(row),
        )


def _announce_settled(
    session: Session, actor: Actor, row: models.SplitVersion, department: str, reason: str
) -> None:
    """A version just agreed by all, or rejected by ``department``: the coordinator is told."""
    intervention = lookup.intervention_by_id(session, row.intervention_id)
    case = lookup.case_by_id(session, intervention.case_id)
    if row.status == "agreed":
        notifications.queue_split_agreed(
            session, actor=actor, split=row, intervention=intervention, case=case
        )
    else:
        notifications.queue_split_rejected(
            session, actor=actor, split=row, intervention=intervention, case=case,
            department=department, reason=reason,
        )


# --- answers ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answered:
    """One department's answer to a proposal, and where it left the version.

    Attributes:
      split_id: the version answered.
      department: the department that answered.
      decision: ``approve`` or ``reject``.
      status: the version's status after the answer.
      settled: the answer made the version agreed or rejected.
    """

    split_id: int
    department: str
    decision: str
    status: str
    settled: bool


def check_answer_version(
    session: Session,
    row: models.SplitVersion,
    decisions: Sequence[models.Decision],
    department: str,
    version: int,
    intervention: str,
) -> None:
    """An answer to the version read at ``version`` still counts when, since then, only other
    departments answered (the content is what was read); otherwise it is a conflict that says
    what happened meanwhile."""
    if row.version == version:
        return
    key = str(row.id)
    changes = audit.changes_since(session, ENTITY, key, version)
    entries = [
        entry for entry in audit.history(session, ENTITY, key)
        if (entry.after or {}).get("version", 0) > version
    ]
    what = label(intervention, row.effective_from)
    if version > row.version or any(entry.action not in _VERBS for entry in entries):
        raise Conflict(
            f"{title(intervention, row.effective_from)} er ændret af en anden, siden du hentede "
            "den. Hent den igen, og svar på ny.",
            changes,
        )
    mine = next((d for d in decisions if d.department == department), None)
    settling = next((d for d in reversed(decisions) if d.decision == "reject"), None)
    happened = mine or (settling if row.status in SETTLED else None)
    if happened is not None:
        raise Conflict(
            f"{happened.department} {_VERBS[happened.decision]} {what} samtidig "
            f"({happened.decided_by}, {_moment(happened.decided_at)}). Intet af dit er gemt.",
            changes,
        )


def answer(
    session: Session,
    actor: Actor,
    row: models.SplitVersion,
    decisions: list[models.Decision],
    department: str,
    decision: str,
    *,
    intervention: str,
    by: str,
    at_meeting: bool = False,
    reason: str = "",
) -> Answered:
    """Record one department's answer and move the version to agreed or rejected when due (and
    tell the coordinator when it does).

    ``decisions`` are the version's answers so far; the new one is appended to it.
    """
    read_version = row.version
    before = {"status": row.status, "version": read_version}
    approved = {d.department for d in decisions if d.decision == "approve"}
    status = row.status
    if decision == "reject":
        status = "rejected"
    elif approved | {department} >= set(parties(row)):
        others = select(models.SplitVersion).where(
            models.SplitVersion.intervention_id == row.intervention_id,
            models.SplitVersion.id != row.id,
        )
        stored = list(session.exec(others))
        found = agreed_day_problems(stored, intervention, row.effective_from)
        if found:
            raise ServiceError(found)
        status = "agreed"
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
    decisions.append(entry)
    row.status = status
    versions.touch(row, "status")
    versions.flush(
        session, label=title(intervention, row.effective_from), entity=ENTITY,
        key=str(row.id), version=read_version,
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
    if status in SETTLED:
        _announce_settled(session, actor, row, department, reason)
    return Answered(row.id, department, decision, status, status in SETTLED)
