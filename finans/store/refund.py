"""The yearly rates of the state refund for expensive cases, one row per calendar year.

Kept in its own module beside :mod:`finans.store.models`, like the budgets: only the refund
services read and write it. The year is the key. Thresholds are the tiers' lower bounds per year
in øre, strictly ascending (the database refuses anything else); percents are exact decimal text
(``"25"``, ``"37.5"``). ``statutory`` marks the amounts the law itself names (the 2022 level the
migration seeds); it is cleared as soon as someone changes them.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import BigInteger, CheckConstraint, Column
from sqlmodel import Field

from finans.store.models import Versioned


class RefundRate(Versioned, table=True):
    """The refund thresholds and percents of one year (see docs/refund.md)."""

    __tablename__: ClassVar[str] = "refund_rates"
    __table_args__ = (
        CheckConstraint("threshold_1 >= 0", name="threshold_not_negative"),
        CheckConstraint(
            "threshold_1 < threshold_2 AND threshold_2 < threshold_3", name="thresholds_ascending"
        ),
    )

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    threshold_1: int = Field(sa_column=Column(BigInteger, nullable=False))
    threshold_2: int = Field(sa_column=Column(BigInteger, nullable=False))
    threshold_3: int = Field(sa_column=Column(BigInteger, nullable=False))
    percent_1: str
    percent_2: str
    percent_3: str
    note: str = ""
    statutory: bool = False
