"""How fast are the managers' overview and the allocation API on a large municipality?

Loads the synthetic municipality (``synthetic.generate``) into a SQLite database through the
services' own load path (``finans.services.scenario.load_scenario``, in a child process so its
memory does not count below), then times in-process requests to the real app:

- the dashboard page for a year, as a logged-in manager, and its three charts;
- ``GET /api/v1/allocation`` for the same year, with a manager's token;
- a page from the middle of ``GET /api/v1/interventions`` (50 of them with their split versions),
  with the same token.

*Cold* requests find every cache empty (figures per data revision, engine results, charts), as
after a restart or a change to the data; *warm* ones repeat the same request. Reported: median and
p95 wall time, and the process's peak resident memory after each part. The load takes a minute or
two; ``--database`` keeps the loaded file to reuse it.

Targets: warm dashboard under 300 ms median; ``allocation`` for a year under 5 s cold.

    python benchmarks/bench_web.py [--cases 5000] [--interventions 20000] [--year 2026]
                                   [--cold 3] [--warm 20] [--database PATH]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session  # noqa: E402
from synthetic import generate  # noqa: E402

from finans import charts  # noqa: E402
from finans.services import dashboard, tokens, users  # noqa: E402
from finans.services.actor import Actor, Role  # noqa: E402
from finans.services.scenario import load_scenario  # noqa: E402
from finans.store.db import make_engine, migrate  # noqa: E402
from finans.web import api, create_app  # noqa: E402

WARM_DASHBOARD_MS = 300
COLD_ALLOCATION_S = 5
PASSWORD = "benchmark-kode"
LOADER = Actor("benchmark", Role.ADMIN)


def load(path: Path, seed: int, cases: int, interventions: int) -> None:
    """Generate the municipality and load it through the services (run in a child process)."""
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    started = time.perf_counter()
    with Session(engine) as session:
        report = load_scenario(session, actor=LOADER, apply=True,
                               data=generate(seed, cases, interventions))
        if not report.applied:
            raise SystemExit(f"the load failed: {report.problems[:3]}")
        users.create_user(session, actor=LOADER, username="leder", role="manager",
                          password=PASSWORD)
    engine.dispose()
    print(f"loaded {cases} cases and {interventions} interventions in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)


def token(path: Path) -> str:
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        made = tokens.create_token(session, actor=LOADER, username="leder")
    engine.dispose()
    return made


def forget_everything() -> None:
    """Empty every cache a request could be served from."""
    for cache in (dashboard._scenarios, dashboard._allocations, dashboard._figures,
                  api.figures._results):
        cache.clear()
    for chart in (charts.department_pie, charts.monthly_bars, charts.budget_chart):
        chart.cache_clear()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(request: Callable[[], int], times: int, *, cold: bool) -> list[float]:
    """Wall times in seconds of ``times`` requests (each after emptying the caches if cold)."""
    samples = []
    for _ in range(times):
        if cold:
            forget_everything()
        started = time.perf_counter()
        status = request()
        samples.append(time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"request answered {status}")
    return samples


def summary(name: str, samples: list[float]) -> str:
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[18] if len(samples) > 1 \
        else samples[0]
    return (f"{name:<34} n={len(samples):>3}  median {median * 1000:9.1f} ms  "
            f"p95 {p95 * 1000:9.1f} ms  peak RSS {peak_mb():7.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--interventions", type=int, default=20000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--cold", type=int, default=3, help="cold requests per measurement")
    parser.add_argument("--warm", type=int, default=20, help="warm requests per measurement")
    parser.add_argument("--database", type=Path, help="reuse or keep the loaded SQLite file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="finans-bench-") as temporary:
        return measure(args, Path(temporary))


def measure(args: argparse.Namespace, folder: Path) -> int:
    """Load (unless ``--database`` holds a loaded file), then time the requests."""
    path = args.database or folder / "finans.db"
    if not path.exists():
        child = multiprocessing.get_context("spawn").Process(
            target=load, args=(path, args.seed, args.cases, args.interventions))
        child.start()
        child.join()
        if child.exitcode != 0:
            return 1
    os.environ["FINANS_INSTANCE"] = str(folder / "instance")
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "b" * 40,
                      "WTF_CSRF_ENABLED": False})
    browser = app.test_client()
    assert browser.post("/login", data={"username": "leder", "password": PASSWORD}) \
        .status_code == 302
    caller = app.test_client()
    headers = {"Authorization": f"Bearer {token(path)}"}
    year = args.year
    page = f"/overblik/?kind=year&year={year}"
    chart_paths = [f"/overblik/graf/{name}.svg?kind=year&year={year}"
                   for name in ("fordeling", "maaneder", "budget")]
    allocation = f"/api/v1/allocation?from={year}-01-01&to={year}-12-31"
    middle_page = max(1, args.interventions // 100)
    listing = f"/api/v1/interventions?page={middle_page}&per_page=50"

    def dashboard_page() -> int:
        return browser.get(page).status_code

    def dashboard_charts() -> int:
        return max(browser.get(chart).status_code for chart in chart_paths)

    def allocation_year() -> int:
        return caller.get(allocation, headers=headers).status_code

    def interventions_page() -> int:
        return caller.get(listing, headers=headers).status_code

    print(f"year {year}; figures as of {time.strftime('%Y-%m-%d')}; "
          f"peak RSS before requests {peak_mb():.0f} MB")
    results = {}
    for name, request in (("dashboard page", dashboard_page),
                          ("dashboard charts (3 SVG)", dashboard_charts),
                          ("GET /api/v1/allocation", allocation_year),
                          ("GET /api/v1/interventions", interventions_page)):
        for kind, times in (("cold", args.cold), ("warm", args.warm)):
            if kind == "warm":
                request()
            samples = timed(request, times, cold=kind == "cold")
            results[(name, kind)] = statistics.median(samples)
            print(summary(f"{name}, {kind}", samples))
    warm_page = results[("dashboard page", "warm")] * 1000
    cold_allocation = results[("GET /api/v1/allocation", "cold")]
    print(f"target warm dashboard < {WARM_DASHBOARD_MS} ms: {warm_page:.1f} ms "
          f"({'met' if warm_page < WARM_DASHBOARD_MS else 'MISSED'})")
    print(f"target cold allocation < {COLD_ALLOCATION_S} s: {cold_allocation:.2f} s "
          f"({'met' if cold_allocation < COLD_ALLOCATION_S else 'MISSED'})")
    app.extensions["finans.engine"].dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
