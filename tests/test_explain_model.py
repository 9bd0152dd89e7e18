"""benchmark/explain_model.py profiles a model's own statements from a kept build (the suite's
built warehouse has the same layout: warehouse.duckdb and target/run), including the write."""

from __future__ import annotations

import duckdb
import pytest

from benchmark.explain_model import operators, profile
from tests.conftest import BuiltWarehouse


@pytest.mark.parametrize(
    ("model", "write_operator"),
    [
        # an enforced contract: `create table` of its columns, then `insert ... select`
        ("int_events_validated", "INSERT"),
        ("rpt_session_duration", "CREATE_TABLE_AS"),
    ],
)
def test_the_profile_covers_the_model_and_its_write(
    built_warehouse: BuiltWarehouse, model: str, write_operator: str
) -> None:
    with duckdb.connect(str(built_warehouse.database), read_only=True) as connection:
        (stored,) = connection.execute(f"select count(*) from {model}").fetchone()
    _, result = profile(built_warehouse.work_dir, model, "1GB", 1)
    found = list(operators(result))
    # the write, right under the result, of the rows the build stored
    assert [name for depth, name, _, _ in found if depth == 1] == [write_operator], found
    assert [rows for depth, _, _, rows in found if depth == 2] == [stored], found
