"""The raw costs under every variant, in DuckDB: scanning the files, and sorting the events
by device and time (the one sort the sessions need).

    python -m benchmark.raw_costs scan|sort GLOB [--threads 2] [--memory-limit 8GB]
"""

from __future__ import annotations

import argparse

import duckdb

from benchmark import arguments

COLUMNS = (
    "event_id", "device_id", "user_id", "event_name", "event_timestamp", "received_at",
    "platform", "app_version",
)  # fmt: skip

QUERIES = {
    # Every column read and decoded: count() of each forces the values to be materialized.
    "scan": "select {counts} from read_parquet('{glob}', union_by_name = true)",
    # Scan, then sort the events by device and event time into a table (what one window
    # pass needs), with the id as payload.
    "sort": (
        "create temp table sorted as select device_id, event_timestamp, event_id"
        " from read_parquet('{glob}', union_by_name = true)"
        " order by device_id, event_timestamp"
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cost", choices=sorted(QUERIES))
    parser.add_argument("events_glob")
    parser.add_argument("--threads", type=arguments.positive_int, default=2)
    parser.add_argument("--memory-limit", type=arguments.memory_limit, default="8GB")
    parser.add_argument("--temp-directory", default="/tmp/app-sessions-raw-costs.tmp")
    args = parser.parse_args()
    with duckdb.connect() as connection:
        connection.execute(f"set threads = {args.threads}")
        connection.execute(f"set memory_limit = '{args.memory_limit}'")
        connection.execute(f"set temp_directory = '{args.temp_directory}'")
        connection.execute("set preserve_insertion_order = false")
        counts = ", ".join(f"count({column})" for column in COLUMNS)
        query = QUERIES[args.cost].format(glob=args.events_glob.replace("'", "''"), counts=counts)
        connection.execute(query).fetchall()


if __name__ == "__main__":
    main()
