"""Dump and load: the database as scenario JSON and back, dry runs, atomicity, workbook loads."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session

from finans.allocation.records import Scenario
from finans.allocation.validation import parse_scenario
from finans.demo import demo_scenario
from finans.services.departments import update_department
from finans.services.errors import Forbidden
from finans.services.scenario import (
    LoadReport,
    dump_scenario,
    load_records,
    load_scenario,
)
from finans.services.splits import decide, propose_split
from finans.store.db import make_engine
from tests.integration.municipality import (
    ADMIN,
    CASEWORKER,
    FIXED_60_40,
    WEIGHTED_JULY,
    audit_count,
    controller,
    small,
)

DEMO_DAY = date(2026, 11, 23)


def text(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def as_file(data: object) -> Any:
    """What reading a dump back from disk gives."""
    return json.loads(text(data), parse_float=Decimal)


def untrusted(session: Session, data: dict[str, Any], **options: Any) -> LoadReport:
    """Load records the way the workbook import does."""
    scenario, problems = parse_scenario(data)
    assert scenario is not None, problems
    return load_records(session, scenario=scenario, trusted=False, **options)


def counts(report: LoadReport) -> dict[str, tuple[int, int, int]]:
    return {
        kind: (len(part.created), len(part.changed), len(part.unchanged))
        for kind in ("departments", "cases", "interventions", "splits")
        for part in [report.kind(kind)]
    }


@pytest.fixture
def demo(session: Session) -> Session:
    """A database holding the demo municipality, a deactivated department and fresh decisions."""
    assert load_scenario(session, actor=ADMIN, data=demo_scenario(DEMO_DAY), apply=True).applied
    update_department(session, actor=ADMIN, code="HJM", version=1, data={"active": False})
    return session


def test_dump_load_dump_into_an_empty_database_is_byte_identical(
    demo: Session, another_database_url: str
) -> None:
    first = text(dump_scenario(demo))
    engine = make_engine(another_database_url)
    try:
        with Session(engine) as restored:
            report = load_scenario(restored, actor=ADMIN, data=json.loads(first), apply=True)
            assert report.applied and not report.problems
            assert text(dump_scenario(restored)) == first
    finally:
        engine.dispose()
    assert '"active": false' in first
    assert '"at_meeting": true' in first


def test_reloading_an_identical_dump_reports_no_changes(demo: Session) -> None:
    dumped = as_file(dump_scenario(demo))
    before = audit_count(demo)
    report = load_scenario(demo, actor=ADMIN, data=dumped, apply=True)
    assert report.changes == 0 and report.applied
    assert counts(report)["splits"][2] == sum(len(i["splits"]) for i in dumped["interventions"])
    assert audit_count(demo) == before


def test_the_dump_is_ordered_for_people(demo: Session) -> None:
    dumped = dump_scenario(demo)
    codes = [d["code"] for d in dumped["departments"]]
    ids = [int(i["id"].removeprefix("I-")) for i in dumped["interventions"]]
    assert codes == sorted(codes)
    assert ids == sorted(ids)
    for intervention in dumped["interventions"]:
        days = [split["effective_from"] for split in intervention["splits"]]
        assert days == sorted(days)


def changed_small(data: dict[str, Any]) -> dict[str, Any]:
    """SMALL with one change of each kind and one new record of each kind."""
    data["departments"][1]["name"] = "Jobcenter og Ydelse"
    data["departments"].append({"code": "VOK", "name": "Voksenhandicap", "account": "5.38.52"})
    data["cases"][1]["consent"] = True
    data["cases"].append({"ref": "S-2026-0003", "family": "Familie C", "coordinator": "anna",
                          "core_team": ["BFH"]})
    data["interventions"][0]["cost"]["amount"] = "12500.00"
    data["interventions"][0]["splits"] = [{**FIXED_60_40, "status": "agreed"}]
    data["interventions"].append({
        "id": "I-3", "case": "S-2026-0003", "title": "Botilbud", "legal_basis": "SEL § 107",
        "granted_by": "VOK", "paid_by": "VOK",
        "cost": {"amount": "50000.00", "per": "month", "start": "2026-03-01"},
    })
    return data


def test_a_dry_run_reports_what_would_change_and_changes_nothing(seeded: Session) -> None:
    before, entries = text(dump_scenario(seeded)), audit_count(seeded)
    report = load_scenario(seeded, actor=ADMIN, data=changed_small(small()))
    assert not report.applied and not report.problems
    assert counts(report) == {
        "departments": (1, 1, 3), "cases": (1, 1, 1), "interventions": (1, 1, 1),
        "splits": (1, 0, 0),
    }
    assert report.departments.changed[0].key == "JOB"
    assert report.departments.changed[0].fields == ("name",)
    assert report.interventions.changed[0].fields == ("amount",)
    assert report.splits.created == ["I-1/2026-01-15"]
    assert text(dump_scenario(seeded)) == before
    assert audit_count(seeded) == entries


def test_an_applied_load_writes_every_change_with_an_audit_entry(seeded: Session) -> None:
    entries = audit_count(seeded)
    report = load_scenario(seeded, actor=ADMIN, data=changed_small(small()), apply=True)
    assert report.applied and report.changes == 7
    assert audit_count(seeded) == entries + 7
    dumped = dump_scenario(seeded)
    assert dumped["departments"][1] == {"code": "JOB", "name": "Jobcenter og Ydelse",
                                        "account": "5.68.90", "active": True}
    assert dumped["interventions"][0]["splits"][0]["status"] == "agreed"


def test_an_invalid_file_is_refused_whole_with_every_problem_located(session: Session) -> None:
    data = demo_scenario(DEMO_DAY)
    data["interventions"][7]["cost"]["amount"] = "-5"
    data["interventions"][90]["splits"] = [{"effective_from": "2026-01-01", "method": "fixed",
                                            "status": "agreed", "shares": {"BFH": "50"}}]
    report = load_scenario(session, actor=ADMIN, data=data, apply=True)
    assert not report.applied
    assert [p.where for p in report.problems] == [
        "interventions[7].cost.amount", "interventions[90].splits[0].shares",
    ]
    empty = dump_scenario(session)
    assert (empty["departments"], empty["cases"], empty["interventions"]) == ([], [], [])
    assert list(empty["refund"]["years"]) == ["2022"]


def test_a_bad_record_found_while_writing_leaves_the_database_unchanged(seeded: Session) -> None:
    agreed = propose_split(seeded, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40,
                           meeting={"BFH": "Lone Thomsen", "JOB": "Mette Koch"})
    assert agreed.status == "agreed"
    before, entries = text(dump_scenario(seeded)), audit_count(seeded)
    data = changed_small(small())
    data["interventions"][0]["splits"] = [{**FIXED_60_40, "shares": {"BFH": "50", "JOB": "50"},
                                           "status": "proposed"}]
    report = untrusted(seeded, data, actor=ADMIN, apply=True)
    assert not report.applied
    assert [(p.code, p.message, p.where) for p in report.problems] == [
        ("immutable_split", "Fordelingen af I-1 fra 15-01-2026 er aftalt og kan ikke ændres – "
         "tilføj en ny version med en senere 'Gælder fra'", "interventions[0].splits[0]"),
    ]
    assert report.departments.created == ["VOK"], "the records before it were written, then undone"
    assert text(dump_scenario(seeded)) == before
    assert audit_count(seeded) == entries


def test_an_untrusted_load_adds_new_versions_as_proposals_without_decisions(
    seeded: Session,
) -> None:
    data = small()
    data["interventions"][0]["splits"] = [
        {**FIXED_60_40, "status": "agreed",
         "decisions": [{"department": "BFH", "decision": "approve", "by": "x"}]},
        {**WEIGHTED_JULY, "status": "draft"},
    ]
    report = untrusted(seeded, data, actor=controller("JOB"), apply=True)
    assert report.applied and report.splits.created == ["I-1/2026-01-15", "I-1/2026-07-01"]
    splits = dump_scenario(seeded)["interventions"][0]["splits"]
    assert [(s["status"], "decisions" in s) for s in splits] == [
        ("proposed", False), ("draft", False),
    ]
    assert {s["proposed_by"] for s in splits} == {"controller.job"}


def test_an_untrusted_load_edits_a_proposal_and_clears_its_approvals(seeded: Session) -> None:
    split = propose_split(seeded, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    decide(seeded, actor=controller("BFH"), split_id=split.id, decision="approve")
    data = small()
    data["interventions"][0]["splits"] = [
        {**FIXED_60_40, "shares": {"BFH": "55", "JOB": "45"}, "status": "proposed"},
    ]
    report = untrusted(seeded, data, actor=controller("JOB"), apply=True)
    assert report.applied
    assert [(c.key, c.fields) for c in report.splits.changed] == [
        ("I-1/2026-01-15", ("inputs", "decisions")),
    ]
    stored = dump_scenario(seeded)["interventions"][0]["splits"][0]
    assert stored["shares"] == {"BFH": "55", "JOB": "45"} and "decisions" not in stored


def test_an_untrusted_load_cannot_agree_a_version(seeded: Session) -> None:
    propose_split(seeded, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    data = small()
    data["interventions"][0]["splits"] = [{**FIXED_60_40, "status": "agreed"}]
    report = untrusted(seeded, data, actor=ADMIN)
    assert [p.code for p in report.problems] == ["status_not_allowed"]


def test_re_importing_an_unchanged_export_changes_nothing(seeded: Session) -> None:
    propose_split(seeded, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40,
                  meeting={"BFH": "Lone Thomsen", "JOB": "Mette Koch"})
    report = untrusted(seeded, as_file(dump_scenario(seeded)), actor=controller("JOB"),
                       apply=True)
    assert report.applied and report.changes == 0 and not report.problems


def test_an_untrusted_load_keeps_the_core_team_it_does_not_carry(seeded: Session) -> None:
    data = small()
    for case in data["cases"]:
        del case["core_team"]
    data["cases"][0]["family"] = "Familie Aa"
    report = untrusted(seeded, data, actor=ADMIN, apply=True)
    assert [(c.key, c.fields) for c in report.cases.changed] == [("S-2026-0001", ("family",))]
    assert dump_scenario(seeded)["cases"][0]["core_team"] == ["BFH", "JOB"]


def test_only_administrators_change_departments_in_an_untrusted_load(seeded: Session) -> None:
    data = small()
    data["departments"][0]["account"] = "5.28.22"
    report = untrusted(seeded, data, actor=controller("BFH"))
    assert [(p.code, p.where) for p in report.problems] == [
        ("admin_only", "departments[0].account"),
    ]
    assert report.problems[0].message == (
        "Som controller kan du ikke oprette eller ændre afdelinger."
    )


def test_caseworkers_load_only_into_their_own_cases(seeded: Session) -> None:
    data = small()
    data["interventions"][1]["title"] = "Støtte i klassen"
    report = untrusted(seeded, data, actor=CASEWORKER)
    assert [(p.code, p.where) for p in report.problems] == [
        ("not_on_case", "interventions[1].title"),
    ]


def test_a_full_restore_needs_an_administrator(seeded: Session) -> None:
    with pytest.raises(Forbidden):
        load_scenario(seeded, actor=controller("BFH"), data=small())


def test_versions_from_the_same_day_are_matched_by_position(seeded: Session) -> None:
    first = propose_split(seeded, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    decide(seeded, actor=controller("JOB"), split_id=first.id, decision="reject",
           reason="For stor andel")
    propose_split(seeded, actor=CASEWORKER, intervention="I-1",
                  data={**FIXED_60_40, "shares": {"BFH": "70", "JOB": "30"}})
    dumped = as_file(dump_scenario(seeded))
    assert [s["status"] for s in dumped["interventions"][0]["splits"]] == ["rejected", "proposed"]
    report = load_scenario(seeded, actor=ADMIN, data=dumped)
    assert report.splits.unchanged == ["I-1/2026-01-15", "I-1/2026-01-15#2"]
    dumped["interventions"][0]["splits"][1]["rationale"] = "Rettet efter mødet"
    report = load_scenario(seeded, actor=ADMIN, data=dumped)
    assert [(c.key, c.fields) for c in report.splits.changed] == [
        ("I-1/2026-01-15#2", ("rationale",)),
    ]


def test_a_load_leaves_records_the_file_does_not_mention_alone(seeded: Session) -> None:
    data = {"departments": small()["departments"], "cases": [], "interventions": []}
    report = load_scenario(seeded, actor=ADMIN, data=data, apply=True)
    assert report.applied and report.changes == 0
    assert len(dump_scenario(seeded)["interventions"]) == 2


def test_records_may_refer_to_what_is_already_stored(seeded: Session) -> None:
    parsed, _ = parse_scenario(small())
    assert parsed is not None
    new = dataclasses.replace(parsed.interventions[0], id="I-9")
    report = load_records(seeded, actor=ADMIN, trusted=False, scenario=Scenario((), (), (new,)))
    assert not report.problems and report.interventions.created == ["I-9"]
    orphan = dataclasses.replace(new, case="S-2099-0001")
    report = load_records(seeded, actor=ADMIN, trusted=False, scenario=Scenario((), (), (orphan,)))
    assert [(p.code, p.where) for p in report.problems] == [
        ("unknown_case", "interventions[0].case"),
    ]
