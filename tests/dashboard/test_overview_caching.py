"""Results are kept per database and data revision, and recomputed once anything changes."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from sqlmodel import Session

from finans.allocation.engine import collector_paused
from finans.services import budgets
from finans.services.caching import RevisionCache, data_revision
from finans.store.db import make_engine
from tests.dashboard.overview_people import ADMIN


def test_a_result_is_reused_until_a_change_moves_the_revision(demo: Session) -> None:
    cache = RevisionCache(4)
    computed: list[int] = []

    def compute() -> int:
        computed.append(data_revision(demo))
        return len(computed)

    assert cache.get(demo, "key", compute) == 1
    assert cache.get(demo, "key", compute) == 1
    budgets.create_budget(demo, actor=ADMIN, data={"department": "JOB", "year": 2026,
                                                   "amount": "1.00"})
    assert cache.get(demo, "key", compute) == 2
    assert computed[1] > computed[0]


def test_two_databases_at_the_same_revision_are_kept_apart(
    demo: Session, demo_file: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    shutil.copyfile(demo_file, copy)
    engine = make_engine(f"sqlite:///{copy}")
    cache = RevisionCache(4)
    with Session(engine) as other:
        assert data_revision(other) == data_revision(demo)
        assert cache.get(demo, "key", lambda: "first") == "first"
        assert cache.get(other, "key", lambda: "second") == "second"
    engine.dispose()


def test_the_least_recently_used_result_is_dropped_first(demo: Session) -> None:
    cache = RevisionCache(2)
    cache.get(demo, "a", lambda: "a")
    cache.get(demo, "b", lambda: "b")
    cache.get(demo, "a", lambda: "a again")
    cache.get(demo, "c", lambda: "c")
    assert cache.get(demo, "a", lambda: "a recomputed") == "a"
    assert cache.get(demo, "b", lambda: "b recomputed") == "b recomputed"


def test_the_collector_runs_again_after_a_result_is_built_even_when_building_fails() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        _ = 1 // 0
    assert gc.isenabled()
