"""The published file opens in the clients BI users run, each with its own DuckDB: the DuckDB
CLI from PyPI (1.5) and Evidence's DuckDB connector from npm (DuckDB 1.4, as `npm run sources`
reads it). After a full and an incremental build, each reads the marts, their descriptions,
and the same sessions as the working database. DuckDB 2.0's own storage format opens in
neither (`APP_SESSIONS_PUBLISHED_STORAGE_VERSION=latest` shows it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.dbt_runner import PROJECT_DIR, run_dbt
from tests.test_incremental import deliver
from tests.test_publishing import first_delivery, published_db

CLI = Path(sys.executable).parent / "duckdb"
EVIDENCE = PROJECT_DIR / "tests" / "clients" / "evidence_read.cjs"
CHECK = (
    "select count(*) as sessions, cast(round(sum(duration_seconds), 3) as varchar) as seconds,"
    " md5(string_agg(session_id, ',' order by session_id)) as ids,"
    " (select count(*) from rpt_session_time_hourly) as hours,"
    " (select count(*) from rpt_sessions_per_user) as periods,"
    " (select comment from duckdb_tables() where table_name = 'fct_sessions') as described"
    " from fct_sessions"
)


def read_with_cli(database: Path) -> dict:
    completed = subprocess.run(
        [str(CLI), "-readonly", "-json", str(database), "-c", CHECK],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    (row,) = json.loads(completed.stdout)
    return row


def read_with_evidence(database: Path) -> dict:
    completed = subprocess.run(
        ["node", str(EVIDENCE), str(database), CHECK], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    (row,) = json.loads(completed.stdout)
    return row


def working(database: Path) -> dict:
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute(CHECK)
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_the_clients_read_the_published_marts_after_full_and_incremental_builds(
    tmp_path: Path,
) -> None:
    rest, variables, inbox = first_delivery(tmp_path, seed=61)
    for build in ("full", "incremental"):
        if build == "incremental":
            deliver(rest, inbox, "late")
        result = run_dbt("build", tmp_path, variables)
        assert result.returncode == 0, result.failures
        expected = working(result.database)
        assert expected["sessions"] > 0 and expected["described"]
        for client, read in (("DuckDB CLI 1.5", read_with_cli), ("Evidence", read_with_evidence)):
            actual = read(published_db(tmp_path))
            assert {k: actual[k] for k in expected} == expected, f"{client} after the {build} build"


def test_duckdb_2_storage_opens_in_neither_client(tmp_path: Path) -> None:
    """Why the default is v1.4.0: with DuckDB 2.0's own format the clients cannot open it."""
    _, variables, _ = first_delivery(tmp_path, seed=62)
    result = run_dbt(
        "build", tmp_path, variables, extra_env={"APP_SESSIONS_PUBLISHED_STORAGE_VERSION": "latest"}
    )
    assert result.returncode == 0, result.failures
    for command in (
        [str(CLI), "-readonly", str(published_db(tmp_path)), "-c", "select 1"],
        ["node", str(EVIDENCE), str(published_db(tmp_path)), "select 1"],
    ):
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        assert completed.returncode != 0
        assert "version" in (completed.stdout + completed.stderr)
