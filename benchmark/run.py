"""Benchmark: `dbt build` against the floor script, Polars, pandas and the raw costs.

Generates seeded event sets (cached in data/bench/events-<N>/), then runs every variant side
by side, interleaved and repeated, each in a fresh process:

    dbt      cold `dbt build --full-refresh` as production runs it (models and data tests;
             the unit tests prove the SQL, not the data, and run in make test)
    dbt_native  the same on the same events with native Parquet TIMESTAMP columns
    dbt_2gb  dbt under a 2GB memory_limit whatever --memory-limit says: the memory target,
             so only at 100M events and more
    floor    benchmark/floor.sql: the contract as one hand-written DuckDB script
    polars   benchmark/polars_sessions.py
    pandas   benchmark/pandas_sessions.py (up to 10M events)
    scan     reading every column of the files (DuckDB)
    sort     scan + sort by device and time (DuckDB)

Before any time is reported, every variant's sessions are checked equal: session count,
total and foreground seconds per session_date. Writes docs/benchmarks.md and
docs/images/benchmarks.png.

    python -m benchmark.run --events 1000000 10000000 [--repeats 3] [--memory-limit 2GB]
    python -m benchmark.run --events 1000000 10000000 100000000 --memory-limit 16GB
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
from benchmark import arguments  # noqa: E402

BIN = Path(sys.executable).parent
BENCH_DIR = PROJECT_DIR / "data" / "bench"
RESULTS_MD = PROJECT_DIR / "docs" / "benchmarks.md"
RESULTS_JSON = PROJECT_DIR / "docs" / "benchmarks.json"
PLOT = PROJECT_DIR / "docs" / "images" / "benchmarks.png"
VARIANTS = ("dbt", "dbt_native", "dbt_2gb", "floor", "polars", "pandas", "scan", "sort")
DEFAULT_VARIANTS = list(VARIANTS)
DBT_VARIANTS = ("dbt", "dbt_native", "dbt_2gb")
SESSION_VARIANTS = (*DBT_VARIANTS, "floor", "polars", "pandas")
DUCKDB_VARIANTS = (*DBT_VARIANTS, "floor", "scan", "sort")  # run under DuckDB's memory_limit
PANDAS_MAX_EVENTS = 10_000_000
LARGE = 100_000_000
SEED = 7

PER_DAY_SQL = """
select cast(session_date as varchar), count(*), sum(duration_seconds), sum(foreground_seconds)
from fct_sessions group by 1
"""


@dataclass
class Run:
    variant: str
    events: int
    seconds: float
    peak_rss_mb: float
    profile: dict[str, float] | None = None  # dbt: seconds per node group (run_results.json)
    failed: str | None = None  # Polars or pandas that did not finish: why (e.g. out of memory)
    memory_limit: str | None = None  # DuckDB's, for dbt, floor, scan and sort (None: not recorded)
    threads: int | None = None  # DuckDB's and Polars' (None: not recorded; it was 2)


@dataclass
class Measurements:
    runs: list[Run] = field(default_factory=list)

    def of(self, variant: str, events: int) -> list[Run]:
        """The runs that finished (and were checked equal)."""
        return [
            r for r in self.runs if r.variant == variant and r.events == events and not r.failed
        ]

    def failures(self, events: int) -> list[Run]:
        return [r for r in self.runs if r.events == events and r.failed]

    def median(self, variant: str, events: int) -> float | None:
        runs = self.of(variant, events)
        return statistics.median(r.seconds for r in runs) if runs else None


def default_memory_limit(events: int) -> str:
    """2GB at 100M events and more (the issue's memory target: spilling to disk), else the
    profile's 8GB."""
    return "2GB" if events >= LARGE else "8GB"


def dbt_threads(memory_limit: str) -> str:
    """Models dbt runs at a time: one under a limit below 4 GB, as the README advises (at
    100M events under 2GB, two side by side ran out of memory), else the profile's 2. A
    share of the memory (80%) counts as large."""
    size = re.fullmatch(r"\s*([0-9.]+)\s*([KMGT])(I?)B?\s*", memory_limit.upper())
    if size is None:
        return "2"
    power = "KMGT".index(size[2]) + 1
    limit_bytes = float(size[1]) * (1024**power if size[3] else 1000**power)
    return "1" if limit_bytes < 4 * 10**9 else "2"


def events_glob(events: int, native: bool = False) -> str:
    """The cached event set of `events` rows (generated once, seeded); `native`: the same
    events with native timestamp columns."""
    directory = BENCH_DIR / (f"events-{events}-native" if native else f"events-{events}")
    if not (directory / ".complete").exists():
        shutil.rmtree(directory, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(PROJECT_DIR / "scripts" / "generate_events.py"),
             "--events", str(events), "--out", str(directory), "--seed", str(SEED),
             *(["--native-timestamps"] if native else [])],
            check=True,
        )  # fmt: skip
        (directory / ".complete").touch()
    return str(directory / "*.parquet")


