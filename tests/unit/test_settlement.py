"""Internal settlement: pairwise netting and the minimal set of transfers (docs/calculation.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finans.allocation import (
    CostSchedule,
    Intervention,
    Method,
    Per,
    Period,
    Scenario,
    SplitVersion,
    Status,
    Transfer,
    allocate,
    settle,
)
from finans.allocation.engine import Allocation
from finans.allocation.settlement import (
    EXACT_MINIMUM_LIMIT,
    minimal_transfers,
    net_positions,
    pairwise_transfers,
)

YEAR_2026 = Period(date(2026, 1, 1), date(2026, 12, 31))


def one_off(ident: str, amount: int, paid_by: str, **percents: str) -> Intervention:
    split = SplitVersion(
        date(2026, 1, 1),
        Method.FIXED,
        Status.AGREED,
        shares=tuple((code, Decimal(p)) for code, p in sorted(percents.items())),
    )
    cost = CostSchedule(amount, Per.ONCE, date(2026, 6, 1))
    return Intervention(ident, "S-1", "Indsats", "BL § 32", paid_by, paid_by, cost, (split,))


def run(*interventions: Intervention) -> Allocation:
    return allocate(Scenario((), (), interventions), YEAR_2026)


def flows(transfers: list[Transfer]) -> dict[str, int]:
    """Received − sent per department."""
    result: dict[str, int] = {}
    for transfer in transfers:
        result[transfer.to] = result.get(transfer.to, 0) + transfer.amount
        result[transfer.from_] = result.get(transfer.from_, 0) - transfer.amount
    return {code: amount for code, amount in sorted(result.items()) if amount}


def test_mutual_debts_of_a_pair_are_netted_into_one_transfer() -> None:
    allocation = run(
        one_off("I-1", 30_000, "BFH", BFH="0", JOB="100"),  # JOB owes BFH 300.00
        one_off("I-2", 10_000, "JOB", BFH="100"),  # BFH owes JOB 100.00
    )
    # 300.00 − 100.00 = 200.00 from JOB to BFH.
    assert settle(allocation) == [Transfer("JOB", "BFH", 20_000)]


def test_equal_mutual_debts_cancel_out_completely() -> None:
    allocation = run(
        one_off("I-1", 10_000, "BFH", JOB="100"),
        one_off("I-2", 10_000, "JOB", BFH="100"),
    )
    assert settle(allocation) == []
    assert settle(allocation, "minimal") == []


def test_the_payer_owes_nothing_for_its_own_share() -> None:
    allocation = run(one_off("I-1", 100_000, "BFH", BFH="60", JOB="25", SKO="15"))
    # BFH pays 1000.00 and keeps its 600.00; JOB owes 250.00, SKO 150.00.
    assert settle(allocation) == [Transfer("JOB", "BFH", 25_000), Transfer("SKO", "BFH", 15_000)]


def test_transfers_are_sorted_by_from_then_to() -> None:
    allocation = run(
        one_off("I-1", 100, "VOK", SKO="100"),
        one_off("I-2", 100, "BFH", SKO="100"),
        one_off("I-3", 100, "BFH", JOB="100"),
    )
    assert settle(allocation) == [
        Transfer("JOB", "BFH", 100),
        Transfer("SKO", "BFH", 100),
        Transfer("SKO", "VOK", 100),
    ]


def test_minimal_settlement_beats_pairwise_on_a_three_department_cycle() -> None:
    allocation = run(
        one_off("I-1", 10_000, "A", B="100"),  # B owes A 100.00
        one_off("I-2", 10_000, "B", C="100"),  # C owes B 100.00
        one_off("I-3", 5_000, "C", A="100"),  # A owes C 50.00
    )
    # Pairwise keeps the cycle: three transfers.
    pairwise = settle(allocation)
    assert pairwise == [
        Transfer("A", "C", 5_000),
        Transfer("B", "A", 10_000),
        Transfer("C", "B", 10_000),
    ]
    # Net: A paid 100 − allocated 50 = +50; B 100 − 100 = 0; C 50 − 100 = −50 → one transfer.
    assert net_positions(allocation) == {"A": 5_000, "B": 0, "C": -5_000}
    minimal = settle(allocation, "minimal")
    assert minimal == [Transfer("C", "A", 5_000)]
    assert flows(minimal) == flows(pairwise) == {"A": 5_000, "C": -5_000}


def test_a_balanced_cycle_needs_no_transfer_at_all_in_minimal_mode() -> None:
    allocation = run(
        one_off("I-1", 10_000, "A", B="100"),
        one_off("I-2", 10_000, "B", C="100"),
        one_off("I-3", 10_000, "C", A="100"),
    )
    assert len(settle(allocation)) == 3
    assert settle(allocation, "minimal") == []


def test_minimal_finds_zero_sum_groups_that_greedy_matching_misses() -> None:
    positions = {"A": 6, "B": 5, "C": 4, "D": -9, "E": -6}
    # Largest-to-largest alone needs four transfers (D→A 6, E→B 5, D→C 3, E→C 1); splitting into
    # the zero-sum groups {A, E} and {B, C, D} needs only 5 − 2 = 3.
    transfers = minimal_transfers(positions)
    assert len(transfers) == 3
    assert Transfer("E", "A", 6) in transfers
    assert flows(transfers) == positions
    assert transfers == sorted(transfers)


def test_minimal_still_settles_exactly_beyond_the_exact_search_limit() -> None:
    size = EXACT_MINIMUM_LIMIT + 4
    positions = {f"D{i:02d}": (i + 1) * 101 for i in range(size - 1)}
    positions["Z"] = -sum(positions.values())
    transfers = minimal_transfers(positions)
    # One debtor and many creditors: one transfer per creditor is both greedy and minimal.
    assert len(transfers) == size - 1
    assert flows(transfers) == dict(sorted(positions.items()))


def test_minimal_transfers_of_all_zero_positions_is_empty() -> None:
    assert minimal_transfers({}) == []
    assert minimal_transfers({"A": 0, "B": 0}) == []


def test_paid_minus_allocated_equals_received_minus_sent_in_both_modes() -> None:
    allocation = run(
        one_off("I-1", 100_001, "BFH", BFH="33.3333", JOB="33.3333", SKO="33.3334"),
        one_off("I-2", 77_777, "JOB", SKO="50", VOK="50"),
        one_off("I-3", 55_555, "SKO", BFH="10", JOB="90"),
    )
    positions = {code: amount for code, amount in net_positions(allocation).items() if amount}
    assert flows(settle(allocation)) == positions
    assert flows(settle(allocation, "minimal")) == positions
    assert len(settle(allocation, "minimal")) <= len(settle(allocation))


def test_pairwise_transfers_net_what_each_owes_each_payer() -> None:
    # JOB owes BFH 800 in all, BFH owes JOB 300: one transfer of 500 from JOB to BFH.
    assert pairwise_transfers({("JOB", "BFH"): 800, ("BFH", "JOB"): 300}) == [
        Transfer("JOB", "BFH", 500)
    ]
    assert pairwise_transfers({("JOB", "BFH"): 300, ("BFH", "JOB"): 300}) == []


def test_what_a_department_owes_a_payer_is_its_lines_of_the_payers_interventions() -> None:
    allocation = run(
        one_off("I-1", 100_001, "BFH", BFH="33.3333", JOB="33.3333", SKO="33.3334"),
        one_off("I-2", 77_777, "JOB", SKO="50", VOK="50"),
    )
    owed: dict[tuple[str, str], int] = {}
    for line in allocation.lines:
        if line.department != line.paid_by:
            key = (line.department, line.paid_by)
            owed[key] = owed.get(key, 0) + line.amount
    # I-1: JOB 333.34 and SKO 333.34 of 1000.01 to BFH; I-2: SKO and VOK 388.89/388.88 to JOB.
    assert allocation.owed == dict(sorted(owed.items()))
    assert set(allocation.owed) == {("JOB", "BFH"), ("SKO", "BFH"), ("SKO", "JOB"),
                                    ("VOK", "JOB")}
