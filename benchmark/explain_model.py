"""Where one model's time goes: DuckDB's profile of its compiled SQL, re-run against the
warehouse a benchmark build left behind (`benchmark/run.py --keep-dbt-warehouse`).

The statements the build ran for the model (from its target/run directory: a `create table
... as (select ...)`, or for a model with an enforced contract a `create table` of its columns
and an `insert ... select`) run again into a scratch database file, so the table is written
to disk as in the build, and the kept warehouse is only read. Prints wall and CPU time, what
spilled to disk, and every operator's CPU seconds and rows, as Markdown; the write is the
CREATE_TABLE_AS or INSERT operator.

    python -m benchmark.explain_model data/bench/warehouse-100000000 \
        int_timeout_sessions int_events_validated --memory-limit 2GB
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

from benchmark import arguments
from benchmark.kept_build import kept_build_parser, kept_connection, parse_kept_build_args

# The table a statement creates: "database"."schema"."name", as dbt writes it.
CREATED_TABLE = re.compile(
    r'create\s+(?:or\s+replace\s+)?table\s+((?:"(?:[^"]|"")*"\.){2}"(?:[^"]|"")*")', re.I
)
SCRATCH = '"explained"."main"'


def model_sql(kept: Path, model: str) -> str:
    """The statements a full build ran for `model`, writing to the scratch database instead:
    `create table ... as select`, or under an enforced contract `create table` of the
    columns then `insert ... select` (DuckDB's profile is of the last statement)."""
    found = sorted((kept / "target" / "run").rglob(f"{model}.sql"))
    if not found:
        raise SystemExit(
            f"no compiled SQL of {model} under {kept}/target/run: run benchmark/run.py"
            " with --keep-dbt-warehouse, and name a model of the project"
        )
    sql = found[0].read_text()
    created = CREATED_TABLE.search(sql)
    if not created:
        raise SystemExit(f"{found[0]} creates no table (a view, or not a full build's SQL)")
    return sql.replace(created.group(1), f'{SCRATCH}."{model}"')


def operators(node: dict, depth: int = 0):
    """(depth, operator, CPU seconds, rows) for every operator, depth first."""
    for child in node.get("operator", node.get("children", [])):
        yield depth, child["name"], child.get("timing", 0.0), child.get("intermediate_rows", 0)
        yield from operators(child, depth + 1)


def profile(kept: Path, model: str, memory_limit: str, threads: int) -> tuple[float, dict]:
    """Wall seconds of the model's statements, and DuckDB's JSON profile of the one that
    selects and writes."""
    sql = model_sql(kept, model)
    with tempfile.TemporaryDirectory(prefix="explain-", dir=kept) as scratch:
        output = Path(scratch) / "profile.json"
        connection = kept_connection(kept, scratch, memory_limit, threads)
        connection.execute(f"attach '{scratch}/explained.duckdb' as explained")
        connection.execute(
            f"pragma enable_profiling = 'json'; pragma profiling_output = '{output}'"
        )
        started = time.perf_counter()
        connection.execute(sql)
        connection.execute("pragma disable_profiling")
        # what is left to write when the build commits
        connection.execute("checkpoint explained")
        wall = time.perf_counter() - started
        connection.close()
        return wall, json.loads(output.read_text())


def explain(kept: Path, model: str, memory_limit: str, threads: int) -> list[str]:
    wall, result = profile(kept, model, memory_limit, threads)
    system, query = result.get("system", {}), result.get("query", {})
    lines = [
        f"### {model}",
        "",
        f"Wall {wall:,.1f} s, CPU {query.get('cpu_time', 0.0):,.1f} s (threads {threads},"
        f" memory_limit {memory_limit}); spilled {system.get('total_bytes_spilled', 0) / 1e9:,.2f}"
        f" GB, peak temp directory {system.get('peak_temp_dir_size', 0) / 1e9:,.2f} GB.",
        "",
        "| operator | CPU s | rows |",
        "|---|---:|---:|",
    ]
    for depth, name, seconds, rows in operators(result):
        if seconds >= 0.05 or depth == 0:
            lines.append(f"| {'. ' * depth}{name} | {seconds:,.1f} | {rows:,} |")
    return lines


def main() -> int:
    parser = kept_build_parser(__doc__)
    parser.add_argument("--memory-limit", type=arguments.memory_limit, default="2GB")
    args = parse_kept_build_args(parser)
    for model in args.models:
        print("\n".join(explain(args.kept, model, args.memory_limit, args.threads)), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
