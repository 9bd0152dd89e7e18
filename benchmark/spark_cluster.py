"""The project on a standalone Spark cluster with one and with two workers:
`make bench-spark-cluster` (not part of make test; needs make spark-venv and Java 17).

For each event set (the messy test set of `make dbt-test`, then `--events` generated events,
cached under data/bench/) and each worker count: a fresh cluster on this machine
(tests/spark_cluster/cluster.py: a master, N workers of `--worker-cores` cores and
`--worker-memory` each, a Thrift server), then a production `dbt build` (models and data tests)
through the `spark_thrift` target, timed from the dbt process's start to its end (Spark's start
is not in it: the cluster is up before). Each build's sessions are checked against the DuckDB
build of the same files, per session date (count, duration and foreground sums), before its
time is reported. Results go to docs/spark-cluster-benchmark.md.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from pathlib import Path

from benchmark.run import (
    PER_DAY_SQL,
    PROJECT_DIR,
    dbt_build_command,
    dbt_profile,
    events_glob,
    machine,
    per_day_from,
    timed,
)
from tests.messy_events import generate_messy_events, write_events
from tests.spark_cluster.cluster import HOST, StandaloneCluster

RESULTS_MD = PROJECT_DIR / "docs" / "spark-cluster-benchmark.md"
# DuckDB on as many cores as the two workers have together
DUCKDB_ENV = {
    "APP_SESSIONS_TARGET": "duckdb",
    "APP_SESSIONS_DUCKDB_THREADS": "2",
    "APP_SESSIONS_MEMORY_LIMIT": "8GB",
}


def dbt_build(work: Path, glob: str, env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Wall seconds of a production `dbt build --full-refresh`, and its time per node."""
    env = {
        **os.environ,
        "APP_SESSIONS_DB": str(work / "warehouse.duckdb"),
        "APP_SESSIONS_TEMP_DIR": str(work / "tmp"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **env,
    }
    seconds, _ = timed(dbt_build_command(work, glob), env)
    return seconds, dbt_profile(work / "target" / "run_results.json")


def per_day_cluster(cluster: StandaloneCluster) -> dict[str, list[float]]:
    from pyhive import hive

    sql = PER_DAY_SQL.replace("as varchar", "as string").replace(
        "from fct_sessions", "from app_sessions.fct_sessions"
    )
    connection = hive.connect(host=HOST, port=cluster.thrift_port, username="dbt")
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        return {day: [float(value) for value in totals] for day, *totals in cursor.fetchall()}
    finally:
        connection.close()


def check_same_sessions(name: str, workers: int, cluster: dict, duckdb: dict) -> None:
    if cluster.keys() != duckdb.keys():
        raise SystemExit(f"{name}, {workers} worker(s): other session dates than DuckDB")
    for day, expected in duckdb.items():
        got = cluster[day]
        if got[0] != expected[0] or not all(
            math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
            for a, b in zip(got[1:], expected[1:], strict=True)
        ):
            raise SystemExit(f"{name}, {workers} worker(s), {day}: {got} vs DuckDB {expected}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--worker-cores", type=int, default=1)
    parser.add_argument("--worker-memory", default="4g")
    parser.add_argument("--driver-memory", default="2g")
    parser.add_argument("--shuffle-partitions", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="spark-cluster-bench-") as scratch:
        root = Path(scratch)
        messy = generate_messy_events(1)
        sets = {
            f"the messy test set ({len(messy):,} rows)": write_events(
                messy, root / "messy", "ndjson"
            ),
            f"{args.events:,} generated events": events_glob(args.events),
        }
        rows: list[str] = []
        for name, glob in sets.items():
            duckdb_seconds, _ = dbt_build(root / "duckdb", glob, DUCKDB_ENV)
            expected = per_day_from(root / "duckdb" / "warehouse.duckdb")
            for workers in args.workers:
                cluster = StandaloneCluster(
                    root / f"cluster-{workers}",
                    workers=workers,
                    worker_cores=args.worker_cores,
                    worker_memory=args.worker_memory,
                    driver_memory=args.driver_memory,
                    shuffle_partitions=args.shuffle_partitions,
                )
                with cluster:
                    seconds, profile = dbt_build(
                        root / f"dbt-{workers}",
                        glob,
                        cluster.dbt_environment() | {"APP_SESSIONS_SPARK_SCHEMA": "app_sessions"},
                    )
                    check_same_sessions(name, workers, per_day_cluster(cluster), expected)
                slowest = sorted(
                    ((node, t) for node, t in profile.items() if not node.startswith("elapsed")),
                    key=lambda item: -item[1],
                )[:3]
                rows.append(
                    f"| {name} | {workers} x {args.worker_cores} core, {args.worker_memory} | "
                    f"{seconds:.1f} | {duckdb_seconds:.1f} | "
                    + ", ".join(f"{node} {t:.1f}" for node, t in slowest)
                    + " |"
                )
                print(rows[-1], flush=True)

    command = "python -m benchmark.spark_cluster " + " ".join(sys.argv[1:])
    RESULTS_MD.write_text(
        "# Spark cluster builds, measured\n\n"
        f"Written by `{command.strip()}` (`make bench-spark-cluster`); what it means: "
        "[docs/spark.md](spark.md#on-a-cluster).\n\n"
        f"Machine: {machine()}. Each worker is a JVM of its own on this machine, with its "
        f"executor ({args.worker_cores} core, {args.worker_memory}); the Thrift server "
        f"(the driver, {args.driver_memory}) plans the SQL; {args.shuffle_partitions} shuffle "
        "partitions. A production `dbt build --full-refresh` (models and data tests), one run "
        "each, timed from the dbt process's start to its end with the cluster already up. Each "
        "build's sessions equal the DuckDB build's, per session date.\n\n"
        "| events | workers | Spark cluster (s) | DuckDB, 2 threads (s) | slowest nodes (s) |\n"
        "|---|---|---:|---:|---|\n" + "\n".join(rows) + "\n"
    )
    print(f"wrote {RESULTS_MD.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
