"""Checks that this machine can run ``make run`` and ``make test``, without running a test.

Prints one line per missing part and exits 1, or prints one line saying all is well. It uses only
the standard library so that it runs before the virtual environment exists:

    python3 tools/check_setup.py --venv .venv --debian-packages "chromium postgresql"
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

MINIMUM_PYTHON = (3, 11)
CHROMIUM = "/usr/bin/chromium"
POSTGRES_TOOLS = ("initdb", "pg_ctl", "postgres")
FREE_BYTES = 2 * 1024**3
"""The virtual environment takes about 0.7 GB; test databases and screenshots a few hundred MB."""

DISTRIBUTIONS = """
import importlib.metadata as metadata
import re
for requirement in metadata.requires("finans") or []:
    name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        print(requirement.partition(";")[0])
"""


def python_problems(venv: Path) -> Iterator[str]:
    if sys.version_info < MINIMUM_PYTHON:
        yield (f"Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer is needed, "
               f"{sys.executable} is {sys.version.split()[0]}")
    python = venv / "bin" / "python"
    if not python.exists():
        yield f"no virtual environment in {venv}: run 'make run' or 'make test' to create it"
        return
    missing = run([str(python), "-c", DISTRIBUTIONS])
    if missing is None:
        yield f"{python} does not start"
        return
    if run([str(python), "-c", "import finans.web, finans.cli"]) is None:
        yield f"the finans package does not import in {venv}: run 'make clean' and 'make test'"
    for requirement in missing.split():
        yield f"the Python package {requirement} is not installed in {venv}: run 'make lint'"
    if run([str(python), "-m", "pip", "check"]) is None:
        yield f"the Python packages in {venv} conflict ('{python} -m pip check' says which)"
    installed = venv / ".installed"
    project = venv.parent / "pyproject.toml"
    if installed.exists() and installed.stat().st_mtime < project.stat().st_mtime:
        yield f"{venv} is older than pyproject.toml: run 'make lint' to update it"


def debian_problems(packages: list[str]) -> Iterator[str]:
    if not shutil.which("dpkg-query"):
        return
    for package in packages:
        status = run(["dpkg-query", "-W", "-f=${Status}", package])
        if status != "install ok installed":
            yield f"the Debian package {package} is not installed: 'make test' installs it"


def chromium_problems() -> Iterator[str]:
    version = run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--version"])
    if version is None:
        yield f"{CHROMIUM} does not run headless (the browser tests need Debian's chromium)"


def postgres_problems() -> Iterator[str]:
    if os.environ.get("FINANS_TEST_POSTGRES_URL"):
        return
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not folders:
        yield ("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin "
               "(the store tests need Debian's postgresql, or FINANS_TEST_POSTGRES_URL)")
        return
    for tool in POSTGRES_TOOLS:
        if not os.access(Path(folders[-1]) / tool, os.X_OK):
            yield f"{folders[-1]}/{tool} is missing"
    if os.geteuid() == 0 and run(["id", "-u", "postgres"]) is None:
        yield "tests run as root start PostgreSQL as the user postgres, which does not exist"


def redis_problems() -> Iterator[str]:
    if run(["redis-server", "--version"]) is None:
        yield "redis-server does not run (the log-in limit tests need Debian's redis-server)"


def disk_problems(folders: list[Path]) -> Iterator[str]:
    for folder in folders:
        free = shutil.disk_usage(folder).free
        if free < FREE_BYTES:
            yield (f"{folder} has {free / 1024**3:.1f} GB free; "
                   f"the setup and the tests need {FREE_BYTES / 1024**3:.0f} GB")


def run(command: list[str]) -> str | None:
    """The command's stripped output, or ``None`` when it cannot start or fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--venv", type=Path, default=Path(".venv"))
    parser.add_argument("--debian-packages", default="", help="space-separated package names")
    options = parser.parse_args()
    venv = options.venv.absolute()
    problems = [
        *python_problems(venv),
        *debian_problems(options.debian_packages.split()),
        *chromium_problems(),
        *postgres_problems(),
        *redis_problems(),
        *disk_problems([venv.parent, Path(tempfile.gettempdir())]),
    ]
    for problem in problems:
        print(problem)
    if not problems:
        print("The setup is complete: 'make run' and 'make test' have what they need.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
