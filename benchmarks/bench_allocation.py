"""How fast and how lean is the calculator on a large municipality?

Generates the synthetic municipality (seeded) and measures two things.

1. The whole ``finans calc`` process against its floor. ``finans calc FILE --out OUT`` runs as a
   subprocess of the real command line on the scenario JSON file and writes the JSON result. Its
   floor is the work no implementation of the same process can avoid, each part measured on its
   own and added up:
   - starting the interpreter (a subprocess that imports ``json`` and nothing else);
   - ``json.load`` of the same input file;
   - the bare integer largest-remainder loop (``divmod``, a sort of the remainders, handing out
     the øre left) over the same intervention-months, with as many departments each as the
     engine's result has lines for it;
   - writing a JSON document with the same number of allocation lines, each formatted straight
     into text (no dict per line), to a file.
   The floor's parts run in one subprocess (``--floor``) that prepares its groups before the
   clock starts; interpreter start is measured separately.
2. The engine alone against the bare loop, in this process, as before: ``allocate`` on parsed
   records, with its lines made, vs the floor loop over as many (intervention-month, department)
   items.

Runs alternate and medians are reported, since ratios of alternating runs are what a shared, noisy
machine measures reliably; targets are judged on CPU time, which other processes on the machine
disturb less than wall time. Memory: the calc process's peak resident size, and tracemalloc's peak
during ``allocate`` and its lines.

Targets: the whole process within 3× its floor, the engine within 3× the bare loop, under 1 GB.

    python benchmarks/bench_allocation.py [--interventions 20000] [--cases 5000] [--months 36]
                                          [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pickle
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import add_months, generate  # noqa: E402

from finans.allocation.engine import Allocation, allocate  # noqa: E402
from finans.allocation.records import Per, Period, Scenario  # noqa: E402
from finans.allocation.validation import parse_scenario  # noqa: E402

TARGET_RATIO = 3.0
TARGET_BYTES = 1 << 30
START = date(2024, 1, 1)

Group = tuple[int, list[int]]
"""One intervention-month for the floor: its total in øre and one integer weight per department."""

Labels = tuple[str, str, str, tuple[str, ...]]
"""The intervention, case, month and department codes of a group, for the floor's document."""


class Timing(NamedTuple):
    wall: float
    cpu: float

    def __add__(self, other: object) -> Timing:
        if not isinstance(other, Timing):
            return NotImplemented
        return Timing(self.wall + other.wall, self.cpu + other.cpu)


def progress(step: str) -> None:
    """Say which phase runs, on a terminal only (the report itself goes to stdout)."""
    if sys.stderr.isatty():
        print(f"\r{step:<60}", end="", file=sys.stderr, flush=True)


def intervention_months(scenario: Scenario, period: Period) -> int:
    """How many (intervention, calendar month) pairs have counted days in the period."""
    count = 0
    for intervention in scenario.interventions:
        cost = intervention.cost
        if cost.per is Per.ONCE:
            count += period.start <= cost.start <= period.end
            continue
        first = max(cost.start, period.start)
        last = period.end if cost.end is None else min(cost.end, period.end)
        if first <= last:
            count += (last.year - first.year) * 12 + last.month - first.month + 1
    return count


def floor_groups(allocation: Allocation, seed: int) -> tuple[list[Group], list[Labels]]:
    """The engine's intervention-months with their department counts, random integer weights."""
    rng = random.Random(seed)
    sizes: dict[tuple[str, str], list[Any]] = {}
    for line in allocation.lines:
        group = sizes.setdefault((line.intervention, line.month), [0, [], line.case])
        group[0] += line.amount
        group[1].append(line.department)
    groups = [(total, [rng.randint(1, 1_000_000) for _ in codes]) for total, codes, _ in
              sizes.values()]
    labels = [(ident, case, month, tuple(codes))
              for (ident, month), (_, codes, case) in sizes.items()]
    return groups, labels


def floor_loop(groups: list[Group]) -> list[list[int]]:
    """The least any exact largest-remainder allocation must do: divmod, sort, hand out øre."""
    result = []
    for total, weights in groups:
        weight_sum = sum(weights)
        parts = [divmod(total * weight, weight_sum) for weight in weights]
        amounts = [quotient for quotient, _ in parts]
        ranked = sorted(range(len(parts)), key=lambda i: -parts[i][1])
        for i in ranked[: total - sum(amounts)]:
            amounts[i] += 1
        result.append(amounts)
    return result


