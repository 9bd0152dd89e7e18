"""Docs for analysts: `dbt docs generate --static` builds the lineage site, every model and
every column the warehouse holds has a description, and the report is an exposure."""

from __future__ import annotations

import json

from tests.conftest import BuiltWarehouse
from tests.dbt_runner import run_dbt


def test_static_docs_site_describes_every_model_and_column(built_warehouse: BuiltWarehouse):
    work_dir = built_warehouse.work_dir
    result = run_dbt("docs generate", work_dir, built_warehouse.variables, ("--static",))
    assert result.returncode == 0, result.failures
    target = work_dir / "target"
    site = (target / "static_index.html").read_text()
    assert "fct_sessions" in site and "app_sessions_report" in site, "manifest not inlined"

    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    models = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == "app_sessions"
    }
    assert len(models) >= 14
    undocumented = [node["name"] for node in models.values() if not node["description"].strip()]
    assert undocumented == [], f"models without a description: {undocumented}"

    missing_columns = []
    for unique_id, node in models.items():
        assert unique_id in catalog["nodes"], f"{node['name']} is not in the warehouse"
        documented = {
            name.lower(): column["description"] for name, column in node["columns"].items()
        }
        for column in catalog["nodes"][unique_id]["columns"]:
            if not documented.get(column.lower(), "").strip():
                missing_columns.append(f"{node['name']}.{column}")
    assert missing_columns == [], f"columns without a description: {missing_columns}"

    exposure = manifest["exposures"]["exposure.app_sessions.app_sessions_report"]
    assert {"model.app_sessions.fct_sessions", "model.app_sessions.rpt_session_time_hourly"} <= set(
        exposure["depends_on"]["nodes"]
    )
