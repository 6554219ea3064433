"""The split versions of one load: matched to the stored ones, checked against the workflow
(:mod:`finans.services.workflow`) and the access policy, then changed or created.

A dump's versions are matched by day and their order within the day (a dump lists them as they
were made). A workbook's are matched by their ``Fordelings-ID``, or — for a new version or a
workbook without that column — by day and status, drafts and proposals counting as one status (a
day has at most one of them), or else to the only stored version of that day not yet matched.
Versions that no stored one matches are created: a dump's with the status and decisions it holds,
a workbook's as proposals (drafts stay drafts). A workbook's new or changed proposal asks its
departments by mail, as one made in the screens does; a dump tells nobody.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import col, delete

from finans.allocation import records
from finans.allocation.problems import Problem
from finans.services import audit, versions, workflow
from finans.services.loads import Change, Proposal, differences
from finans.services.policy import Action
from finans.store import models
from finans.store.mapping import Json, decision_columns, split_columns, split_record
from finans.store.rows import DecisionRow
from finans.store.timestamps import from_text, now

if TYPE_CHECKING:
    from finans.services.loader import Loader

_CONTENT = {
    "effective_from": ("effective_from",),
    "method": ("method",),
    "inputs": ("shares", "departments", "responsibility", "benefit", "savings"),
    "alpha": ("alpha",),
    "rationale": ("rationale",),
}
"""A version's content columns and the record fields they hold."""
_DECISION_FIELDS = ("department", "decision", "decided_by", "decided_at", "at_meeting", "reason")


def _content_changes(stored: records.SplitVersion, given: records.SplitVersion) -> list[str]:
    """Content columns whose values differ; ``135000`` equals ``135000.00`` (a workbook gives
    numbers back, not the decimal text they were entered as)."""
    return [
        column
        for column, names in _CONTENT.items()
        if any(getattr(stored, name) != getattr(given, name) for name in names)
    ]


def _split_key(intervention: str, day: date, position: int) -> str:
    """``I-17/2026-07-01``, with ``#2`` for the second version from the same day."""
    key = f"{intervention}/{day.isoformat()}"
    return f"{key}#{position + 1}" if position else key


def _version_keys(record: records.Intervention) -> list[str]:
    """The report's key of each version: ``I-17/2026-07-01``, ``#2`` for a second of that day."""
    seen: dict[date, int] = defaultdict(int)
    keys = []
    for split in record.splits:
        keys.append(_split_key(record.id, split.effective_from, seen[split.effective_from]))
        seen[split.effective_from] += 1
    return keys


def _by_position(
    record: records.Intervention, stored: Sequence[models.SplitVersion]
) -> dict[int, models.SplitVersion | None]:
    """A dump's versions matched to stored ones by day and order within the day (a dump lists
    them in the order they were made)."""
    by_day: dict[date, list[models.SplitVersion]] = defaultdict(list)
    for row in stored:
        by_day[row.effective_from].append(row)
    seen: dict[date, int] = defaultdict(int)
    matched: dict[int, models.SplitVersion | None] = {}
    for j, split in enumerate(record.splits):
        position = seen[split.effective_from]
        seen[split.effective_from] += 1
        same_day = by_day[split.effective_from]
        if position < len(same_day):
            matched[j] = same_day[position]
    return matched


def _decision_rows(split: records.SplitVersion, split_id: int) -> list[models.Decision]:
    return [
        models.Decision(split_id=split_id, **decision_columns(decision))
        for decision in split.decisions
    ]


def _stored_decisions(rows: Sequence[DecisionRow]) -> list[tuple[object, ...]]:
    return [tuple(getattr(row, name) for name in _DECISION_FIELDS) for row in rows]


def _given_decisions(split: records.SplitVersion) -> list[tuple[object, ...]]:
    return [
        tuple(decision_columns(decision)[name] for name in _DECISION_FIELDS)
        for decision in split.decisions
    ]


def _decisions_snapshot(rows: Sequence[DecisionRow]) -> list[Json]:
    return [{"department": d.department, "decision": d.decision, "by": d.decided_by} for d in rows]


