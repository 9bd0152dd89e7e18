"""The whole pipeline against the independent Python reference of the contract.

For several seeds, file formats and configurations: generate a messy event set, write it as
files, run `dbt build` (models and data tests) on a fresh DuckDB file, and compare
every output table with `tests/reference/contract.py`, value by value.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.dbt_runner import OUTPUT_TABLES, compare_rows, read_table, run_dbt
from tests.messy_events import generate_messy_events, write_events
from tests.reference.contract import Config, run_reference

CASES = {
    "ndjson-defaults-utc": (11, "ndjson", Config()),
    "csv-new-york": (12, "csv", Config(reporting_timezone="America/New_York")),
    "parquet-berlin-short-timeouts": (
        13,
        "parquet",
        Config(
            session_timeout_minutes=20,
            background_timeout_minutes=5,
            background_event_names=("app_background", "Screen_Off"),
            max_session_minutes=90,
            max_clock_skew_minutes=0,
            reporting_timezone="Europe/Berlin",
        ),
    ),
}


def dbt_vars(events_glob: str, config: Config) -> dict[str, Any]:
    """The dbt vars that configure the project like `config` configures the reference."""
    variables: dict[str, Any] = {"events_path": events_glob, **asdict(config)}
    variables["background_event_names"] = list(config.background_event_names)
    variables["epoch_units"] = dict(config.epoch_units)
    return variables


@pytest.mark.parametrize("case", list(CASES))
def test_every_output_table_matches_the_reference(case: str, tmp_path: Path) -> None:
    seed, fmt, config = CASES[case]
    raw_rows = generate_messy_events(seed, config=config)
    events_glob = write_events(raw_rows, tmp_path / "events", fmt)

    result = run_dbt("build", tmp_path, dbt_vars(events_glob, config))
    assert result.returncode == 0, result.failures

    expected = run_reference(raw_rows, config)
    assert expected["fct_sessions"], "the generated data must produce sessions"
    assert expected["rejected_events"], "the generated data must produce rejects"
    problems: list[str] = []
    for table, key in OUTPUT_TABLES.items():
        reference_rows = expected[table]
        columns = list(reference_rows[0].keys())
        actual_rows = read_table(result.database, table, columns)
        problems += compare_rows(table, actual_rows, reference_rows, key)
    assert not problems, "\n".join(problems)


def test_native_parquet_timestamps_match_the_reference(tmp_path: Path) -> None:
    """Parquet with native timestamp columns, the shape of most Parquet exports: a TIMESTAMP
    `event_timestamp` and a TIMESTAMP WITH TIME ZONE `received_at`, the messy set's values
    (unparseable text becomes null). The pipeline takes them as they are; the quarantine shows
    their usual UTC text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.reference.contract import clean_text, parse_timestamp, to_datetime

    def native(text: str | None, zone: UTC | None) -> datetime | None:
        us = parse_timestamp(clean_text(text))
        return None if us is None else to_datetime(us).replace(tzinfo=zone)

    config = Config(reporting_timezone="Asia/Kolkata")
    raw_rows = generate_messy_events(14, config=config)
    for row in raw_rows:
        row["event_timestamp"] = native(row.get("event_timestamp"), None)
        row["received_at"] = native(row.get("received_at"), UTC)
    columns = [c for c in raw_rows[0] if c not in ("event_timestamp", "received_at")]
    schema = pa.schema(
        [(c, pa.string()) for c in columns]
        + [("event_timestamp", pa.timestamp("us")), ("received_at", pa.timestamp("us", tz="UTC"))]
    )
    directory = tmp_path / "events"
    directory.mkdir()
    half = len(raw_rows) // 2
    for index, part in enumerate((raw_rows[:half], raw_rows[half:])):
        table = pa.Table.from_pylist([{c: r.get(c) for c in schema.names} for r in part], schema)
        pq.write_table(table, directory / f"events-{index}.parquet")

    result = run_dbt("build", tmp_path, dbt_vars(str(directory / "*.parquet"), config))
    assert result.returncode == 0, result.failures
    expected = run_reference(raw_rows, config)
    assert any(r["event_timestamp"] for r in expected["rejected_events"]), "rejects must show one"
    problems: list[str] = []
    for table, key in OUTPUT_TABLES.items():
        reference_rows = expected[table]
        actual_rows = read_table(result.database, table, list(reference_rows[0].keys()))
        problems += compare_rows(table, actual_rows, reference_rows, key)
    assert not problems, "\n".join(problems)
