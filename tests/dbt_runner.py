"""Run the dbt project the way users do (a cold `dbt` process on a real DuckDB file) and read
its output tables back, for the tests that compare the pipeline with the Python reference."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"

OUTPUT_TABLES: dict[str, tuple[str, ...]] = {
    "int_events_clean": (),
    "rejected_events": (),
    "fct_sessions": ("session_id",),
    "rpt_sessions_per_user": ("period", "period_start"),
    "rpt_session_duration": ("period", "period_start"),
    "rpt_session_time_hourly": ("hour_start_utc",),
    "rpt_active_users": ("activity_date",),
    "rpt_session_time_local_hourly": ("day_of_week", "hour_of_day"),
    "dim_users": ("user_key",),
}
"""Every table the tests compare, with its key (empty: compared as a multiset of rows)."""

TABLES_WITHOUT_REFERENCE: dict[str, tuple[str, ...]] = {
    "fct_session_local_hours": ("session_id", "day_of_week", "hour_of_day"),
}
"""Tables that builds are compared on (incremental against full, Spark against DuckDB) but
the Python reference does not compute: the reports it does compute are sums of them."""

BENCHMARK_SCOPE: dict[str, tuple[str, ...]] = {
    "config": (
        "epoch_units",
        "engagement_daily_min_active_days",
        "engagement_weekly_min_active_days",
        "engagement_monthly_min_active_days",
    ),
    "fct_sessions": ("session_timezone", "session_start_local"),
}
"""What the benchmark scripts (benchmark/: the floor, Polars, pandas) leave out of the contract:
how files are read (the messy files hold ISO text), and the per-user engagement rules (time
zones per session, dim_users): they implement the sessions core the timings compare."""


def core_settings(config: Any) -> dict[str, Any]:
    """The reference Config's settings the benchmark scripts take."""
    from dataclasses import asdict

    settings = asdict(config)
    for name in BENCHMARK_SCOPE["config"]:
        del settings[name]
    return settings


def core_sessions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reference fct_sessions rows without the columns the benchmark scripts leave out."""
    return [
        {
            column: value
            for column, value in row.items()
            if column not in BENCHMARK_SCOPE["fct_sessions"]
        }
        for row in rows
    ]


UNIT_TESTS_LEFT_OUT = ("--exclude-resource-type", "unit_test")
"""Added to every `dbt build` of the suite (see dbt_command)."""


@dataclass
class DbtResult:
    returncode: int
    output: str
    database: Path

    @property
    def failures(self) -> str:
        """dbt's summary of what failed (the part after 'Completed with'), for assertions."""
        marker = self.output.rfind("Completed with")
        return self.output[marker:] if marker >= 0 else self.output[-5000:]


