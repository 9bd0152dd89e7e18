"""The published file opens in the clients BI users run, each with its own DuckDB: the DuckDB
CLI from PyPI (1.5) and Evidence's DuckDB connector from npm (DuckDB 1.4, as `npm run sources`
reads it). After a full and an incremental build, each reads the marts, their descriptions,
and the same sessions as the working database. DuckDB 2.0's own storage format opens in
neither (`APP_SESSIONS_PUBLISHED_STORAGE_VERSION=latest` shows it)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
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


def test_sqlalchemy_lists_the_columns_and_sees_each_publication(tmp_path: Path) -> None:
    """Superset's way in, duckdb-engine with SQLAlchemy 2.0: adding a dataset lists a table's
    columns. A new publication is seen only by connections opened after every connection to
    the old file closed: DuckDB shares one open database per file in a process. A pool keeps
    its connection (and so the old file) until pool_recycle closes it; without a pool
    (NullPool) each query opens the file anew."""
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.pool import NullPool

    rest, variables, inbox = first_delivery(tmp_path, seed=63)
    first = run_dbt("build", tmp_path, variables)
    assert first.returncode == 0, first.failures
    url = f"duckdb:///{published_db(tmp_path)}"
    read_only = {"read_only": True}
    pooled = create_engine(url, connect_args=read_only, pool_recycle=3600)
    recycled = create_engine(url, connect_args=read_only, pool_recycle=1)
    unpooled = create_engine(url, connect_args=read_only, poolclass=NullPool)
    columns = [column["name"] for column in inspect(unpooled).get_columns("fct_sessions")]
    with duckdb.connect(str(first.database), read_only=True) as connection:
        described = connection.execute("describe fct_sessions").fetchall()
    assert columns == [row[0] for row in described]

    def sessions(engine) -> int:
        with engine.connect() as connection:
            return connection.execute(text("select count(*) from fct_sessions")).scalar_one()

    before = working(first.database)["sessions"]
    assert sessions(pooled) == sessions(recycled) == sessions(unpooled) == before
    deliver(rest, inbox, "late")
    second = run_dbt("build", tmp_path, variables)
    assert second.returncode == 0, second.failures
    after = working(second.database)["sessions"]
    assert after != before
    time.sleep(1.5)  # past the recycle time, however fast the build was
    assert sessions(pooled) == before, "a pooled connection keeps reading the old file"
    assert sessions(unpooled) == before, "while it is open, a new connection gets the old file"
    pooled.dispose()
    assert sessions(recycled) == after, "pool_recycle closed the old connection"
    assert sessions(unpooled) == after, "no connection to the old file is left"
