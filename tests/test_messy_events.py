"""Tests of the messy event generator and of the file round trip through DuckDB."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.messy_events import (
    COLUMNS,
    FORMATS,
    OPTIONAL_COLUMN,
    _Generator,
    _Settings,
    generate_messy_events,
    read_events,
    write_events,
)
from tests.reference.contract import (
    REJECT_REASONS,
    Config,
    clean_text,
    parse_timestamp,
    run_reference,
)


def test_deterministic_for_a_seed() -> None:
    assert generate_messy_events(3, n_devices=10) == generate_messy_events(3, n_devices=10)
    assert generate_messy_events(3, n_devices=10) != generate_messy_events(4, n_devices=10)


def test_rows_are_text_with_the_input_columns_and_an_extra_one() -> None:
    rows = generate_messy_events(1)
    assert 2000 <= len(rows) <= 15000
    assert all(tuple(row) == COLUMNS for row in rows)
    assert all(value is None or isinstance(value, str) for row in rows for value in row.values())


def test_clean_events_are_written_as_their_intended_instants() -> None:
    generator = _Generator(random.Random(7), _Settings(), datetime(2024, 3, 8), 5)
    for index in range(20):
        generator.random_device(index, [])
    generator.cap_scenarios()
    generator.calendar_scenarios()
    assert generator.valid
    for row, event_us, received_us in generator.valid:
        assert parse_timestamp(clean_text(row["event_timestamp"])) == event_us, row
        assert parse_timestamp(clean_text(row["received_at"])) == received_us, row


def test_invalid_timestamps_never_parse() -> None:
    generator = _Generator(random.Random(7), _Settings(), datetime(2024, 3, 8), 5)
    instant = 1_709_892_000_123_456
    texts = {generator.invalid_timestamp(instant) for _ in range(2000)}
    assert len(texts) > 30
    assert [text for text in texts if parse_timestamp(clean_text(text)) is not None] == []


def _gaps_us(stg: list[dict[str, Any]]) -> Counter[int]:
    by_device: dict[Any, list[datetime]] = {}
    for row in stg:
        by_device.setdefault((row["device_id"], row["user_id"]), []).append(row["event_at"])
    gaps: Counter[int] = Counter()
    for times in by_device.values():
        times.sort()
        gaps.update((b - a) // timedelta(microseconds=1) for a, b in pairwise(times))
    return gaps


def test_every_rule_is_exercised_with_the_defaults() -> None:
    out = run_reference(generate_messy_events(1))
    # not_an_event: only a vendor format marks rows so (tests/test_vendor_formats.py)
    reasons = set(REJECT_REASONS) - {"not_an_event"}
    assert Counter(r["reject_reason"] for r in out["rejected_events"]).keys() == reasons
    sessions = out["fct_sessions"]
    durations = [s["duration_seconds"] for s in sessions]
    assert 86400.0 in durations  # exactly the cap
    assert any(s["session_number"] > 1 for s in sessions)
    assert any(s["foreground_seconds"] < s["duration_seconds"] for s in sessions)
    assert any(s["device_id"] is None for s in sessions)
    assert any(s["user_key"].startswith("device:") for s in sessions)
    assert any(s["session_start_at"].date() != s["session_end_at"].date() for s in sessions)
    for change in (datetime(2024, 3, 10, 7), datetime(2024, 3, 31, 1)):  # US and EU DST
        assert any(s["session_start_at"] < change < s["session_end_at"] for s in sessions)
    gaps = _gaps_us(out["int_events_clean"])
    assert gaps[0] and gaps[30 * 60_000_000] and gaps[30 * 60_000_000 + 1000]
    assert any(r["received_at"] is None for r in out["int_events_clean"])


def test_boundaries_follow_another_config() -> None:
    config = Config(
        session_timeout_minutes=20, background_timeout_minutes=5, max_session_minutes=90
    )
    out = run_reference(generate_messy_events(2, n_devices=5, config=config), config)
    assert 5400.0 in [s["duration_seconds"] for s in out["fct_sessions"]]
    gaps = _gaps_us(out["int_events_clean"])
    assert gaps[20 * 60_000_000] and gaps[5 * 60_000_000]


def _as_read_by_duckdb(rows: list[dict[str, Any]], fmt: str) -> Counter[tuple[Any, ...]]:
    """The rows as DuckDB returns them: for CSV an empty string reads as null."""
    normalize = (lambda v: None if v == "" else v) if fmt == "csv" else (lambda v: v)
    return Counter(tuple(normalize(row.get(c)) for c in COLUMNS) for row in rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_files_round_trip_through_duckdb(fmt: str, tmp_path: Path) -> None:
    rows = generate_messy_events(5, n_devices=8)
    glob = write_events(rows, tmp_path, fmt)
    assert len(list(tmp_path.iterdir())) == 3
    back = read_events(glob, fmt)
    assert _as_read_by_duckdb(back, fmt) == _as_read_by_duckdb(rows, fmt)
    # the first file has no platform column at all; the reader fills in nulls
    first = str(tmp_path / f"events-0.{fmt}")
    reader = {"csv": "read_csv", "ndjson": "read_json", "parquet": "read_parquet"}[fmt]
    with duckdb.connect() as connection:
        names = [d[0] for d in connection.execute(f"SELECT * FROM {reader}('{first}')").description]
    assert OPTIONAL_COLUMN not in names
    assert "event_id" in names


def test_csv_empty_string_reads_as_null_but_not_with_allow_quoted_nulls_false(
    tmp_path: Path,
) -> None:
    rows = [dict.fromkeys(COLUMNS, "x") | {"app_version": "", "platform": None}]
    glob = write_events(rows, tmp_path, "csv", n_files=1)
    assert read_events(glob, "csv")[0]["app_version"] is None
    with duckdb.connect() as connection:
        (value,) = connection.execute(
            f"SELECT app_version FROM read_csv('{glob}', all_varchar=true, "
            "allow_quoted_nulls=false)"
        ).fetchone()
    assert value == ""
