"""How fast and how lean are the workbook export and import at 100,000 allocation lines?

Generates the synthetic municipality (seeded) and measures, each step in a fresh process:

- floor: openpyxl's write-only mode writing the same ``Fordelt`` rows bare (no formats, no other
  sheets, no allocation) — what the library needs at the least;
- export: the whole controller workbook (allocation, settlement and every sheet) as
  ``finans export`` writes it;
- import: reading that workbook back into scenario JSON and validating it (``finans calc
  WORKBOOK.xlsx`` without the calculation; the computed sheets are skipped, not parsed);
- the writer comparison: the same formatted ``Fordelt`` rows with openpyxl write-only (the
  writer finans uses), openpyxl's normal mode and XlsxWriter's ``constant_memory`` mode.

Times are medians of ``--repeat`` runs without tracing, the steps alternating (ratios of
alternating runs are what a shared, noisy machine measures reliably); peak memory is measured in
one more run under ``tracemalloc`` (Python allocations) and as the process's maximum resident set
size (which includes the generated municipality the process starts with).

Targets: export within 2× the floor, under 500 MB.

    python benchmarks/bench_excel.py [--interventions 3700] [--months 24] [--repeat 3]
                                     [--no-compare]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import add_months, generate  # noqa: E402

from finans.allocation.engine import allocate  # noqa: E402
from finans.allocation.records import Period, Scenario  # noqa: E402
from finans.allocation.validation import parse_scenario  # noqa: E402
from finans.excel import layout  # noqa: E402
from finans.excel.reader import scenario_from_workbook  # noqa: E402
from finans.excel.writer import line_rows, write_controller_workbook  # noqa: E402

TARGET_RATIO = 2.0
TARGET_BYTES = 500 * 1024 * 1024
START = date(2024, 1, 1)

_shared: dict[str, Any] = {}
"""The scenario and period, built once and inherited by the forked measuring processes."""


def progress(step: str) -> None:
    """Say which step runs, on a terminal only (the report goes to stdout)."""
    if sys.stderr.isatty():
        print(f"\r{step:<60}", end="", file=sys.stderr, flush=True)


def fordelt_rows() -> list[tuple[Any, ...]]:
    scenario: Scenario = _shared["scenario"]
    allocation = allocate(scenario, _shared["period"])
    accounts = {department.code: department.account for department in scenario.departments}
    return list(line_rows(allocation.lines, accounts))


# --- the steps --------------------------------------------------------------------------------


def floor(out: Path, rows: list[tuple[Any, ...]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(layout.LINES.name)
    sheet.append(layout.LINES.headers)
    for row in rows:
        sheet.append(row)
    workbook.save(out)


def export(out: Path, rows: list[tuple[Any, ...]]) -> None:
    write_controller_workbook(out, _shared["scenario"], _shared["period"])


def import_(out: Path, rows: list[tuple[Any, ...]]) -> None:
    data, problems = scenario_from_workbook(_shared["workbook"])
    assert data is not None and not problems, problems[:3]


def openpyxl_write_only(out: Path, rows: list[tuple[Any, ...]]) -> None:
    from openpyxl import Workbook

    from finans.excel.writer import SheetWriter

    workbook = Workbook(write_only=True)
    sheet = SheetWriter(workbook, layout.LINES)
    for row in rows:
        sheet.append(row)
    sheet.as_table()
    workbook.save(out)


def openpyxl_normal(out: Path, rows: list[tuple[Any, ...]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from finans.excel.cells import set_number

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = layout.LINES.name
    sheet.append(layout.LINES.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, (ident, case, month, department, account, amount) in enumerate(rows, 2):
        sheet.cell(number, 1, ident)
        sheet.cell(number, 2, case)
        sheet.cell(number, 3, month).number_format = layout.MONTH_FORMAT
        sheet.cell(number, 4, department)
        sheet.cell(number, 5, account)
        cell = sheet.cell(number, 6)
        set_number(cell, amount)
        cell.number_format = layout.AMOUNT_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:F{len(rows) + 1}"
    workbook.save(out)


def xlsxwriter_constant_memory(out: Path, rows: list[tuple[Any, ...]]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheet = workbook.add_worksheet(layout.LINES.name)
    bold = workbook.add_format({"bold": True})
    month_format = workbook.add_format({"num_format": layout.MONTH_FORMAT})
    amount_format = workbook.add_format({"num_format": layout.AMOUNT_FORMAT})
    sheet.write_row(0, 0, layout.LINES.headers, bold)
    sheet.freeze_panes(1, 0)
    for number, (ident, case, month, department, account, amount) in enumerate(rows, 1):
        sheet.write_string(number, 0, ident)
        sheet.write_string(number, 1, case)
        sheet.write_datetime(number, 2, month, month_format)
        sheet.write_string(number, 3, department)
        sheet.write_string(number, 4, account)
        sheet.write_number(number, 5, amount, amount_format)
    sheet.autofilter(0, 0, len(rows), 5)
    workbook.close()


STEPS: dict[str, Callable[[Path, list[tuple[Any, ...]]], None]] = {
    "export (whole controller workbook)": export,
    "floor (openpyxl write-only, bare rows)": floor,
    "import (read + validate)": import_,
}
COMPARISON: dict[str, Callable[[Path, list[tuple[Any, ...]]], None]] = {
    "Fordelt: openpyxl write-only": openpyxl_write_only,
    "Fordelt: openpyxl normal": openpyxl_normal,
    "Fordelt: XlsxWriter constant_memory": xlsxwriter_constant_memory,
}


# --- measuring ----------------------------------------------------------------------------------


def _child(step: Callable[[Path, list[Any]], None], traced: bool, out: str, conn: Any) -> None:
    rows = fordelt_rows() if step is not export and step is not import_ else []
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    step(Path(out), rows)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    conn.send((seconds, peak, rss))


def measure(step: Callable[[Path, list[Any]], None], out: Path, traced: bool) -> tuple[float, ...]:
    """Run ``step`` in a forked process; (seconds, tracemalloc peak, max RSS) in bytes."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(step, traced, str(out), send))
    process.start()
    result = receive.recv()
    process.join()
    return result


