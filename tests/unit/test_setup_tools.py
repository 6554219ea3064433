"""The setup behind ``make test`` installs missing Debian packages, or says how, and checks itself.

The installer runs against stand-ins for ``dpkg-query``, ``id``, ``sudo`` and ``apt-get`` on
``PATH`` that record how they were called, so nothing is installed for real.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
INSTALLER = ROOT / "tools" / "install-debian-packages"
CHECK = ROOT / "tools" / "check_setup.py"


def stand_ins(folder: Path, *, installed: set[str], uid: int, sudo: bool) -> Path:
    """A folder of fake system commands that log their arguments to ``calls``."""
    log = folder / "calls"
    commands = {
        "dpkg-query": (
            'package="$3"\n'
            f'for known in {" ".join(sorted(installed))}; do\n'
            '  [ "$package" = "$known" ] && { printf "install ok installed"; exit 0; }\n'
            "done\nexit 1\n"
        ),
        "id": f"echo {uid}\n",
        "apt-get": f'echo "apt-get $*" >> {log}\n',
    }
    if sudo:
        commands["sudo"] = f'echo "sudo $1" >> {log}\n"$@"\n'
    for name, body in commands.items():
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}")
        path.chmod(0o755)
    return log


def install(tmp_path: Path, *packages: str, installed: set[str], uid: int = 0,
            sudo: bool = False) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = stand_ins(tmp_path, installed=installed, uid=uid, sudo=sudo)
    # The stand-ins and ``env`` are all the script finds on PATH: no real sudo or apt-get.
    (tmp_path / "env").symlink_to(shutil.which("env") or "/usr/bin/env")
    done = subprocess.run(["/bin/sh", str(INSTALLER), *packages], env={"PATH": str(tmp_path)},
                          capture_output=True, text=True, check=False)
    calls = log.read_text().splitlines() if log.exists() else []
    return done, calls


def test_nothing_is_installed_when_every_package_is_there(tmp_path: Path) -> None:
    done, calls = install(tmp_path, "chromium", "postgresql",
                          installed={"chromium", "postgresql"})
    assert (done.returncode, calls, done.stderr) == (0, [], "")


def test_root_installs_only_the_missing_packages(tmp_path: Path) -> None:
    done, calls = install(tmp_path, "chromium", "chromium-l10n", "postgresql",
                          installed={"chromium"})
    assert done.returncode == 0, done.stderr
    assert calls == [
        "apt-get update -qq",
        "apt-get install -y -qq --no-install-recommends chromium-l10n postgresql",
    ]


def test_a_user_with_sudo_installs_through_sudo(tmp_path: Path) -> None:
    done, calls = install(tmp_path, "chromium", "postgresql", installed={"postgresql"},
                          uid=1000, sudo=True)
    assert done.returncode == 0, done.stderr
    assert calls == [
        "sudo env",
        "apt-get update -qq",
        "sudo env",
        "apt-get install -y -qq --no-install-recommends chromium",
    ]


def test_a_user_without_sudo_gets_the_one_command_to_run_and_a_failure(tmp_path: Path) -> None:
    done, calls = install(tmp_path, "chromium", "postgresql", installed=set(), uid=1000)
    assert done.returncode == 1
    assert calls == []
    assert done.stderr.splitlines() == [
        "Missing Debian packages: chromium postgresql; run as root: "
        "apt-get update && apt-get install --no-install-recommends chromium postgresql"
    ]


def test_the_setup_check_names_each_missing_part_on_its_own_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(CHECK), "--venv", str(tmp_path / "no-venv"),
         "--debian-packages", "finans-no-such-package"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert f"no virtual environment in {tmp_path / 'no-venv'}: run 'make run' or 'make test' " \
           "to create it" in lines
    assert "the Debian package finans-no-such-package is not installed: 'make test' " \
           "installs it" in lines


def test_the_setup_check_passes_on_the_environment_the_suite_runs_in() -> None:
    done = subprocess.run(
        [sys.executable, str(CHECK), "--venv", str(Path(sys.prefix))],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert (done.returncode, done.stdout) == (
        0, "The setup is complete: 'make run' and 'make test' have what they need.\n"
    )
