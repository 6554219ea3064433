"""The layering holds: the allocation core stays pure (stdlib only, no binary floating point), and
the import contracts in pyproject.toml (edges → services → store → engine) are kept."""

from __future__ import annotations

import ast
import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import finans.allocation

PACKAGE = Path(finans.allocation.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))
FORBIDDEN = (
    "flask", "flask_login", "flask_wtf", "sqlmodel", "sqlalchemy", "alembic", "psycopg",
    "openpyxl", "xlsxwriter", "defusedxml", "matplotlib", "babel", "click", "pydantic", "numpy",
)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a module of the package."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append((node.lineno, "finans.allocation"))
            else:
                found.append((node.lineno, node.module or ""))
    return found


def is_allowed(module: str) -> bool:
    top = module.partition(".")[0]
    return top in sys.stdlib_module_names or (
        module == "finans.allocation" or module.startswith("finans.allocation.")
    )


def test_the_package_has_the_modules_the_architecture_names() -> None:
    names = {path.stem for path in MODULES}
    assert {"records", "money", "shares", "engine", "settlement", "eligibility", "result"} <= names


def test_every_module_imports_only_the_stdlib_and_the_package_itself() -> None:
    outside = [
        f"{path.name}:{line} imports {module}"
        for path in MODULES
        for line, module in imported_modules(path)
        if not is_allowed(module)
    ]
    assert outside == []


def test_importing_the_package_loads_no_third_party_module() -> None:
    script = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import finans.allocation\n"
        "for name in sorted(set(sys.modules) - before):\n"
        "    print(name)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent.parent,
    )
    loaded = completed.stdout.split()
    assert "finans.allocation.engine" in loaded
    assert [name for name in loaded if name.partition(".")[0] in FORBIDDEN] == []
    assert [
        name
        for name in loaded
        if name.partition(".")[0] not in sys.stdlib_module_names
        and name != "finans"
        and not name.startswith("finans.allocation")
    ] == []


def float_uses(path: Path) -> list[str]:
    uses = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, float | complex):
            uses.append(f"{path.name}:{node.lineno} literal {node.value!r}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "float"
        ):
            uses.append(f"{path.name}:{node.lineno} float(...)")
    return uses


def test_no_module_calls_float_or_writes_a_float_literal() -> None:
    assert [use for path in MODULES for use in float_uses(path)] == []


def test_the_checks_notice_a_float_and_a_third_party_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import babel\nfrom flask import Flask\nx = float('1') + 2.5\n")
    assert float_uses(sample) == ["sample.py:3 float(...)", "sample.py:3 literal 2.5"]
    assert [m for _, m in imported_modules(sample) if not is_allowed(m)] == ["babel", "flask"]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.stem)
def test_the_worked_examples_in_the_docstrings_hold(path: Path) -> None:
    module = importlib.import_module(f"finans.allocation.{path.stem}")
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0


def test_the_import_contracts_of_every_layer_are_kept() -> None:
    """The contracts in pyproject.toml, as ``make lint`` checks them, in a process of its own
    (``lint-imports`` changes the logging set-up of the process it runs in)."""
    root = PACKAGE.parent.parent
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--config", "pyproject.toml",
         "--no-cache"],
        capture_output=True, text=True, check=False, cwd=root,
    )
    assert completed.returncode == 0, completed.stdout
    assert " kept, 0 broken." in completed.stdout
