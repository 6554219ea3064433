"""The append-only audit log: every change made through the services, who made it and when.

Each entry holds a snapshot of the record before and after the change (JSON); a record's entries
are found by ``entity`` and ``key`` (its code, journal number, intervention id or split id). The
snapshots carry the record's ``version``, which lets :func:`changes_since` tell someone whose save
was refused what others changed in the meantime.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlmodel import Session, SQLModel, select

from finans.formatting import format_date
from finans.services.actor import Actor
from finans.store.mapping import json_value
from finans.store.models import AuditEntry
from finans.store.timestamps import local, now

Snapshot = dict[str, Any]

FIELD_NAMES = {
    "name": "navn",
    "account": "kontostreng",
    "active": "aktiv",
    "family": "familie",
    "coordinator": "koordinator",
    "consent": "samtykke",
    "assessed_on": "udredningsdato",
    "core_team": "kerneteam",
    "case": "sag",
    "title": "indsats",
    "legal_basis": "lovgrundlag",
    "granted_by": "bevilget af",
    "paid_by": "betales af",
    "amount": "beløb",
    "per": "pr.",
    "start": "start",
    "end": "slut",
    "effective_from": "gælder fra",
    "method": "metode",
    "status": "status",
    "inputs": "fordeling",
    "alpha": "vægt ansvar",
    "shares": "andele",
    "rationale": "begrundelse",
    "decisions": "godkendelser",
    "role": "rolle",
    "department": "afdeling",
    "password": "adgangskode",
    "min_departments": "mindste antal afdelinger",
    "require_consent": "krav om samtykke",
    "decision": "svar",
    "by": "af",
    "at": "tidspunkt",
    "at_meeting": "på mødet",
    "reason": "begrundelse for svaret",
    "proposed_by": "foreslået af",
    "proposed_at": "foreslået",
    "intervention": "indsats-ID",
    "public_id": "indsats-ID",
    "username": "brugernavn",
    "email": "e-mail",
    "mail_enabled": "mails slået til",
    "year": "år",
    "refundable": "refusionsberettiget",
    "threshold_1": "grænse 1",
    "threshold_2": "grænse 2",
    "threshold_3": "grænse 3",
    "percent_1": "pct. 1",
    "percent_2": "pct. 2",
    "percent_3": "pct. 3",
    "note": "note",
    "statutory": "lovens beløb",
    "closed_through": "lukket til og med",
    "months": "måneder",
    "entries": "bogførte beløb",
    "version": "version",
    "sessions_ended": "log-ins afsluttet",
    "tokens_revoked": "API-nøgler tilbagekaldt",
    "user": "bruger",
    "label": "betegnelse",
    "prefix": "nøglens begyndelse",
    "expires_at": "udløber",
    "revoked_at": "tilbagekaldt",
    "tables": "tabeller",
    "rows": "rækker",
}
"""Danish names of the recorded fields, for people."""

_ACTIONS = {"approve": "godkendte", "reject": "afviste", "create": "oprettede",
            "revoke": "tilbagekaldte", "restore": "genskabte databasen fra en sikkerhedskopi"}
_NEVER_RECORDED = {"id", "password_hash", "token_hash"}


def snapshot(row: SQLModel, exclude: Collection[str] = (), **extra: object) -> Snapshot:
    """The row's fields as JSON (without ids and secrets), plus ``extra`` fields."""
    data = {
        name: json_value(getattr(row, name))
        for name in type(row).model_fields
        if name not in _NEVER_RECORDED and name not in exclude
    }
    data.update({name: json_value(value) for name, value in extra.items()})
    return data


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    key: str,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
) -> None:
    """Add an entry to the log, in the caller's transaction."""
    session.add(
        AuditEntry(
            actor=actor.username,
            at=now(),
            action=action,
            entity=entity,
            key=key,
            before=before,
            after=after,
        )
    )


def history(session: Session, entity: str, key: str) -> list[AuditEntry]:
    """A record's entries, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.key == key)
        .order_by(AuditEntry.id)  # type: ignore[arg-type]
    )
    return list(session.exec(query))


def changed_fields(before: Snapshot | None, after: Snapshot | None) -> list[str]:
    """The fields whose value differs between two snapshots (``version`` not counted)."""
    before, after = before or {}, after or {}
    return [
        name
        for name in dict.fromkeys([*before, *after])
        if name != "version" and before.get(name) != after.get(name)
    ]


def describe(entry: AuditEntry) -> str:
    """One entry for people: ``anna ændrede indsats, beløb (23-11-2026 14:03)``."""
    moment = local(entry.at)
    when = f"{format_date(moment.date())} {moment:%H:%M}"
    after = entry.after or {}
    if entry.action in ("approve", "reject"):
        what = f"{_ACTIONS[entry.action]} for {after.get('department', '')}".rstrip()
    elif entry.action == "update":
        names = [FIELD_NAMES.get(name, name) for name in changed_fields(entry.before, after)]
        what = f"ændrede {', '.join(names)}" if names else "gemte uden ændringer"
    elif entry.action == "close":
        what = f"lukkede bogføringen til og med {entry.key}"
    else:
        what = _ACTIONS.get(entry.action, entry.action)
    return f"{entry.actor} {what} ({when})"


def changes_since(session: Session, entity: str, key: str, version: int) -> list[str]:
    """What others changed in a record after ``version``, oldest first, for a conflict message."""
    return [
        describe(entry)
        for entry in history(session, entity, key)
        if (entry.after or {}).get("version", 0) > version
    ]
