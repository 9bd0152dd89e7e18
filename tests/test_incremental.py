"""Incremental runs stay exact: after every sequence of deliveries and `dbt build` runs, every
output table equals what a full refresh over all delivered files gives, and what the Python
reference of the contract gives.

A messy event set is delivered in batches by arrival time: a large first batch, small ones,
a one-event batch, an empty run, a re-delivered file under a new name (its rows become
duplicates), duplicates of old events with an earlier received_at (the stored event loses its
place), late events that merge and split stored sessions, and one event a year late.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.dbt_runner import (
    OUTPUT_TABLES,
    TABLES_WITHOUT_REFERENCE,
    compare_rows,
    dbt_command,
    kill_when_started,
    read_table,
    run_dbt,
)
from tests.messy_events import generate_messy_events, write_events
from tests.reference.contract import Config, parse_timestamp, run_reference
from tests.test_pipeline_vs_reference import dbt_vars

FORMAT = "ndjson"


def arrival_us(row: dict[str, Any]) -> int:
    """When a row arrives: its received_at, else its event time, else the start of time."""
    for column in ("received_at", "event_timestamp"):
        value = parse_timestamp(row.get(column)) if isinstance(row.get(column), str) else None
        if value is not None:
            return value
    return 0


def deliver(rows: list[dict[str, Any]], inbox: Path, name: str) -> None:
    """Write one delivery as a file named `name` in the inbox (the events_path directory)."""
    staging = inbox.parent / f"staging-{name}"
    write_events(rows, staging, FORMAT, n_files=1)
    shutil.move(str(staging / f"events-0.{FORMAT}"), inbox / f"{name}.{FORMAT}")
    staging.rmdir()


def late_and_conflicting_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows that only an incremental design can get wrong, built from delivered ones: a
    duplicate of an early event that was received earlier (it must replace the stored one), an
    event inside a stored session's gap, and an event a year before everything else."""
    clean = [r for r in rows if r.get("event_id") and r.get("device_id") and r.get("event_name")]
    clean = [r for r in clean if parse_timestamp(r.get("event_timestamp")) is not None]
    earlier_copy = dict(clean[0], received_at="2000-01-01T00:00:00Z", platform="re-sent")
    first_time = datetime(1970, 1, 1) + timedelta(
        microseconds=parse_timestamp(clean[1]["event_timestamp"])
    )
    inside_gap = dict(
        clean[1],
        event_id="late-inside-gap",
        event_timestamp=(first_time + timedelta(minutes=29)).isoformat() + "Z",
        received_at=None,
    )
    year_late = dict(
        clean[2],
        event_id="a-year-late",
        event_timestamp=(first_time - timedelta(days=365)).isoformat() + "Z",
        received_at=None,
    )
    return [earlier_copy, inside_gap, year_late]


def compare_databases(incremental: Path, full: Path) -> list[str]:
    problems: list[str] = []
    for table, key in (OUTPUT_TABLES | TABLES_WITHOUT_REFERENCE).items():
        expected = read_table(full, table)
        problems += compare_rows(table, read_table(incremental, table), expected, key)
    return problems


PUBLISHED_TABLES = (
    "fct_sessions",
    "rpt_sessions_per_user",
    "rpt_session_duration",
    "rpt_session_time_hourly",
    "rpt_active_users",
    "rpt_session_time_local_hourly",
    "dim_users",
)


def compare_published(working: Path) -> list[str]:
    """The published copy BI tools read (updated in place by incremental builds) holds the
    same marts as the working database."""
    published = working.parent / "published" / working.name
    problems: list[str] = []
    for table in PUBLISHED_TABLES:
        problems += compare_rows(
            f"published {table}",
            read_table(published, table),
            read_table(working, table),
            OUTPUT_TABLES[table],
        )
    return problems


def compare_with_reference(database: Path, raw_rows: list[dict], config: Config) -> list[str]:
    expected = run_reference(raw_rows, config)
    problems: list[str] = []
    for table, key in OUTPUT_TABLES.items():
        columns = list(expected[table][0].keys())
        problems += compare_rows(table, read_table(database, table, columns), expected[table], key)
    return problems


CSV_HEADER = "event_id,device_id,user_id,event_name,event_timestamp"