def run(
    steps: dict[str, Callable[[Path, list[Any]], None]], folder: Path, repeat: int
) -> list[list[Any]]:
    """Each step ``repeat`` times, the steps alternating, then once more traced.

    Rows: name, median seconds, tracemalloc peak, largest max RSS, size of the file written.
    """
    outs = {
        name: _shared["workbook"] if step is export else folder / f"{step.__name__}.xlsx"
        for name, step in steps.items()
    }
    times: dict[str, list[tuple[float, ...]]] = {name: [] for name in steps}
    for round_ in range(repeat):
        for name, step in steps.items():
            progress(f"{name} ({round_ + 1}/{repeat})")
            times[name].append(measure(step, outs[name], traced=False))
    results = []
    for name, step in steps.items():
        progress(f"{name} (traced)")
        _, peak, _ = measure(step, outs[name], traced=True)
        seconds = statistics.median(t[0] for t in times[name])
        rss = max(t[2] for t in times[name])
        size = outs[name].stat().st_size if step is not import_ else 0
        results.append([name, seconds, peak, rss, size])
    return results


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:7.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interventions", type=int, default=3700)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-compare", action="store_true", help="skip the writer comparison")
    args = parser.parse_args(argv)

    progress("generating the municipality")
    data = generate(seed=1, cases=args.cases, interventions=args.interventions, start=START,
                    months=args.months)
    scenario, problems = parse_scenario(data)
    assert scenario is not None, problems[:3]
    period = Period(START, add_months(START, args.months) - timedelta(days=1))
    _shared.update(scenario=scenario, period=period)
    lines = len(allocate(scenario, period).lines)

    with tempfile.TemporaryDirectory() as folder:
        _shared["workbook"] = Path(folder) / "export.xlsx"
        results = run(STEPS, Path(folder), args.repeat)
        if not args.no_compare:
            results += run(COMPARISON, Path(folder), args.repeat)
    progress("")
    if sys.stderr.isatty():
        print(file=sys.stderr)

    print(f"Workbook with {lines:,} Fordelt lines ({len(scenario.interventions):,} interventions, "
          f"{period.start} – {period.end}); medians of {args.repeat} runs, one process each.")
    print(f"{'step':<42} {'time':>8} {'tracemalloc':>11} {'max RSS':>10} {'file':>10}")
    for name, seconds, peak, rss, size in results:
        print(f"{name:<42} {seconds:7.2f}s {mb(peak)} {mb(rss)} {mb(size)}")
    export_seconds, floor_seconds = results[0][1], results[1][1]
    ratio = export_seconds / floor_seconds
    peak_rss = results[0][3]
    verdict = "met" if ratio <= TARGET_RATIO and peak_rss < TARGET_BYTES else "MISSED"
    print(f"Export / floor: {ratio:.2f}× (target ≤ {TARGET_RATIO:.0f}×); export max RSS "
          f"{mb(peak_rss).strip()} (target < 500 MB): {verdict}.")
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    raise SystemExit(main())
