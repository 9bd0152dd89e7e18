"""The Polars and pandas implementations of the benchmark (benchmark/) against the reference.

Each implementation reads messy generated events written as Parquet and must produce the same
`fct_sessions` (every column), the same three report tables and the same reject counts as the
independent reference of the contract (tests/reference/contract.py), value by value; doubles to
1e-9. The two implementations never import the reference.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from benchmark import pandas_sessions, polars_sessions
from benchmark.config import Config
from tests.dbt_runner import OUTPUT_TABLES, compare_rows, core_sessions, core_settings
from tests.messy_events import generate_messy_events, write_events
from tests.reference.contract import run_reference
from tests.test_pipeline_vs_reference import CASES

PROJECT_DIR = Path(__file__).resolve().parent.parent
IMPLEMENTATIONS = {"polars": polars_sessions, "pandas": pandas_sessions}
BENCH_CASES = ("csv-new-york", "parquet-berlin-short-timeouts")
"""A non-UTC time zone with the default timeouts, and short timeouts and cap with two
background names and no clock skew allowed (Europe/Berlin); both are written as Parquet."""
REPORTS = ("rpt_sessions_per_user", "rpt_session_duration", "rpt_session_time_hourly")


def _plain(value: Any) -> Any:
    """A value as the reference has it: None for nulls, datetime/date, Python numbers."""
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (datetime, date)):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is getattr(sys.modules.get("pandas"), "NA", object()):
        return None
    return value


def _records(frame: Any) -> list[dict[str, Any]]:
    """Rows of a Polars or pandas DataFrame as plain dicts."""
    rows = frame.to_dicts() if hasattr(frame, "to_dicts") else frame.to_dict("records")
    return [{column: _plain(value) for column, value in row.items()} for row in rows]


@pytest.fixture(scope="module", params=BENCH_CASES)
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """(events glob, Config, reference output) of one messy case written as Parquet."""
    seed, _fmt, reference_config = CASES[request.param]
    raw_rows = generate_messy_events(seed, config=reference_config)
    events_glob = write_events(raw_rows, tmp_path_factory.mktemp(request.param), "parquet")
    expected = run_reference(raw_rows, reference_config)
    assert expected["fct_sessions"], "the generated data must produce sessions"
    expected["fct_sessions"] = core_sessions(expected["fct_sessions"])
    return events_glob, Config(**core_settings(reference_config)), expected


@pytest.fixture(scope="module")
def built(case) -> dict[str, dict[str, list[dict[str, Any]]]]:
    events_glob, config, _expected = case
    return {
        name: {table: _records(frame) for table, frame in module.build(events_glob, config).items()}
        for name, module in IMPLEMENTATIONS.items()
    }


@pytest.mark.parametrize("implementation", list(IMPLEMENTATIONS))
def test_fct_sessions_match_the_reference(implementation: str, case, built) -> None:
    expected = case[2]["fct_sessions"]
    actual = built[implementation]["fct_sessions"]
    assert set(actual[0]) >= set(expected[0]), "fct_sessions lacks columns of the dbt model"
    problems = compare_rows("fct_sessions", actual, expected, OUTPUT_TABLES["fct_sessions"])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("implementation", list(IMPLEMENTATIONS))
@pytest.mark.parametrize("table", REPORTS)
def test_reports_match_the_reference(implementation: str, table: str, case, built) -> None:
    expected = case[2][table]
    actual = built[implementation][table]
    assert expected, f"the reference {table} must not be empty"
    problems = compare_rows(table, actual, expected, OUTPUT_TABLES[table])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("implementation", list(IMPLEMENTATIONS))
def test_reject_counts_match_the_reference(implementation: str, case, built) -> None:
    expected = Counter(row["reject_reason"] for row in case[2]["rejected_events"])
    actual = {row["reject_reason"]: row["rows"] for row in built[implementation]["rejected_events"]}
    assert {reason: rows for reason, rows in actual.items() if rows} == dict(expected)


@pytest.mark.parametrize("implementation", list(IMPLEMENTATIONS))
def test_native_parquet_timestamps_give_the_same_sessions(
    implementation: str, tmp_path: Path
) -> None:
    """Native timestamp columns go the same way as their ISO text: generate_events.py with and
    without --native-timestamps (same seed, same instants) must give the same sessions."""
    from scripts.generate_events import generate

    module = IMPLEMENTATIONS[implementation]
    results = []
    for native in (False, True):
        directory = tmp_path / ("native" if native else "text")
        generate(20_000, directory, seed=7, progress=False, native_timestamps=native)
        sessions = module.build(str(directory / "*.parquet"), Config())["fct_sessions"]
        results.append(sorted(_records(sessions), key=lambda row: row["session_id"]))
    assert len(results[0]) > 100
    assert results[0] == results[1]


@pytest.mark.parametrize("implementation", list(IMPLEMENTATIONS))
def test_sort_without_a_packed_key_gives_the_same_sessions(
    implementation: str, case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two-key sort used when (partition, event time) do not fit in one integer."""
    events_glob, config, expected = case
    module = IMPLEMENTATIONS[implementation]
    monkeypatch.setattr(module, "PACKED_KEY_LIMIT", 0)
    actual = _records(module.build(events_glob, config)["fct_sessions"])
    problems = compare_rows("fct_sessions", actual, expected["fct_sessions"], ("session_id",))
    assert not problems, "\n".join(problems)


def test_implementations_do_not_use_the_reference() -> None:
    for module in IMPLEMENTATIONS.values():
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "tests.reference" not in source and "run_reference" not in source


@pytest.mark.parametrize("implementation", ["polars_sessions", "pandas_sessions"])
def test_command_line_prints_the_totals(implementation: str, case) -> None:
    events_glob, config, expected = case
    options = [
        f"--session-timeout-minutes={config.session_timeout_minutes}",
        f"--background-timeout-minutes={config.background_timeout_minutes}",
        f"--background-event-names={','.join(config.background_event_names)}",
        f"--max-session-minutes={config.max_session_minutes}",
        f"--max-clock-skew-minutes={config.max_clock_skew_minutes}",
        f"--reporting-timezone={config.reporting_timezone}",
    ]
    completed = subprocess.run(
        [sys.executable, "-m", f"benchmark.{implementation}", events_glob, *options],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    summary = json.loads(completed.stdout)
    sessions = expected["fct_sessions"]
    assert summary["sessions"] == len(sessions)
    for column in ("duration_seconds", "foreground_seconds"):
        total = sum(row[column] for row in sessions)
        assert math.isclose(summary[column], total, rel_tol=1e-12), column