def build_after_each_file(
    files: dict[str, list[str]],
    tmp_path: Path,
    extra_vars: dict[str, Any] | None = None,
    excluded: dict[str, str] | None = None,
) -> tuple[Path, Path]:
    """Deliver each CSV file (lines without the header) in turn and run an incremental
    `dbt build` after each, with `extra_vars` (`excluded[name]`: a selector left out of that
    file's run); then a full refresh over all of them. Returns the incremental and the full
    warehouse."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    variables = {"events_path": str(inbox / "*.csv"), **(extra_vars or {})}
    for name, lines in files.items():
        (inbox / name).write_text("\n".join([CSV_HEADER, *lines]) + "\n")
        skipped = (excluded or {}).get(name)
        result = run_dbt(
            "build", tmp_path / "incremental", variables, ("--exclude", skipped) if skipped else ()
        )
        assert result.returncode == 0, result.failures
    full = run_dbt("build", tmp_path / "full", variables, ("--full-refresh",))
    assert full.returncode == 0, full.failures
    return tmp_path / "incremental" / "warehouse.duckdb", full.database


def table_names(work_dir: Path) -> set[str]:
    with duckdb.connect(str(work_dir / "warehouse.duckdb"), read_only=True) as connection:
        rows = connection.execute("select table_name from duckdb_tables()").fetchall()
    return {name for (name,) in rows}


def event_counts_by_device(database: Path) -> dict[str, list[int]]:
    """Each device's sessions in fct_sessions, as their sorted event counts."""
    counts: dict[str, list[int]] = {}
    for s in read_table(database, "fct_sessions", ["device_id", "event_count"]):
        counts.setdefault(s["device_id"], []).append(s["event_count"])
    return {device: sorted(c) for device, c in counts.items()}


def test_incremental_runs_equal_a_full_refresh_and_the_reference(tmp_path: Path) -> None:
    config = Config(reporting_timezone="Europe/Berlin")
    rows = sorted(generate_messy_events(21, config=config), key=arrival_us)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    variables = dbt_vars(str(inbox / f"*.{FORMAT}"), config)
    incremental_dir = tmp_path / "incremental"
    delivered: list[dict[str, Any]] = []

    def build() -> None:
        result = run_dbt("build", incremental_dir, variables)
        assert result.returncode == 0, result.failures
        problems = compare_published(result.database)
        assert not problems, "\n".join(problems)

    cut = [0, len(rows) // 2, len(rows) // 2 + 1, 3 * len(rows) // 4, len(rows)]
    batches = [rows[a:b] for a, b in pairwise(cut)]
    # Out of order: the third quarter arrives after the last one.
    deliveries = [
        ("batch-1", batches[0]),
        ("batch-2-one-event", batches[1]),
        ("batch-4", batches[3]),
        (None, []),  # a run with nothing new
        ("batch-3", batches[2]),
        ("batch-1-again", batches[0]),  # the same export delivered twice
        ("batch-5-late", late_and_conflicting_rows(rows)),
    ]
    for name, batch in deliveries:
        if name is not None:
            deliver(batch, inbox, name)
            delivered += batch
        build()
        if name == "batch-4":
            # midway: the incremental state already equals a full build of what arrived
            full = run_dbt("build", tmp_path / "full-midway", variables, ("--full-refresh",))
            assert full.returncode == 0, full.failures
            problems = compare_databases(incremental_dir / "warehouse.duckdb", full.database)
            assert not problems, "\n".join(problems)

    full = run_dbt("build", tmp_path / "full", variables, ("--full-refresh",))
    assert full.returncode == 0, full.failures
    problems = compare_databases(incremental_dir / "warehouse.duckdb", full.database)
    problems += compare_with_reference(incremental_dir / "warehouse.duckdb", delivered, config)
    assert not problems, "\n".join(problems)

    # the run that a full refresh of the incremental warehouse gives is the same again
    refreshed = run_dbt("build", incremental_dir, variables, ("--full-refresh",))
    assert refreshed.returncode == 0, refreshed.failures
    problems = compare_databases(refreshed.database, full.database)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "skipped",
    ["int_timeout_sessions+", "int_session_hours+", "fct_sessions+", "fct_session_local_hours+"],
)
def test_a_run_that_stopped_halfway_is_caught_up_by_the_next(skipped: str, tmp_path: Path) -> None:
    """Each incremental model applies every restart logged since it last ran, not only the
    latest run's: a run that built the staging models but not `skipped` (a failed test stops
    dbt build there) leaves nothing behind once the next run completes."""
    files = {
        # d1 has a session without a user, d2 one session
        "a.csv": ["a1,d1,,open,2024-03-01T10:00:00Z", "a2,d1,,tap,2024-03-01T10:01:00Z",
                  "a3,d2,u2,open,2024-03-01T10:00:00Z"],
        # d1 logs in later: a new session, and its first session's stitched user changes
        "b.csv": ["b1,d1,u1,open,2024-03-01T12:00:00Z"],
        # the next run brings events of d2 only
        "c.csv": ["c1,d2,u2,tap,2024-03-01T10:05:00Z"],
    }  # fmt: skip
    incremental, full = build_after_each_file(files, tmp_path, excluded={"b.csv": skipped})
    sessions = read_table(full, "fct_sessions", ["device_id", "user_id", "session_number"])
    assert sorted((s["device_id"], s["user_id"], s["session_number"]) for s in sessions) == [
        ("d1", "u1", 1),
        ("d1", "u1", 2),
        ("d2", "u2", 1),
    ]
    problems = compare_databases(incremental, full)
    assert not problems, "\n".join(problems)


