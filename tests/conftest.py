"""Shared fixtures: one warehouse built on messy data for the tests that only read it.

tests/spark/ and tests/spark_cluster/ need pyspark and Java, and minutes per build: only
`make spark-test` and `make spark-cluster-test` run them (they set APP_SESSIONS_SPARK_TESTS=1);
`make pytest` leaves them out."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.dbt_runner import run_dbt
from tests.messy_events import generate_messy_events, write_events
from tests.reference.contract import Config
from tests.test_pipeline_vs_reference import dbt_vars

SPARK_FOLDERS = ["spark", "spark_cluster"]
collect_ignore = [] if os.environ.get("APP_SESSIONS_SPARK_TESTS") == "1" else SPARK_FOLDERS


@dataclass(frozen=True)
class BuiltWarehouse:
    work_dir: Path
    variables: dict[str, Any]

    @property
    def database(self) -> Path:
        return self.work_dir / "warehouse.duckdb"

    @property
    def published(self) -> Path:
        return self.work_dir / "published" / "warehouse.duckdb"


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """`dbt build` on a messy event set reported in America/New_York (read-only users)."""
    work_dir = tmp_path_factory.mktemp("built")
    config = Config(reporting_timezone="America/New_York")
    rows = generate_messy_events(41, config=config)
    variables = dbt_vars(write_events(rows, work_dir / "events", "ndjson"), config)
    result = run_dbt("build", work_dir, variables)
    assert result.returncode == 0, result.failures
    return BuiltWarehouse(work_dir, variables)
