"""Print the headline numbers of a built warehouse: what `make run` ends with.

Reads the marts read-only from the DuckDB file of the profile (APP_SESSIONS_DB, default
app_sessions.duckdb at the project root), so it can run while a BI tool has the file open.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent

HEADLINE_SQL = """
with
sessions as (
    select
        count(*) as sessions,
        count(distinct user_key) as users,
        avg(duration_seconds) as avg_duration_seconds,
        median(duration_seconds) as median_duration_seconds,
        avg(foreground_seconds) as avg_foreground_seconds,
        min(session_start_at) as first_start_at,
        max(session_end_at) as last_end_at
    from fct_sessions
),
daily as (
    select avg(sessions_per_user) as daily_sessions_per_user
    from rpt_sessions_per_user
    where period = 'day'
),
peak as (
    select hour_of_day, sum(session_seconds) as session_seconds
    from rpt_session_time_hourly
    group by hour_of_day
    order by session_seconds desc, hour_of_day
    limit 1
),
local_peak as (
    select hour_of_day as local_hour_of_day, sum(session_seconds) as local_session_seconds
    from rpt_session_time_local_hourly
    group by hour_of_day
    order by local_session_seconds desc, hour_of_day
    limit 1
),
quarantine as (
    select count(*) as rejected_rows from rejected_events
)
select * from sessions, daily, peak, local_peak, quarantine
"""


def database_path() -> Path:
    """The warehouse file the dbt profile writes to."""
    path = Path(os.environ.get("APP_SESSIONS_DB", "app_sessions.duckdb"))
    return path if path.is_absolute() else PROJECT_DIR / path


def published_path(working: Path) -> Path:
    """The published copy of the marts BI tools read (models/publish/published_marts.py)."""
    configured = os.environ.get("APP_SESSIONS_PUBLISHED_DB")
    return Path(configured) if configured else working.parent / "published" / working.name


def headline(path: Path) -> dict[str, object]:
    """The headline numbers of the marts in the DuckDB file at `path`."""
    with duckdb.connect(str(path), read_only=True) as connection:
        cursor = connection.execute(HEADLINE_SQL)
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
    return dict(zip(names, row, strict=True)) if row else {}


def minutes(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds / 60:.1f} min"


def main() -> int:
    path = database_path()
    if not path.exists():
        print(f"No warehouse at {path}: run `make run` first.", file=sys.stderr)
        return 1
    numbers = headline(path)
    if not numbers.get("sessions"):
        print(f"The marts in {path} hold no sessions: check events_path and rejected_events.")
        return 1
    per_user = numbers["sessions"] / numbers["users"]
    print()
    print(f"  sessions                   {numbers['sessions']:,}")
    print(f"  users                      {numbers['users']:,}")
    print(f"  sessions per user          {per_user:.2f} over the whole period")
    print(f"  sessions per user per day  {numbers['daily_sessions_per_user']:.2f} (daily average)")
    print(f"  average session time       {minutes(numbers['avg_duration_seconds'])}")
    print(f"  median session time        {minutes(numbers['median_duration_seconds'])}")
    print(f"  average foreground time    {minutes(numbers['avg_foreground_seconds'])}")
    peak = numbers["hour_of_day"]
    print(f"  peak hour                  {peak:02d}:00-{peak:02d}:59 (reporting time zone)")
    local = numbers["local_hour_of_day"]
    print(f"  peak local hour            {local:02d}:00-{local:02d}:59 (in each user's time zone)")
    print(f"  events quarantined         {numbers['rejected_rows']:,} (see rejected_events)")
    print(
        f"  period                     {numbers['first_start_at']} to {numbers['last_end_at']} UTC"
    )
    print(f"  warehouse                  {path}")
    print(f"  published for BI tools     {published_path(path)}")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
