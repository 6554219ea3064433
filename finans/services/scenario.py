"""The whole database as scenario JSON (design §5) and back.

:func:`dump_scenario` writes departments by code, cases by journal number, interventions by id
(numbers in natural order) and each intervention's split versions by ``effective_from``, then in the
order they were made, so the same database always gives the same text. Besides the calculator's
fields a dump keeps what a restore needs: departments' ``active``, each version's ``proposed_by``
and ``proposed_at`` and its ``decisions``.

:func:`load_scenario` restores such a file; :func:`load_records` is the same load for records that
were read elsewhere (the controller workbook). Both match what is already stored — departments
by code, cases by journal number, interventions by id, split versions by intervention,
``effective_from`` and position among the versions from that day — and report per kind what is
created, changed or left unchanged. A dry run is the real load inside a transaction that is rolled
back; an applied load is one transaction, all or nothing.

A *trusted* load (a dump) writes versions with the status and decisions it holds. An *untrusted*
load (a workbook) adds new versions as proposals without decisions (drafts stay drafts), may edit
drafts and proposals, and refuses any change to agreed or rejected versions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, delete, select

from finans.allocation import records
from finans.allocation.engine import collector_paused
from finans.allocation.problems import Problem
from finans.allocation.validation import check_no_cpr, parse_scenario
from finans.formatting import format_date
from finans.services import audit, lookup, versions
from finans.services.access import require_role, works_on
from finans.services.actor import Actor, Role
from finans.services.errors import Conflict
from finans.services.refund_rates import rate_rows
from finans.services.transactions import atomic
from finans.store import models
from finans.store.mapping import (
    TIERS,
    Json,
    case_columns,
    case_json,
    decision_columns,
    department_columns,
    department_json,
    intervention_columns,
    intervention_json,
    refund_json,
    refund_rate_columns,
    refund_rates_record,
    split_columns,
    split_json,
    split_record,
)
from finans.store.refund import RefundRate
from finans.store.rows import DecisionRow, columns, fetch
from finans.store.timestamps import from_text, now

KINDS = ("departments", "cases", "interventions", "splits", "refund_rates")
KIND_NAMES = {
    "departments": "Afdelinger",
    "cases": "Sager",
    "interventions": "Indsatser",
    "splits": "Fordelinger",
    "refund_rates": "Refusionssatser",
}
"""Danish names of the kinds of record, for people."""

IMMUTABLE_MESSAGE = (
    "Aftalte og afviste fordelinger kan ikke ændres – tilføj en ny version med en senere "
    "'Gælder fra'"
)
_CONTENT = {
    "method": ("method",),
    "inputs": ("shares", "departments", "responsibility", "benefit", "savings"),
    "alpha": ("alpha",),
    "rationale": ("rationale",),
}
"""A version's content columns and the record fields they hold."""


def _content_changes(stored: records.SplitVersion, given: records.SplitVersion) -> list[str]:
    """Content columns whose values differ; ``135000`` equals ``135000.00`` (a workbook gives
    numbers back, not the decimal text they were entered as)."""
    return [
        column
        for column, names in _CONTENT.items()
        if any(getattr(stored, name) != getattr(given, name) for name in names)
    ]
_DECISION_FIELDS = ("department", "decision", "decided_by", "decided_at", "at_meeting", "reason")


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
        "refund": refund_json(session.exec(select(RefundRate).order_by(col(RefundRate.year)))),
    }


# --- the report ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """A record that would change (or changed), and which of its fields."""

    key: str
    fields: tuple[str, ...]


@dataclass(slots=True)
class KindReport:
    """What a load does to one kind of record; keys as people know them."""

    created: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_dict(self) -> Json:
        return {
            "created": list(self.created),
            "changed": [{"key": c.key, "fields": list(c.fields)} for c in self.changed],
            "unchanged": len(self.unchanged),
        }


@dataclass(slots=True)
class LoadReport:
    """The outcome of a load: per kind what is created, changed and unchanged, and the problems.

    ``applied`` is true only when the changes were committed; with problems nothing is.
    """

    departments: KindReport = field(default_factory=KindReport)
    cases: KindReport = field(default_factory=KindReport)
    interventions: KindReport = field(default_factory=KindReport)
    splits: KindReport = field(default_factory=KindReport)
    refund_rates: KindReport = field(default_factory=KindReport)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    def kind(self, name: str) -> KindReport:
        report: KindReport = getattr(self, name)
        return report

    @property
    def changes(self) -> int:
        """How many records are created or changed."""
        return sum(len(self.kind(k).created) + len(self.kind(k).changed) for k in KINDS)

    def as_dict(self) -> Json:
        return {
            **{kind: self.kind(kind).as_dict() for kind in KINDS},
            "problems": [problem.as_dict() for problem in self.problems],
            "applied": self.applied,
        }


