"""A BI-style reader of the published marts, run as its own process by tests/test_publishing.py.

It opens the published DuckDB file read-only again and again, the way a BI tool does, until
the stop file appears. Every read is one SQL statement over all published tables, and checks
that they agree with each other (one complete publication, not a mix). It never retries:
every exception is recorded. The summary is written as JSON to the output path.

    python -m tests.publish_reader PUBLISHED_DB STOP_FILE OUTPUT_JSON
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

# One statement: the totals each table gives of the same facts.
CONSISTENCY_SQL = """
select
    (select any_value(version) from publication) as version,
    (select any_value(fct_sessions_rows) from publication) as manifest_sessions,
    (select count(*) from fct_sessions) as fct_sessions,
    (select sum(sessions) from rpt_sessions_per_user where period = 'day') as per_user_day,
    (select sum(sessions) from rpt_sessions_per_user where period = 'month') as per_user_month,
    (select sum(sessions) from rpt_session_duration where period = 'week') as duration_week,
    (select sum(duration_seconds) from fct_sessions) as session_seconds,
    (select sum(session_seconds) from rpt_session_time_hourly) as hourly_seconds
"""


def read_once(path: str) -> dict:
    with duckdb.connect(path, read_only=True) as connection:
        cursor = connection.execute(CONSISTENCY_SQL)
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def inconsistency(row: dict) -> str | None:
    sessions = row["fct_sessions"]
    counts = ("manifest_sessions", "per_user_day", "per_user_month", "duration_week")
    if any(row[name] != sessions for name in counts):
        return f"session counts disagree: {row}"
    if abs((row["hourly_seconds"] or 0) - (row["session_seconds"] or 0)) > 1e-6 * max(
        1.0, row["session_seconds"] or 0
    ):
        return f"hourly seconds differ from session seconds: {row}"
    return None


def main(published: str, stop_file: str, output: str) -> None:
    reads, errors, inconsistent = 0, [], []
    versions: dict[str, int] = {}
    while not Path(stop_file).exists():
        try:
            row = read_once(published)
        except Exception as error:  # every failure is the finding
            errors.append(f"{type(error).__name__}: {error}")
        else:
            reads += 1
            versions[row["version"]] = versions.get(row["version"], 0) + 1
            problem = inconsistency(row)
            if problem:
                inconsistent.append(problem)
        time.sleep(0.02)
    summary = {"reads": reads, "errors": errors, "inconsistent": inconsistent}
    Path(output).write_text(json.dumps({**summary, "versions": versions}, indent=2))


if __name__ == "__main__":
    main(*sys.argv[1:4])
