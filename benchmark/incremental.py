"""Incremental run vs full build, side by side in one run: `make bench-incremental`.

For each history size: generate (once, cached under data/bench/) a seeded event set of
history + new events, where the new events are the last `--new-fraction` of all events by
arrival time (received_at): the ones a scheduled run would find in its new files, late events
included. Then, repeated and interleaved:

1. full: `dbt build --full-refresh` over history + new files, a cold dbt process on a fresh
   DuckDB file, as CI and a first deployment run it;
2. incremental: `dbt build` on a warehouse built from the history alone (restored from a copy
   before each repeat), after the new file arrived; its dbt target dir is kept between runs, as
   a scheduled deployment keeps it.

Both runs start cold: the files they read (the event files, and the incremental run's
warehouse and published copy) are dropped from the OS page cache first, as on a machine that
did other work since the last scheduled run, and as they would be anyway after the other
run's writes at 100M events. Both warehouses are checked equal, table by table, before any
time is reported. Results go to
docs/incremental-benchmark.md (with the machine's description) and docs/incremental-benchmark.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"
BENCH_DIR = PROJECT_DIR / "data" / "bench"
RESULTS_MD = PROJECT_DIR / "docs" / "incremental-benchmark.md"
RESULTS_JSON = PROJECT_DIR / "docs" / "incremental-benchmark.json"
OUTPUT_TABLES = (
    "int_events_clean",
    "rejected_events",
    "fct_sessions",
    "rpt_sessions_per_user",
    "rpt_session_duration",
    "rpt_session_time_hourly",
    "rpt_active_users",
    "rpt_session_time_local_hourly",
    "dim_users",
    "fct_session_local_hours",
)


def prepare(events: int, new_fraction: float, seed: int) -> Path:
    """history/ and new/ parquet files for `events` events in total, cached on disk."""
    case_dir = BENCH_DIR / f"incremental-{events}-{new_fraction}-{seed}"
    if (case_dir / ".complete").exists():
        return case_dir
    shutil.rmtree(case_dir, ignore_errors=True)
    generated = case_dir / "generated"
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "generate_events.py"),
            "--events",
            str(events),
            "--out",
            str(generated),
            "--seed",
            str(seed),
            "--quiet",
        ],
        check=True,
    )
    (case_dir / "history").mkdir(parents=True)
    (case_dir / "new").mkdir()
    with duckdb.connect() as connection:
        connection.execute(f"set threads = {os.cpu_count() or 2}")
        # at 100M the ranked copy is larger than memory: spill it, don't grow to the machine
        connection.execute("set memory_limit = '4GB'")
        connection.execute(f"set temp_directory = '{case_dir / 'spill'}'")
        connection.execute(
            f"""
            create temp table arrivals as
            select
                *,
                row_number() over (
                    order by try_cast(received_at as timestamptz) nulls first, event_id
                ) as arrival_rank
            from read_parquet('{generated}/*.parquet')
            """
        )
        cutoff = round(events * (1 - new_fraction))
        for name, condition in (("history", f"<= {cutoff}"), ("new", f"> {cutoff}")):
            connection.execute(
                f"""
                copy (
                    select * exclude (arrival_rank) from arrivals
                    where arrival_rank {condition} order by arrival_rank
                ) to '{case_dir / name}' (format parquet, per_thread_output true)
                """
            )
    shutil.rmtree(generated)
    shutil.rmtree(case_dir / "spill", ignore_errors=True)
    (case_dir / ".complete").touch()
    return case_dir


def drop_from_page_cache(paths: list[Path]) -> None:
    """Flush every dirty page to disk (the previous run's writes must not compete with this
    run's reads), then drop the files' pages from the OS page cache, so the next read comes
    from disk (no privileges needed, unlike /proc/sys/vm/drop_caches)."""
    os.sync()
    for path in paths:
        if not path.exists():
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def dbt_build(database: Path, events_glob: str, work: Path, *args: str) -> float:
    """Wall seconds of one `dbt build` in a new process that reads its inputs from disk: the
    event files and the warehouse files are dropped from the page cache first. Raises if the
    build fails."""
    drop_from_page_cache([*Path(events_glob).parent.glob("*"), database, published(database)])
    env = {**os.environ, "APP_SESSIONS_DB": str(database)}
    command = [
        str(DBT),
        "build",
        "--profiles-dir",
        "profiles",
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--vars",
        json.dumps({"events_path": events_glob}),
        # as `make run` does: unit tests prove the SQL and run in `make test`
        "--exclude-resource-type",
        "unit_test",
        *args,
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"dbt build failed:\n{result.stdout[-4000:]}")
    return elapsed


PUBLISHED_TABLES = (
    "fct_sessions",
    "rpt_sessions_per_user",
    "rpt_session_duration",
    "rpt_session_time_hourly",
    "rpt_active_users",
    "rpt_session_time_local_hourly",
    "dim_users",
)


def published(database: Path) -> Path:
    """The published copy BI tools read, beside the working file (models/publish)."""
    return database.parent / "published" / database.name


def assert_same_tables(first: Path, second: Path) -> None:
    """Every output table holds the same rows in both warehouses, and in both published copies
    (a fast wrong answer fails).

    Compared as multisets by row count and the sum of a hash of each whole row: one streaming
    scan per table (an `except all` of two 100M-row tables spills tens of GB)."""
    assert_same_rows(first, second, OUTPUT_TABLES)
    assert_same_rows(published(first), published(second), PUBLISHED_TABLES)


def assert_same_rows(first: Path, second: Path, tables: tuple[str, ...]) -> None:
    with duckdb.connect() as connection:
        connection.execute(f"attach '{first}' as a (read_only)")
        connection.execute(f"attach '{second}' as b (read_only)")
        for table in tables:
            digests = [
                connection.execute(
                    f"select count(*), coalesce(sum(hash(t)), 0) from {side}.main.{table} as t"
                ).fetchone()
                for side in ("a", "b")
            ]
            if digests[0] != digests[1]:
                raise AssertionError(
                    f"{table}: rows differ between {first} and {second} "
                    f"(count, hash sum: {digests[0]} vs {digests[1]})"
                )


def run_case(events: int, new_fraction: float, seed: int, repeat: int) -> dict:
    measured = f"{time.strftime('%Y-%m-%d')}, {code_version()}"
    case_dir = prepare(events, new_fraction, seed)
    work = PROJECT_DIR / "target" / "bench-incremental" / str(events)
    shutil.rmtree(work, ignore_errors=True)
    inbox = work / "inbox"
    inbox.mkdir(parents=True)
    for file in (case_dir / "history").glob("*.parquet"):
        os.link(file, inbox / f"history-{file.name}")
    glob = str(inbox / "*.parquet")

    # The incremental warehouse is built from the history at one path and kept with its dbt
    # target dir, as a scheduled deployment keeps them between runs (partial parsing applies).
    incremental_db, incremental_target = work / "incremental.duckdb", work / "target-incremental"
    history_seconds = dbt_build(incremental_db, glob, incremental_target, "--full-refresh")
    # a copy to restore before each further repeat (at 100M a warehouse is ~15 GB: none for one)
    history_db = work / "history.duckdb"
    if repeat > 1:
        shutil.copyfile(incremental_db, history_db)
        shutil.copyfile(published(incremental_db), published(history_db))
    for file in (case_dir / "new").glob("*.parquet"):
        os.link(file, inbox / f"new-{file.name}")

    full_times: list[float] = []
    incremental_times: list[float] = []
    for attempt in range(repeat):
        # full: a cold process with no dbt state and a fresh file, as CI runs it
        full_db, full_target = work / "full.duckdb", work / "target-full"
        full_db.unlink(missing_ok=True)
        shutil.rmtree(full_target, ignore_errors=True)
        full_times.append(dbt_build(full_db, glob, full_target, "--full-refresh"))
        if attempt:
            shutil.copyfile(history_db, incremental_db)
            shutil.copyfile(published(history_db), published(incremental_db))
        incremental_times.append(dbt_build(incremental_db, glob, incremental_target))
        assert_same_tables(incremental_db, full_db)
    full, incremental = statistics.median(full_times), statistics.median(incremental_times)
    return {
        **profile(incremental_target / "target" / "run_results.json", incremental_times[-1]),
        "events": events,
        "new_events": round(events * new_fraction),
        "history_build_seconds": round(history_seconds, 2),
        "full_seconds": [round(t, 2) for t in full_times],
        "incremental_seconds": [round(t, 2) for t in incremental_times],
        "full_median": round(full, 2),
        "incremental_median": round(incremental, 2),
        "ratio": round(incremental / full, 3),
        "measured": measured,
    }


def devices_touched(events: int, new_fraction: float, seed: int) -> dict:
    """How many devices the new files touch, of all devices: what an incremental run recomputes."""
    case_dir = BENCH_DIR / f"incremental-{events}-{new_fraction}-{seed}"
    with duckdb.connect() as connection:
        touched, devices = connection.execute(
            f"""
            select
                count(distinct device_id) filter (where filename like '%/new/%'),
                count(distinct device_id)
            from read_parquet('{case_dir}/*/*.parquet', filename = true)
            """
        ).fetchone()
    return {"devices_touched": touched, "devices": devices}


def profile(run_results: Path, wall_seconds: float) -> dict:
    """Where the last incremental run's time went, from dbt's run_results.json."""
    results = json.loads(run_results.read_text())
    by_kind: dict[str, float] = {}
    for node in results["results"]:
        kind = node["unique_id"].split(".")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + node["execution_time"]
    slowest = sorted(results["results"], key=lambda node: -node["execution_time"])[:10]
    return {
        "incremental_dbt_elapsed": round(results["elapsed_time"], 2),
        "incremental_startup": round(wall_seconds - results["elapsed_time"], 2),
        "incremental_seconds_by_kind": {k: round(v, 2) for k, v in sorted(by_kind.items())},
        "incremental_slowest_nodes": {
            node["unique_id"].split(".")[2]: round(node["execution_time"], 2) for node in slowest
        },
    }


# What a build runs: the dbt project's files (its data tests are the SQL under tests/).
BUILD_FILES = (
    "models", "macros", "python", "profiles", "dbt_project.yml", "selectors.yml",
    ":(glob)tests/**/*.sql", ":(glob)tests/**/*.yml",
)  # fmt: skip


def code_version() -> str:
    """The commit the models are measured at, marked when the build's files differ from it."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit, changed = (
            git("rev-parse", "--short", "HEAD"),
            git("status", "--porcelain", "--", *BUILD_FILES),
        )
    except (OSError, subprocess.CalledProcessError):
        return "code not in a git checkout"
    return commit + (" with uncommitted changes" if changed else "")


