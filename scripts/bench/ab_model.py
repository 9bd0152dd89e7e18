"""A/B of one model between two versions of the project: each version's full-build SQL of the
model, compiled by dbt against a build the benchmark kept, is run into a temporary table (or,
with `--into-file`, a database file that is checkpointed, as a build writes it), the versions
interleaved, round after round (each side going first in turn), with the same DuckDB
settings. Both must return the same rows (count, and a hash sum of every column) before any
time is reported: a faster wrong model is a failure.

A change of a few percent in one model is lost in this machine's drift between whole benchmark
runs (docs/performance.md); interleaved runs of the model alone can show it.

    python -m scripts.bench.ab_model data/bench/warehouse-100000000 stg_app__events_validated \
        --before 9b3d4e4 --rounds 2 --memory-limit 16GB

`--before` and `--after` take a git revision; `--after` defaults to the working tree.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.bench import arguments
from scripts.bench.kept_build import kept_build_parser, kept_connection, parse_kept_build_args

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"


def kept_vars(kept: Path) -> dict:
    """The --vars of the kept build, with events_path made absolute (other checkouts compile)."""
    run_results = json.loads((kept / "target" / "run_results.json").read_text())
    variables = dict(run_results["args"].get("vars") or {})
    if "events_path" in variables:
        variables["events_path"] = str(PROJECT_DIR / variables["events_path"])
    return variables


def checkout(revision: str | None, work: Path) -> Path:
    """The project directory of a revision: a detached git worktree, or this checkout."""
    if revision is None:
        return PROJECT_DIR
    directory = work / f"rev-{revision}"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(directory), revision],
        cwd=PROJECT_DIR, check=True, capture_output=True,
    )  # fmt: skip
    return directory


def compiled_select(project: Path, kept: Path, model: str, work: Path) -> str:
    """The select a full build of `model` runs, compiled in `project` against the kept build."""
    target = work / f"target-{project.name}"
    env = {**os.environ, "APP_SESSIONS_DB": str((kept / "warehouse.duckdb").resolve())}
    completed = subprocess.run(
        [str(DBT), "compile", "--full-refresh", "--select", model, "--profiles-dir", "profiles",
         "--target-path", str(target), "--log-path", str(work / "logs"),
         "--vars", json.dumps(kept_vars(kept))],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = sorted((target / "compiled").rglob(f"{model}.sql"))
    if completed.returncode != 0 or not found:
        raise SystemExit(f"dbt compile of {model} in {project} failed:\n{completed.stdout}")
    return found[0].read_text()


def timed_run(
    kept: Path, select: str, memory_limit: str, threads: int, into_file: bool
) -> tuple[float, tuple]:
    """Wall seconds of the select into a table, and a fingerprint of its rows. The table is a
    temporary one in memory, or with `into_file` one in a new database file beside the kept
    build, checkpointed (compressed and written to disk) within the time, as a build does."""
    with tempfile.TemporaryDirectory(prefix="ab-", dir=kept) as scratch:
        connection = kept_connection(kept, scratch, memory_limit, threads)
        if into_file:
            connection.execute(f"attach '{scratch}/measured.duckdb' as measured_file")
            table, create = "measured_file.main.measured", "create table"
        else:
            table, create = "measured", "create temp table"
        started = time.perf_counter()
        connection.execute(f"{create} {table} as {select}")
        if into_file:
            connection.execute("checkpoint measured_file")
        seconds = time.perf_counter() - started
        fingerprint = connection.execute(
            f"select count(*), sum(hash(columns(*))) from {table}"
        ).fetchone()
        connection.close()
    return seconds, fingerprint


def main() -> int:
    parser = kept_build_parser(__doc__)
    parser.add_argument("--before", required=True, help="git revision of the A side")
    parser.add_argument("--after", default=None, help="git revision (default: working tree)")
    parser.add_argument("--rounds", type=arguments.positive_int, default=2)
    parser.add_argument("--memory-limit", type=arguments.memory_limit, default="8GB")
    parser.add_argument(
        "--into-file", action="store_true",
        help="write each result to a database file and checkpoint it, as a build does"
        " (default: a temporary table in memory, which leaves the disk out)",
    )  # fmt: skip
    args = parse_kept_build_args(parser)
    sides = {"before": args.before, "after": args.after}
    with tempfile.TemporaryDirectory(prefix="ab-model-") as scratch:
        work = Path(scratch)
        projects = {side: checkout(revision, work) for side, revision in sides.items()}
        try:
            for model in args.models:
                selects = {
                    side: compiled_select(project, args.kept, model, work)
                    for side, project in projects.items()
                }
                seconds: dict[str, list[float]] = {side: [] for side in sides}
                fingerprints = {}
                for round_number in range(1, args.rounds + 1):
                    # the sides take turns going first: the first run of all meets files
                    # that are not in the page cache yet (at 100M it took 196 s where the
                    # same SQL took 107 s after), so neither side always pays for it
                    order = list(selects.items())
                    for side, select in order if round_number % 2 else order[::-1]:
                        wall, fingerprints[side] = timed_run(
                            args.kept, select, args.memory_limit, args.threads, args.into_file
                        )
                        seconds[side].append(wall)
                        print(f"round {round_number} {side:<6} {model} {wall:8.1f} s", flush=True)
                if fingerprints["before"] != fingerprints["after"]:
                    raise SystemExit(f"{model}: the two versions return different rows")
                written = "a database file" if args.into_file else "a temporary table"
                print(f"\n{model} into {written}, memory_limit {args.memory_limit},"
                      f" threads {args.threads}, {fingerprints['after'][0]:,} rows"
                      " (equal on both sides)\n")  # fmt: skip
                print("| side | revision | seconds per round | median | min |")
                print("|---|---|---|---:|---:|")
                for side, revision in sides.items():
                    runs = seconds[side]
                    listed = ", ".join(f"{s:.1f}" for s in runs)
                    print(f"| {side} | {revision or 'working tree'} | {listed} |"
                          f" {statistics.median(runs):.1f} | {min(runs):.1f} |")  # fmt: skip
                print()
        finally:
            for project in projects.values():
                if project != PROJECT_DIR:
                    subprocess.run(
                        ["git", "worktree", "remove", "--force", str(project)],
                        cwd=PROJECT_DIR, check=False, capture_output=True,
                    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
