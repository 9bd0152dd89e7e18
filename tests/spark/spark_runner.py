"""Run the dbt project on Spark (the `spark` target, dbt-spark's session method) in a cold
`dbt` process, and read its tables back through Spark SQL in another process.

Each work directory has its own Spark warehouse and Derby metastore (APP_SESSIONS_SPARK_DIR).
An embedded Derby metastore admits one JVM at a time, so the tables are read by a separate
Python process (`python -m tests.spark.spark_runner`) that exits before the next dbt run."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.dbt_runner import PROJECT_DIR, DbtResult, dbt_command


def spark_dir(work_dir: Path) -> Path:
    return work_dir / "spark"


def run_spark_dbt(
    command: str, work_dir: Path, variables: dict[str, Any], extra_args: tuple[str, ...] = ()
) -> DbtResult:
    """`dbt <command>` on the spark target, with the warehouse and metastore in work_dir; a
    `build` runs the unit tests too, to prove the SQL on Spark."""
    args, env = dbt_command(command, work_dir, variables, extra_args, with_unit_tests=True)
    env |= {"APP_SESSIONS_TARGET": "spark", "APP_SESSIONS_SPARK_DIR": str(spark_dir(work_dir))}
    completed = subprocess.run(
        args, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    output = "\n".join(
        line for line in (completed.stdout + completed.stderr).splitlines() if " WARN " not in line
    )
    return DbtResult(completed.returncode, output, spark_dir(work_dir))


def read_spark_tables(work_dir: Path, tables: list[str]) -> dict[str, list[dict[str, Any]]]:
    """All rows of the given tables (or views) of the Spark warehouse in work_dir."""
    out = work_dir / "tables.pickle"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.spark.spark_runner",
            str(spark_dir(work_dir)),
            str(out),
            *tables,
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"reading the Spark tables failed:\n{completed.stderr[-5000:]}")
    with out.open("rb") as handle:
        return pickle.load(handle)


def _read_main(directory: str, out: str, tables: list[str]) -> None:
    """Open the warehouse like the `spark` target of profiles/profiles.yml does, read tables.

    Timestamps are read as timestamp_ntz: the tables store UTC instants (session time zone
    UTC), and without time zone pyspark returns them as the naive UTC datetimes DuckDB does."""
    from pyspark.sql import SparkSession
    from pyspark.sql.types import TimestampType

    spark = (
        SparkSession.builder.enableHiveSupport()
        .config("spark.sql.warehouse.dir", f"{directory}/warehouse")
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={directory}/metastore_db;create=true",
        )
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={directory}/derby")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    schema = os.environ.get("APP_SESSIONS_SPARK_SCHEMA", "app_sessions")
    result: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        frame = spark.table(f"{schema}.{table}")
        columns = [
            f"cast(`{field.name}` as timestamp_ntz) as `{field.name}`"
            if isinstance(field.dataType, TimestampType)
            else f"`{field.name}`"
            for field in frame.schema.fields
        ]
        rows = frame.selectExpr(*columns).collect()
        result[table] = [row.asDict() for row in rows]
    spark.stop()
    with open(out, "wb") as handle:
        pickle.dump(result, handle)


if __name__ == "__main__":
    _read_main(sys.argv[1], sys.argv[2], sys.argv[3:])
