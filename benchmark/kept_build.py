"""The command line shared by the tools that study a dbt build the benchmark kept
(`benchmark/run.py --keep-dbt-warehouse`): the kept directory, models, threads."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from benchmark import arguments


def kept_build_parser(doc: str, models: bool = True) -> argparse.ArgumentParser:
    """A parser for `<kept dir> <model>... [--threads N]` (without the models if `models` is
    false), described by the module's doc."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("kept", type=Path, help="data/bench/warehouse-<N> of a benchmark run")
    if models:
        parser.add_argument("models", nargs="+")
    parser.add_argument("--threads", type=arguments.positive_int, default=2)
    return parser


def parse_kept_build_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The parsed arguments; stops with how to fix it when the kept build is not there."""
    args = parser.parse_args()
    if not (args.kept / "warehouse.duckdb").exists():
        raise SystemExit(
            f"{args.kept}/warehouse.duckdb not found: run benchmark/run.py with"
            " --keep-dbt-warehouse first"
        )
    return args


def kept_connection(kept: Path, scratch: str, memory_limit: str, threads: int):
    """An in-memory DuckDB connection with the kept warehouse attached read-only (and in use),
    the benchmark's settings, and spill under `scratch`: a model's compiled SQL runs as built."""
    database = (kept / "warehouse.duckdb").resolve()
    connection = duckdb.connect()
    connection.execute(
        f"set threads = {threads}; set memory_limit = '{memory_limit}';"
        f" set temp_directory = '{scratch}/spill'; set preserve_insertion_order = false;"
        f" set TimeZone = 'UTC';"
        f" attach '{database}' as {database.stem} (read_only); use {database.stem}"
    )
    return connection
