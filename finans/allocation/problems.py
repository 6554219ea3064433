"""Located problems: what is wrong with an input and where, for people to fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem with an input.

    Attributes:
      code: stable machine code, e.g. ``shares_sum``.
      message: Danish text a controller understands.
      where: a JSON path (``interventions[2].cost.amount``) or a cell (``Fordeling!E7``).
    """

    code: str
    message: str
    where: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "where": self.where}
