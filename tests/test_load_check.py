"""No silent nonsense: files read with the wrong settings fail the build before the marts are
published, with a message that leads to the fix, and the last publication stays as it was.

Each case first publishes a good build (tests/fixtures/example_events.csv), then rebuilds the
same warehouse (--full-refresh) from files read wrongly: a GA4 export read as the contract, an
Amplitude export read as the contract, renamed as the missing-column message suggests, epoch
milliseconds read as ISO text, a file of mostly bad rows, and rows that make no session."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from tests.dbt_runner import read_table, run_dbt
from tests.vendor_exports import generate_app_events, write_export

GOOD = {"events_path": "tests/fixtures/example_events.csv"}


def publish_good_build(work_dir: Path) -> str:
    """Build and publish the example events; return the published file's digest."""
    result = run_dbt("build", work_dir, GOOD)
    assert result.returncode == 0, result.failures
    return digest(work_dir)


def digest(work_dir: Path) -> str:
    return hashlib.sha256((work_dir / "published" / "warehouse.duckdb").read_bytes()).hexdigest()


def rebuild(work_dir: Path, variables: dict) -> str:
    """A --full-refresh of the warehouse from other files; it must fail. Returns its output."""
    result = run_dbt("build", work_dir, variables, ("--full-refresh",))
    assert result.returncode != 0, "the build must fail"
    assert "load_is_usable" in result.output or "Compilation Error" in result.output
    return result.output


