"""Bad configuration and bad input: the build stops with a message that says what is wrong and
how to fix it; odd but valid input (missing optional columns, extra columns, native
timestamps) loads without losing a row."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.dbt_runner import read_table, run_dbt

EXAMPLE = "tests/fixtures/example_events.csv"


def write_csv(path: Path, header: str, *lines: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *lines]) + "\n")
    return str(path)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"events_path": "no/such/dir/*.parquet"}, "matches no file"),
        ({"events_path": "events.txt"}, "does not end in a file ending"),
        ({"reporting_timezone": "Mars/Olympus"}, "not a time zone this engine knows"),
        ({"reporting_timezone": "UTC; drop table x"}, "must be an IANA time zone name"),
        ({"session_timeout_minutes": "half an hour"}, "must be a number of minutes"),
        ({"background_timeout_minutes": 0}, "must be greater than zero"),
        ({"max_session_minutes": -5}, "must be greater than zero"),
        ({"background_event_names": []}, "must list at least one event name"),
        ({"data_tests_scope": "new rows"}, "must be 'run'"),
        ({"late_devices_read_apart": 0}, "must be a whole number of devices from 1"),
        ({"events_format": "heap"}, "it must be one of contract, segment, amplitude"),
        ({"epoch_units": {"event_timestamp": "minutes"}}, "Its keys are event_timestamp"),
        ({"column_map": ["device_id"]}, "must map contract columns"),
        ({"max_rejected_share": "lots"}, "must be a share from 0 to 1"),
        ({"max_conflicting_id_share": 5}, "must be a share from 0 to 1"),
        ({"load_check_min_rows": "ten"}, "must be a whole number of rows"),
    ],
)
def test_bad_setting_stops_the_build_with_a_message(
    variables: dict, message: str, tmp_path: Path
) -> None:
    result = run_dbt("build", tmp_path, {"events_path": EXAMPLE, **variables})
    assert result.returncode != 0
    assert message in result.output, result.output[-3000:]
    name = next(iter(variables))
    assert name in result.output, "the message names the setting"


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("event_id,device_id,user_id,event_timestamp", "'event_name'"),
        ("event_id,device_id,user_id,event_name", "'event_timestamp'"),
        ("event_id,event_name,event_timestamp", "neither a 'device_id' nor a 'user_id'"),
    ],
)
def test_missing_required_column_is_named(header: str, missing: str, tmp_path: Path) -> None:
    values = {"event_id": "e1", "device_id": "d1", "user_id": "u1", "event_name": "open"}
    values["event_timestamp"] = "2024-03-01T10:00:00Z"
    line = ",".join(values[column] for column in header.split(","))
    events = write_csv(tmp_path / "events" / "a.csv", header, line)
    result = run_dbt("build", tmp_path, {"events_path": events})
    assert result.returncode != 0
    assert missing in result.output, result.output[-3000:]


def test_missing_optional_and_extra_columns_load(tmp_path: Path) -> None:
    """A file without user_id, received_at, platform and app_version, with an extra column,
    next to a complete file: every row is read, the missing values are null."""
    complete = write_csv(
        tmp_path / "events" / "a.csv",
        "event_id,device_id,user_id,event_name,event_timestamp,received_at,platform,app_version",
        "e1,d1,u1,open,2024-03-01T10:00:00Z,2024-03-01T10:00:01Z,ios,1.0",
    )
    write_csv(
        tmp_path / "events" / "b.csv",
        "Event_Name,event_timestamp,DEVICE_ID,event_id,campaign",
        "tap,2024-03-01T10:05:00Z,d1,e2,spring",
    )
    events = str(Path(complete).parent / "*.csv")
    result = run_dbt("build", tmp_path, {"events_path": events})
    assert result.returncode == 0, result.failures
    rows = {r["event_id"]: r for r in read_table(result.database, "int_events_clean")}
    assert set(rows) == {"e1", "e2"}
    assert rows["e2"]["platform"] is None and rows["e2"]["user_id"] is None
    assert rows["e2"]["event_name"] == "tap"
    assert "campaign" not in rows["e2"]
    sessions = read_table(result.database, "fct_sessions")
    assert [(s["event_count"], s["user_id"], s["platform"]) for s in sessions] == [(2, "u1", "ios")]


def test_native_timestamps_in_parquet_are_utc(tmp_path: Path) -> None:
    """TIMESTAMP columns are taken as UTC; TIMESTAMPTZ columns are converted to UTC."""
    events = tmp_path / "events" / "native.parquet"
    events.parent.mkdir(parents=True)
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'America/New_York'")
        connection.execute(
            f"""
            copy (
                select
                    'n1' as event_id, 'd1' as device_id, 'open' as event_name,
                    timestamp '2024-03-10 06:59:59.123456' as event_timestamp,
                    timestamptz '2024-03-10 03:00:00-04:00' as received_at
                union all
                select
                    'n2', 'd1', 'tap',
                    timestamp '2024-03-10 07:00:00',
                    timestamptz '2024-03-10 02:00:01-05:00'
            ) to '{events}' (format parquet)
            """
        )
    result = run_dbt("build", tmp_path, {"events_path": str(events)})
    assert result.returncode == 0, result.failures
    rows = {r["event_id"]: r for r in read_table(result.database, "int_events_clean")}
    assert rows["n1"]["event_at"] == datetime(2024, 3, 10, 6, 59, 59, 123456)
    assert rows["n1"]["received_at"] == datetime(2024, 3, 10, 7, 0, 0)
    assert rows["n2"]["received_at"] == datetime(2024, 3, 10, 7, 0, 1, tzinfo=UTC).replace(
        tzinfo=None
    )


def test_incremental_run_refuses_files_the_glob_no_longer_matches(tmp_path: Path) -> None:
    """A warehouse built from one set of files is not silently mixed with another."""
    first = run_dbt("build", tmp_path, {"events_path": EXAMPLE})
    assert first.returncode == 0, first.failures
    other = write_csv(
        tmp_path / "other" / "a.csv",
        "event_id,device_id,event_name,event_timestamp",
        "o1,d9,open,2024-03-01T10:00:00Z",
    )
    second = run_dbt("build", tmp_path, {"events_path": other})
    assert second.returncode != 0
    assert "no longer matches" in second.output and EXAMPLE in second.output
    assert "--full-refresh" in second.output, "the message says how to fix it"
    refreshed = run_dbt("build", tmp_path, {"events_path": other}, ("--full-refresh",))
    assert refreshed.returncode == 0, refreshed.failures
    assert [r["event_id"] for r in read_table(refreshed.database, "int_events_clean")] == ["o1"]


def test_incremental_run_refuses_other_contract_settings(tmp_path: Path) -> None:
    """Stored sessions follow the settings they were built with: an incremental run with
    another time zone or timeout stops before any model runs, says which setting changed and
    how to rebuild; the same settings, or a full refresh, run."""
    built = {"events_path": EXAMPLE, "reporting_timezone": "UTC"}
    first = run_dbt("build", tmp_path, built)
    assert first.returncode == 0, first.failures
    other = {**built, "reporting_timezone": "Europe/Berlin", "session_timeout_minutes": 45}
    refused = run_dbt("build", tmp_path, other)
    assert refused.returncode != 0
    assert "reporting_timezone (built with 'UTC', now 'Europe/Berlin')" in refused.output
    assert "session_timeout_minutes (built with '30.0', now '45.0')" in refused.output
    assert "max_session_minutes" not in refused.output, "only what changed is named"
    assert "--full-refresh" in refused.output, "the message says how to fix it"
    assert "START sql" not in refused.output, "no model ran"
    same = run_dbt("build", tmp_path, built)
    assert same.returncode == 0, same.failures
    refreshed = run_dbt("build", tmp_path, other, ("--full-refresh",))
    assert refreshed.returncode == 0, refreshed.failures
    again = run_dbt("build", tmp_path, other)
    assert again.returncode == 0, again.failures


def test_warehouse_of_an_earlier_version_asks_for_one_full_refresh(tmp_path: Path) -> None:
    """A warehouse built before its tables held the session time zones (its recorded settings
    have no stored_tables_version) stops an incremental run before any model runs, instead of
    failing on a missing column; one --full-refresh brings it up to date."""
    built = {"events_path": EXAMPLE}
    first = run_dbt("build", tmp_path, built)
    assert first.returncode == 0, first.failures
    with duckdb.connect(str(first.database)) as db:
        db.execute(
            "update fct_sessions__restarts_applied set contract_settings ="
            " regexp_replace(contract_settings, '; stored_tables_version=[0-9]+', '')"
        )
    refused = run_dbt("build", tmp_path, built)
    assert refused.returncode != 0
    assert "built by an earlier version of this project" in refused.output
    assert "stored_tables_version 1, this version's 8" in refused.output
    assert "--full-refresh" in refused.output and "START sql" not in refused.output
    refreshed = run_dbt("build", tmp_path, built, ("--full-refresh",))
    assert refreshed.returncode == 0, refreshed.failures
    again = run_dbt("build", tmp_path, built)
    assert again.returncode == 0, again.failures


def test_empty_delivery_publishes_nothing_and_later_files_still_load(tmp_path: Path) -> None:
    """Files with a header and no rows build empty marts, which the load check does not
    publish (no session); the next run picks up new rows and publishes."""
    header = "event_id,device_id,user_id,event_name,event_timestamp"
    write_csv(tmp_path / "events" / "a.csv", header)
    events = str(tmp_path / "events" / "*.csv")
    empty = run_dbt("build", tmp_path, {"events_path": events})
    assert empty.returncode != 0
    assert "fct_sessions has no session" in empty.output
    assert read_table(empty.database, "fct_sessions") == []
    assert not (tmp_path / "published" / "warehouse.duckdb").exists()
    write_csv(
        tmp_path / "events" / "b.csv",
        header,
        "e1,d1,,open,2024-03-01T10:00:00Z",
        "e2,d1,,tap,2024-03-01T10:01:00Z",
    )
    later = run_dbt("build", tmp_path, {"events_path": events})
    assert later.returncode == 0, later.failures
    sessions = read_table(later.database, "fct_sessions")
    assert [(s["event_count"], s["duration_seconds"]) for s in sessions] == [(2, 60.0)]
    assert read_table(tmp_path / "published" / "warehouse.duckdb", "fct_sessions") == sessions
