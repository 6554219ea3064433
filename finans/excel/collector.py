"""Turning read cells into scenario JSON while remembering which cell each value came from.

The workbook is read into the same scenario JSON the calculator and the database load take (design
§5), so the checks are the engine's own. Every JSON path the reader fills is mapped to the cell it
came from; a problem found later at a JSON path (``interventions[3].splits[1].shares``) is moved to
the closest cell (``Fordeling!G7``). Problems with the cells themselves (a word where a number
belongs, an unknown ``Pr.``) are located at the cell straight away.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from finans.allocation.problems import Problem
from finans.excel.cells import Parsed, RawCell

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_ÆØÅæøå-]+")


def at(path: str, key: str) -> str:
    """The JSON path of ``key`` inside the object at ``path``, spelled as the validation does."""
    if not _PLAIN_KEY.fullmatch(key):
        return f"{path}[{json.dumps(key, ensure_ascii=False)}]"
    return f"{path}.{key}" if path else key


def parent(path: str) -> str:
    """``a.b[2].c`` → ``a.b[2]`` → ``a.b`` → ``a`` → ``""``."""
    if path.endswith('"]'):
        return path[: path.rfind('["')]
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


class Collector:
    """Values read from cells, the cell behind each JSON path, and the problems met on the way.

    Attributes:
      cells: JSON path → ``Sheet!Cell``.
      department_cells: JSON path of a department key (``…shares.JOB``) → its ``Afdeling`` cell,
        where an unknown department is better shown than at the number beside it.
      problems: problems located at cells.
    """

    def __init__(self, fallback: str) -> None:
        self.fallback = fallback
        self.cells: dict[str, str] = {}
        self.department_cells: dict[str, str] = {}
        self.problems: list[Problem] = []
        self._bad_cells: set[str] = set()
        self._seen: set[tuple[str, str]] = set()

    def problem(self, code: str, message: str, where: str) -> None:
        """A problem at a cell (a cell read twice reports its problem once)."""
        if (where, message) not in self._seen:
            self._seen.add((where, message))
            self.problems.append(Problem(code, message, where))
        self._bad_cells.add(where)

    def map(self, path: str, cell: RawCell | str) -> None:
        """Remember that ``path`` came from ``cell`` (the first cell named for a path wins)."""
        self.cells.setdefault(path, cell if isinstance(cell, str) else cell.where)

    def read(
        self,
        cell: RawCell,
        parse: Callable[[RawCell], Parsed],
        header: str,
        *,
        path: str | None = None,
        required: bool = False,
    ) -> Any:
        """The parsed value of ``cell`` or ``None``; formulas, bad and missing values are noted."""
        if path is not None:
            self.map(path, cell)
        if cell.formula:
            message = f"Formler er ikke tilladt her; skriv selve værdien ({header})"
            self.problem("formula_not_allowed", message, cell.where)
            return None
        value, fault = parse(cell)
        if fault is not None:
            self.problem("bad_value", f"{fault[0].upper()}{fault[1:]} ({header})", cell.where)
            return None
        if value is None and required:
            self.problem("missing_value", f"Skal udfyldes ({header})", cell.where)
        return value

    def locate(self, problems: Iterable[Problem]) -> list[Problem]:
        """``problems`` at JSON paths moved to their closest cells; read problems come first.

        A problem at a cell that already has a read problem repeats it (the value was left out
        because it could not be read) and is dropped, as are exact repeats.
        """
        located = list(self.problems)
        seen = {(problem.where, problem.message) for problem in located}
        for problem in problems:
            where = self.cell_of(problem)
            if where in self._bad_cells or (where, problem.message) in seen:
                continue
            seen.add((where, problem.message))
            located.append(Problem(problem.code, problem.message, where))
        return located

    def cell_of(self, problem: Problem) -> str:
        """The cell closest to ``problem.where`` (a JSON path); the fallback when none is known."""
        path = problem.where
        if problem.code == "unknown_department" and path in self.department_cells:
            return self.department_cells[path]
        while path:
            if path in self.cells:
                return self.cells[path]
            path = parent(path)
        return self.cells.get("", self.fallback)