def floor_document(labels: list[Labels], amounts: list[list[int]], out: Path) -> None:
    """The allocation lines as JSON text, one per text line, formatted straight into text."""
    texts = [
        f'{{"intervention": "{ident}", "case": "{case}", "month": "{month}", '
        f'"department": "{code}", "amount": "{amount // 100}.{amount % 100:02d}"}}'
        for (ident, case, month, codes), parts in zip(labels, amounts, strict=True)
        for code, amount in zip(codes, parts, strict=True)
    ]
    out.write_text('{"lines": [\n' + ",\n".join(texts) + "\n]}\n", encoding="utf-8")


def clock() -> Timing:
    return Timing(time.perf_counter(), time.process_time())


def since(start: Timing) -> Timing:
    now = clock()
    return Timing(now.wall - start.wall, now.cpu - start.cpu)


def floor_process(scenario_file: Path, groups_file: Path, out: Path) -> int:
    """``--floor``: time the floor's parts in this fresh process, report them as JSON."""
    groups, labels = pickle.loads(groups_file.read_bytes())
    gc.disable()
    start = clock()
    with scenario_file.open(encoding="utf-8") as source:
        json.load(source)
    load = since(start)
    start = clock()
    amounts = floor_loop(groups)
    loop = since(start)
    start = clock()
    floor_document(labels, amounts, out)
    write = since(start)
    print(json.dumps({"load": load, "loop": loop, "write": write}))
    return 0


def child(command: list[str]) -> tuple[Timing, int, str]:
    """Wall and CPU time, peak resident bytes and stdout of a subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu), after.ru_maxrss * 1024, done.stdout


def finans_command() -> list[str]:
    """The installed ``finans`` script next to this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("finans")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from finans.cli import main; main()"]


def allocate_lines(scenario: Scenario, period: Period) -> Allocation:
    """``allocate`` with its lines made (an allocation makes them when first asked for)."""
    allocation = allocate(scenario, period)
    allocation.lines  # noqa: B018
    return allocation


def timed(function: Callable[[], Any]) -> tuple[Timing, Any]:
    """Wall and CPU time of ``function``, including collecting the young objects it leaves."""
    gc.collect()
    start = clock()
    value = function()
    gc.collect(1)
    return since(start), value


def traced_peak(function: Callable[[], Any]) -> int:
    """Peak bytes Python allocated while ``function`` ran (its result is dropped afterwards)."""
    gc.collect()
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def profile(function: Callable[[], Any], lines: int = 18) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(function)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(lines)


def megabytes(count: float) -> str:
    return f"{count / (1 << 20):,.0f} MB"


def runs(timings: list[Timing]) -> str:
    return ", ".join(f"{t.wall:.2f}/{t.cpu:.2f}" for t in timings)


