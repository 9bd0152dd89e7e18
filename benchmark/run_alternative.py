"""Run the Polars or pandas implementation of the contract in this process and write the
per-day totals the benchmark checks (session count, total and foreground seconds per
session_date) as JSON.

    python -m benchmark.run_alternative polars|pandas GLOB OUT_JSON
"""

from __future__ import annotations

import importlib
import json
import sys

import duckdb

from benchmark.config import Config


def main(library: str, events_glob: str, output: str) -> None:
    module = importlib.import_module(f"benchmark.{library}_sessions")
    fct_sessions = module.build(events_glob, Config())["fct_sessions"]  # noqa: F841 (scanned)
    rows = duckdb.sql(
        "select cast(session_date as varchar), count(*), sum(duration_seconds),"
        " sum(foreground_seconds) from fct_sessions group by 1"
    ).fetchall()
    with open(output, "w") as handle:
        json.dump({day: list(totals) for day, *totals in rows}, handle)


if __name__ == "__main__":
    main(*sys.argv[1:4])
