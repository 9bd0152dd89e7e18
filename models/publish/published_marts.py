"""Publish the marts atomically for BI tools: the last node of `dbt build` on DuckDB.

BI tools never open the working database (DuckDB allows one writer or many readers, never
both, and a reader of the working file could see a half-rebuilt table). They read a separate
published file holding a copy of the marts. This model writes that copy to a new file beside
it, checkpoints it, and renames it into place: rename is atomic, so a reader opening the
published path gets the previous version or the new one, never a mix. dbt runs this model only
after the marts and all their tests passed; a failed or killed build never reaches the rename
and leaves the published version as it was. Design: docs/publishing.md.

The model's own table (in the working database) is the manifest of the last publication.
"""

import datetime
import glob
import os
import re
import shutil
import uuid

# On the Python path by the profile's module_paths (profiles/profiles.yml): dbt runs from the
# project directory, or with DBT_PROJECT_DIR set to it.
try:
    from marts_publishing import (
        last_published_version,
        previous_publication,
        publish_table,
        published_path,
        release_published_file,
        write_publication_record,
    )
except ModuleNotFoundError as error:
    raise RuntimeError(
        "published_marts: python/marts_publishing.py is not on dbt's Python path. The profile"
        " adds the project's python/ folder by the directory dbt runs in: run dbt from the"
        " project directory, or set DBT_PROJECT_DIR to it."
    ) from error

# Published tables and the order they are written in: by date or period, so BI filters on
# dates read few row groups (sessions by day only: a finer order costs a full sort).
PUBLISHED_TABLES = {
    "fct_sessions": "session_date",
    "rpt_sessions_per_user": "period, period_start",
    "rpt_session_duration": "period, period_start",
    "rpt_session_time_hourly": "hour_start_utc",
    "rpt_active_users": "activity_date",
    "rpt_session_time_local_hourly": "day_of_week, hour_of_day",
    "dim_users": "user_key",
    # MetricFlow's time spine: the metrics are answered from the published file (docs/metrics.md)
    "metricflow_time_spine": "date_day",
}


def model(dbt, session):
    dbt.config(materialized="table")
    target = published_path(session, dbt.config.get("published_path"))
    version = str(uuid.uuid4())
    published_at = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)

    # dbt reads refs from the source text, so each is spelled out.
    sources = {
        "fct_sessions": dbt.ref("fct_sessions").sql_query(),
        "rpt_sessions_per_user": dbt.ref("rpt_sessions_per_user").sql_query(),
        "rpt_session_duration": dbt.ref("rpt_session_duration").sql_query(),
        "rpt_session_time_hourly": dbt.ref("rpt_session_time_hourly").sql_query(),
        "rpt_active_users": dbt.ref("rpt_active_users").sql_query(),
        "rpt_session_time_local_hourly": dbt.ref("rpt_session_time_local_hourly").sql_query(),
        "dim_users": dbt.ref("dim_users").sql_query(),
        "metricflow_time_spine": dbt.ref("metricflow_time_spine").sql_query(),
    }
    rejected_events = dbt.ref("rejected_events").sql_query()
    # Published only after the load check (load_audit's test) passed.
    load_audit = dbt.ref("load_audit").sql_query()
    restart_log = dbt.ref("int_session_restarts").sql_query()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # Leftovers of builds killed while writing (their rename never happened).
    for stale in glob.glob(glob.escape(target) + ".tmp-*"):
        os.remove(stale)
    staging = f"{target}.tmp-{version}"
    release_published_file(session, target)

    working_columns = session.execute(
        f"select column_name, column_type from (describe {sources['fct_sessions']})"
    ).fetchall()
    published_batch = previous_publication(
        session, target, restart_log, working_columns, last_published_version(session, dbt.this)
    )
    if published_batch is not None:
        # An incremental build: copy the published file and replace the sessions of the
        # devices restarted since it was written; the reports are small and written anew.
        shutil.copyfile(target, staging)
    storage_version = dbt.config.get("published_storage_version")
    if not re.fullmatch(r"v[0-9]+\.[0-9]+\.[0-9]+|latest", storage_version or ""):
        raise RuntimeError(
            f"published_marts: APP_SESSIONS_PUBLISHED_STORAGE_VERSION is {storage_version!r};"
            " it names the oldest DuckDB that must open the published file, like v1.4.0"
            " (the default) or latest."
        )
    # An incremental publication copies the published file, whose format it keeps.
    session.execute(
        f"attach '{staging}' as app_sessions_publish (storage_version '{storage_version}')"
    )
    try:
        for name, order_by in PUBLISHED_TABLES.items():
            publish_table(
                session,
                dbt.this.database,
                name,
                sources[name],
                order_by,
                restart_log,
                published_batch,
            )
        write_publication_record(
            session,
            [version, published_at, dbt.config.get("reporting_timezone")],
            rejected_events,
            load_audit,
            restart_log,
        )
        session.execute("checkpoint app_sessions_publish")
    finally:
        session.execute("detach app_sessions_publish")
    os.replace(staging, target)

    return session.sql(
        "select ?::varchar as version, ?::timestamp as published_at, ?::varchar as published_path",
        params=[version, published_at, target],
    ).to_arrow_table()