def verdict(ratio: float) -> str:
    return "met" if ratio <= TARGET_RATIO else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interventions", type=int, default=20_000)
    parser.add_argument("--cases", type=int, help="default: a quarter of the interventions")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs")
    parser.add_argument("--profile", action="store_true", help="cProfile one engine run")
    parser.add_argument("--floor", nargs=3, type=Path, metavar=("SCENARIO", "GROUPS", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor:
        return floor_process(*args.floor)
    cases = args.cases or max(1, args.interventions // 4)
    with tempfile.TemporaryDirectory(prefix="bench-allocation-") as folder:
        return measure(args, cases, Path(folder))


def measure(args: argparse.Namespace, cases: int, folder: Path) -> int:
    progress("generating the synthetic municipality")
    data = generate(args.seed, cases, args.interventions, START, args.months)
    scenario_file = folder / "scenario.json"
    with scenario_file.open("w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
    progress("parsing")
    parse_time, (scenario, problems) = timed(partial(parse_scenario, data))
    del data
    if scenario is None:
        print(f"the synthetic scenario is invalid: {problems[:5]}", file=sys.stderr)
        return 1
    period = Period(START, add_months(START, args.months) - timedelta(days=1))
    months = intervention_months(scenario, period)

    engine_times: list[Timing] = []
    loop_times: list[Timing] = []
    allocation: Allocation | None = None
    groups: list[Group] = []
    labels: list[Labels] = []
    for run in range(1, args.repeat + 1):
        progress(f"run {run}/{args.repeat}: engine")
        timing, allocation = timed(partial(allocate_lines, scenario, period))
        engine_times.append(timing)
        if not groups:
            groups, labels = floor_groups(allocation, args.seed)
        progress(f"run {run}/{args.repeat}: bare loop")
        loop_times.append(timed(partial(floor_loop, groups))[0])
    assert allocation is not None
    items = sum(len(weights) for _, weights in groups)
    line_count = len(allocation.lines)
    del allocation
    groups_file = folder / "groups.pickle"
    groups_file.write_bytes(pickle.dumps((groups, labels)))

    calc = [*finans_command(), "calc", str(scenario_file), "--from", period.start.isoformat(),
            "--to", period.end.isoformat(), "--out", str(folder / "calc.json")]
    floor = [sys.executable, str(Path(__file__).resolve()), "--floor", str(scenario_file),
             str(groups_file), str(folder / "floor.json")]
    interpreter = [sys.executable, "-c", "import json"]
    calc_times: list[Timing] = []
    floor_times: list[Timing] = []
    parts: list[dict[str, Timing]] = []
    calc_rss = 0
    for run in range(1, args.repeat + 1):
        progress(f"run {run}/{args.repeat}: finans calc")
        timing, calc_rss, _ = child(calc)
        calc_times.append(timing)
        progress(f"run {run}/{args.repeat}: floor")
        start, _, _ = child(interpreter)
        _, _, report = child(floor)
        measured = {name: Timing(*value) for name, value in json.loads(report).items()}
        parts.append({"start": start, **measured})
        floor_times.append(start + measured["load"] + measured["loop"] + measured["write"])
    written = (folder / "calc.json").read_text(encoding="utf-8")
    calc_lines = len(json.loads(written)["lines"])

    progress("measuring memory")
    peak = traced_peak(partial(allocate_lines, scenario, period))
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    progress("")
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)

    whole_cpu = statistics.median(c.cpu / f.cpu for c, f in zip(calc_times, floor_times,
                                                                 strict=True))
    whole_wall = statistics.median(c.wall / f.wall for c, f in zip(calc_times, floor_times,
                                                                   strict=True))
    engine_cpu = statistics.median(e.cpu / f.cpu for e, f in zip(engine_times, loop_times,
                                                                  strict=True))
    engine_wall = statistics.median(e.wall / f.wall for e, f in zip(engine_times, loop_times,
                                                                    strict=True))

    def part(name: str) -> str:
        return f"{statistics.median(p[name].cpu for p in parts):.2f}"

    print(f"scenario            {cases:,} cases, {args.interventions:,} interventions, "
          f"{args.months} months from {START} (seed {args.seed}); "
          f"{scenario_file.stat().st_size / (1 << 20):,.1f} MB of JSON")
    print(f"intervention-months {months:,}; allocation lines {line_count:,} "
          f"({calc_lines:,} in finans calc's output)")
    print("times are wall/CPU seconds; medians of alternating runs")
    print(f"finans calc         {runs(calc_times)}  (whole process: start, read, validate, "
          "allocate, settle, refunds, write JSON)")
    print(f"floor               {runs(floor_times)}  = interpreter start {part('start')} + "
          f"json.load {part('load')} + largest-remainder loop {part('loop')} + "
          f"writing {line_count:,} lines {part('write')} (CPU)")
    print(f"calc / floor        {whole_cpu:.2f}× CPU, {whole_wall:.2f}× wall "
          f"(target ≤ {TARGET_RATIO:.0f}× CPU: {verdict(whole_cpu)})")
    print(f"parse (in process)  {parse_time.wall:.2f}/{parse_time.cpu:.2f}")
    print(f"allocate            {runs(engine_times)}  "
          f"({months / statistics.median(t.cpu for t in engine_times):,.0f} "
          "intervention-months per CPU second)")
    print(f"bare loop           {runs(loop_times)}  for {items:,} (intervention-month, "
          f"department) items in {len(groups):,} groups")
    print(f"engine / bare loop  {engine_cpu:.2f}× CPU, {engine_wall:.2f}× wall "
          f"(target ≤ {TARGET_RATIO:.0f}× CPU: {verdict(engine_cpu)})")
    print(f"memory              finans calc peak resident {megabytes(calc_rss)}; tracemalloc "
          f"peak during allocate {megabytes(peak)}; this process {megabytes(max_rss)} "
          f"(target < 1 GB: {'met' if max(calc_rss, peak) < TARGET_BYTES else 'MISSED'})")
    if args.profile:
        profile(partial(allocate_lines, scenario, period))
    return 0


if __name__ == "__main__":
    sys.exit(main())