def test_a_late_event_in_a_later_cap_piece_restarts_at_the_timeout_session(
    tmp_path: Path,
) -> None:
    """A session longer than the cap is stored as pieces that each start at an event, not
    at a multiple of the cap. A late event in its third piece must recompute the device
    from the session's first event: from the piece's own start, the cap would be counted
    from there and 13:02 would not start a fourth piece."""
    times = ["10:00", "10:25", "10:50", "11:15", "11:40", "12:05", "12:30", "12:55", "13:02"]
    files = {
        "a.csv": [f"a{n},d1,u1,tap,2024-03-01T{t}:00Z" for n, t in enumerate(times)],
        "b.csv": ["late,d1,u1,tap,2024-03-01T12:35:00Z"],
    }
    incremental, full = build_after_each_file(files, tmp_path, {"max_session_minutes": 60})
    assert event_counts_by_device(full)["d1"] == [1, 2, 3, 4]  # 10:00, 11:15, 12:05, 13:02
    problems = compare_databases(incremental, full)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "ended",
    [
        "killed at int_session_restarts",  # the staging table rebuilt, the log not
        "killed at int_timeout_sessions",  # the staging table and the log rebuilt, the sessions not
        "run on a selection",  # the staging table rebuilt
    ],
)
def test_a_full_refresh_that_did_not_finish_is_finished_by_the_next_run(
    ended: str, tmp_path: Path
) -> None:
    """A `--full-refresh` rebuilds the incremental models one after another; the validated
    events and the restart log start their batch numbers again at 1, while the models it has
    not reached yet keep the old build's higher numbers, so an incremental run on such a
    warehouse skips the new batches in them.
    One that did not rebuild every incremental model (killed, a failed test, a selection) must
    make the next plain run a full one, which says so; the run after it is incremental again."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    work = tmp_path / "warehouse"
    variables = {"events_path": str(inbox / "*.csv")}
    files = {
        "a.csv": ["a1,d1,u1,open,2024-03-01T10:00:00Z", "a2,d2,u2,open,2024-03-01T10:00:00Z"],
        "b.csv": ["b1,d1,u1,tap,2024-03-01T10:05:00Z"],
        "c.csv": ["c1,d1,u1,tap,2024-03-01T10:10:00Z", "c2,d3,,open,2024-03-01T11:00:00Z"],
        "d.csv": ["d1,d2,u2,tap,2024-03-01T10:20:00Z"],
    }

    def deliver_csv(name: str) -> None:
        (inbox / name).write_text("\n".join([CSV_HEADER, *files[name]]) + "\n")

    def build(*extra_args: str) -> str:
        result = run_dbt("build", work, variables, extra_args)
        assert result.returncode == 0, result.failures
        return result.output

    for name in ("a.csv", "b.csv"):  # two batches: the old build's numbers reach 2
        deliver_csv(name)
        build()
    if ended == "run on a selection":
        # one of no incremental model leaves the incremental state alone: no marker
        output = build("--full-refresh", "--select", "rpt_session_duration")
        assert "app_sessions__unfinished_full_refresh" not in table_names(work)
        assert "did not rebuild every incremental model" not in output
        build("--full-refresh", "--select", "int_events_validated")
        assert "app_sessions__unfinished_full_refresh" in table_names(work)
    else:
        args, env = dbt_command("build", work, variables, ("--full-refresh",))
        kill_when_started(args, env, ended.removeprefix("killed at "))

    deliver_csv("c.csv")
    output = build()
    assert "did not rebuild every incremental model" in output, output[-3000:]
    deliver_csv("d.csv")
    output = build()
    assert "did not rebuild every incremental model" not in output
    batches = read_table(work / "warehouse.duckdb", "int_sessions", ["load_batch"])
    assert {row["load_batch"] for row in batches} == {1, 2}, "the run after is incremental"
    full = run_dbt("build", tmp_path / "full", variables, ("--full-refresh",))
    assert full.returncode == 0, full.failures
    problems = compare_databases(work / "warehouse.duckdb", full.database)
    assert not problems, "\n".join(problems)


def test_a_first_run_that_stopped_before_the_sessions_is_caught_up(tmp_path: Path) -> None:
    """A first build that stops after the change log (here: the sessions and all after them
    excluded) leaves no stored sessions; the next run's change log must read its
    stand-in for them, and the warehouse then equals a full refresh."""
    files = {
        "a.csv": ["a1,d1,u1,open,2024-03-01T10:00:00Z", "a2,d2,u2,open,2024-03-01T10:00:00Z"],
        "b.csv": ["b1,d1,u1,tap,2024-03-01T10:05:00Z"],
    }
    incremental, full = build_after_each_file(
        files, tmp_path, excluded={"a.csv": "int_timeout_sessions+"}
    )
    problems = compare_databases(incremental, full)
    assert not problems, "\n".join(problems)


def test_a_warehouse_restored_from_a_copy_publishes_its_own_sessions(tmp_path: Path) -> None:
    """The published copy is updated in place only when this warehouse wrote it last. A
    working file restored from an older copy reaches the published file's batch number with
    other data; its next build must write the published tables anew, not keep the other
    timeline's sessions."""
    inbox = tmp_path / "inbox"
    files = {
        "a.csv": ["a1,d1,u1,open,2024-03-01T10:00:00Z", "a2,d2,u2,open,2024-03-01T10:00:00Z"],
        "b.csv": ["b1,d1,u1,tap,2024-03-01T10:05:00Z"],
        "c.csv": ["c1,d2,u2,open,2024-03-01T12:00:00Z"],
    }
    variables = {"events_path": str(inbox / "*.csv")}
    work = tmp_path / "incremental"
    inbox.mkdir()

    def deliver_and_build(name: str) -> Path:
        (inbox / name).write_text("\n".join([CSV_HEADER, *files[name]]) + "\n")
        result = run_dbt("build", work, variables)
        assert result.returncode == 0, result.failures
        return result.database

    working = deliver_and_build("a.csv")  # batch 1
    backup = tmp_path / "backup.duckdb"
    shutil.copyfile(working, backup)
    deliver_and_build("b.csv")  # batch 2, published
    shutil.copyfile(backup, working)  # restored at batch 1
    deliver_and_build("c.csv")  # batch 2 again: b.csv and c.csv
    problems = compare_published(working)
    assert not problems, "\n".join(problems)
    sessions = read_table(working.parent / "published" / working.name, "fct_sessions")
    assert len(sessions) == 3, sessions  # d1 (a1, b1), d2 (a2), d2 (c1)