class VariantFailed(RuntimeError):
    def __init__(self, message: str, seconds: float, peak_rss_mb: float) -> None:
        super().__init__(message)
        self.seconds, self.peak_rss_mb = seconds, peak_rss_mb


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a fresh process; raises VariantFailed if it fails."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            output.seek(0)
            tail = output.read().decode(errors="replace")[-4000:]
            killed = process.returncode == -9  # SIGKILL: the kernel's OOM killer, or a kill
            raise VariantFailed(
                f"{' '.join(command[:3])} failed (exit {process.returncode}"
                f"{', killed by SIGKILL: likely out of memory' if killed else ''}):\n{tail}",
                seconds,
                usage.ru_maxrss / 1024,
            )
    return seconds, usage.ru_maxrss / 1024


def dbt_build_command(work: Path, glob: str) -> list[str]:
    """A production build of `glob` (models and data tests, no unit tests), from scratch,
    with its target and logs in `work`."""
    return [
        str(BIN / "dbt"), "build", "--full-refresh", "--profiles-dir", "profiles",
        "--exclude-resource-type", "unit_test",
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
        "--vars", json.dumps({"events_path": glob}),
    ]  # fmt: skip


def per_day_from(database: Path) -> dict[str, list[float]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return {day: list(totals) for day, *totals in connection.execute(PER_DAY_SQL).fetchall()}


def run_variant(
    variant: str,
    glob: str,
    work: Path,
    memory_limit: str,
    threads: int,
    keep: Path | None = None,
) -> tuple[Run, dict | None]:
    """One cold run of a variant; its per-day totals when it computes sessions. A dbt run's
    warehouse and target directory are moved to `keep` when given (to profile its models).
    Every DuckDB variant gets the same threads, memory limit and kind of spill directory, and
    Polars the same threads, whatever the caller's environment sets for the profile."""
    events = int(Path(glob).parent.name.split("-")[1])
    if variant == "dbt_2gb":
        memory_limit = "2GB"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    # dbt's concurrency, target and profile as users run it, not as the caller's shell sets them
    ignored = ("APP_SESSIONS_DBT_THREADS", "DBT_TARGET", "DBT_PROFILE")
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    database = work / "warehouse.duckdb"
    python = [sys.executable, "-m"]
    duckdb_settings = [
        "--memory-limit", memory_limit, "--threads", str(threads),
        "--temp-directory", str(work / "tmp"),
    ]  # fmt: skip
    if variant in DBT_VARIANTS:
        env |= {
            "APP_SESSIONS_TARGET": "duckdb",
            "APP_SESSIONS_MEMORY_LIMIT": memory_limit,
            "APP_SESSIONS_DUCKDB_THREADS": str(threads),
            "APP_SESSIONS_DBT_THREADS": dbt_threads(memory_limit),
            "APP_SESSIONS_TEMP_DIR": str(work / "tmp"),
            "APP_SESSIONS_DB": str(database),
            "APP_SESSIONS_PUBLISHED_DB": str(work / "published.duckdb"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        command = dbt_build_command(work, glob)
    elif variant == "floor":
        command = [*python, "benchmark.floor", glob, str(database), *duckdb_settings]
    elif variant in ("polars", "pandas"):
        env["POLARS_MAX_THREADS"] = str(threads)  # pandas computes on one core either way
        command = [*python, "benchmark.run_alternative", variant, glob, str(work / "days.json")]
    else:
        command = [*python, "benchmark.raw_costs", variant, glob, *duckdb_settings]
    try:
        seconds, rss = timed(command, env)
    except VariantFailed as failure:
        if variant not in ("polars", "pandas", "dbt_2gb"):
            raise  # the project, the floor and the raw costs must finish
        # an alternative that cannot do this size on this machine, or dbt that cannot do it
        # under 2GB (the memory target), is a result, not a crash
        lines = [line for line in str(failure).splitlines() if line.strip()]
        # dbt's last line only counts the errors: its error's own line says what failed
        errors = [line for line in lines[1:] if "Error" in line] if variant == "dbt_2gb" else []
        last = (errors or lines[1:] or [""])[-1].strip()
        reason = lines[0].split(" failed ", 1)[-1] + (f" {last}" if last else "")
        shutil.rmtree(work, ignore_errors=True)
        return Run(
            variant,
            events,
            failure.seconds,
            failure.peak_rss_mb,
            None,
            reason,
            memory_limit,
            threads,
        ), None
    profile = dbt_profile(work / "target" / "run_results.json") if variant in DBT_VARIANTS else None
    if variant in (*DBT_VARIANTS, "floor"):
        per_day = per_day_from(database)
    elif variant in ("polars", "pandas"):
        per_day = json.loads((work / "days.json").read_text())
    else:
        per_day = None
    if keep is not None and variant == "dbt":
        shutil.rmtree(keep, ignore_errors=True)
        keep.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(work, keep)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return Run(variant, events, seconds, rss, profile, None, memory_limit, threads), per_day


def dbt_profile(run_results: Path) -> dict[str, float]:
    """Where a dbt build's time goes: each model, all data tests, all unit tests, and what
    dbt spends outside the nodes (start-up, parsing, hooks), from run_results.json."""
    results = json.loads(run_results.read_text())
    profile: dict[str, float] = {"data tests": 0.0, "unit tests": 0.0}
    for node in results["results"]:
        kind, _, name = node["unique_id"].split(".", 2)
        if kind == "model":
            profile[name.split(".")[-1]] = node["execution_time"]
        elif kind in ("test", "unit_test"):
            profile["data tests" if kind == "test" else "unit tests"] += node["execution_time"]
    profile["elapsed (dbt's own clock)"] = results["elapsed_time"]
    return profile


def check_equal(events: int, answers: dict[str, dict]) -> None:
    """Every variant's per-day totals equal dbt's: the same sessions, or no timing at all."""
    expected = answers["dbt"]
    for variant, per_day in answers.items():
        if per_day.keys() != expected.keys():
            raise SystemExit(f"{variant} at {events:,} events: other session dates than dbt")
        for day, (count, total, foreground) in expected.items():
            got = per_day[day]
            same = got[0] == count and all(
                math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
                for a, b in ((got[1], total), (got[2], foreground))
            )
            if not same:
                raise SystemExit(
                    f"{variant} at {events:,} events differs from dbt on {day}: "
                    f"{got} vs {[count, total, foreground]}: a fast wrong answer is a failure"
                )


def machine() -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]  # fmt: skip
        cpu = names[0] if names else cpu
    import pandas
    import polars

    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_gb:.0f} GB RAM, {platform.system()} "
        f"{platform.machine()}; Python {platform.python_version()}, duckdb "
        f"{duckdb.__version__}, polars {polars.__version__}, pandas {pandas.__version__}"
    )


