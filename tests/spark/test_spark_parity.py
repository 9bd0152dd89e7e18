"""The same models on Spark: a build on Spark (dbt-spark, session method) from the messy event
set of `make dbt-test` gives every output table equal, value for value, to the DuckDB build;
and incremental runs on Spark over batched deliveries equal a full refresh on Spark.

Run by `make spark-test` only (tests/conftest.py leaves this folder out of `make pytest`).
Tolerance: timestamps, dates, integers and text exactly; doubles (DuckDB) against Spark's
decimals or doubles to 1e-12 relative (compare_rows): sums are exact integer microseconds on
both engines, and only divisions (averages, ratios, the interpolated median) are rounded, in
the last bits, differently."""

from __future__ import annotations

import shutil
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tests.dbt_runner import (
    OUTPUT_TABLES,
    TABLES_WITHOUT_REFERENCE,
    compare_rows,
    read_table,
    run_dbt,
)
from tests.messy_events import generate_messy_events, write_events
from tests.reference.contract import Config
from tests.spark.spark_runner import read_spark_tables, run_spark_dbt
from tests.test_incremental import FORMAT, arrival_us, deliver, late_and_conflicting_rows
from tests.test_pipeline_vs_reference import dbt_vars
from tests.vendor_exports import SHAPES, generate_app_events, write_export

COMPARED = OUTPUT_TABLES | TABLES_WITHOUT_REFERENCE
TABLES = list(COMPARED)


def compare_all(actual: dict[str, list[dict]], expected: dict[str, list[dict]]) -> list[str]:
    problems: list[str] = []
    for table, key in COMPARED.items():
        assert expected[table], f"{table} is empty: the test data must fill every table"
        problems += compare_rows(table, actual[table], expected[table], key)
    return problems


@pytest.fixture(scope="module")
def messy_glob(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The event set of `make dbt-test` (seed 1, NDJSON), at an absolute path: Spark needs
    one, and source_file (compared) is the path as matched, so both engines get the same."""
    directory = tmp_path_factory.mktemp("messy") / "events"
    rows = generate_messy_events(1)
    return write_events(rows, directory, "ndjson")


def test_spark_build_equals_the_duckdb_build(messy_glob: str, tmp_path: Path) -> None:
    variables = {"events_path": messy_glob, "reporting_timezone": "America/New_York"}
    started = time.monotonic()
    duckdb_build = run_dbt("build", tmp_path / "duckdb", variables)
    assert duckdb_build.returncode == 0, duckdb_build.failures
    duckdb_seconds = time.monotonic() - started
    started = time.monotonic()
    spark_build = run_spark_dbt("build", tmp_path / "spark", variables)
    assert spark_build.returncode == 0, spark_build.failures
    print(
        f"\ndbt build of the messy event set: DuckDB {duckdb_seconds:.0f} s, "
        f"Spark {time.monotonic() - started:.0f} s (models, data and unit tests)"
    )

    expected = {table: read_table(duckdb_build.database, table) for table in TABLES}
    actual = read_spark_tables(tmp_path / "spark", TABLES)
    problems = compare_all(actual, expected)
    assert not problems, "\n".join(problems)
    for table in TABLES:  # same columns, in the same order
        assert list(actual[table][0]) == list(expected[table][0]), table


Delivery = list[tuple[str, list[dict[str, Any]]]]


def four_runs_of_deliveries(inbox: Path) -> tuple[dict[str, Any], list[Delivery]]:
    """The dbt vars reading `inbox`, and the files each of four runs finds there, of a small
    messy event set (as tests/test_incremental.py on DuckDB): out of order, a file delivered
    twice, then duplicates that beat stored events, late events inside stored sessions and a
    year late. A file delivered again restarts its devices at their first event, which would
    also heal a wrong tail: the last run brings only rows that restart devices from a stored
    session."""
    config = Config(reporting_timezone="Europe/Berlin")
    rows = sorted(generate_messy_events(21, n_devices=12, days=2, config=config), key=arrival_us)
    cut = [0, len(rows) // 2, 3 * len(rows) // 4, len(rows)]
    batches = [rows[a:b] for a, b in pairwise(cut)]
    deliveries = [
        [("batch-1", batches[0])],
        [
            ("batch-3", batches[2]),  # out of order
            ("batch-1-again", batches[0]),  # the same export delivered twice
        ],
        [("batch-2", batches[1])],
        [("batch-4-late", late_and_conflicting_rows(rows))],
    ]
    return dbt_vars(str(inbox / f"*.{FORMAT}"), config), deliveries


def test_spark_incremental_runs_equal_a_full_refresh(tmp_path: Path) -> None:
    """Four runs of batched deliveries on Spark (four_runs_of_deliveries) equal a full
    refresh. The third run finishes a full refresh run on a selection
    (macros/incremental/should_full_refresh.sql)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    variables, deliveries = four_runs_of_deliveries(inbox)
    for number, run in enumerate(deliveries):
        if number == 2:
            # A full refresh of the cleaning models only, after two batches, leaves the marker
            # of an unfinished one (Parquet on Spark): the next run is a full refresh of all
            # (else it would skip batch 2 of the rebuilt validated table), the next incremental.
            selected = ("--full-refresh", "--select", "+int_events_validated")
            started = run_spark_dbt("run", tmp_path / "incremental", variables, selected)
            assert started.returncode == 0, started.failures
        for name, batch in run:
            deliver(batch, inbox, name)
        result = run_spark_dbt("run", tmp_path / "incremental", variables)
        assert result.returncode == 0, result.failures
        unfinished = "did not rebuild every incremental model" in result.output
        assert unfinished == (number == 2), result.output[-3000:]
    incremental = read_spark_tables(tmp_path / "incremental", TABLES)

    full = run_spark_dbt("run", tmp_path / "full", variables)
    assert full.returncode == 0, full.failures
    problems = compare_all(incremental, read_spark_tables(tmp_path / "full", TABLES))
    assert not problems, "\n".join(problems)
    shutil.rmtree(tmp_path / "full" / "spark", ignore_errors=True)


@pytest.mark.parametrize("shape", ["segment", "ga4-ndjson"])
def test_spark_reads_vendor_exports_as_duckdb_does(shape: str, tmp_path: Path) -> None:
    """A vendor export (gzip NDJSON with nested context; GA4 with epoch microseconds) built
    on both engines, then a late delivery run incrementally: every table equal after each.
    Spark runs the models only: the DuckDB build's data tests pass on the same tables, and
    the messy build above runs every data and unit test on Spark."""
    vendor = SHAPES[shape][0]
    events = generate_app_events(seed=7, vendor=vendor)
    events_glob, _ = write_export(events, shape, tmp_path / "export", "first")
    variables = {"events_path": events_glob, "events_format": vendor}
    for delivery in ("first", "late"):
        if delivery == "late":
            write_export(events, shape, tmp_path / "export", "late")
        duckdb_build = run_dbt("build", tmp_path / "duckdb", variables)
        assert duckdb_build.returncode == 0, duckdb_build.failures
        spark_run = run_spark_dbt("run", tmp_path / "spark", variables)
        assert spark_run.returncode == 0, spark_run.failures
        expected = {table: read_table(duckdb_build.database, table) for table in TABLES}
        problems = compare_all(read_spark_tables(tmp_path / "spark", TABLES), expected)
        assert not problems, f"{delivery}:\n" + "\n".join(problems)
