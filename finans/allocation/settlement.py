"""Internal settlement between departments (docs/calculation.md, "Settlement").

The ``paid_by`` department pays the provider each month total; every other department owes it its
allocated amount. Debts are summed over the period and netted per pair of departments. For every
department, paid − allocated = received − sent.

>>> pairwise_transfers({("JOB", "BFH"): 400, ("BFH", "JOB"): 150})
[Transfer(from_='JOB', to='BFH', amount=250)]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple

from finans.allocation.engine import Allocation
from finans.allocation.money import Ore
from finans.allocation.records import DepartmentCode

SettlementMode = Literal["pairwise", "minimal"]

EXACT_MINIMUM_LIMIT = 16
"""Up to this many departments with a non-zero position, the minimal mode is exactly minimal."""


class Transfer(NamedTuple):
    """``from_`` transfers ``amount`` øre to ``to``."""

    from_: DepartmentCode
    to: DepartmentCode
    amount: Ore


def pairwise_transfers(owed: Mapping[tuple[DepartmentCode, DepartmentCode], Ore]) -> list[Transfer]:
    """Net each pair's mutual debts into at most one transfer, sorted by from, then to.

    ``owed`` maps (debtor, creditor) to what the debtor owes over the period (an allocation's
    :attr:`~finans.allocation.engine.Allocation.owed`).
    """
    transfers = []
    for (debtor, creditor), amount in owed.items():
        net = amount - owed.get((creditor, debtor), 0)
        if net > 0:
            transfers.append(Transfer(debtor, creditor, net))
    return sorted(transfers)


def net_positions(allocation: Allocation) -> dict[DepartmentCode, Ore]:
    """Paid − allocated per department: what it should receive (positive) or send (negative)."""
    codes = sorted(set(allocation.paid) | set(allocation.totals))
    return {
        code: allocation.paid.get(code, 0) - allocation.totals.get(code, 0) for code in codes
    }


def _zero_sum_groups(codes: list[DepartmentCode], positions: list[Ore]) -> list[list[int]]:
    """Partition indices into the most zero-sum groups (exact subset dynamic programming)."""
    n = len(codes)
    full = (1 << n) - 1
    sums = [0] * (full + 1)
    best = [0] * (full + 1)
    for mask in range(1, full + 1):
        low = mask & -mask
        sums[mask] = sums[mask ^ low] + positions[low.bit_length() - 1]
        best[mask] = max(best[mask ^ (1 << i)] for i in range(n) if mask >> i & 1) + (
            sums[mask] == 0
        )
    groups: list[list[int]] = []
    current: list[int] = []
    mask = full
    while mask:
        if sums[mask] == 0 and current:
            groups.append(current)
            current = []
        target = best[mask] - (sums[mask] == 0)
        i = next(i for i in range(n) if mask >> i & 1 and best[mask ^ (1 << i)] == target)
        current.append(i)
        mask ^= 1 << i
    groups.append(current)
    return groups


def _greedy(positions: dict[DepartmentCode, Ore]) -> list[Transfer]:
    """Largest debtor pays largest creditor until all positions are zero (≤ n − 1 transfers)."""
    balance = {code: amount for code, amount in positions.items() if amount}
    transfers = []
    while balance:
        creditor = max(balance, key=lambda c: (balance[c], c))
        debtor = min(balance, key=lambda c: (balance[c], c))
        amount = min(balance[creditor], -balance[debtor])
        transfers.append(Transfer(debtor, creditor, amount))
        for code, change in ((creditor, -amount), (debtor, amount)):
            balance[code] += change
            if balance[code] == 0:
                del balance[code]
    return transfers


def minimal_transfers(positions: dict[DepartmentCode, Ore]) -> list[Transfer]:
    """The fewest transfers that settle the same net positions, sorted by from, then to.

    n departments in k disjoint zero-sum groups need at least n − k transfers, and settling each
    group greedily reaches that; the grouping with the most groups is found exactly for up to
    :data:`EXACT_MINIMUM_LIMIT` departments and greedily (still settling exactly) beyond.
    """
    nonzero = {code: amount for code, amount in sorted(positions.items()) if amount}
    if len(nonzero) > EXACT_MINIMUM_LIMIT:
        return sorted(_greedy(nonzero))
    codes = list(nonzero)
    amounts = list(nonzero.values())
    transfers: list[Transfer] = []
    for group in _zero_sum_groups(codes, amounts) if codes else []:
        transfers.extend(_greedy({codes[i]: amounts[i] for i in group}))
    return sorted(transfers)


def settle(allocation: Allocation, mode: SettlementMode = "pairwise") -> list[Transfer]:
    """The transfers that settle an allocation, pairwise-netted or minimal."""
    if mode == "minimal":
        return minimal_transfers(net_positions(allocation))
    return pairwise_transfers(allocation.owed)
