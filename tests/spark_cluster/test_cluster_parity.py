"""The project on a real Spark cluster: a standalone master, two workers and a Thrift server,
each its own JVM on the loopback address (tests/spark_cluster/cluster.py), reached by dbt
through the `spark_thrift` target (dbt-spark's `thrift` method). Every output table equals the
DuckDB build after a full build and after each incremental run with late and re-delivered
files, so the executors read the raw files, `input_file_name()` names them, the new-file
ledger and the metastore persist in the server across runs, and the Parquet incremental
strategies rewrite tables written by other processes.

Run by `make spark-cluster-test` only (tests/conftest.py leaves this folder out of `make
pytest`). Builds leave out dbt's unit tests: dbt's unit-test materialization reads the result
of a `create` statement, which the thrift method cannot return ("'NoneType' object is not
iterable", dbt-labs/dbt-adapters#481); they prove the SQL, not the cluster, and `make
spark-test` runs every one of them on Spark."""

from __future__ import annotations

import socket
import subprocess
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.dbt_runner import PROJECT_DIR, DbtResult, dbt_command, read_table, run_dbt
from tests.messy_events import generate_messy_events, write_events
from tests.spark.test_spark_parity import TABLES, compare_all, four_runs_of_deliveries
from tests.spark_cluster.cluster import HOST, ClusterError, StandaloneCluster
from tests.test_incremental import deliver


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    """Two workers of one core and 1 GB each; stopped, and checked stopped, at the end."""
    with StandaloneCluster(tmp_path_factory.mktemp("cluster"), workers=2) as started:
        yield started


def run_cluster_dbt(
    cluster: StandaloneCluster, schema: str, work_dir: Path, variables: dict[str, Any]
) -> DbtResult:
    """`dbt build` on the spark_thrift target into `schema`, without dbt's unit tests."""
    args, env = dbt_command("build", work_dir, variables)
    env |= cluster.dbt_environment() | {"APP_SESSIONS_SPARK_SCHEMA": schema}
    completed = subprocess.run(
        args, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    return DbtResult(completed.returncode, completed.stdout + completed.stderr, work_dir)


def read_cluster_tables(
    cluster: StandaloneCluster, schema: str, tables: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Every row of the tables, through the Thrift server as a BI client reads them: PyHive
    gives timestamps as datetimes (UTC session time zone), decimals as Decimals, dates as
    text (made dates here)."""
    from pyhive import hive

    connection = hive.connect(
        host=HOST,
        port=cluster.thrift_port,
        username="dbt",
        configuration={"spark.sql.session.timeZone": "UTC"},
    )
    result: dict[str, list[dict[str, Any]]] = {}
    try:
        cursor = connection.cursor()
        for table in tables:
            cursor.execute(f"select * from {schema}.{table}")
            columns = [(name, kind) for name, kind, *_ in cursor.description]
            result[table] = [
                {
                    name: date.fromisoformat(value) if kind == "DATE_TYPE" and value else value
                    for (name, kind), value in zip(columns, row, strict=True)
                }
                for row in cursor.fetchall()
            ]
    finally:
        connection.close()
    return result


def assert_equal_to_duckdb(
    cluster: StandaloneCluster, schema: str, duckdb_build: DbtResult, when: str
) -> None:
    expected = {table: read_table(duckdb_build.database, table) for table in TABLES}
    actual = read_cluster_tables(cluster, schema, TABLES)
    problems = compare_all(actual, expected)
    assert not problems, f"{when}:\n" + "\n".join(problems)
    for table in TABLES:  # same columns, in the same order
        assert list(actual[table][0]) == list(expected[table][0]), f"{when}: {table}"


def test_cluster_build_equals_the_duckdb_build(
    cluster: StandaloneCluster, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """The event set of `make dbt-test` (seed 1, every cleaning rule, DST time zone)."""
    events = tmp_path_factory.mktemp("messy") / "events"
    variables = {
        "events_path": write_events(generate_messy_events(1), events, "ndjson"),
        "reporting_timezone": "America/New_York",
    }
    duckdb_build = run_dbt("build", tmp_path / "duckdb", variables)
    assert duckdb_build.returncode == 0, duckdb_build.failures
    started = time.monotonic()
    cluster_build = run_cluster_dbt(cluster, "cluster_full", tmp_path / "cluster", variables)
    assert cluster_build.returncode == 0, cluster_build.output[-5000:]
    print(f"\ndbt build on the cluster: {time.monotonic() - started:.0f} s")
    assert cluster.executors_granted() == 2, "each worker ran an executor of the build"
    assert_equal_to_duckdb(cluster, "cluster_full", duckdb_build, "full build")


def test_cluster_incremental_runs_equal_the_duckdb_runs(
    cluster: StandaloneCluster, tmp_path: Path
) -> None:
    """The four runs of the session-mode test (four_runs_of_deliveries): after each, every
    table equals DuckDB's after the same run (both read the same inbox)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    variables, deliveries = four_runs_of_deliveries(inbox)
    for number, delivery in enumerate(deliveries, start=1):
        for name, batch in delivery:
            deliver(batch, inbox, name)
        duckdb_build = run_dbt("build", tmp_path / "duckdb", variables)
        assert duckdb_build.returncode == 0, duckdb_build.failures
        cluster_build = run_cluster_dbt(cluster, "cluster_runs", tmp_path / "cluster", variables)
        assert cluster_build.returncode == 0, cluster_build.output[-5000:]
        assert_equal_to_duckdb(cluster, "cluster_runs", duckdb_build, f"after run {number}")


def test_a_failed_step_leaves_no_process_running(tmp_path: Path) -> None:
    cluster = StandaloneCluster(tmp_path / "cluster", workers=1)
    with pytest.raises(RuntimeError, match="a step failed"), cluster:
        started = cluster.running_processes()
        assert len(started) >= 3, started  # master, worker, Thrift server
        raise RuntimeError("a step failed")
    assert cluster.running_processes() == []
    assert not any(Path(f"/proc/{pid}").exists() for pid in started)


def test_a_port_in_use_is_named(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        cluster = StandaloneCluster(tmp_path / "cluster", workers=1, thrift_port=port)
        with pytest.raises(ClusterError, match=f"a port it needs is in use .*{port}"):
            cluster.start()
    assert cluster.running_processes() == []


def test_without_java_the_cluster_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ClusterError, match=r"needs Java 17 .* openjdk-17-jre-headless"):
        StandaloneCluster(tmp_path / "cluster").start()
    assert not (tmp_path / "cluster").exists(), "nothing started"
