"""Mails about the split workflow, written to the outbox in the transaction of the change.

Each ``queue_*`` function is called once by the workflow at the moment its event happens, inside
the change's transaction: the mail is committed with the change or rolled back with it, and is sent
after commit by :mod:`finans.mail`. Recipients are active users with an e-mail address who have
not turned mail off; nobody is mailed about their own action. Mails are Danish, name cases by
journal number and never carry a CPR number. Links are written as ``{base}/path`` and made
absolute with the app's public address when sent (docs/notifications.md).

- a split proposed → each controller of a department with a share;
- agreed by all, or rejected → the case's coordinator (with the reason and who, on rejection);
- :func:`queue_reminders` → one digest per controller and day of answers waiting too long.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from finans.allocation.validation import check_no_cpr
from finans.formatting import format_date, format_percent
from finans.services.actor import Actor, Role
from finans.services.policy import Action, require_somewhere
from finans.store import models
from finans.store.outbox import OutboxMail
from finans.store.rows import CaseRow, InterventionRow, SplitRow
from finans.store.timestamps import now

BASE = "{base}"
"""Stands for the app's public address in stored mails; :mod:`finans.mail` fills it in."""
QUEUED_FLAG = "finans.mail_queued"
"""Set in ``session.info`` when a mail was queued, so the caller knows to send after commit."""
SIGNATURE = (
    "\n\nVenlig hilsen\nfinans – fælles finansiering\n\n"
    "Du kan slå mails fra under 'Min konto' i finans."
)
WITHHELD_LINE = "[Linjen er udeladt, fordi den ligner et CPR-nummer.]"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who gets a mail: user name, name for the greeting, address and department."""

    username: str
    name: str
    address: str
    department: str | None


@dataclass(frozen=True, slots=True)
class Waiting:
    """One answer a controller's department owes, for the reminder digest."""

    split: int
    intervention: str
    title: str
    case: str
    department: str
    days: int


@dataclass(frozen=True, slots=True)
class ReminderReport:
    """What ``finans remind`` did: digests queued, and controllers already reminded today."""

    queued: int
    already_reminded: int


def _recipients(session: Session, query: object, actor: Actor | None) -> list[Recipient]:
    rows = session.exec(query)  # type: ignore[call-overload]
    return [
        Recipient(row.username, row.name or row.username, row.email.strip(), row.department)
        for row in rows
        if row.email.strip() and (actor is None or row.username != actor.username)
    ]


def _mailable() -> object:
    return select(models.User).where(
        col(models.User.active).is_(True), col(models.User.mail_enabled).is_(True)
    )


def controllers_of(
    session: Session, departments: Iterable[str], actor: Actor | None = None
) -> list[Recipient]:
    """Active controllers of ``departments`` who take mail, by user name."""
    query = (
        _mailable()
        .where(models.User.role == Role.CONTROLLER.value)  # type: ignore[attr-defined]
        .where(col(models.User.department).in_(list(departments)))
        .order_by(col(models.User.username))
    )
    return _recipients(session, query, actor)


def coordinator_of(session: Session, case: CaseRow, actor: Actor | None) -> list[Recipient]:
    """The case's coordinator, when they are a user who takes mail (and not the actor)."""
    query = _mailable().where(models.User.username == case.coordinator)  # type: ignore[attr-defined]
    return _recipients(session, query, actor)


def _without_cpr(text: str) -> str:
    """Every line that looks like it holds a CPR number left out (they are refused on entry;
    this keeps a mail free of them whatever reached the text)."""
    return "\n".join(
        WITHHELD_LINE if check_no_cpr(line, "") else line for line in text.split("\n")
    )


def _queue(
    session: Session,
    event: str,
    recipients: Sequence[Recipient],
    subject: str,
    body: str,
    link: str,
    dedupe_key: str | None = None,
) -> int:
    """One outbox row per recipient (not committed: the caller's transaction decides)."""
    for person in recipients:
        text = f"Hej {person.name}\n\n{body}{SIGNATURE}"
        session.add(OutboxMail(
            event=event,
            recipient=person.username,
            address=person.address,
            subject=_without_cpr(subject),
            body=_without_cpr(text),
            link=link,
            dedupe_key=dedupe_key,
            created_at=now(),
        ))
    if recipients:
        session.info[QUEUED_FLAG] = True
    return len(recipients)


def _what(split: SplitRow, intervention: InterventionRow, case: CaseRow) -> str:
    return (
        f"fordelingen af {intervention.title} ({intervention.public_id}) i sag {case.ref}, "
        f"gældende fra {format_date(split.effective_from)}"
    )


