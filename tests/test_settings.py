"""The settings the profile takes from the environment (profiles/profiles.yml): good values
reach DuckDB, bad ones (for DuckDB or Spark) stop dbt before it connects, with a message that
names the variable, its value and what to set instead. The benchmark scripts check their
--memory-limit by the profile's rule (benchmark/arguments.py)."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from benchmark import arguments
from benchmark.run import dbt_threads
from tests.dbt_runner import PROJECT_DIR, run_dbt


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"APP_SESSIONS_DUCKDB_THREADS": "0"},
            'APP_SESSIONS_DUCKDB_THREADS as a whole number from 1 (it is "0"): set it like'
            " APP_SESSIONS_DUCKDB_THREADS=2",
        ),
        (
            {"APP_SESSIONS_DBT_THREADS": "two"},
            'APP_SESSIONS_DBT_THREADS as a whole number from 1 (it is "two")',
        ),
        (
            {"APP_SESSIONS_MEMORY_LIMIT": "100"},
            "APP_SESSIONS_MEMORY_LIMIT as a size like 8GB, 512MB or 1.5GiB, or a share of the"
            ' memory like 80% (it is "100")',
        ),
        ({"APP_SESSIONS_MEMORY_LIMIT": "lots"}, '(it is "lots"): set it like'),
        # the Spark target's values are checked before dbt looks for its adapter, so these
        # stop dbt with the message whether dbt-spark is installed or not
        (
            {"APP_SESSIONS_TARGET": "spark", "APP_SESSIONS_SPARK_DRIVER_MEMORY": "2gb"},
            'APP_SESSIONS_SPARK_DRIVER_MEMORY as a Java heap size like 2g or 512m (it is "2gb")',
        ),
        (
            {"APP_SESSIONS_TARGET": "spark", "APP_SESSIONS_SPARK_SHUFFLE_PARTITIONS": "0"},
            "APP_SESSIONS_SPARK_SHUFFLE_PARTITIONS as a whole number from 1 to 999999999"
            ' (it is "0")',
        ),
        (
            {"APP_SESSIONS_TARGET": "spark", "APP_SESSIONS_SPARK_SCHEMA": "my-schema"},
            "APP_SESSIONS_SPARK_SCHEMA as a name of letters, digits and underscores (it is"
            ' "my-schema")',
        ),
        (
            {"APP_SESSIONS_TARGET": "spark_thrift"},
            "APP_SESSIONS_SPARK_HOST as the host name or address of the Spark Thrift server"
            ' (it is ""): set it like APP_SESSIONS_SPARK_HOST=127.0.0.1',
        ),
        (
            {"APP_SESSIONS_TARGET": "spark_thrift", "APP_SESSIONS_SPARK_HOST": "spark://m:7077"},
            '(it is "spark://m:7077")',
        ),
        (
            {
                "APP_SESSIONS_TARGET": "spark_thrift",
                "APP_SESSIONS_SPARK_HOST": "localhost",
                "APP_SESSIONS_SPARK_PORT": "65536",
            },
            'APP_SESSIONS_SPARK_PORT as a port number from 1 to 65535 (it is "65536")',
        ),
        (
            {
                "APP_SESSIONS_TARGET": "spark_thrift",
                "APP_SESSIONS_SPARK_HOST": "localhost",
                "APP_SESSIONS_SPARK_USER": "a user",
            },
            'APP_SESSIONS_SPARK_USER as a user name of letters, digits and _.@- (it is "a user")',
        ),
    ],
)
def test_bad_environment_setting_stops_dbt_with_a_message(
    environment: dict[str, str], message: str, tmp_path: Path
) -> None:
    result = run_dbt("parse", tmp_path, {}, extra_env=environment)
    assert result.returncode != 0
    assert message in result.output, result.output[-3000:]
    assert "Traceback" not in result.output, "a message, not a Python stack"


def test_environment_settings_reach_duckdb(tmp_path: Path) -> None:
    environment = {
        "APP_SESSIONS_MEMORY_LIMIT": " 1.5GiB ",
        "APP_SESSIONS_DUCKDB_THREADS": "3",
        "APP_SESSIONS_DBT_THREADS": "1",
        "APP_SESSIONS_TEMP_DIR": str(tmp_path / "spill here"),
    }
    query = (
        "select current_setting('memory_limit') as memory_limit,"
        " current_setting('threads') as threads,"
        " current_setting('temp_directory') as temp_directory"
    )
    result = run_dbt(
        "show", tmp_path, {}, ("--inline", query, "--output", "json", "--log-format", "json"),
        extra_env=environment,
    )  # fmt: skip
    assert result.returncode == 0, result.output[-3000:]
    shown = None
    for line in result.output.splitlines():
        data = json.loads(line).get("data", {}) if line.startswith("{") else {}
        if "preview" in data:
            shown = json.loads(data["preview"])[0]
    assert shown is not None, f"no preview in dbt's JSON log: {result.output[-3000:]}"
    assert shown == {
        "memory_limit": "1.5 GiB",
        "threads": 3,
        "temp_directory": str(tmp_path / "spill here"),
    }
    assert "Concurrency: 1 threads" in result.output


def test_benchmark_checks_memory_limit_by_the_profiles_rule() -> None:
    profile = (PROJECT_DIR / "profiles" / "profiles.yml").read_text()
    setting = profile[profile.index("memory_limit: >-") :].split("temp_directory:")[0]
    match = re.search(r"modules\.re\.fullmatch\(\s*'([^']*)'", setting)
    assert match, "the profile checks APP_SESSIONS_MEMORY_LIMIT with modules.re.fullmatch"
    assert match.group(1) == arguments.MEMORY_LIMIT_PATTERN
    assert "modules.re.IGNORECASE" in setting, "both match case-insensitively"


@pytest.mark.parametrize(
    ("memory_limit", "threads"),
    [("2GB", "1"), ("3.5gib", "1"), ("512MB", "1"), ("2g", "1"), ("4GB", "2"), ("16GB", "2"),
     ("1T", "2"), ("80%", "2")],
)  # fmt: skip
def test_benchmark_runs_one_dbt_model_at_a_time_under_a_small_memory_limit(
    memory_limit: str, threads: str
) -> None:
    """At 100M events under 2GB, two models side by side ran out of memory (README)."""
    assert dbt_threads(memory_limit) == threads


@pytest.mark.parametrize(
    ("value", "limit_bytes"),
    [
        ("8GB", 8 * 10**9),
        ("8 gb", 8 * 10**9),
        (" 512MB ", 512 * 10**6),
        ("1.5GiB", 3 * 2**29),
        (".5GB", 5 * 10**8),
        ("2g", 2 * 10**9),
        ("3072MiB", 3 * 2**30),
        ("1T", 10**12),
    ],
)
def test_every_memory_limit_the_rule_accepts_is_read_by_duckdb(
    value: str, limit_bytes: int
) -> None:
    with duckdb.connect(config={"memory_limit": arguments.memory_limit(value)}) as connection:
        shown, expected = connection.execute(
            "select current_setting('memory_limit'), format_bytes(?::bigint)", [limit_bytes]
        ).fetchone()
    assert shown == expected


def gib(memory_limit: str | None) -> float:
    """DuckDB's memory_limit as it reads it (default: 80% of the memory), in GiB."""
    config = {"memory_limit": memory_limit} if memory_limit else {}
    with duckdb.connect(config=config) as connection:
        (text,) = connection.execute("select current_setting('memory_limit')").fetchone()
    number, unit = text.split()
    return float(number) * {"MiB": 2**-10, "GiB": 1, "TiB": 2**10}[unit]