def usable_cores() -> int:
    """The cores this process may run on (what `nproc` prints), the default DuckDB threads."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def threads_used(runs: list[Run]) -> str:
    """The threads of DuckDB and Polars in these runs (runs recorded before they were: 2, the
    profile's default and this machine's cores then)."""
    counted = [r for r in runs if r.variant in (*DUCKDB_VARIANTS, "polars")]
    return ", ".join(str(t) for t in sorted({r.threads or 2 for r in counted}))


def memory_limits(runs: list[Run]) -> str:
    """The memory_limit of these runs (runs recorded before it was: the default then)."""
    return ", ".join(sorted({r.memory_limit or default_memory_limit(r.events) for r in runs}))


def fmt_seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f} s"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if numerator is None or not denominator else numerator / denominator


TARGETS = (
    # (label, numerator, denominator, comparison, {events: bound the ratio is judged by})
    ("floor script / Polars", "floor", "polars", "<=", {10_000_000: 1.0, 100_000_000: 1.0}),
    ("dbt build / floor script", "dbt", "floor", "<=", {100_000_000: 1.3}),
    ("dbt build / Polars", "dbt", "polars", "<=", {10_000_000: 2.0, 100_000_000: 1.3}),
    ("dbt build, native / text timestamps", "dbt_native", "dbt", "<=", {10_000_000: 1.0}),
)


def ratio_rows(measured: Measurements, sizes: list[int]) -> list[str]:
    rows = []
    for label, top, bottom, comparison, bounds in TARGETS:
        for events in sizes:
            value = ratio(measured.median(top, events), measured.median(bottom, events))
            if value is None:
                continue
            bound = bounds.get(events)
            target = f"{comparison} {bound}" if bound is not None else ""
            verdict = ""
            if target:
                met = value <= bound if comparison == "<=" else value >= bound
                verdict = "met" if met else "**not met**"
            rows.append(f"| {label} | {events:,} | {value:.2f} | {target} | {verdict} |")
    low_memory = measured.median("dbt_2gb", LARGE)
    if low_memory is not None:
        rows.append(f"| dbt build completes under memory_limit 2GB | {LARGE:,} |"
                    f" {low_memory:,.1f} s | completes | met |")  # fmt: skip
    elif any(run.variant == "dbt_2gb" for run in measured.failures(LARGE)):
        rows.append(f"| dbt build completes under memory_limit 2GB | {LARGE:,} |"
                    " failed (below) | completes | **not met** |")  # fmt: skip
    for variant in SESSION_VARIANTS:
        value = ratio(measured.median(variant, 100_000_000), measured.median(variant, 10_000_000))
        if value is not None:
            met = "met" if variant != "dbt" or value <= 12 else "**not met**"
            target = "<= 12" if variant == "dbt" else ""
            rows.append(f"| {variant}: time(100M) / time(10M) | | {value:.2f} | {target} |"
                        f" {met if target else ''} |")  # fmt: skip
    return rows


def plot(measured: Measurements, sizes: list[int]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4.5), dpi=110)
    for variant in VARIANTS:
        points = [(n, measured.median(variant, n)) for n in sizes if measured.of(variant, n)]
        if points:
            axis.plot(*zip(*points, strict=True), marker="o", label=variant)
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("events")
    axis.set_ylabel("wall time, median (s)")
    axis.set_title("Sessions from raw events: wall time by variant (lower is better)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend()
    figure.tight_layout()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(PLOT)


def profile_lines(measured: Measurements, sizes: list[int]) -> list[str]:
    """Per-node seconds of the last dbt run of each size (nodes run two at a time, so they
    add up to more than the wall time)."""
    profiles = {n: runs[-1].profile for n in sizes if (runs := measured.of("dbt", n))}
    profiles = {n: p for n, p in profiles.items() if p}
    if not profiles:
        return []
    names = sorted(
        {name for p in profiles.values() for name in p},
        key=lambda name: -max(p.get(name, 0.0) for p in profiles.values()),
    )
    lines = [
        "",
        "## Where dbt build's time goes",
        "",
        "Seconds per node of the last dbt run of each size, from `target/run_results.json`.",
        "dbt runs two nodes at a time, so the nodes add up to more than the elapsed time.",
        "",
        "| node | " + " | ".join(f"{n:,} events" for n in profiles) + " |",
        "|---|" + "---:|" * len(profiles),
    ]
    for name in names:
        if max(p.get(name, 0.0) for p in profiles.values()) >= 0.5:
            cells = " | ".join(f"{p.get(name, 0.0):,.1f}" for p in profiles.values())
            lines.append(f"| {name} | {cells} |")
    return lines


def results_page(measured: Measurements, sizes: list[int], command: str, notes: str) -> str:
    """docs/benchmarks.md's text for these runs."""
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `{command}` (benchmark/run.py); do not edit by hand.",
        "",
        f"Machine: {machine()}.",
        notes,
        "",
        "Every variant runs in a fresh process, interleaved with the others, repeated. Before",
        "any time is reported, each variant's sessions are checked equal to dbt's (session",
        "count, total and foreground seconds per session_date).",
        "",
        "| events | variant | median | min | runs | events/s (median) | peak RSS"
        " | DuckDB memory_limit |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for events in sizes:
        for variant in VARIANTS:
            runs = measured.of(variant, events)
            if not runs:
                continue
            median = measured.median(variant, events)
            lines.append(
                f"| {events:,} | {variant} | {fmt_seconds(median)} | "
                f"{fmt_seconds(min(r.seconds for r in runs))} | {len(runs)} | "
                f"{events / median:,.0f} | {max(r.peak_rss_mb for r in runs):,.0f} MB | "
                f"{memory_limits(runs) if variant in DUCKDB_VARIANTS else ''} |"
            )
    failures = [run for events in sizes for run in measured.failures(events)]
    if failures:
        lines += ["", "Runs that did not finish (not in the table, the ratios or the plot):", ""]
        lines += [
            f"- {run.events:,} events, {run.variant}: {run.failed}, after {run.seconds:,.1f} s "
            f"at a peak RSS of {run.peak_rss_mb:,.0f} MB."
            for run in failures
        ]
    lines += profile_lines(measured, sizes)
    lines += [
        "",
        "## Ratios (of medians) and the issue's targets",
        "",
        "| ratio | events | value | target | |",
        "|---|---:|---:|---|---|",
        *ratio_rows(measured, sizes),
        "",
        "![wall time by variant](images/benchmarks.png)",
        "",
    ]
    return "\n".join(lines)