# --- what a dump carries beyond the records -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proposal:
    """Who proposed a split version and when."""

    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Extras:
    """What a dump holds that the engine's records do not.

    Attributes:
      active: department code → active; ``None`` leaves stored departments as they are (and new
        ones active).
      proposals: (intervention id, index of the version in its record) → who proposed it and when.
        Without one, the loading actor proposed it at its first decision (or now).
      rate_notes: year → the refund rates' ``note`` and ``statutory`` mark, as dumped.
    """

    active: Mapping[str, bool] | None = None
    proposals: Mapping[tuple[str, int], Proposal] = field(default_factory=dict)
    rate_notes: Mapping[int, tuple[str, bool]] = field(default_factory=dict)


Locate = Callable[[str, int, int | None], str]
"""Where a record came from, for problems: (kind, index in the scenario, version index or None)."""


def json_location(kind: str, index: int, split: int | None = None) -> str:
    """``departments[0]``, ``interventions[2]``, ``interventions[2].splits[1]``;
    ``refund.years.2026`` for the refund rates (``index`` is then the year)."""
    if kind == "refund_rates":
        return f"refund.years.{index}"
    if split is None:
        return f"{kind}[{index}]"
    return f"interventions[{index}].splits[{split}]"


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
            problems += check_no_cpr(note, f"{where}.note")
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
    if trusted:
        require_role(actor, {Role.ADMIN}, "indlæse en hel database")
    else:
        require_role(actor, {Role.CASEWORKER, Role.CONTROLLER, Role.ADMIN}, "importere")
    loader = _Loader(session, actor, trusted, extras or Extras(), locate)
    try:
        loader.run(scenario)
    except IntegrityError:
        session.rollback()
        raise Conflict("Databasen blev ændret samtidig med indlæsningen. Prøv igen.") from None
    report = loader.report
    if apply and not report.problems:
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            raise Conflict("Databasen blev ændret samtidig med indlæsningen. Prøv igen.") from None
        report.applied = True
    else:
        session.rollback()
    return report


def _split_key(intervention: str, day: date, position: int) -> str:
    """``I-17/2026-07-01``, with ``#2`` for the second version from the same day."""
    key = f"{intervention}/{day.isoformat()}"
    return f"{key}#{position + 1}" if position else key


def _differences(row: SQLModel, columns: Mapping[str, object]) -> list[str]:
    return [name for name, value in columns.items() if getattr(row, name) != value]


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