def machine() -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (
        f"{os.cpu_count()} cores, {memory_gb:.0f} GB RAM, {platform.machine()}, "
        f"Python {platform.python_version()}, duckdb {duckdb.__version__}, "
        f"DuckDB threads {os.environ.get('APP_SESSIONS_DUCKDB_THREADS', '2')}"
    )


def results_page(results: list[dict], command: str) -> str:
    lines = [
        "# Incremental run vs full build",
        "",
        f"Generated by `{command}` on {time.strftime('%Y-%m-%d')}; machine: {machine()}.",
        "With `--keep-other-sizes`, the sizes not run by that command keep the numbers of the",
        "command that measured them (the 100M case runs alone: about 30 minutes).",
        "",
        "Each row: a seeded event set (`scripts/generate_events.py`), split by arrival time into",
        "a history and the newest events (late ones included). *Full*: `dbt build",
        "--full-refresh` over all files in a new process on a fresh DuckDB file. *Incremental*:",
        "`dbt build` on a warehouse built from the history, after the new file arrived (the",
        "dbt target dir kept from the history build, as a scheduled deployment keeps it). Both",
        "runs read from disk: dirty pages are flushed, and the event files and warehouse files",
        "are dropped from the OS page cache before each run. Both",
        "include dbt's start-up and the data tests; unit tests are excluded as in a scheduled",
        "production run (`--exclude-resource-type unit_test`; they run in `make test`). Both",
        "warehouses are checked equal table by table before timing is reported. Median of the",
        "repeats (all in brackets), seconds. *Measured*: the day and the commit of the code.",
        "",
        "| history events | new events | devices touched | full build | incremental run "
        "| incremental / full | measured |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['events']:,} | {r['new_events']:,} | "
            f"{r['devices_touched']:,} of {r['devices']:,} | {r['full_median']:.1f} "
            f"{r['full_seconds']} | {r['incremental_median']:.1f} {r['incremental_seconds']} "
            f"| {r['ratio']:.1%} | {r.get('measured', 'not recorded')} |"
        )
    lines += [
        "",
        "## Where the incremental run's time goes",
        "",
        "From dbt's `run_results.json` of the last incremental run of each size: seconds of",
        "start-up (wall time minus dbt's elapsed), dbt's elapsed time, the sum of the models'",
        "and of the data tests' times (two at a time, so they add up to more than elapsed), and",
        "the slowest nodes.",
        "",
        "| history events | start-up | dbt elapsed | models | data tests | slowest nodes |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if "incremental_dbt_elapsed" not in r:
            continue
        kinds = r["incremental_seconds_by_kind"]
        slowest = ", ".join(f"{name} {t:.1f}" for name, t in r["incremental_slowest_nodes"].items())
        lines.append(
            f"| {r['events']:,} | {r['incremental_startup']:.1f} | "
            f"{r['incremental_dbt_elapsed']:.1f} | {kinds.get('model', 0):.1f} | "
            f"{kinds.get('test', 0):.1f} | {slowest} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--new-fraction", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite docs/incremental-benchmark.md from docs/incremental-benchmark.json",
    )
    parser.add_argument(
        "--keep-other-sizes",
        action="store_true",
        help="keep the results of sizes not run now from docs/incremental-benchmark.json "
        "(to add the 100M case, which takes an hour, to a report of the smaller ones)",
    )
    parser.add_argument(
        "--no-report",
        action="store_true",
        help="print the results only: docs/incremental-benchmark.md and its json stay as they"
        " are (for a partial or ad-hoc run)",
    )
    args = parser.parse_args()
    results = []
    if args.keep_other_sizes and RESULTS_JSON.exists():
        results = [
            r for r in json.loads(RESULTS_JSON.read_text()) if r["events"] not in args.events
        ]
    if args.report_only:
        results = json.loads(RESULTS_JSON.read_text())
        args.events = []
    for events in args.events:
        result = run_case(events, args.new_fraction, args.seed, args.repeat)
        print(json.dumps(result), flush=True)
        results.append(result)
    results.sort(key=lambda r: r["events"])
    for r in results:
        if "devices_touched" not in r:
            r.update(devices_touched(r["events"], args.new_fraction, args.seed))
    command = "make bench-incremental"
    if args.report_only:
        command = RESULTS_MD.read_text().split("Generated by `")[1].split("`")[0]
    elif sys.argv[1:] != ["--events", "1000000", "10000000"]:
        command = " ".join(["python -m benchmark.incremental", *sys.argv[1:]])
    page = results_page(results, command)
    if args.no_report:
        print(page)
        return 0
    RESULTS_JSON.write_text(json.dumps(results, indent=2) + "\n")
    RESULTS_MD.write_text(page)
    print(f"wrote {RESULTS_MD.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