def write_results(measured: Measurements, sizes: list[int], page: str, command: str) -> None:
    """docs/benchmarks.md, its json (what --keep-other-sizes reads back) and its plot."""
    RESULTS_MD.write_text(page)
    RESULTS_JSON.write_text(
        json.dumps({"command": command, "runs": [r.__dict__ for r in measured.runs]}, indent=1)
    )
    plot(measured, sizes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--events", type=arguments.positive_int, nargs="+", default=[1_000_000, 10_000_000]
    )
    parser.add_argument("--repeats", type=arguments.positive_int, default=3)
    parser.add_argument(
        "--large-repeats", type=arguments.positive_int, default=1,
        help="repeats at 100M events and more (each dbt build takes minutes)",
    )  # fmt: skip
    parser.add_argument("--variants", nargs="+", default=DEFAULT_VARIANTS, choices=VARIANTS)
    parser.add_argument(
        "--memory-limit", type=arguments.memory_limit, default=None,
        help="DuckDB memory_limit for dbt, floor, scan and sort (default: 2GB at 100M events"
        " and more, else the profile's 8GB)",
    )  # fmt: skip
    parser.add_argument(
        "--threads", type=arguments.positive_int, default=usable_cores(),
        help="threads of DuckDB (dbt, floor, scan, sort) and of Polars (default: the cores"
        " this process may use)",
    )  # fmt: skip
    parser.add_argument(
        "--keep-other-sizes", action="store_true",
        help="keep the runs of sizes not measured now from docs/benchmarks.json (to add the"
        " 100M case in a separate run)",
    )  # fmt: skip
    parser.add_argument(
        "--keep-dbt-warehouse", action="store_true",
        help="keep the last dbt build of each size in data/bench/warehouse-<N>/ (warehouse"
        " and target dir), for benchmark/explain_model.py",
    )  # fmt: skip
    parser.add_argument(
        "--no-report", action="store_true",
        help="print the results only: docs/benchmarks.md, its json and plot stay as they are"
        " (for a partial or ad-hoc run)",
    )  # fmt: skip
    args = parser.parse_args()
    sizes = sorted(args.events)
    kept: list[Run] = []
    if args.keep_other_sizes and RESULTS_JSON.exists():
        earlier = json.loads(RESULTS_JSON.read_text())
        kept = [Run(**run) for run in earlier["runs"] if run["events"] not in sizes]
    globs = {events: events_glob(events) for events in sizes}
    native = "dbt_native" in args.variants
    native_globs = {events: events_glob(events, native=True) for events in sizes if native}
    measured = Measurements(runs=list(kept))
    work = Path(tempfile.mkdtemp(prefix="app-sessions-bench-"))
    try:
        for repeat in range(max(args.repeats, args.large_repeats)):
            for events in sizes:
                if repeat >= (args.large_repeats if events >= LARGE else args.repeats):
                    continue
                memory_limit = args.memory_limit or default_memory_limit(events)
                answers = {}
                for variant in args.variants:
                    if variant == "pandas" and events > PANDAS_MAX_EVENTS:
                        continue
                    if variant == "dbt_2gb" and events < LARGE:
                        continue
                    keep = BENCH_DIR / f"warehouse-{events}" if args.keep_dbt_warehouse else None
                    run, per_day = run_variant(
                        variant,
                        native_globs[events] if variant == "dbt_native" else globs[events],
                        work / variant,
                        memory_limit,
                        args.threads,
                        keep if variant == "dbt" else None,
                    )
                    print(f"repeat {repeat + 1} {events:>11,} {variant:<7} {run.seconds:8.1f} s"
                          f" {run.peak_rss_mb:8,.0f} MB {run.failed or ''}",
                          flush=True)  # fmt: skip
                    measured.runs.append(run)
                    if per_day is not None:
                        answers[variant] = per_day
                if "dbt" in answers:
                    check_equal(events, answers)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    limits = (
        "DuckDB memory_limit (dbt, floor, scan, sort; the table's last column): 2GB at 100M"
        " events and more (spilling to disk), 8GB below, unless --memory-limit sets one;"
        " dbt_2gb always 2GB"
    )
    command = "python -m benchmark.run --events " + " ".join(map(str, sizes))
    command += f" --repeats {args.repeats}"
    if sizes[-1] >= LARGE:
        command += f" --large-repeats {args.large_repeats}"
    if args.memory_limit:
        command += f" --memory-limit {args.memory_limit}"
    command += f" --threads {args.threads}"
    if args.variants != DEFAULT_VARIANTS:
        command += " --variants " + " ".join(args.variants)
    if args.keep_dbt_warehouse:
        command += " --keep-dbt-warehouse"
    if kept:
        command += " --keep-other-sizes"
        sizes = sorted(set(sizes) | {run.events for run in kept})
    page = results_page(
        measured,
        sizes,
        command,
        f"{limits}; threads of DuckDB and Polars: {threads_used(measured.runs)}.",
    )
    if not args.no_report:
        write_results(measured, sizes, page, command)
    print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
