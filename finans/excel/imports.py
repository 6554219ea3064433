"""Importing a workbook into the database through the same load as the rest of finans.

A workbook is untrusted input: it is read and validated like any scenario JSON, then handed to the
services' untrusted load (:func:`finans.services.scenario.load_records`), which creates new split
versions as proposals, may edit drafts and proposals, refuses changes to agreed and rejected
versions and never deletes anything. A dry run is the real load rolled back; an applied import is
one transaction, all or nothing. Every problem comes back located by ``Sheet!Cell``.

A controller workbook names each version by its ``Fordelings-ID``, which the load matches stored
versions by. A lagkage template holds one case and, per intervention, only the version being
worked on. Before
loading, that version takes its place among the intervention's stored versions (the same day and
status, or the only version of that day), so the load sees the intervention whole and leaves the
other versions as they are.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from sqlmodel import Session

from finans.allocation.legal_basis import refundable_by_default
from finans.allocation.problems import Problem
from finans.allocation.records import Intervention, Scenario, SplitVersion
from finans.allocation.validation import parse_scenario
from finans.excel import layout
from finans.excel.guard import DEFAULT_LIMITS, Limits
from finans.excel.reader import Progress, WorkbookRead, read_workbook
from finans.services.actor import Actor
from finans.services.figures import scenario_records
from finans.services.interventions import refundable_by_id
from finans.services.policy import Action, require_somewhere
from finans.services.scenario import KINDS, Extras, LoadReport, json_location, load_records
from finans.services.workflow import status_class

SHEET_OF_KIND = {
    "departments": layout.DEPARTMENTS.name,
    "cases": layout.CASES.name,
    "interventions": layout.INTERVENTIONS.name,
    "splits": layout.SPLITS.name,
    "refund_rates": layout.REFUND_RATES.name,
}


class SheetCounts(NamedTuple):
    """What an import does to the records of one kind, read from one sheet."""

    sheet: str
    created: int
    changed: int
    unchanged: int
    kind: str


@dataclass
class ImportResult:
    """The outcome of an import.

    Attributes:
      read: what the workbook held (for the errors workbook).
      problems: every problem, located by ``Sheet!Cell``; nothing is saved when there are any.
      report: the load's report of created, changed and unchanged records (``None`` when the
        workbook did not get as far as the load).
    """

    read: WorkbookRead
    problems: list[Problem]
    report: LoadReport | None = None

    @property
    def applied(self) -> bool:
        return self.report is not None and self.report.applied

    @property
    def changes(self) -> int:
        return self.report.changes if self.report is not None else 0

    def sheets(self) -> list[SheetCounts]:
        """Per sheet: how many records would be (or were) created, changed and left alone
        (``Refusionssatser`` only when the workbook has it)."""
        if self.report is None:
            return []
        sheet = layout.TEMPLATE_SHEET if self.read.template else None
        counts = []
        for kind in KINDS:
            if kind == "refund_rates" and layout.REFUND_RATES.name not in self.read.sheets:
                continue
            part = self.report.kind(kind)
            name = SHEET_OF_KIND[kind] if sheet is None or kind == "departments" else sheet
            counts.append(
                SheetCounts(name, len(part.created), len(part.changed), len(part.unchanged), kind)
            )
        return counts


def _place(stored: list[SplitVersion], given: SplitVersion) -> tuple[list[SplitVersion], int]:
    """``stored`` with ``given`` in its place, and its index there.

    ``given`` replaces the stored version of the same day and status (drafts and proposals
    counting as one, of which a day has one; of several rejected ones the latest, which is the
    one a template shows), or the only version of that day; otherwise it is added as a new
    version.
    """
    same_day = [i for i, split in enumerate(stored) if split.effective_from == given.effective_from]
    kind = status_class(given.status.value)
    same_status = [i for i in same_day if status_class(stored[i].status.value) == kind]
    chosen = same_status[-1:] or (same_day if len(same_day) == 1 else [])
    if chosen:
        merged = list(stored)
        merged[chosen[0]] = given
        return merged, chosen[0]
    merged = sorted([*stored, given], key=lambda split: split.effective_from)
    index = max(i for i, split in enumerate(merged) if split is given)
    return merged, index


def _merge_template(
    session: Session, scenario: Scenario
) -> tuple[Scenario, dict[tuple[int, int], int]]:
    """The template's interventions with their stored versions around the one it holds.

    Returns the scenario to load and, per (intervention, merged version index), the index of the
    version in the template (only for the template's own versions).
    """
    refs = [case.ref for case in scenario.cases]
    stored = {
        intervention.id: intervention
        for intervention in scenario_records(session, cases=refs).interventions
    }
    origin: dict[tuple[int, int], int] = {}
    merged: list[Intervention] = []
    for i, intervention in enumerate(scenario.interventions):
        known = stored.get(intervention.id)
        splits = list(known.splits) if known is not None else []
        for j, split in enumerate(intervention.splits):
            splits, index = _place(splits, split)
            origin[(i, index)] = j
        merged.append(dataclasses.replace(intervention, splits=tuple(splits)))
    return dataclasses.replace(scenario, interventions=tuple(merged)), origin


def _keep_refundable(session: Session, data: dict[str, Any]) -> None:
    """Interventions read without ``Refusionsberettiget`` (a template, or a workbook made before
    the column) keep what is stored; new ones get the default of their legal basis."""
    stored = refundable_by_id(session)
    for item in data.get("interventions") or ():
        if not isinstance(item, dict) or "refundable" in item:
            continue
        ident, basis = item.get("id"), item.get("legal_basis")
        if isinstance(ident, str) and ident in stored:
            item["refundable"] = stored[ident]
        else:
            item["refundable"] = refundable_by_default(basis if isinstance(basis, str) else "")


def _split_ids(data: Mapping[str, Any]) -> dict[tuple[str, int], int]:
    """(intervention id, version index) → the ``Fordelings-ID`` the workbook gives the version."""
    return {
        (intervention["id"], index): split["id"]
        for intervention in data["interventions"]
        for index, split in enumerate(intervention["splits"])
        if "id" in split
    }


_INDEX = re.compile(r"^(departments|cases|interventions)\[([0-9]+)\](?:\.splits\[([0-9]+)\])?")


def _faulty(problems: list[Problem]) -> set[tuple[str, int, int | None]]:
    """(kind, index, split index or None) of the records the problems are about."""
    found = set()
    for problem in problems:
        match = _INDEX.match(problem.where)
        if match:
            kind, index, split = match.groups()
            found.add((kind, int(index), int(split) if split is not None else None))
    return found


def _without(data: dict[str, Any], faulty: set[tuple[str, int, int | None]]) -> tuple[
        dict[str, Any], dict[tuple[str, int], int], dict[tuple[int, int], int]]:
    """``data`` without the faulty records, and maps from the new indices to the original ones
    (records, and split versions per original intervention index)."""
    kept: dict[str, Any] = {}
    index_map: dict[tuple[str, int], int] = {}
    split_map: dict[tuple[int, int], int] = {}
    for kind in ("departments", "cases", "interventions"):
        given = data.get(kind)
        items: list[Any] = given if isinstance(given, list) else []
        kept[kind] = []
        for index, item in enumerate(items):
            if (kind, index, None) in faulty:
                continue
            if kind == "interventions" and isinstance(item, dict):
                versions = item.get("splits")
                splits: list[Any] = versions if isinstance(versions, list) else []
                good = [(j, split) for j, split in enumerate(splits)
                        if (kind, index, j) not in faulty]
                for new, (old, _split) in enumerate(good):
                    split_map[(index, new)] = old
                item = {**item, "splits": [split for _, split in good]}
            index_map[(kind, len(kept[kind]))] = index
            kept[kind].append(item)
    return kept, index_map, split_map


def _load_problems_of_the_rest(
    session: Session, actor: Actor, data: dict[str, Any], problems: list[Problem]
) -> list[Problem]:
    """What the load would still refuse among the records that are valid, so that a workbook's
    errors come in one list instead of in rounds. Records that only fail because a record they
    refer to was left out are not reported again."""
    faulty = _faulty(problems)
    for _ in range(3):
        subset, index_map, split_map = _without(data, faulty)
        scenario, more = parse_scenario(subset)
        if scenario is not None:
            break
        back = {(kind, index_map.get((kind, i), i), j) for kind, i, j in _faulty(more)}
        if not back - faulty:
            return []
        faulty |= back
    else:
        return []

    def locate(kind: str, index: int, split: int | None) -> str:
        original = index_map.get((kind, index), index)
        if split is None:
            return f"{kind}[{original}]"
        return f"interventions[{original}].splits[{split_map.get((original, split), split)}]"

    report = load_records(
        session, actor=actor, scenario=scenario, trusted=False, apply=False,
        extras=Extras(split_ids=_split_ids(subset)), locate=locate,
    )
    return report.problems


def import_workbook(
    session: Session,
    *,
    actor: Actor,
    source: Path | bytes,
    name: str | None = None,
    apply: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, check and load a workbook; a dry run unless ``apply``.

    ``progress`` follows the reading of the workbook's sheets (see :func:`read_workbook`).

    Raises the services' refusals (:class:`~finans.services.errors.Forbidden` when the actor may
    not import — before the file is read —, :class:`~finans.services.errors.Conflict` when the
    database changed meanwhile).
    """
    require_somewhere(actor, Action.IMPORT)
    read = read_workbook(source, name=name, limits=limits, progress=progress)
    if read.data is None:
        return ImportResult(read, list(read.problems))
    _keep_refundable(session, read.data)
    scenario, problems = parse_scenario(read.data)
    if scenario is None or read.problems:
        if not read.template:
            problems += _load_problems_of_the_rest(session, actor, read.data, problems)
        return ImportResult(read, read.locate(problems))
    origin: dict[tuple[int, int], int] = {}
    if read.template:
        scenario, origin = _merge_template(session, scenario)

    def locate(kind: str, index: int, split: int | None) -> str:
        if split is None:
            return json_location(kind, index)
        return f"interventions[{index}].splits[{origin.get((index, split), split)}]"

    extras = Extras(split_ids=_split_ids(read.data))
    report = load_records(
        session, actor=actor, scenario=scenario, trusted=False, apply=apply, extras=extras,
        locate=locate,
    )
    return ImportResult(read, read.locate(report.problems), report)
