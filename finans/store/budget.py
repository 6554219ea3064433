"""The yearly joint-financing budget of each department (integer øre, one row per year).

Kept in its own module beside :mod:`finans.store.models`: it belongs to budget follow-up, which
only the dashboard and the budget services read and write.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, String, UniqueConstraint
from sqlmodel import Field

from finans.store.models import Versioned


class Budget(Versioned, table=True):
    """What a department has budgeted for joint financing in one calendar year, in øre."""

    __tablename__: ClassVar[str] = "budgets"
    __table_args__ = (
        UniqueConstraint("department", "year", name="one_budget_per_department_and_year"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    department: str = Field(
        sa_column=Column(String, ForeignKey("departments.code"), nullable=False, index=True)
    )
    year: int
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
