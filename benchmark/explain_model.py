"""Where one model's time goes: DuckDB's profile of its compiled SQL, re-run against the
warehouse a benchmark build left behind (`benchmark/run.py --keep-dbt-warehouse`).

The model's `create table ... as (select ...)` from the build's target/run directory is run
again into a temporary table, so the kept warehouse is only read. Prints wall and CPU time,
what spilled to disk, and every operator's CPU seconds and rows, as Markdown.

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

CREATE_AS = re.compile(r"^\s*create\s+(?:or\s+replace\s+)?table\s+[^(]+?\s+as\s*\(", re.I | re.S)


def model_select(kept: Path, model: str) -> str:
    """The select a full build ran for `model` (the body of its create table as)."""
    found = sorted((kept / "target" / "run").rglob(f"{model}.sql"))
    if not found:
        raise SystemExit(
            f"no compiled SQL of {model} under {kept}/target/run: run benchmark/run.py"
            " with --keep-dbt-warehouse, and name a model of the project"
        )
    sql = found[0].read_text()
    match = CREATE_AS.search(sql)
    if not match:
        raise SystemExit(f"{found[0]} is not a single create table as (...) statement")
    body = sql[match.end() :].rstrip().rstrip(";").rstrip()
    if not body.endswith(")"):
        raise SystemExit(f"{found[0]}: the create table as (...) does not end in ')'")
    return body[:-1]


def operators(node: dict, depth: int = 0):
    """(depth, operator, CPU seconds, rows) for every operator, depth first."""
    for child in node.get("operator", node.get("children", [])):
        yield depth, child["name"], child.get("timing", 0.0), child.get("intermediate_rows", 0)
        yield from operators(child, depth + 1)


def explain(kept: Path, model: str, memory_limit: str, threads: int) -> list[str]:
    select = model_select(kept, model)
    with tempfile.TemporaryDirectory(prefix="explain-", dir=kept) as scratch:
        profile = Path(scratch) / "profile.json"
        connection = kept_connection(kept, scratch, memory_limit, threads)
        connection.execute(
            f"pragma enable_profiling = 'json'; pragma profiling_output = '{profile}'"
        )
        started = time.perf_counter()
        connection.execute(f"create temp table explained as {select}")
        wall = time.perf_counter() - started
        connection.execute("pragma disable_profiling")
        connection.close()
        result = json.loads(profile.read_text())
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
