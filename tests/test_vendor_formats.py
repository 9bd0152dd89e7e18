"""Each vendor's export, read as delivered with one var (events_format), gives what the
reference gives on the contract rows the export stands for: every output table, value by value,
after the first delivery and again after an incremental run over a late delivery (late events,
copies of delivered events). The exports are written in each vendor's documented shape by
tests/vendor_exports.py: nested JSON lines (gzip for Segment and Amplitude), Parquet with nested
records (GA4) or zstd-compressed with native timestamps and JSON-text properties (PostHog)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dbt_runner import OUTPUT_TABLES, compare_rows, read_table, run_dbt
from tests.reference.contract import run_reference
from tests.vendor_exports import SHAPES, VENDOR_DEFAULTS, generate_app_events, write_export


def compare_with_reference(database: Path, rows: list[dict], vendor: str) -> list[str]:
    expected = run_reference(rows, VENDOR_DEFAULTS[vendor])
    problems: list[str] = []
    for table, key in OUTPUT_TABLES.items():
        assert expected[table], f"{table}: the generated export must fill every table"
        columns = list(expected[table][0].keys())
        problems += compare_rows(table, read_table(database, table, columns), expected[table], key)
    return problems


@pytest.mark.parametrize("shape", list(SHAPES))
def test_export_builds_the_reference_sessions(shape: str, tmp_path: Path) -> None:
    vendor = SHAPES[shape][0]
    events = generate_app_events(seed=len(shape), vendor=vendor)
    events_glob, first_rows = write_export(events, shape, tmp_path / "export", "first")
    variables = {"events_path": events_glob, "events_format": vendor}

    first = run_dbt("build", tmp_path, variables)
    assert first.returncode == 0, first.failures
    assert not compare_with_reference(first.database, first_rows, vendor)
    sessions = read_table(first.database, "fct_sessions")
    assert len(sessions) > 10, "the export gives sessions"
    assert any(s["device_id"] and s["device_id"] != s["device_id"].lower() for s in sessions) or (
        vendor == "posthog"
    ), "upper-case device ids stay as written"

    _, late_rows = write_export(events, shape, tmp_path / "export", "late")
    second = run_dbt("build", tmp_path, variables)
    assert second.returncode == 0, second.failures
    problems = compare_with_reference(second.database, first_rows + late_rows, vendor)
    assert not problems, "\n".join(problems)
    loads = read_table(second.database, "load_audit")
    assert [(a["load_batch"], a["rows_read"], a["files_read"]) for a in loads] == [
        (1, len(first_rows), 2),
        (2, len(late_rows), 1),
    ], "each row counted in the load that read it, not where a re-ranked copy was rewritten"
    assert loads[1]["duplicate"] > 0 and loads[1]["conflicting_ids"] == 0