def dbt_command(
    command: str,
    work_dir: Path,
    variables: dict[str, Any],
    extra_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
    with_unit_tests: bool = False,
) -> tuple[list[str], dict[str, str]]:
    """The argv and environment of `dbt <command>` on the project with its own DuckDB file
    (work_dir/warehouse.duckdb), target dir and logs in work_dir; `extra_env` adds to or
    overrides the environment (the profile's settings).

    A `build` leaves out the unit tests unless `with_unit_tests`, as a production run does
    (`make run`): they read fixed inputs, not these files, and `make dbt-test` runs every one
    of them; here they would repeat the same tests in each of the suite's dozens of builds."""
    env = {
        **os.environ,
        "APP_SESSIONS_DB": str(work_dir / "warehouse.duckdb"),
        "APP_SESSIONS_TEMP_DIR": str(work_dir / "duckdb_tmp"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(extra_env or {}),
    }
    env.pop("APP_SESSIONS_PUBLISHED_DB", None)  # published next to the working file
    args = [
        str(DBT),
        "--no-use-colors",
        *command.split(),  # "build", or "docs generate"
        "--profiles-dir",
        "profiles",
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        # The suite reads what dbt prints, never its file log: dbt's debug log of every
        # statement of every node, a visible share of the CPU time of each small build.
        "--log-level-file",
        "none",
        "--vars",
        json.dumps(variables),
        *(UNIT_TESTS_LEFT_OUT if command == "build" and not with_unit_tests else ()),
        *extra_args,
    ]
    return args, env


def run_dbt(
    command: str,
    work_dir: Path,
    variables: dict[str, Any],
    extra_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> DbtResult:
    """Run `dbt <command>` on the project with its own DuckDB file and target dir in work_dir."""
    args, env = dbt_command(command, work_dir, variables, extra_args, extra_env)
    completed = subprocess.run(
        args, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    return DbtResult(
        completed.returncode, completed.stdout + completed.stderr, work_dir / "warehouse.duckdb"
    )


def kill_when_started(args: list[str], env: dict[str, str], *models: str) -> None:
    """Start dbt and SIGKILL its process group when it starts building the first of `models`."""
    process = subprocess.Popen(
        args,
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    for line in process.stdout:
        if "START" in line and any(f".{model} " in line for model in models):
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, f"dbt ended before any of {models} started"


def run_cleaning(work_dir: Path, rows: list[dict[str, Any]]) -> tuple[dict, dict]:
    """Write `rows` (raw events with distinct event_ids) as one NDJSON file and build only the
    cleaning models on them. Returns the clean events by event_id (`int_events_clean` rows) and
    the reject reasons by event_id; every row must be one or the other."""
    events = work_dir / "events" / "events.ndjson"
    events.parent.mkdir(parents=True)
    events.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = run_dbt(
        "run", work_dir, {"events_path": str(events)},
        ("--select", "+int_events_clean", "+rejected_events"),
    )  # fmt: skip
    assert result.returncode == 0, result.output
    kept = {r["event_id"]: r for r in read_table(result.database, "int_events_clean")}
    rejected = {
        r["event_id"]: r["reject_reason"] for r in read_table(result.database, "rejected_events")
    }
    assert len(kept) + len(rejected) == len(rows), "every row is clean or rejected, once"
    return kept, rejected


def read_table(database: Path, table: str, columns: list[str] | None = None) -> list[dict]:
    """All rows of a table as dicts (read-only connection)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        selected = ", ".join(columns) if columns else "*"
        cursor = connection.execute(f"select {selected} from main.{table}")
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _values_equal(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float) or isinstance(actual, float):
        if actual is None or expected is None:
            return actual is expected
        return math.isclose(float(actual), float(expected), rel_tol=1e-12, abs_tol=1e-9)
    return actual == expected


def _sort_key(row: dict[str, Any], columns: tuple[str, ...]) -> tuple:
    return tuple((row[c] is None, str(row[c]) if row[c] is not None else "") for c in columns)


def compare_rows(
    table: str,
    actual: list[dict[str, Any]],
    expected: list[dict[str, Any]],
    key: tuple[str, ...],
    max_reported: int = 5,
) -> list[str]:
    """Differences between two row sets, value by value; empty when they are equal.

    Rows are matched by `key`, or (no key) as sorted multisets. Floats must agree to 1e-12
    relative (sums are exact integers of microseconds on both sides; only the interpolated
    median and ratios can differ in the last bit)."""
    problems: list[str] = []
    columns = tuple(expected[0].keys()) if expected else tuple(actual[0].keys()) if actual else ()
    if len(actual) != len(expected):
        problems.append(f"{table}: {len(actual)} rows, reference has {len(expected)}")
    order = key or columns
    actual_sorted = sorted(actual, key=lambda row: _sort_key(row, order))
    expected_sorted = sorted(expected, key=lambda row: _sort_key(row, order))
    if key:
        actual_keys = {tuple(r[c] for c in key) for r in actual}
        expected_keys = {tuple(r[c] for c in key) for r in expected}
        for missing in sorted(expected_keys - actual_keys, key=str)[:max_reported]:
            problems.append(f"{table}: missing row with key {missing}")
        for extra in sorted(actual_keys - expected_keys, key=str)[:max_reported]:
            problems.append(f"{table}: unexpected row with key {extra}")
        by_key = {tuple(r[c] for c in key): r for r in actual}
        pairs = [(by_key.get(tuple(r[c] for c in key)), r) for r in expected_sorted]
    else:
        pairs = list(zip(actual_sorted, expected_sorted, strict=False))
    for actual_row, expected_row in pairs:
        if actual_row is None:
            continue
        for column in columns:
            if not _values_equal(actual_row.get(column), expected_row[column]):
                problems.append(
                    f"{table}: {column} is {actual_row.get(column)!r}, reference says "
                    f"{expected_row[column]!r} in {expected_row}"
                )
                break
        if len(problems) >= max_reported:
            break
    return problems
