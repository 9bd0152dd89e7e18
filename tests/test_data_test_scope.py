"""Data tests on the incremental models check the rows the latest run wrote, so their cost
follows the new data (macros/testing/get_where_subquery.sql, docs/incremental.md). A bad row the
latest run wrote fails them, even when it clashes with a stored row; a row damaged in an
earlier run is left to `data_tests_scope: all`, which tests whole tables."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.dbt_runner import run_dbt

HEADER = "event_id,device_id,user_id,event_name,event_timestamp"
VALIDATED_TESTS = "int_events_validated int_timeout_sessions"


def deliver(events_dir: Path, name: str, *rows: str) -> None:
    events_dir.mkdir(parents=True, exist_ok=True)
    (events_dir / name).write_text("\n".join([HEADER, *rows]) + "\n")


def copy_row(database: Path, table: str, where: str, load_batch: int) -> None:
    """Write a copy of a stored row as if the run `load_batch` had written it."""
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            f"insert into {table} "
            f"select * replace ({load_batch} as load_batch) from {table} where {where}"
        )


def failed_tests(output: str) -> set[str]:
    return {
        line.split("Failure in test ")[1].split()[0]
        for line in output.splitlines()
        if "Failure in test " in line
    }


def test_tests_check_the_latest_run_and_scope_all_checks_whole_tables(tmp_path: Path) -> None:
    events = tmp_path / "events"
    variables = {"events_path": str(events / "*.csv")}
    deliver(events, "a.csv", "e1,d1,,open,2024-03-01T10:00:00Z", "e2,d1,,tap,2024-03-01T10:01:00Z")
    assert run_dbt("build", tmp_path, variables).returncode == 0
    deliver(events, "b.csv", "e3,d2,,open,2024-03-02T10:00:00Z")
    second = run_dbt("build", tmp_path, variables)
    assert second.returncode == 0, second.failures
    database = second.database

    # damage from an earlier run (batch 1 of 2): outside the default scope, inside "all"
    copy_row(database, "int_events_validated", "clean_event_id = 'e1'", load_batch=1)
    copy_row(database, "int_timeout_sessions", "session_partition_key = 'device:d1'", load_batch=1)
    scoped = run_dbt("test", tmp_path, variables, ("--select", *VALIDATED_TESTS.split()))
    assert scoped.returncode == 0, scoped.failures
    whole = run_dbt(
        "test",
        tmp_path,
        {**variables, "data_tests_scope": "all"},
        ("--select", *VALIDATED_TESTS.split()),
    )
    assert whole.returncode != 0
    assert failed_tests(whole.output) == {
        "unique_by_hash_int_events_validated_clean_event_id__dedupe_hash",
        "unique_combination_int_timeout_sessions_session_partition_key__session_start_us",
    }, whole.failures

    # the latest run (batch 2) writing a copy of a stored event and of a stored session:
    # the scoped tests compare the run's keys with every stored row, and fail
    copy_row(database, "int_events_validated", "clean_event_id = 'e2'", load_batch=2)
    copy_row(database, "int_timeout_sessions", "session_partition_key = 'device:d1'", load_batch=2)
    latest = run_dbt("test", tmp_path, variables, ("--select", *VALIDATED_TESTS.split()))
    assert latest.returncode != 0
    assert failed_tests(latest.output) == {
        "unique_by_hash_int_events_validated_clean_event_id__dedupe_hash",
        "unique_combination_int_timeout_sessions_session_partition_key__session_start_us",
    }, latest.failures
