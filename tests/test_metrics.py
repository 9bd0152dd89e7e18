"""The semantic layer answers like the marts: `mf query` (MetricFlow, the way analysts run it)
for each metric, by day, week, month, platform and app version, against the report tables and
fct_sessions of the same build, read with plain SQL."""

from __future__ import annotations

import csv
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BuiltWarehouse
from tests.dbt_runner import PROJECT_DIR, dbt_command, run_dbt
from tests.test_incremental import deliver
from tests.test_publishing import first_delivery

MF = Path(sys.executable).parent / "mf"

# metric -> (report table, column) that answers the same question per period.
METRICS = {
    "sessions": ("rpt_sessions_per_user", "sessions"),
    "active_users": ("rpt_sessions_per_user", "active_users"),
    "sessions_per_user": ("rpt_sessions_per_user", "sessions_per_user"),
    "avg_session_duration_seconds": ("rpt_session_duration", "avg_duration_seconds"),
    "avg_foreground_seconds": ("rpt_session_duration", "avg_foreground_seconds"),
    "total_session_seconds": ("rpt_session_duration", "total_duration_seconds"),
}


class Warehouse:
    """A built warehouse and a project directory from which `mf` reads its semantic manifest
    (MetricFlow always reads <project>/target/semantic_manifest.json)."""

    def __init__(self, work_dir: Path) -> None:
        self.database = work_dir / "warehouse.duckdb"
        self.project = work_dir / "mf-project"
        # exist_ok: with --dist worksteal a worker may set this module fixture up twice
        (self.project / "target").mkdir(parents=True, exist_ok=True)
        if not (self.project / "dbt_project.yml").exists():
            (self.project / "dbt_project.yml").symlink_to(PROJECT_DIR / "dbt_project.yml")
        shutil.copy(work_dir / "target" / "semantic_manifest.json", self.project / "target")

    def mf_query(self, metrics: list[str], group_by: list[str]) -> list[dict[str, str]]:
        output = self.project / "out.csv"
        env = {
            **os.environ,
            "APP_SESSIONS_DB": str(self.database),
            # the published file (profiles.yml), as make metrics and BI users query it
            "APP_SESSIONS_TARGET": "published",
            "DBT_PROJECT_DIR": str(self.project),
            "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
        }
        completed = subprocess.run(
            [
                str(MF),
                "query",
                "--metrics",
                ",".join(metrics),
                "--group-by",
                ",".join(group_by),
                "--csv",
                str(output),
            ],
            cwd=self.project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0 and output.exists(), completed.stdout + completed.stderr
        with output.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        output.unlink()
        return rows

    def sql(self, query: str) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(query).fetchall()


@pytest.fixture(scope="module")
def warehouse(built_warehouse: BuiltWarehouse) -> Warehouse:
    return Warehouse(built_warehouse.work_dir)


def as_number(text: str) -> float | None:
    return None if text == "" else float(text)


def assert_same(actual: dict, expected: dict, what: str) -> None:
    assert actual.keys() == expected.keys(), f"{what}: keys differ"
    for key, value in expected.items():
        assert math.isclose(actual[key], value, rel_tol=1e-9, abs_tol=1e-9), (
            f"{what} at {key}: mf gives {actual[key]}, the marts {value}"
        )


@pytest.mark.parametrize("metric", list(METRICS))
def test_each_metric_by_day_equals_the_daily_report(warehouse: Warehouse, metric: str) -> None:
    table, column = METRICS[metric]
    answered = warehouse.mf_query([metric], ["metric_time__day"])
    actual = {row["metric_time__day"][:10]: as_number(row[metric]) for row in answered}
    expected = {
        str(day): float(value)
        for day, value in warehouse.sql(
            f"select period_start, {column} from {table} where period = 'day'"
        )
    }
    assert len(expected) >= 5, "the test data must span several days"
    assert_same(actual, expected, f"{metric} by day")


@pytest.mark.parametrize(
    ("metric", "column"), [("weekly_active_users", "wau"), ("monthly_active_users", "mau")]
)
def test_trailing_active_users_by_day_equal_rpt_active_users(
    warehouse: Warehouse, metric: str, column: str
) -> None:
    """MetricFlow's cumulative metrics over the time spine, on each day of rpt_active_users
    (a day MetricFlow leaves out has no user in its window; days outside the table's range
    are not compared)."""
    answered = warehouse.mf_query([metric], ["metric_time__day"])
    actual = {row["metric_time__day"][:10]: as_number(row[metric]) or 0.0 for row in answered}
    expected = {
        str(day): float(value)
        for day, value in warehouse.sql(f"select activity_date, {column} from rpt_active_users")
    }
    assert any(value == 0 for value in expected.values()), "the data must have an empty window"
    assert_same({day: actual.get(day, 0.0) for day in expected}, expected, f"{metric} by day")


@pytest.mark.parametrize("grain", ["week", "month"])
def test_every_metric_by_week_and_month_equals_the_reports(
    warehouse: Warehouse, grain: str
) -> None:
    dimension = f"metric_time__{grain}"
    answered = warehouse.mf_query(list(METRICS), [dimension])
    for metric, (table, column) in METRICS.items():
        actual = {row[dimension][:10]: as_number(row[metric]) for row in answered}
        expected = {
            str(start): float(value)
            for start, value in warehouse.sql(
                f"select period_start, {column} from {table} where period = '{grain}'"
            )
        }
        assert_same(actual, expected, f"{metric} by {grain}")


@pytest.mark.parametrize("dimension", ["platform", "app_version"])
def test_metrics_by_platform_and_app_version_equal_sql_on_fct_sessions(
    warehouse: Warehouse, dimension: str
) -> None:
    metrics = ["sessions", "active_users", "avg_session_duration_seconds"]
    answered = warehouse.mf_query(metrics, [f"session__{dimension}"])
    expected_rows = warehouse.sql(
        f"select coalesce({dimension}, ''), count(*), count(distinct user_key),"
        f" avg(duration_seconds) from fct_sessions group by 1"
    )
    assert len(expected_rows) >= 3, f"the test data must have several values of {dimension}"
    for position, metric in enumerate(metrics, start=1):
        actual = {row[f"session__{dimension}"]: as_number(row[metric]) for row in answered}
        expected = {row[0]: float(row[position]) for row in expected_rows}
        assert_same(actual, expected, f"{metric} by {dimension}")


def test_session_metrics_by_the_users_engagement_segment_equal_sql(warehouse: Warehouse) -> None:
    """The users semantic model (dim_users) joins each session to its user's segment."""
    metrics = ["sessions", "active_users", "avg_session_duration_seconds"]
    answered = warehouse.mf_query(metrics, ["user__engagement_segment"])
    expected_rows = warehouse.sql(
        "select users.engagement_segment, count(*), count(distinct sessions.user_key),"
        " avg(sessions.duration_seconds) from fct_sessions as sessions"
        " inner join dim_users as users on sessions.user_key = users.user_key group by 1"
    )
    assert len(expected_rows) == 4, "the test data must have users in every segment"
    for position, metric in enumerate(metrics, start=1):
        actual = {row["user__engagement_segment"]: as_number(row[metric]) for row in answered}
        expected = {row[0]: float(row[position]) for row in expected_rows}
        assert_same(actual, expected, f"{metric} by engagement segment")


def test_metrics_answer_from_the_published_file_while_a_build_runs(tmp_path: Path) -> None:
    """`mf query` reads the published file read-only: it answers while a build holds the
    working warehouse, and the build it overlaps finishes."""
    rest, variables, inbox = first_delivery(tmp_path, seed=64)
    first = run_dbt("build", tmp_path, variables)
    assert first.returncode == 0, first.failures
    warehouse = Warehouse(tmp_path)
    expected = warehouse.sql("select sum(sessions) from rpt_sessions_per_user where period = 'day'")

    deliver(rest, inbox, "late")
    args, env = dbt_command("build", tmp_path, variables)
    build = subprocess.Popen(
        args, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    for line in build.stdout:  # a model of the build is running: it holds the working file
        if "START sql incremental model" in line:
            break
    answered = warehouse.mf_query(["sessions"], ["metric_time__day"])
    build.stdout.read()
    assert build.wait(timeout=300) == 0, "the build the query overlapped finishes"
    published = warehouse.sql(
        "select sum(sessions) from rpt_sessions_per_user where period = 'day'"
    )
    assert expected != published
    # one whole publication: the previous one, or the new one if the build got there first
    assert [(sum(int(r["sessions"]) for r in answered),)] in (expected, published)