def ndjson(path: Path, rows: list[dict]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return str(path)


def test_a_ga4_export_read_as_the_contract_fails_and_names_the_format(tmp_path: Path) -> None:
    before = publish_good_build(tmp_path)
    events = generate_app_events(seed=3, vendor="ga4")
    ga4_glob, _ = write_export(events, "ga4-parquet", tmp_path / "ga4", "first")

    output = rebuild(tmp_path, {"events_path": ga4_glob})

    assert "The load check failed, so the marts were not published" in output
    assert "were quarantined, more than max_rejected_share (10%)" in output
    assert "fct_sessions has no session" in output
    assert "These columns look like an export of GA4" in output
    assert '{"events_format": "ga4"}' in output
    assert digest(tmp_path) == before, "the last publication stays"


def test_an_amplitude_export_as_the_contract_names_the_format(tmp_path: Path) -> None:
    """As delivered, its columns are named; renamed as that message suggests, its event_id (a
    counter per device) makes most events look like copies: the load check stops it."""
    events = generate_app_events(seed=4, vendor="amplitude")
    amplitude_glob, _ = write_export(events, "amplitude", tmp_path / "amplitude", "first")
    result = run_dbt("build", tmp_path / "as-delivered", {"events_path": amplitude_glob})
    assert result.returncode != 0
    assert "have no column 'event_name'" in result.output
    assert "These columns look like an export of Amplitude" in result.output
    assert "$insert_id" in result.output, "the message names the columns as written"

    before = publish_good_build(tmp_path)
    renamed = []
    for path in sorted((tmp_path / "amplitude").rglob("*.json.gz")):
        with gzip.open(path, "rt") as lines:
            for line in lines:
                row = json.loads(line)
                row["event_name"] = row.pop("event_type", None)
                row["event_timestamp"] = row.pop("event_time", None)
                renamed.append(row)
    output = rebuild(tmp_path, {"events_path": ndjson(tmp_path / "renamed" / "a.ndjson", renamed)})

    assert "repeat the event_id of another event with a different device" in output
    assert "event_id is not an event id" in output
    assert "events_format 'amplitude'?" in output
    assert digest(tmp_path) == before


def test_contract_files_read_as_a_vendor_format_name_the_contract(tmp_path: Path) -> None:
    before = publish_good_build(tmp_path)
    rows = [
        {"event_id": f"e{i}", "device_id": "d1", "event_name": "open",
         "event_timestamp": f"2024-03-10T10:{i:02d}:00Z"}
        for i in range(12)
    ]  # fmt: skip
    events = ndjson(tmp_path / "contract" / "a.jsonl", rows)
    output = rebuild(tmp_path, {"events_path": events, "events_format": "posthog"})
    assert "12 of 12 events (100.0%) were quarantined" in output
    assert (
        "events_format is 'posthog', but the files' columns (device_id, event_id, event_name,"
        " event_timestamp) are not those of its export" in output
    )
    assert "they look like the contract's" in output and '{"events_format": "contract"}' in output
    assert digest(tmp_path) == before


def test_epoch_milliseconds_read_as_text_name_the_unit(tmp_path: Path) -> None:
    before = publish_good_build(tmp_path)
    rows = [
        {"event_id": f"e{i}", "device_id": "d1", "event_name": "open",
         "event_timestamp": 1710064800000 + i * 60_000}
        for i in range(20)
    ]  # fmt: skip
    output = rebuild(tmp_path, {"events_path": ndjson(tmp_path / "ms" / "a.ndjson", rows)})
    assert "these timestamps look like epoch milliseconds ('1710064800000')" in output
    assert '{"epoch_units": {"event_timestamp": "ms"}}' in output
    assert digest(tmp_path) == before

    declared_units = {"event_timestamp": "ms"}
    declared = run_dbt(
        "build",
        tmp_path,
        {"events_path": str(tmp_path / "ms" / "a.ndjson"), "epoch_units": declared_units},
        ("--full-refresh",),
    )
    assert declared.returncode == 0, declared.failures
    (session,) = read_table(declared.database, "fct_sessions")
    assert session["event_count"] == 20 and session["duration_seconds"] == 19 * 60


@pytest.mark.parametrize("max_share", [None, 0.5])
def test_a_load_with_mostly_bad_rows_fails_unless_the_share_is_raised(
    tmp_path: Path, max_share: float | None
) -> None:
    before = publish_good_build(tmp_path)
    rows = [
        {"event_id": f"e{i}", "device_id": f"d{i % 3}", "event_name": "open",
         "event_timestamp": "2024-03-10T10:00:00Z" if i % 10 < 7 else "10/03/2024 10:00"}
        for i in range(100)
    ]  # fmt: skip
    variables = {"events_path": ndjson(tmp_path / "bad" / "a.ndjson", rows)}
    if max_share is None:
        output = rebuild(tmp_path, variables)
        assert "30 of 100 events (30.0%) were quarantined, more than max_rejected_share" in output
        assert "invalid_timestamp: 30 rows, e.g. {event_id='e17'" in output
        assert "event_timestamp='10/03/2024 10:00'" in output
        assert digest(tmp_path) == before
    else:
        variables["max_rejected_share"] = max_share
        result = run_dbt("build", tmp_path, variables, ("--full-refresh",))
        assert result.returncode == 0, result.failures
        assert digest(tmp_path) != before, "published"
        (audit,) = read_table(result.database, "load_audit")
        assert (audit["rows_read"], audit["invalid_timestamp"], audit["clean_events"]) == (
            100,
            30,
            70,
        )


def test_a_build_without_sessions_is_not_published(tmp_path: Path) -> None:
    before = publish_good_build(tmp_path)
    rows = [{"event_id": "e1", "device_id": "d1", "event_name": "open", "event_timestamp": "x"}]
    output = rebuild(
        tmp_path,
        {"events_path": ndjson(tmp_path / "none" / "a.ndjson", rows), "max_rejected_share": 1},
    )
    assert (
        "fct_sessions has no session: of 1 rows read in load batch 1, 0 are clean events" in output
    )
    assert digest(tmp_path) == before


def test_ndjson_values_are_read_as_written(tmp_path: Path) -> None:
    """No type sniffing: upper-case UUIDs (iOS identifierForVendor) keep their case, numbers
    their digits, even when every value of the column looks like one type."""
    rows = [
        {"event_id": 12345678901234567890123, "device_id": "AB0C1D2E-1234-4ABC-8DEF-0123456789AB",
         "user_id": "00042", "event_name": "open", "event_timestamp": "2024-03-10T10:00:00Z"},
        {"event_id": 12345678901234567890124, "device_id": "AB0C1D2E-1234-4ABC-8DEF-0123456789AB",
         "user_id": "00042", "event_name": "tap", "event_timestamp": "2024-03-10T10:01:00Z"},
    ]  # fmt: skip
    result = run_dbt("build", tmp_path, {"events_path": ndjson(tmp_path / "u" / "a.ndjson", rows)})
    assert result.returncode == 0, result.failures
    events = read_table(result.database, "int_events_clean")
    assert {(e["event_id"], e["device_id"], e["user_id"]) for e in events} == {
        ("12345678901234567890123", "AB0C1D2E-1234-4ABC-8DEF-0123456789AB", "00042"),
        ("12345678901234567890124", "AB0C1D2E-1234-4ABC-8DEF-0123456789AB", "00042"),
    }


def test_column_map_reads_another_tracker_without_converting_files(tmp_path: Path) -> None:
    """A RudderStack-like export: other column names, a nested context, epoch ms received."""
    rows = [
        {"messageId": f"m{i}", "anonymousId": "ANON-1", "userId": None if i < 2 else "u1",
         "event": "Application Backgrounded" if i == 2 else "Product Viewed",
         "originalTimestamp": f"2024-03-10T10:{i * 10:02d}:00.000Z",
         "receivedAtMs": 1710064800000 + i * 600_000 + 1500,
         "context": {"os": {"name": "iOS"}, "app": {"version": "2.0"}}}
        for i in range(5)
    ]  # fmt: skip
    column_map = {
        "event_id": "messageId",
        "device_id": "anonymousId",
        "user_id": "userId",
        "event_name": "event",
        "event_timestamp": "originalTimestamp",
        "received_at": "receivedAtMs",
        "platform": "json_extract_string(context, '$.os.name')",
        "app_version": "json_extract_string(context, '$.app.version')",
    }
    variables = {
        "events_path": ndjson(tmp_path / "rudder" / "a.ndjson", rows),
        "column_map": column_map,
        "epoch_units": {"received_at": "ms"},
        "background_event_names": ["Application Backgrounded"],
    }
    result = run_dbt("build", tmp_path, variables)
    assert result.returncode == 0, result.failures
    (session,) = read_table(result.database, "fct_sessions")
    assert (session["device_id"], session["user_id"], session["platform"]) == (
        "ANON-1",
        "u1",
        "iOS",
    )
    assert session["event_count"] == 5 and session["duration_seconds"] == 40 * 60
    assert session["foreground_seconds"] == 30 * 60, "the gap after the background event"
    events = read_table(result.database, "int_events_clean")
    assert {str(e["received_at"]) for e in events} >= {"2024-03-10 10:00:01.500000"}

    bad = run_dbt("build", tmp_path / "bad", {**variables, "column_map": {"device": "x"}})
    assert bad.returncode != 0 and "var 'column_map' must map contract columns" in bad.output
