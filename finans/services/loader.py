"""One load of records into the database: compare each with what is stored, check that the
actor may change it and that the workflow allows it, write the difference, report it.

:func:`finans.services.scenario.load_records` runs a :class:`Loader` inside one transaction. A
*trusted* load (a dump, ``finans load``) writes versions with the status and decisions it holds;
an *untrusted* one (a workbook or lagkage template) proposes (:mod:`finans.services.workflow`).
Either way every changed or created record is checked against the access policy
(:mod:`finans.services.policy`) as the change it is — ``EDIT_CASE`` for a case, ``PROPOSE_SPLIT``
for a version — on the case as it was stored before the load, and a refusal is a problem at the
changed field, so an import can change exactly what its user could change in the screens.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlmodel import Session, col, delete, select

from finans.allocation import records
from finans.allocation.problems import Problem
from finans.services import audit, lookup, versions
from finans.services.actor import Actor
from finans.services.loads import Change, Extras, LoadReport, Locate, differences
from finans.services.policy import Action, CaseParties, parties, refusal
from finans.services.rate_loader import RateLoader
from finans.services.version_loader import VersionLoader
from finans.store import models
from finans.store.mapping import (
    case_columns,
    department_columns,
    intervention_columns,
    split_columns,
)

_INTERVENTION_PATHS = {
    "amount": "cost.amount",
    "per": "cost.per",
    "start": "cost.start",
    "end": "cost.end",
    "case_id": "case",
}
"""Intervention columns → where they sit in scenario JSON (problems point at the changed cell)."""


class Loader:
    """One load: compares each record with what is stored, writes the difference, reports it.

    Kinds are loaded in order (departments, cases, interventions, split versions,
    refund rates). Problems with
    departments stop the load there (everything may refer to them); a refused case or
    intervention leaves out only the records inside it, so every other problem is reported in the
    same run.
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
        self.parties = self._stored_parties()

    def problem(self, code: str, message: str, where: str) -> None:
        self.report.problems.append(Problem(code, message, where))

    # -- who may change what ------------------------------------------------------------------

    def _stored_parties(self) -> dict[int, CaseParties]:
        """Who is on each case as stored before the load: rights are judged on that, so a load
        cannot widen its own rights by what it changes."""
        involved: dict[int, set[str]] = defaultdict(set)
        case_of = {}
        for intervention in self.interventions.values():
            involved[intervention.case_id].update((intervention.granted_by, intervention.paid_by))
            case_of[intervention.id] = intervention.case_id
        for intervention_id, split_rows in self.splits.items():
            for version in split_rows:
                involved[case_of[intervention_id]].update(version.shares)
        return {
            row.id or 0: parties(row.ref, row.coordinator, self.teams.get(row.id or 0, []),
                                 involved[row.id or 0])
            for row in self.cases.values()
        }

    def allowed(self, action: Action, case_id: int, where: str) -> bool:
        """Whether the actor may do ``action`` on the case; a refusal is a problem at ``where``."""
        reason = refusal(self.actor, action, case=self.parties[case_id])
        if reason is not None:
            self.problem("not_on_case", reason, where)
        return reason is None

    def run(self, scenario: records.Scenario) -> None:
        self._check_references(scenario)
        if self.report.problems:
            return
        self._each(scenario.departments, self._department)
        self.session.flush()
        if self.report.problems:
            return
        phases: list[Callable[[], None]] = [
            lambda: self._each(scenario.cases, self._case),
            lambda: self._each(scenario.interventions, self._intervention),
            lambda: self._each(scenario.interventions, VersionLoader(self).load),
            lambda: self._each(scenario.refund_rates, RateLoader(self).load),
        ]
        for phase in phases:
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
        changed = [] if row is None else differences(row, columns)
        if row is not None and not changed:
            report.unchanged.append(record.code)
            return
        reason = refusal(self.actor, Action.MANAGE_DEPARTMENTS)
        if reason is not None:
            where = self.locate("departments", index, None)
            self.problem("admin_only", reason, f"{where}.{changed[0]}" if changed else where)
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
        after = audit.snapshot(row)
        audit.record(self.session, self.actor, "update", "department", record.code, before, after)
        report.changed.append(Change.between(record.code, changed, before, after))

    # -- cases ----------------------------------------------------------------------------------

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
            new = parties(record.ref, record.coordinator, team, team)
            reason = refusal(self.actor, Action.CREATE_CASE, case=new)
            if reason is not None:
                self.problem("not_on_case", reason, where)
                return
            row = models.Case(**columns)
            self.session.add(row)
            self.session.flush()
            self.cases[record.ref] = self.cases_by_id[row.id] = row
            self.parties[row.id or 0] = new
            self._set_team(row, team)
            audit.record(self.session, self.actor, "create", "case", record.ref,
                         after=audit.snapshot(row, core_team=team))
            report.created.append(record.ref)
            return
        stored_team = self.teams.get(row.id or 0, [])
        if not self.trusted and not team:
            team = stored_team
        changed = differences(row, columns) + (["core_team"] if team != stored_team else [])
        if not changed:
            report.unchanged.append(record.ref)
            return
        if not self.allowed(Action.EDIT_CASE, row.id or 0, f"{where}.{changed[0]}"):
            return
        before = audit.snapshot(row, core_team=stored_team)
        for name in changed:
            if name != "core_team":
                setattr(row, name, columns[name])
        if team != stored_team:
            self._set_team(row, team)
            versions.touch(row, "ref")
        self.session.flush()
        after = audit.snapshot(row, core_team=team)
        audit.record(self.session, self.actor, "update", "case", record.ref, before, after)
        report.changed.append(Change.between(record.ref, changed, before, after))

    # -- interventions --------------------------------------------------------------------------

    def case_of(self, row: models.Intervention) -> models.Case:
        return self.cases_by_id[row.case_id]

    def _intervention(self, index: int, record: records.Intervention) -> None:
        report = self.report.interventions
        where = self.locate("interventions", index, None)
        case = self.cases.get(record.case)
        if case is None:
            return  # its case was refused, which is reported
        assert case.id is not None
        columns = {**intervention_columns(record), "case_id": case.id}
        row = self.interventions.get(record.id)
        if row is None:
            if not self.allowed(Action.EDIT_INTERVENTION, case.id, where):
                return
            row = models.Intervention(**columns)
            self.session.add(row)
            self.session.flush()
            self.interventions[record.id] = row
            audit.record(self.session, self.actor, "create", "intervention", record.id,
                         after=audit.snapshot(row, exclude={"case_id"}, case=case.ref))
            report.created.append(record.id)
            return
        changed = differences(row, columns)
        if not changed:
            report.unchanged.append(record.id)
            return
        old_case = self.case_of(row)
        field_where = f"{where}.{_INTERVENTION_PATHS.get(changed[0], changed[0])}"
        if not all(
            self.allowed(Action.EDIT_INTERVENTION, case_id, field_where)
            for case_id in dict.fromkeys((row.case_id, case.id))
        ):
            return
        before = audit.snapshot(row, exclude={"case_id"}, case=old_case.ref)
        for name in changed:
            setattr(row, name, columns[name])
        self.session.flush()
        after = audit.snapshot(row, exclude={"case_id"}, case=case.ref)
        audit.record(self.session, self.actor, "update", "intervention", record.id, before, after)
        fields = ["case" if name == "case_id" else name for name in changed]
        report.changed.append(Change.between(record.id, fields, before, after))