@pytest.mark.parametrize(("session_timeout", "background_timeout"), [(30, 60), (60, 30)])
def test_a_device_back_after_a_break_restarts_at_its_new_events(
    session_timeout: int, background_timeout: int, tmp_path: Path
) -> None:
    """int_session_restarts restarts a device at its new events when its last stored event
    is more than the longer of the two timeouts before them (that session has ended for
    good), and at the start of that session otherwise. Each device sits at a boundary of
    that rule; the incremental warehouse must equal a full refresh."""
    longer = max(session_timeout, background_timeout)
    # d1 and d2 end on the kind of event whose timeout is the longer one
    longer_kind = "app_background" if background_timeout > session_timeout else "tap"
    at = datetime(2024, 3, 1, 10, 1)

    def stamp(moment: datetime) -> str:
        return moment.isoformat(timespec="milliseconds") + "Z"

    files = {
        "a.csv": [
            f"{device}0,{device},u,open,2024-03-01T10:00:00Z\n"
            f"{device}1,{device},u,{name},{stamp(at)}"
            for device, name in (("d1", longer_kind), ("d2", longer_kind),
                                 ("d3", "app_background"), ("d4", "tap"))
        ],
        "b.csv": [
            # a gap equal to the longer timeout continues the session
            f"d1x,d1,u,tap,{stamp(at + timedelta(minutes=longer))}",
            # a millisecond longer starts a new one
            f"d2x,d2,u,tap,{stamp(at + timedelta(minutes=longer, milliseconds=1))}",
            # 45 minutes: within the background timeout or not, after a background event
            f"d3x,d3,u,tap,{stamp(at + timedelta(minutes=45))}",
            # and after a foreground event
            f"d4x,d4,u,tap,{stamp(at + timedelta(minutes=45))}",
        ],
    }  # fmt: skip
    timeouts = {
        "session_timeout_minutes": session_timeout,
        "background_timeout_minutes": background_timeout,
    }
    incremental, full = build_after_each_file(files, tmp_path, timeouts)
    counts = event_counts_by_device(full)
    # the cases are what they claim: d1 one session, d2 two, d3 and d4 by their timeout
    assert counts["d1"] == [3]
    assert counts["d2"] == [1, 2]
    assert counts["d3"] == ([3] if background_timeout > 45 else [1, 2])
    assert counts["d4"] == ([3] if session_timeout > 45 else [1, 2])
    problems = compare_databases(incremental, full)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "extra_vars", [{}, {"late_devices_read_apart": 2}], ids=["one_part", "two_parts"]
)
def test_late_events_among_many_devices_are_merged(
    tmp_path: Path, extra_vars: dict[str, Any]
) -> None:
    """On DuckDB int_timeout_sessions reads the clean events in two parts, each from a literal
    lower bound on the time (macros/incremental/): the devices with the earliest
    restart points from the earliest one on, the rest from the next restart point on. Sixty
    devices come back in the second file; three of them bring late events of different ages,
    into a stored session and between two stored sessions. They must be merged as a full
    refresh merges them: with the default (every device in one part), and with two devices
    read apart, so d02, the third late one, is read from a bound that is its own restart
    point."""
    devices = [f"d{n:02d}" for n in range(60)]
    first = [
        f"{d}-{k},{d},u{d},tap,2024-03-01T{10 + k:02d}:00:00Z" for d in devices for k in range(3)
    ]  # three sessions an hour apart
    second = [f"{d}-new,{d},u{d},tap,2024-03-03T09:00:00Z" for d in devices]
    second += [
        # inside the first stored session of d00 (a second event 10 minutes into it)
        "d00-late,d00,ud00,tap,2024-03-01T10:10:00Z",
        # 30 minutes from d01's second and third sessions: it joins them into one
        "d01-bridge,d01,ud01,tap,2024-03-01T11:30:00Z",
        # inside d02's last stored session
        "d02-late,d02,ud02,tap,2024-03-01T12:10:00Z",
    ]
    incremental, full = build_after_each_file(
        {"a.csv": first, "b.csv": second}, tmp_path, extra_vars
    )
    compiled = tmp_path / "incremental/target/compiled/app_sessions/models/intermediate"
    read_in_two_parts = (
        "restarts.restart_us < " in (compiled / "int_timeout_sessions.sql").read_text()
    )
    assert read_in_two_parts == bool(extra_vars)
    counts = event_counts_by_device(full)
    assert counts["d00"] == [1, 1, 1, 2]
    assert counts["d01"] == [1, 1, 3]
    assert counts["d02"] == [1, 1, 1, 2]
    problems = compare_databases(incremental, full)
    assert not problems, "\n".join(problems)
