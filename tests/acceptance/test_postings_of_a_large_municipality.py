"""A year of postings for the large synthetic municipality (20,000 interventions), from the engine
through the core's legs to the CSV and G69 files, and closed months corrected in the next one."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import pytest

from benchmarks.synthetic import generate
from finans.allocation import Method, Period, Scenario, SplitVersion, Status, allocate
from finans.allocation.engine import Line, collector_paused
from finans.allocation.postings import (
    Chart,
    balance_by_day,
    corrections,
    entries,
    key,
    legs,
    lines_by_month,
    net_by_department,
    posted_amounts,
)
from finans.allocation.settlement import net_positions
from finans.allocation.validation import parse_scenario
from finans.ledger import G69Settings, write_csv, write_g69

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
CLOSED = Period(date(2025, 1, 1), date(2025, 3, 31))
APRIL = Period(date(2025, 4, 1), date(2025, 4, 30))


@pytest.fixture(scope="module")
def municipality() -> Scenario:
    scenario, problems = parse_scenario(generate(seed=1, cases=5000, interventions=20000))
    assert scenario is not None, problems[:3]
    return scenario


def ore(text: str) -> int:
    kroner, _, rest = text.partition(",")
    return int(kroner) * 100 + int(rest) if text else 0


def year_csv(scenario: Scenario) -> bytes:
    grouped = lines_by_month(allocate(scenario, YEAR).lines)
    chart = Chart.of(scenario)
    target = io.BytesIO()
    write_csv(legs(e for month in sorted(grouped) for e in entries(grouped[month], chart)), target)
    return target.getvalue()


@collector_paused()
def test_the_years_csv_balances_nets_to_the_settlement_and_reads_back_as_the_allocation(
    municipality: Scenario,
) -> None:
    allocation = allocate(municipality, YEAR)
    header, *rows = csv.reader(io.StringIO(year_csv(municipality).decode("utf-8-sig")),
                               delimiter=";")
    assert header[:5] == ["Bilagsdato", "Kontostreng", "Debet", "Kredit", "Tekst"]
    assert len(rows) > 200_000
    days: dict[str, int] = {}
    nets: dict[str, int] = {}
    debits: dict[tuple[str, str, str], int] = {}
    for day, _, debit_text, credit_text, text, ident, _, department, _ in rows:
        debit, credit = ore(debit_text), ore(credit_text)
        days[day] = days.get(day, 0) + debit - credit
        nets[department] = nets.get(department, 0) + debit - credit
        if debit:
            found = (ident, text.split()[2], department)
            debits[found] = debits.get(found, 0) + debit
    assert len(days) == 12 and set(days.values()) == {0}
    assert nets == {code: -amount for code, amount in net_positions(allocation).items()
                    if amount}
    assert debits == {(line.intervention, line.month, line.department): line.amount
                      for line in allocation.lines if line.department != line.paid_by}
    for code, total in allocation.totals.items():
        assert nets.get(code, 0) + allocation.paid.get(code, 0) == total


def reassessed_back(scenario: Scenario) -> Scenario:
    """Every tenth intervention with a split re-assessed from 10 February: shared equally."""
    changed = []
    for index, intervention in enumerate(scenario.interventions):
        if index % 10 == 0 and intervention.splits:
            codes = tuple(sorted({intervention.paid_by, intervention.granted_by, "JOB"}))
            split = SplitVersion(date(2025, 2, 10), Method.EQUAL, Status.AGREED,
                                 departments=codes)
            kept = tuple(s for s in intervention.splits if s.effective_from != date(2025, 2, 10))
            intervention = replace(intervention, splits=(*kept, split))
        changed.append(intervention)
    return replace(scenario, interventions=tuple(changed))


def differences(now: tuple[Line, ...], was: tuple[Line, ...]) -> dict[tuple[str, ...], int]:
    moved: dict[tuple[str, ...], int] = {}
    for sign, lines in ((1, now), (-1, was)):
        for line in lines:
            moved[key(line)] = moved.get(key(line), 0) + sign * line.amount
    return {found: amount for found, amount in moved.items() if amount}


@collector_paused()
def test_a_reassessment_dated_back_is_posted_as_exactly_its_difference_in_april(
    municipality: Scenario,
) -> None:
    chart = Chart.of(municipality)
    was = allocate(municipality, CLOSED)
    frozen = list(entries(was.lines, chart))
    closed_file = io.BytesIO()
    write_csv(legs(frozen), closed_file)
    after = reassessed_back(municipality)
    now = allocate(after, CLOSED)
    chart_after = Chart.of(after)
    due = corrections(entries(now.lines, chart_after), posted_amounts(frozen), "2025-04",
                      chart_after)
    assert len(due) > 1000
    assert {key(entry): entry.amount for entry in due} == differences(now.lines, was.lines)
    # Closed months are written from what they froze, whatever the scenario says now.
    again = io.BytesIO()
    write_csv(legs(frozen), again)
    assert again.getvalue() == closed_file.getvalue()
    # April: its own allocation and the corrections, balanced, netting to the settlement moves.
    april_allocation = allocate(after, APRIL)
    april = [*entries(april_allocation.lines, chart_after), *due]
    april_legs = list(legs(april))
    assert all(debit == credit for debit, credit in balance_by_day(april_legs).values())
    assert {leg.day for leg in april_legs} == {date(2025, 4, 30)}
    expected: dict[str, int] = {}
    for allocation, sign in ((april_allocation, 1), (now, 1), (was, -1)):
        for code, position in net_positions(allocation).items():
            expected[code] = expected.get(code, 0) - sign * position
    assert net_by_department(april_legs) == {
        code: amount for code, amount in sorted(expected.items()) if amount}
    g69 = io.BytesIO()
    records = write_g69(april_legs, g69, G69Settings(482, 151), APRIL.end)
    lines = g69.getvalue().decode("iso-8859-1").splitlines()
    assert records == len(april_legs) and lines[-1] == f"SLUTD{records:05d}"
    assert sum(line.count("Efterregulering 2025-0") for line in lines) == 2 * len(
        [e for e in due if e.department != e.paid_by])
