"""The refund's yearly rates in the store: seeded statutory level, located errors, versions,
administrators only, and the database's own guards, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from finans.services import refund_rates
from finans.services.errors import Conflict, Forbidden, ServiceError
from finans.services.refund_rates import RefundRateView
from tests.integration.municipality import ADMIN, CASEWORKER, MANAGER, audit_count, controller

NEW_YEAR = {"year": 2026, "thresholds": ["1041000.00", "2034000", "2567000"],
            "percents": ["25", "50", "75"], "note": "Satser for 2026"}


def test_a_new_database_holds_the_statutory_2022_level_marked_as_such(session: Session) -> None:
    assert refund_rates.list_rates(session, actor=CASEWORKER) == [RefundRateView(
        year=2022, thresholds=(86_000_000, 168_000_000, 212_000_000),
        percents=("25", "50", "75"),
        note="Lovens beløb i 2022-niveau (Barnets lov § 198, Serviceloven § 176)",
        statutory=True, version=1,
    )]


def test_an_administrator_enters_a_year_and_everyone_reads_it(session: Session) -> None:
    made = refund_rates.create_rate(session, actor=ADMIN, data=NEW_YEAR)
    assert made == RefundRateView(
        year=2026, thresholds=(104_100_000, 203_400_000, 256_700_000),
        percents=("25", "50", "75"), note="Satser for 2026", statutory=False, version=1,
    )
    for reader in (CASEWORKER, MANAGER, controller("JOB")):
        assert refund_rates.get_rate(session, actor=reader, year=2026) == made


@pytest.mark.parametrize("actor", [CASEWORKER, MANAGER, controller("BFH")])
def test_only_administrators_enter_or_change_rates(session: Session, actor: object) -> None:
    before = audit_count(session)
    with pytest.raises(Forbidden):
        refund_rates.create_rate(session, actor=actor, data=NEW_YEAR)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        refund_rates.update_rate(session, actor=actor, year=2022,  # type: ignore[arg-type]
                                 version=1, data={"note": "x"})
    assert audit_count(session) == before
    assert [rate.year for rate in refund_rates.list_rates(session, actor=ADMIN)] == [2022]


def test_bad_rates_are_refused_with_every_problem_located_and_nothing_saved(
    session: Session,
) -> None:
    before = audit_count(session)
    with pytest.raises(ServiceError) as refused:
        refund_rates.create_rate(session, actor=ADMIN, data={
            "year": 26, "thresholds": ["900000", "800000", "-1"],
            "percents": ["25", "150", "12.34567"], "note": 7,
        })
    assert [(p.where, p.code) for p in refused.value.problems] == [
        ("year", "year_range"),
        ("thresholds[1]", "thresholds_order"),
        ("thresholds[2]", "negative"),
        ("percents[1]", "percent_range"),
        ("percents[2]", "too_many_decimals"),
        ("note", "wrong_type"),
    ]
    with pytest.raises(ServiceError) as refused:
        refund_rates.create_rate(session, actor=ADMIN, data={
            "year": 2026, "thresholds": ["1", "2"], "percents": "25"})
    assert [(p.where, p.code) for p in refused.value.problems] == [
        ("thresholds", "tier_count"), ("percents", "not_list")]
    with pytest.raises(ServiceError) as refused:
        refund_rates.create_rate(session, actor=ADMIN, data={
            "year": 2026, "thresholds": ["1", "2", "3", "4"], "percents": ["1", "2", "3", "4"]})
    assert [(p.where, p.code) for p in refused.value.problems] == [
        ("thresholds", "tier_count"), ("percents", "tier_count")]
    assert audit_count(session) == before


def test_a_year_is_entered_once(session: Session) -> None:
    with pytest.raises(ServiceError) as refused:
        refund_rates.create_rate(session, actor=ADMIN, data={**NEW_YEAR, "year": 2022})
    assert [p.code for p in refused.value.problems] == ["duplicate_year"]


def test_changing_the_statutory_amounts_clears_the_mark_but_a_note_does_not(
    session: Session,
) -> None:
    noted = refund_rates.update_rate(session, actor=ADMIN, year=2022, version=1,
                                     data={"note": "Lovens beløb", "percents": ["25.0", 50, 75]})
    assert noted.statutory is True and noted.version == 2
    assert noted.percents == ("25", "50", "75")
    changed = refund_rates.update_rate(session, actor=ADMIN, year=2022, version=2,
                                       data={"thresholds": ["860000", "1680000", "2120001"]})
    assert changed.statutory is False and changed.thresholds[2] == 212_000_100


def test_a_stale_change_is_a_conflict_naming_who_changed_what(session: Session) -> None:
    refund_rates.update_rate(session, actor=ADMIN, year=2022, version=1, data={"note": "Ny"})
    with pytest.raises(Conflict) as refused:
        refund_rates.update_rate(session, actor=ADMIN, year=2022, version=1,
                                 data={"note": "Min"})
    assert refused.value.changes and "note" in refused.value.changes[0]
    assert refund_rates.get_rate(session, actor=ADMIN, year=2022).note == "Ny"


def test_two_administrators_saving_the_same_year_at_once_keep_one_save(
    new_session: Callable[[], Session],
) -> None:
    first, second = new_session(), new_session()
    refund_rates.get_rate(first, actor=ADMIN, year=2022)
    refund_rates.get_rate(second, actor=ADMIN, year=2022)
    refund_rates.update_rate(first, actor=ADMIN, year=2022, version=1, data={"note": "A"})
    with pytest.raises(Conflict):
        refund_rates.update_rate(second, actor=ADMIN, year=2022, version=1, data={"note": "B"})
    assert refund_rates.get_rate(new_session(), actor=ADMIN, year=2022).note == "A"


def test_the_database_refuses_thresholds_that_do_not_rise(session: Session) -> None:
    with pytest.raises(IntegrityError):
        session.connection().execute(text(
            "INSERT INTO refund_rates (version, year, threshold_1, threshold_2, threshold_3, "
            "percent_1, percent_2, percent_3, note, statutory) "
            "VALUES (1, 2030, 300, 200, 400, '25', '50', '75', '', false)"
        ))


def test_a_new_year_starts_from_the_newest_year_before_it(session: Session) -> None:
    assert refund_rates.starting_point(session) == {
        "year": 2023, "thresholds": ["860000.00", "1680000.00", "2120000.00"],
        "percents": ["25", "50", "75"], "note": "Kopieret fra 2022"}
    refund_rates.create_rate(session, actor=ADMIN, data=NEW_YEAR)
    assert refund_rates.starting_point(session)["year"] == 2027
    assert refund_rates.starting_point(session, year=2025)["thresholds"][0] == "860000.00"