def _shares(split: SplitRow) -> str:
    return ", ".join(
        f"{code} {format_percent(Fraction(share))}" for code, share in sorted(split.shares.items())
    )


def queue_split_proposed(
    session: Session,
    *,
    actor: Actor,
    split: SplitRow,
    intervention: InterventionRow,
    case: CaseRow,
    departments: Sequence[str],
) -> int:
    """A split version is proposed: each controller of ``departments`` (those with a share that
    must answer) gets a mail asking for their department's answer."""
    link = f"{BASE}/godkendelser/{split.id}"
    count = 0
    proposer = _name_of(session, actor)
    for person in controllers_of(session, departments, actor):
        code = person.department or ""
        share = format_percent(Fraction(split.shares.get(code, "0")))
        body = (
            f"{proposer} har foreslået {_what(split, intervention, case)}.\n\n"
            f"{code}s andel: {share}. Hele fordelingen: {_shares(split)}.\n"
            + (f"Begrundelse: {split.rationale}\n" if split.rationale else "")
            + f"\nGodkend eller afvis {code}s andel her:\n{link}"
        )
        subject = (
            f"Til godkendelse: {intervention.title} ({intervention.public_id}), sag {case.ref}"
        )
        count += _queue(session, "split_proposed", [person], subject, body, link)
    return count


def _name_of(session: Session, actor: Actor) -> str:
    """The actor's name for people (``Mette Holm (raadgiver.bfh)``), or the user name."""
    name = session.exec(select(models.User.name).where(models.User.username == actor.username))
    found = name.first()
    return f"{found} ({actor.username})" if found else actor.username


def queue_split_agreed(
    session: Session, *, actor: Actor, split: SplitRow, intervention: InterventionRow,
    case: CaseRow,
) -> int:
    """Every department with a share has approved: the coordinator is told."""
    link = f"{BASE}/indsatser/{intervention.public_id}"
    body = (
        f"Alle afdelinger har godkendt {_what(split, intervention, case)}.\n\n"
        f"Fordelingen: {_shares(split)}.\n\nSe indsatsen her:\n{link}"
    )
    subject = f"Aftalt: {intervention.title} ({intervention.public_id}), sag {case.ref}"
    return _queue(session, "split_agreed", coordinator_of(session, case, actor), subject, body,
                  link)


def queue_split_rejected(
    session: Session, *, actor: Actor, split: SplitRow, intervention: InterventionRow,
    case: CaseRow, department: str, reason: str,
) -> int:
    """A department rejected its share: the coordinator is told who, and why."""
    link = f"{BASE}/indsatser/{intervention.public_id}"
    body = (
        f"{department} har afvist {_what(split, intervention, case)}.\n\n"
        f"Afvist af: {_name_of(session, actor)}, {department}\nBegrundelse: {reason}\n\n"
        f"Lav en ny fordeling her:\n{link}"
    )
    subject = f"Afvist: {intervention.title} ({intervention.public_id}), sag {case.ref}"
    return _queue(session, "split_rejected", coordinator_of(session, case, actor), subject, body,
                  link)


def queue_reminders(
    session: Session, *, actor: Actor, waiting: Sequence[Waiting], older_than: int, today: date
) -> ReminderReport:
    """One digest per controller of the answers their department has owed for more than
    ``older_than`` days; at most one per controller and day (the outbox's unique key keeps it
    so even when two runs race). Commits."""
    require_somewhere(actor, Action.SEND_MAIL)
    due: dict[str, list[Waiting]] = defaultdict(list)
    for item in waiting:
        if item.days > older_than:
            due[item.department].append(item)
    queued = already = 0
    for person in controllers_of(session, due):
        key = f"remind:{person.username}:{today.isoformat()}"
        exists = session.exec(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)).first()
        if exists is not None:
            already += 1
            continue
        items = sorted(due[person.department or ""],
                       key=lambda item: (-item.days, item.intervention))
        lines = "\n".join(
            f"- Sag {item.case}: {item.title} ({item.intervention}), venter {item.days} dage\n"
            f"  {BASE}/godkendelser/{item.split}"
            for item in items
        )
        body = (
            f"{len(items)} forslag til fordelinger har ventet på jeres svar i mere end "
            f"{older_than} dage:\n\n{lines}\n\nSe alt, der venter, her:\n{BASE}/godkendelser"
        )
        subject = f"Påmindelse: {len(items)} fordelinger venter på jeres godkendelse"
        queued += _queue(session, "reminder", [person], subject, body, f"{BASE}/godkendelser",
                         dedupe_key=key)
    try:
        session.commit()
    except IntegrityError:
        # Another run queued today's digests at the same moment: theirs stand.
        session.rollback()
        return ReminderReport(0, queued + already)
    return ReminderReport(queued, already)