class _Loader:
    """One load: compares each record with what is stored, writes the difference, reports it.

    Kinds are loaded in order (departments, cases, interventions, split versions); a kind with
    problems stops the load there, since later records may refer to what was refused.
    """

    def __init__(
        self, session: Session, actor: Actor, trusted: bool, extras: Extras, locate: Locate
    ) -> None:
        self.session = session
        self.actor = actor
        self.trusted = trusted
        self.extras = extras
        self.locate = locate
        self.report = LoadReport()
        self.departments = {row.code: row for row in session.exec(select(models.Department))}
        self.cases = {row.ref: row for row in session.exec(select(models.Case))}
        self.cases_by_id = {row.id: row for row in self.cases.values()}
        self.teams = lookup.core_teams(session)
        self.interventions = {
            row.public_id: row for row in session.exec(select(models.Intervention))
        }
        self.splits: dict[int, list[models.SplitVersion]] = defaultdict(list)
        query = select(models.SplitVersion).order_by(
            col(models.SplitVersion.effective_from), col(models.SplitVersion.id)
        )
        for row in session.exec(query):
            self.splits[row.intervention_id].append(row)
        self.decisions = lookup.decisions_by_split(session)
        self.rates = {row.year: row for row in rate_rows(session)}

    def problem(self, code: str, message: str, where: str) -> None:
        self.report.problems.append(Problem(code, message, where))

    def run(self, scenario: records.Scenario) -> None:
        self._check_references(scenario)
        phases: list[Callable[[], None]] = [
            lambda: self._each(scenario.departments, self._department),
            lambda: self._each(scenario.cases, self._case),
            lambda: self._each(scenario.interventions, self._intervention),
            lambda: self._each(scenario.interventions, self._splits),
            lambda: self._each(scenario.refund_rates, self._refund_rate),
        ]
        for phase in phases:
            if self.report.problems:
                return
            phase()
            self.session.flush()

    @staticmethod
    def _each(items: Sequence[Any], load: Callable[[int, Any], None]) -> None:
        for index, item in enumerate(items):
            load(index, item)

    # -- references to what is stored or loaded together ---------------------------------------

    def _check_references(self, scenario: records.Scenario) -> None:
        codes = set(self.departments) | {d.code for d in scenario.departments}
        refs = set(self.cases) | {c.ref for c in scenario.cases}

        def check_code(code: str, where: str) -> None:
            if code not in codes:
                self.problem("unknown_department", f"Afdelingen '{code}' findes ikke", where)

        for index, case in enumerate(scenario.cases):
            for code in case.core_team:
                check_code(code, f"{self.locate('cases', index, None)}.core_team")
        for index, intervention in enumerate(scenario.interventions):
            where = self.locate("interventions", index, None)
            if intervention.case not in refs:
                message = f"Sagen '{intervention.case}' findes ikke"
                self.problem("unknown_case", message, f"{where}.case")
            check_code(intervention.granted_by, f"{where}.granted_by")
            check_code(intervention.paid_by, f"{where}.paid_by")
            for j, split in enumerate(intervention.splits):
                self._check_split_references(split, self.locate("interventions", index, j),
                                             check_code)

    def _check_split_references(
        self, split: records.SplitVersion, where: str, check_code: Callable[[str, str], None]
    ) -> None:
        for code in split_columns(split)["shares"]:
            check_code(code, where)
        seen: set[str] = set()
        for k, decision in enumerate(split.decisions):
            check_code(decision.department, f"{where}.decisions[{k}].department")
            if decision.department in seen:
                message = (
                    f"Afdelingen {decision.department} har mere end én beslutning om samme "
                    "fordeling"
                )
                self.problem("duplicate_decision", message, f"{where}.decisions[{k}]")
            seen.add(decision.department)

    # -- departments ----------------------------------------------------------------------------

    def _department(self, index: int, record: records.Department) -> None:
        report = self.report.departments
        columns = department_columns(record)
        if self.extras.active is not None:
            columns["active"] = self.extras.active.get(record.code, True)
        row = self.departments.get(record.code)
        changed = [] if row is None else _differences(row, columns)
        if row is not None and not changed:
            report.unchanged.append(record.code)
            return
        if self.actor.role is not Role.ADMIN:
            message = "Kun en administrator kan oprette eller ændre afdelinger"
            self.problem("admin_only", message, self.locate("departments", index, None))
            return
        if row is None:
            row = models.Department(**columns)
            self.session.add(row)
            self.departments[record.code] = row
            audit.record(self.session, self.actor, "create", "department", record.code,
                         after=audit.snapshot(row))
            report.created.append(record.code)
            return
        before = audit.snapshot(row)
        for name in changed:
            setattr(row, name, columns[name])
        self.session.flush()
        audit.record(self.session, self.actor, "update", "department", record.code, before,
                     audit.snapshot(row))
        report.changed.append(Change(record.code, tuple(changed)))

    # -- cases ----------------------------------------------------------------------------------

    def _may_work_on(self, case: models.Case, where: str) -> bool:
        """Caseworkers load only into cases they work on."""
        if self.actor.role is not Role.CASEWORKER or works_on(
            self.actor, case.coordinator, self.teams.get(case.id or 0, [])
        ):
            return True
        message = f"Du arbejder ikke på sag {case.ref} og kan ikke ændre den"
        self.problem("not_on_case", message, where)
        return False

    def _set_team(self, row: models.Case, team: list[str]) -> None:
        assert row.id is not None
        self.session.exec(
            delete(models.CaseDepartment).where(col(models.CaseDepartment.case_id) == row.id)
        )
        self.session.add_all(
            models.CaseDepartment(case_id=row.id, department=code) for code in team
        )
        self.teams[row.id] = team

    def _case(self, index: int, record: records.Case) -> None:
        report = self.report.cases
        where = self.locate("cases", index, None)
        columns = case_columns(record)
        team = list(record.core_team)
        row = self.cases.get(record.ref)
        if row is None:
            if self.actor.role is Role.CASEWORKER and not works_on(
                self.actor, record.coordinator, team
            ):
                message = (f"Du kan kun oprette sag {record.ref}, hvis du er koordinator, eller "
                           "din afdeling er med i kerneteamet")
                self.problem("not_on_case", message, where)
                return
            row = models.Case(**columns)
            self.session.add(row)
            self.session.flush()
            self.cases[record.ref] = self.cases_by_id[row.id] = row
            self._set_team(row, team)
            audit.record(self.session, self.actor, "create", "case", record.ref,
                         after=audit.snapshot(row, core_team=team))
            report.created.append(record.ref)
            return
        stored_team = self.teams.get(row.id or 0, [])
        if not self.trusted and not team:
            team = stored_team
        changed = _differences(row, columns) + (["core_team"] if team != stored_team else [])
        if not changed:
            report.unchanged.append(record.ref)
            return
        if not self._may_work_on(row, where):
            return
        before = audit.snapshot(row, core_team=stored_team)
        for name in changed:
            if name != "core_team":
                setattr(row, name, columns[name])
        if team != stored_team:
            self._set_team(row, team)
            versions.touch(row, "ref")
        self.session.flush()
        audit.record(self.session, self.actor, "update", "case", record.ref, before,
                     audit.snapshot(row, core_team=team))
        report.changed.append(Change(record.ref, tuple(changed)))

    # -- interventions --------------------------------------------------------------------------

    def _case_of(self, row: models.Intervention) -> models.Case:
        return self.cases_by_id[row.case_id]

    def _intervention(self, index: int, record: records.Intervention) -> None:
        report = self.report.interventions
        where = self.locate("interventions", index, None)
        case = self.cases[record.case]
        assert case.id is not None
        columns = {**intervention_columns(record), "case_id": case.id}
        row = self.interventions.get(record.id)
        if row is None:
            if not self._may_work_on(case, where):
                return
            row = models.Intervention(**columns)
            self.session.add(row)
            self.session.flush()
            self.interventions[record.id] = row
            audit.record(self.session, self.actor, "create", "intervention", record.id,
                         after=audit.snapshot(row, exclude={"case_id"}, case=case.ref))
            report.created.append(record.id)
            return
        changed = _differences(row, columns)
        if not changed:
            report.unchanged.append(record.id)
            return
        old_case = self._case_of(row)
        if not self._may_work_on(old_case, where) or not self._may_work_on(case, where):
            return
        before = audit.snapshot(row, exclude={"case_id"}, case=old_case.ref)
        for name in changed:
            setattr(row, name, columns[name])
        self.session.flush()
        audit.record(self.session, self.actor, "update", "intervention", record.id, before,
                     audit.snapshot(row, exclude={"case_id"}, case=case.ref))
        fields = tuple("case" if name == "case_id" else name for name in changed)
        report.changed.append(Change(record.id, fields))

    # -- split versions -------------------------------------------------------------------------

    def _splits(self, index: int, record: records.Intervention) -> None:
        intervention = self.interventions[record.id]
        case = self._case_of(intervention)
        stored = self.splits[intervention.id or 0]
        by_day: dict[date, list[models.SplitVersion]] = defaultdict(list)
        for row in stored:
            by_day[row.effective_from].append(row)
        seen: dict[date, int] = defaultdict(int)
        created = []
        for j, split in enumerate(record.splits):
            position = seen[split.effective_from]
            seen[split.effective_from] += 1
            key = _split_key(record.id, split.effective_from, position)
            where = self.locate("interventions", index, j)
            same_day = by_day[split.effective_from]
            if not self._may_work_on(case, where):
                continue
            if position < len(same_day):
                self._update_split(same_day[position], split, record.id, j, key, where)
            else:
                created.append(self._create_split(intervention, split, j, key, where))
        stored.extend(row for row in created if row is not None)
        if self.trusted:
            self._check_agreed_dates(stored, record.id, self.locate("interventions", index, None))

    def _check_agreed_dates(
        self, rows: Sequence[models.SplitVersion], intervention: str, where: str
    ) -> None:
        days = [row.effective_from for row in rows if row.status == "agreed"]
        for day in sorted({day for day in days if days.count(day) > 1}):
            message = (f"Indsats {intervention} ville få to aftalte fordelinger fra "
                       f"{format_date(day)}")
            self.problem("duplicate_agreed_version", message, f"{where}.splits")

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
        columns = split_columns(split)
        if not self.trusted:
            columns["status"] = "draft" if split.status is records.Status.DRAFT else "proposed"
            agreed = [row for row in self.splits[intervention.id or 0] if row.status == "agreed"]
            if any(row.effective_from == split.effective_from for row in agreed):
                message = (
                    f"Indsats {intervention.public_id} har allerede en aftalt fordeling fra "
                    f"{format_date(split.effective_from)}; en revurdering skal gælde fra en "
                    "senere dato"
                )
                self.problem("duplicate_agreed_version", message, where)
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
        return row

    def _update_split(
        self,
        row: models.SplitVersion,
        split: records.SplitVersion,
        intervention: str,
        index: int,
        key: str,
        where: str,
    ) -> None:
        columns = split_columns(split)
        stored_decisions = self.decisions.get(row.id or 0, [])
        if self.trusted:
            changed = _differences(row, columns)
            if _stored_decisions(stored_decisions) != _given_decisions(split):
                changed.append("decisions")
            proposal = self.extras.proposals.get((intervention, index))
            if proposal is not None:
                changed += _differences(
                    row, {"proposed_by": proposal.by, "proposed_at": proposal.at}
                )
        else:
            changed = _content_changes(split_record(row), split)
            if row.status != split.status.value:
                changed.append("status")
            proposal = Proposal(self.actor.username, now())
        if not changed:
            self.report.splits.unchanged.append(key)
            return
        if not self.trusted and row.status in ("agreed", "rejected"):
            self.problem("immutable_split", IMMUTABLE_MESSAGE, where)
            return
        if not self.trusted and split.status.value in ("agreed", "rejected"):
            message = ("En fordeling bliver kun aftalt eller afvist, når afdelingerne svarer i "
                       "finans; ved import kan status kun være kladde eller foreslået")
            self.problem("status_not_allowed", message, where)
            return
        before = audit.snapshot(row, exclude={"intervention_id"},
                                decisions=_decisions_snapshot(stored_decisions))
        for name, value in columns.items():
            setattr(row, name, value)
        if proposal is not None and (self.trusted or row.status == "proposed"):
            row.proposed_by, row.proposed_at = proposal.by, proposal.at
        decisions: Sequence[DecisionRow] = []
        if "decisions" in changed or not self.trusted:
            self.session.exec(
                delete(models.Decision).where(col(models.Decision.split_id) == row.id)
            )
            assert row.id is not None
            decisions = _decision_rows(split, row.id) if self.trusted else []
            self.session.add_all(decisions)
            if stored_decisions and not self.trusted:
                changed.append("decisions")
        else:
            decisions = stored_decisions
        versions.touch(row, "status")
        self.session.flush()
        after = audit.snapshot(row, exclude={"intervention_id"},
                               decisions=_decisions_snapshot(decisions))
        audit.record(self.session, self.actor, "update", "split", str(row.id), before, after)
        self.report.splits.changed.append(Change(key, tuple(name for name in changed
                                                             if name != "shares")))

    # -- refund rates ---------------------------------------------------------------------------

    def _refund_rate(self, _index: int, record: records.RefundRates) -> None:
        """A year's rates: created or changed by administrators only, never deleted."""
        report = self.report.refund_rates
        where = self.locate("refund_rates", record.year, None)
        key = str(record.year)
        if len(record.thresholds) != TIERS:
            message = f"finans fører {TIERS} trin pr. år (tre grænser og tre procentsatser)"
            self.problem("tier_count", message, f"{where}.thresholds")
            return
        columns = refund_rate_columns(record)
        note = self.extras.rate_notes.get(record.year)
        row = self.rates.get(record.year)
        amounts_changed = row is None or refund_rates_record(row) != record
        changed = (
            [name for name, value in columns.items() if getattr(row, name) != value]
            if row is not None and amounts_changed else []
        )
        if row is not None and note is not None:
            changed += [name for name, value in zip(("note", "statutory"), note, strict=True)
                        if getattr(row, name) != value]
        if row is not None and not changed:
            report.unchanged.append(key)
            return
        if self.actor.role is not Role.ADMIN:
            message = "Kun en administrator kan oprette eller ændre refusionssatser"
            self.problem("admin_only", message, where)
            return
        if row is None:
            text, statutory = note or ("", False)
            row = RefundRate(**columns, note=text, statutory=statutory)
            self.session.add(row)
            self.rates[record.year] = row
            audit.record(self.session, self.actor, "create", "refund_rate", key,
                         after=audit.snapshot(row))
            report.created.append(key)
            return
        before = audit.snapshot(row)
        for name in changed:
            if name in columns:
                setattr(row, name, columns[name])
        if note is not None:
            row.note, row.statutory = note
        elif amounts_changed:
            row.statutory = False
        self.session.flush()
        audit.record(self.session, self.actor, "update", "refund_rate", key, before,
                     audit.snapshot(row))
        report.changed.append(Change(key, tuple(changed)))