class VersionLoader:
    """Loads the split versions of each intervention record, on behalf of a :class:`Loader`."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.session = loader.session
        self.actor = loader.actor
        self.trusted = loader.trusted
        self.extras = loader.extras
        self.locate = loader.locate
        self.report = loader.report
        self.splits = loader.splits
        self.decisions = loader.decisions

    def load(self, index: int, record: records.Intervention) -> None:
        """Match the record's versions to the stored ones, then change those that differ and
        create the rest (changes first, so that a version moved away frees its day)."""
        intervention = self.loader.interventions.get(record.id)
        if intervention is None:
            return  # the intervention was refused, which is reported
        stored = self.splits[intervention.id or 0]
        keys = _version_keys(record)
        if self.trusted:
            matched = _by_position(record, stored)
        else:
            matched = self._by_id_or_day(index, record, stored)
        for j, split in enumerate(record.splits):
            row = matched.get(j)
            if row is not None:
                where = self.locate("interventions", index, j)
                self._update_split(row, split, intervention, j, keys[j], where)
        for j, split in enumerate(record.splits):
            if j not in matched:
                where = self.locate("interventions", index, j)
                created = self._create_split(intervention, split, j, keys[j], where)
                if created is not None:
                    stored.append(created)
        if self.trusted:
            self._check_days(stored, record.id, self.locate("interventions", index, None))

    def _by_id_or_day(
        self, index: int, record: records.Intervention, stored: list[models.SplitVersion]
    ) -> dict[int, models.SplitVersion | None]:
        """A workbook's versions matched to stored ones: by ``Fordelings-ID`` where given, else
        by day and status (drafts and proposals count as one status: a day has one of them), else
        to the one stored version of that day left (its status is what changed).

        An unknown id is a problem, and its version is neither changed nor created (``None``).
        """
        by_id = {row.id: row for row in stored}
        matched: dict[int, models.SplitVersion | None] = {}
        for j, _ in enumerate(record.splits):
            split_id = self.extras.split_ids.get((record.id, j))
            if split_id is None:
                continue
            row = by_id.pop(split_id, None)
            if row is None:
                message = (
                    f"Fordeling {split_id} hører ikke til indsats {record.id}; lad "
                    "Fordelings-ID stå tomt for en ny fordeling"
                )
                self.loader.problem("unknown_split", message,
                             f"{self.locate('interventions', index, j)}.id")
            matched[j] = row
        pools: dict[tuple[date, str], list[models.SplitVersion]] = defaultdict(list)
        for row in stored:
            if row.id in by_id:
                pools[(row.effective_from, workflow.status_class(row.status))].append(row)
        unmatched = [j for j in range(len(record.splits)) if j not in matched]
        for j in unmatched:
            split = record.splits[j]
            pool = pools[(split.effective_from, workflow.status_class(split.status.value))]
            if pool:
                matched[j] = pool.pop(0)
        for j in unmatched:
            day = record.splits[j].effective_from
            left = [row for (on, _), rows in pools.items() if on == day for row in rows]
            if j not in matched and len(left) == 1:
                matched[j] = left[0]
                pools[(day, workflow.status_class(left[0].status))].remove(left[0])
        return matched

    def _check_days(
        self, rows: Sequence[models.SplitVersion], intervention: str, where: str
    ) -> None:
        """A dump may not give a day two agreed versions, or two drafts and proposals."""
        for kind, day in workflow.duplicate_days(rows):
            message = workflow.duplicate_day_message(intervention, kind, day)
            code = "duplicate_agreed_version" if kind == "agreed" else "duplicate_open_version"
            self.loader.problem(code, message, f"{where}.splits")

    def _proposal(self, intervention: str, index: int, split: records.SplitVersion) -> Proposal:
        given = self.extras.proposals.get((intervention, index))
        if given is not None:
            return given
        moments = [from_text(d.at) for d in split.decisions if d.at] if self.trusted else []
        return Proposal(self.actor.username, min(moments, default=now()))

    def _create_split(
        self,
        intervention: models.Intervention,
        split: records.SplitVersion,
        index: int,
        key: str,
        where: str,
    ) -> models.SplitVersion | None:
        if not self.loader.allowed(Action.PROPOSE_SPLIT, intervention.case_id, where):
            return None
        columns = split_columns(split)
        if not self.trusted:
            columns["status"] = workflow.imported_status(split.status.value)
            found = workflow.open_day_problems(
                self.splits[intervention.id or 0], intervention.public_id, split.effective_from,
                where=f"{where}.effective_from",
            )
            if found:
                self.report.problems.extend(found)
                return None
        proposal = self._proposal(intervention.public_id, index, split)
        assert intervention.id is not None
        row = models.SplitVersion(
            **columns,
            intervention_id=intervention.id,
            proposed_by=proposal.by,
            proposed_at=proposal.at,
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        decisions = _decision_rows(split, row.id) if self.trusted else []
        self.session.add_all(decisions)
        after = audit.snapshot(
            row,
            exclude={"intervention_id"},
            intervention=intervention.public_id,
            decisions=_decisions_snapshot(decisions),
        )
        audit.record(self.session, self.actor, "create", "split", str(row.id), after=after)
        self.report.splits.created.append(key)
        self._announce(row, intervention)
        return row

    def _announce(self, row: models.SplitVersion, intervention: models.Intervention) -> None:
        """A workbook's new or changed proposal asks its departments, as a proposal made in the
        app does; a restored dump tells nobody."""
        if not self.trusted:
            workflow.announce_proposal(
                self.session, self.actor, row, intervention, self.loader.case_of(intervention)
            )

    def _untrusted_changes(
        self,
        row: models.SplitVersion,
        split: records.SplitVersion,
        intervention: models.Intervention,
        where: str,
        *,
        by_id: bool,
    ) -> list[str] | None:
        """What a workbook changes in a stored version, or ``None`` when the workflow refuses
        it (the problem is reported); ``by_id``: the row named the version by its id."""
        changed = _content_changes(split_record(row), split)
        if row.status != split.status.value:
            changed.append("status")
        if not changed:
            return changed
        if not self.loader.allowed(Action.PROPOSE_SPLIT, intervention.case_id, where):
            return None
        if row.status in workflow.SETTLED:
            settled = workflow.immutable_problem(
                row.status, intervention.public_id, row.effective_from, where
            )
            if by_id:
                settled = Problem(
                    settled.code, f"{settled.message} og et tomt Fordelings-ID", where
                )
            self.report.problems.append(settled)
            return None
        found = workflow.imported_status_problem(split.status.value, where)
        if found is None and "effective_from" in changed:
            day_problems = workflow.open_day_problems(
                self.splits[intervention.id or 0], intervention.public_id, split.effective_from,
                exclude=row.id, where=f"{where}.effective_from",
            )
            found = day_problems[0] if day_problems else None
        if found is not None:
            self.report.problems.append(found)
            return None
        return changed

    def _update_split(
        self,
        row: models.SplitVersion,
        split: records.SplitVersion,
        intervention: models.Intervention,
        index: int,
        key: str,
        where: str,
    ) -> None:
        columns = split_columns(split)
        stored_decisions = self.decisions.get(row.id or 0, [])
        proposal: Proposal | None
        if self.trusted:
            changed = differences(row, columns)
            if _stored_decisions(stored_decisions) != _given_decisions(split):
                changed.append("decisions")
            proposal = self.extras.proposals.get((intervention.public_id, index))
            if proposal is not None:
                changed += differences(
                    row, {"proposed_by": proposal.by, "proposed_at": proposal.at}
                )
            case_id = intervention.case_id
            if changed and not self.loader.allowed(Action.PROPOSE_SPLIT, case_id, where):
                return
        else:
            by_id = (intervention.public_id, index) in self.extras.split_ids
            found = self._untrusted_changes(row, split, intervention, where, by_id=by_id)
            if found is None:
                return
            changed, proposal = found, Proposal(self.actor.username, now())
        if not changed:
            self.report.splits.unchanged.append(key)
            return
        before = audit.snapshot(row, exclude={"intervention_id"},
                                decisions=_decisions_snapshot(stored_decisions))
        for name, value in columns.items():
            setattr(row, name, value)
        if proposal is not None and (self.trusted or row.status == "proposed"):
            row.proposed_by, row.proposed_at = proposal.by, proposal.at
        decisions: Sequence[DecisionRow] = stored_decisions
        versions.touch(row, "status")
        self.session.flush()
        if "decisions" in changed or not self.trusted:
            self.session.exec(
                delete(models.Decision).where(col(models.Decision.split_id) == row.id)
            )
            assert row.id is not None
            decisions = _decision_rows(split, row.id) if self.trusted else []
            self.session.add_all(decisions)
            if stored_decisions and not self.trusted:
                changed.append("decisions")
        after = audit.snapshot(row, exclude={"intervention_id"},
                               decisions=_decisions_snapshot(decisions))
        audit.record(self.session, self.actor, "update", "split", str(row.id), before, after)
        fields = [name for name in changed if name != "shares"]
        self.report.splits.changed.append(Change.between(key, fields, before, after))
        self._announce(row, intervention)