def test_share_of_memory_is_read_by_duckdb_as_that_share() -> None:
    assert gib(arguments.memory_limit("50%")) == pytest.approx(gib(None) * 50 / 80, rel=0.02)


@pytest.mark.parametrize(
    "value",
    ["100", "lots", "8 XB", "1,5GB", "none", "-1", "", "GB", "8GB; drop table x", "0GB", "0.0%"],
)
def test_memory_limit_rule_rejects_what_is_not_a_size(value: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="give a size like 8GB"):
        arguments.memory_limit(value)


def spark_driver_memory_pattern() -> re.Pattern[str]:
    profile = (PROJECT_DIR / "profiles" / "profiles.yml").read_text()
    setting = profile[profile.index("spark.driver.memory: >-") :].split("spark.ui.enabled")[0]
    match = re.search(r"modules\.re\.fullmatch\('([^']*)'", setting)
    assert match, "the profile checks APP_SESSIONS_SPARK_DRIVER_MEMORY with modules.re.fullmatch"
    assert "modules.re.IGNORECASE" in setting
    return re.compile(match.group(1), re.IGNORECASE)


def java_takes_heap(size: str) -> bool:
    """Whether the JVM (Java 17, as `make spark-test` needs) starts with -Xmx<size>, with no
    heap option from the environment to override it."""
    java = shutil.which("java")
    assert java, "no java on PATH: the Spark target needs Java 17 (docs/spark.md)"
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"}
    }
    completed = subprocess.run(
        [java, f"-Xmx{size}", "-version"], capture_output=True, text=True, env=environment
    )
    return completed.returncode == 0


@pytest.mark.parametrize("value", ["2g", "512m", "4G", "2048M", "786432k"])
def test_spark_driver_memory_the_profile_accepts_starts_a_java_heap(value: str) -> None:
    # in local mode Spark starts the driver's JVM with -Xmx<driver memory>
    assert spark_driver_memory_pattern().fullmatch(value)
    assert java_takes_heap(value)


@pytest.mark.parametrize("value", ["2gb", "2 g", "2.5g", "0g", "100", "2x", "g", "-1g"])
def test_spark_driver_memory_the_profile_rejects_is_no_java_heap(value: str) -> None:
    assert not spark_driver_memory_pattern().fullmatch(value)
    assert not java_takes_heap(value), f"the JVM takes -Xmx{value}: the profile should too"
