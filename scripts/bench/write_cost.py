"""What writing a model's table costs, column by column, in a build the benchmark kept
(`scripts/benchmark.py --keep-dbt-warehouse`).

Each model's stored rows are copied into memory, then written to a fresh DuckDB file and
checkpointed (compressed), as dbt's `create table as` does: once with every column, and once
without each column in turn. Prints the write time and file size of each, as Markdown, so the
columns that are expensive to store stand out.

    python -m scripts.bench.write_cost data/bench/warehouse-10000000 \
        int_events_sessionized stg_app__events_validated
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import duckdb

from scripts.bench.kept_build import kept_build_parser, parse_kept_build_args


def write_seconds(connection: duckdb.DuckDBPyConnection, columns: list[str]) -> float:
    """Seconds to write `columns` of the in-memory copy to the file and checkpoint it."""
    started = time.perf_counter()
    connection.execute(f"create table written as select {', '.join(columns)} from copied")
    connection.execute("checkpoint")
    seconds = time.perf_counter() - started
    connection.execute("drop table written")
    connection.execute("checkpoint")
    return seconds


def table_cost(kept: Path, model: str, threads: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="write-cost-", dir=kept) as scratch:
        target = Path(scratch) / "written.duckdb"
        connection = duckdb.connect(str(target))
        connection.execute(
            f"set threads = {threads}; set preserve_insertion_order = false;"
            f" attach '{kept / 'warehouse.duckdb'}' as kept (read_only)"
        )
        connection.execute(f"create temp table copied as select * from kept.main.{model}")
        columns = [row[0] for row in connection.execute("describe copied").fetchall()]
        rows = connection.execute("select count(*) from copied").fetchone()[0]
        every = write_seconds(connection, columns)
        lines = [
            f"### {model}",
            "",
            f"{rows:,} rows, {len(columns)} columns: written in {every:,.2f} s"
            f" (threads {threads}).",
            "",
            "| without column | write s | saves |",
            "|---|---:|---:|",
        ]
        for column in columns:
            seconds = write_seconds(connection, [c for c in columns if c != column])
            lines.append(f"| `{column}` | {seconds:,.2f} | {1 - seconds / every:.0%} |")
        connection.close()
    return lines


def main() -> int:
    parser = kept_build_parser(__doc__)
    args = parse_kept_build_args(parser)
    for model in args.models:
        print("\n".join(table_cost(args.kept, model, args.threads)), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
