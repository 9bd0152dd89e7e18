"""Safe publishing: BI tools read a published copy of the marts that is never half-written.

A reader process (tests/publish_reader.py) queries the published file read-only in a loop
while `dbt build` runs a full refresh and then an incremental build: it must never fail and
every read must be one complete publication. A build that is killed, or fails, halfway must
leave the published file exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.dbt_runner import PROJECT_DIR, dbt_command, kill_when_started, read_table, run_dbt
from tests.messy_events import generate_messy_events, write_events
from tests.reference.contract import Config
from tests.test_incremental import arrival_us, deliver
from tests.test_pipeline_vs_reference import dbt_vars


def published_db(work_dir: Path) -> Path:
    return work_dir / "published" / "warehouse.duckdb"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def last_version(work_dir: Path) -> str:
    """The version the last successful build published (its manifest in the working db)."""
    (row,) = read_table(work_dir / "warehouse.duckdb", "published_marts")
    return row["version"]


def first_delivery(tmp_path: Path, seed: int) -> tuple[list[dict], dict, Path]:
    """Deliver the first 90% of a messy event set by arrival; return the rest, vars, inbox."""
    rows = sorted(generate_messy_events(seed, n_devices=120), key=arrival_us)
    cut = len(rows) * 9 // 10
    inbox = tmp_path / "events"
    events_glob = write_events(rows[:cut], inbox, "ndjson", n_files=2)
    return rows[cut:], dbt_vars(events_glob, Config()), inbox


def test_a_reader_never_fails_and_sees_whole_publications_during_builds(tmp_path: Path) -> None:
    later_rows, variables, inbox = first_delivery(tmp_path, seed=31)
    assert run_dbt("build", tmp_path, variables).returncode == 0
    published = published_db(tmp_path)
    first = last_version(tmp_path)

    stop, output = tmp_path / "stop-reader", tmp_path / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.publish_reader", str(published), str(stop), str(output)],
        cwd=PROJECT_DIR,
    )
    try:
        time.sleep(1.0)
        full = run_dbt("build", tmp_path, variables, ("--full-refresh",))
        assert full.returncode == 0, full.failures
        after_full = last_version(tmp_path)
        deliver(later_rows, inbox, "late-delivery")
        incremental = run_dbt("build", tmp_path, variables)
        assert incremental.returncode == 0, incremental.failures
        after_incremental = last_version(tmp_path)
        time.sleep(1.0)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    summary = json.loads(output.read_text())

    assert summary["errors"] == [], summary["errors"][:5]
    assert summary["inconsistent"] == [], summary["inconsistent"][:5]
    assert summary["reads"] >= 20, f"the reader read only {summary['reads']} times"
    seen = set(summary["versions"])
    assert seen <= {first, after_full, after_incremental}, f"unknown versions read: {seen}"
    assert {first, after_incremental} <= seen, "the reader must see the switch of versions"

    # Every published table and column carries its description (BI tools show them).
    with duckdb.connect(str(published), read_only=True) as connection:
        undescribed = connection.execute(
            "select table_name from duckdb_tables() where coalesce(comment, '') = ''"
            " union all select table_name || '.' || column_name from duckdb_columns()"
            " where database_name = current_database() and table_name <> 'publication'"
            " and coalesce(comment, '') = ''"
        ).fetchall()
    assert not undescribed, undescribed
    # The published copy is the working marts of the last build, late delivery included.
    working = read_table(tmp_path / "warehouse.duckdb", "fct_sessions")
    assert sorted(map(str, read_table(published, "fct_sessions"))) == sorted(map(str, working))


def test_a_killed_or_failed_build_leaves_the_published_version_as_it_was(
    tmp_path: Path,
) -> None:
    later_rows, variables, inbox = first_delivery(tmp_path, seed=32)
    assert run_dbt("build", tmp_path, variables).returncode == 0
    published = published_db(tmp_path)
    before, version = digest(published), last_version(tmp_path)
    stale = published.with_name(published.name + ".tmp-from-a-killed-build")
    stale.write_bytes(b"half-written")

    # Killed after the sessions, when the first of the two models that read them starts
    # (dbt runs them side by side): neither has been rebuilt, the restart log has.
    deliver(later_rows, inbox, "late-delivery")
    args, env = dbt_command("build", tmp_path, variables, ("--full-refresh",))
    kill_when_started(args, env, "fct_sessions", "int_session_hours")
    assert digest(published) == before

    # Failed: the killed refresh left its marker, so the next run is a full one too; its load
    # check stops it (no rejected row allowed) before anything is published.
    failed = run_dbt("build", tmp_path, {**variables, "max_rejected_share": 0})
    assert failed.returncode != 0
    assert "this run is a full refresh too" in failed.output
    assert "more than max_rejected_share" in failed.output
    assert digest(published) == before
    assert last_version(tmp_path) == version

    # The next good build publishes, and clears the leftover of the killed one.
    assert run_dbt("build", tmp_path, variables).returncode == 0
    assert digest(published) != before
    assert last_version(tmp_path) != version
    assert not stale.exists()


def test_a_read_write_client_cannot_break_the_published_file(tmp_path: Path) -> None:
    """A client that connected read-write, wrote and died leaves a WAL beside the published
    file: the next build removes it, and readers and later builds work. A client that holds
    the file read-write stops the build with a message naming its process."""
    variables = {"events_path": "tests/fixtures/example_events.csv"}
    assert run_dbt("build", tmp_path, variables).returncode == 0
    published = published_db(tmp_path)
    writer = f"import duckdb, os; c = duckdb.connect({str(published)!r}); "
    subprocess.run(
        [sys.executable, "-c", writer + "c.execute('create table notes (x int)'); os._exit(0)"],
        check=True,
    )
    assert published.with_name(published.name + ".wal").exists(), "the client left a WAL"

    for _ in range(2):  # the build after the crash, and the one after it
        result = run_dbt("build", tmp_path, variables)
        assert result.returncode == 0, result.failures
        assert not published.with_name(published.name + ".wal").exists()
        working = read_table(result.database, "fct_sessions")
        assert read_table(published, "fct_sessions") == working, "readers open the new file"

    holder = subprocess.Popen([sys.executable, "-c", writer + "import time; time.sleep(120)"])
    try:
        time.sleep(3)  # connected
        held = run_dbt("build", tmp_path, variables)
        assert held.returncode != 0
        assert (
            f"is open read-write in {sys.executable}" in held.output
            or "read-write in" in held.output
        )
        assert f"(PID {holder.pid})" in held.output
        assert "read_only=True" in held.output, "the message says what to change"
    finally:
        holder.kill()
        holder.wait()
    assert run_dbt("build", tmp_path, variables).returncode == 0
