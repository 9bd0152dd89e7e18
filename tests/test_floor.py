"""The benchmark's floor script (benchmark/floor.sql) implements the same contract: its
fct_sessions and reports equal the Python reference on messy data, in every configuration of
the pipeline comparison. A fast wrong floor would make the benchmark's ratios meaningless."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from benchmark.floor import build, render
from tests.dbt_runner import OUTPUT_TABLES, compare_rows, core_sessions, core_settings, read_table
from tests.messy_events import generate_messy_events, write_events
from tests.reference.contract import run_reference
from tests.test_pipeline_vs_reference import CASES

MARTS = ("fct_sessions", "rpt_sessions_per_user", "rpt_session_duration", "rpt_session_time_hourly")


@pytest.mark.parametrize("case", list(CASES))
def test_floor_script_matches_the_reference(case: str, tmp_path: Path) -> None:
    seed, _, config = CASES[case]
    raw_rows = generate_messy_events(seed, config=config)
    events_glob = write_events(raw_rows, tmp_path / "events", "parquet")
    database = tmp_path / "floor.duckdb"
    settings = core_settings(config)
    settings["background_event_names"] = tuple(config.background_event_names)
    build(events_glob, str(database), temp_directory=str(tmp_path / "tmp"), **settings)

    expected = run_reference(raw_rows, config)
    expected["fct_sessions"] = core_sessions(expected["fct_sessions"])
    problems: list[str] = []
    for table in MARTS:
        columns = list(expected[table][0].keys())
        actual = read_table(database, table, columns)
        problems += compare_rows(table, actual, expected[table], OUTPUT_TABLES[table])
    assert not problems, "\n".join(problems)


def test_devices_sharing_a_hash_stop_the_floor_script(tmp_path: Path) -> None:
    """The floor partitions events by a 64-bit hash of the device key; two keys with one hash
    would be sessionized together. Forced here by hashing only the key's length: the script
    must stop and say why, not publish merged sessions."""
    raw_rows = generate_messy_events(1)
    events_glob = write_events(raw_rows, tmp_path / "events", "parquet")
    device_hash = "hash(coalesce('device:' || c_device_id, 'user:' || c_user_id))"
    sql = render(events_glob, temp_directory=str(tmp_path / "tmp"))
    assert device_hash in sql, "the floor's device key changed: update this test"
    weak = sql.replace(
        device_hash, "hash(length(coalesce('device:' || c_device_id, 'user:' || c_user_id)))"
    )
    with (
        duckdb.connect(str(tmp_path / "floor.duckdb")) as connection,
        pytest.raises(duckdb.Error, match="two devices share a 64-bit hash"),
    ):
        connection.execute(weak)


def test_floor_skew_rule_where_the_text_decides(tmp_path: Path) -> None:
    """The floor parses received_at only where its text cannot decide the clock-skew rule (a
    usual text no earlier than the event's). Both timestamps in the usual text here, one device
    per event: the rule's boundary either side, and a received_at of the usual shape that is no
    instant (unknown, so the row is kept)."""
    event = "2024-03-04T12:00:00.000000Z"
    received_at = {
        "d-received-later": "2024-03-04T12:00:01.000000Z",
        "d-skew-exactly": "2024-03-04T11:00:00.000000Z",
        "d-skew-past": "2024-03-04T10:59:59.999999Z",
        "d-skew-far-past": "2024-03-04T09:00:00.000000Z",
        "d-received-no-instant": "2024-02-30T13:00:00.000000Z",
    }
    raw_rows = [
        {"event_id": f"e-{device}", "device_id": device, "event_name": "app_open",
         "event_timestamp": event, "received_at": received}
        for device, received in received_at.items()
    ]  # fmt: skip
    events_glob = write_events(raw_rows, tmp_path / "events", "parquet", n_files=1)
    database = tmp_path / "floor.duckdb"
    build(events_glob, str(database), temp_directory=str(tmp_path / "tmp"))

    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute("select device_id from fct_sessions").fetchall()
    devices = {device for (device,) in rows}
    assert devices == {"d-received-later", "d-skew-exactly", "d-received-no-instant"}
    expected = {row["device_id"] for row in run_reference(raw_rows)["fct_sessions"]}
    assert devices == expected
