"""Run the floor script (benchmark/floor.sql): the contract in one hand-written DuckDB
script, no dbt. Writes fct_sessions and the three reports into a DuckDB file.

    python -m benchmark.floor 'data/bench/events-1000000/*.parquet' /tmp/floor.duckdb
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import duckdb

from benchmark import arguments

FLOOR_SQL = Path(__file__).with_name("floor.sql")

# The contract's timestamp grammar, as in macros/parsing/iso_timestamp_fast.sql.
ISO_PATTERN = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([01][0-9]|2[0-3]):([0-5][0-9])"
    r"(?::([0-5][0-9])(?:[.]([0-9]{1,9}))?)?"
    r"(?:([Zz])|([+-])([01][0-9]|2[0-3])(?::?([0-5][0-9]))?)?$"
)
ISO_PARTS = (
    "['day', 'hour', 'minute', 'second', 'fraction', 'zulu', 'sign', 'offset_hour',"
    " 'offset_minute']"
)
US_PER_MINUTE = 60_000_000
# row_key = file index * this + row number in the file (floor.sql): rows per file below 2^40
FILE_ROW_LIMIT = 2**40


def local(expression: str, timezone: str) -> str:
    """Wall-clock time in `timezone` of a UTC timestamp expression."""
    if timezone == "UTC":
        return expression
    return f"timezone('{timezone}', timezone('UTC', {expression}))"


def render(
    events_glob: str,
    *,
    threads: int = 2,
    memory_limit: str = "8GB",
    temp_directory: str = "/tmp/app-sessions-floor.tmp",
    session_timeout_minutes: float = 30,
    background_timeout_minutes: float = 30,
    background_event_names: tuple[str, ...] = ("app_background",),
    max_session_minutes: float = 1440,
    max_clock_skew_minutes: float = 60,
    reporting_timezone: str = "UTC",
) -> str:
    names = ", ".join(
        "'" + name.lower().replace("'", "''") + "'" for name in background_event_names
    )
    return FLOOR_SQL.read_text().format(
        events_glob=events_glob.replace("'", "''"),
        threads=threads,
        memory_limit=memory_limit,
        temp_directory=temp_directory,
        iso_pattern=ISO_PATTERN,
        iso_parts=ISO_PARTS,
        session_timeout_us=int(session_timeout_minutes * US_PER_MINUTE),
        background_timeout_us=int(background_timeout_minutes * US_PER_MINUTE),
        max_session_us=int(max_session_minutes * US_PER_MINUTE),
        max_clock_skew_us=int(max_clock_skew_minutes * US_PER_MINUTE),
        background_names=names,
        file_row_limit=FILE_ROW_LIMIT,
        local_start=local("make_timestamp(start_us)", reporting_timezone),
        local_hour=local("make_timestamp(spine.hour_us)", reporting_timezone),
    )


def build(events_glob: str, database: str, **settings) -> None:
    if os.path.exists(database):
        os.remove(database)
    with duckdb.connect(database) as connection:
        connection.execute(render(events_glob, **settings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("events_glob")
    parser.add_argument("database")
    parser.add_argument("--threads", type=arguments.positive_int, default=2)
    parser.add_argument("--memory-limit", type=arguments.memory_limit, default="8GB")
    parser.add_argument("--temp-directory", default="/tmp/app-sessions-floor.tmp")
    parser.add_argument("--reporting-timezone", default="UTC")
    args = parser.parse_args()
    build(
        args.events_glob,
        args.database,
        threads=args.threads,
        memory_limit=args.memory_limit,
        temp_directory=args.temp_directory,
        reporting_timezone=args.reporting_timezone,
    )


if __name__ == "__main__":
    main()
