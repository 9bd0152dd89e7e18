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
import uuid

# Published tables and the order they are written in: by date or period, so BI filters on
# dates read few row groups (sessions by day only: a finer order costs a full sort).
PUBLISHED_TABLES = {
    "fct_sessions": "session_date",
    "rpt_sessions_per_user": "period, period_start",
    "rpt_session_duration": "period, period_start",
    "rpt_session_time_hourly": "hour_start_utc",
}


def published_path(session, configured):
    """The configured path, else published/<working file name> beside the working database."""
    if configured:
        return os.path.abspath(configured)
    working = session.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    if not working:
        raise RuntimeError(
            "published_marts: the working database is in memory, so there is no default"
            " published path. Set APP_SESSIONS_PUBLISHED_DB to the file BI tools read."
        )
    working = os.path.abspath(working)
    return os.path.join(os.path.dirname(working), "published", os.path.basename(working))


def model(dbt, session):
    dbt.config(materialized="table")
    target = published_path(session, dbt.config.get("published_path"))
    version = str(uuid.uuid4())
    published_at = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    # dbt reads refs from the source text, so each is spelled out.
    sources = {
        "fct_sessions": dbt.ref("fct_sessions").sql_query(),
        "rpt_sessions_per_user": dbt.ref("rpt_sessions_per_user").sql_query(),
        "rpt_session_duration": dbt.ref("rpt_session_duration").sql_query(),
        "rpt_session_time_hourly": dbt.ref("rpt_session_time_hourly").sql_query(),
    }
    rejected_events = dbt.ref("rejected_events").sql_query()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # Leftovers of builds killed while writing (their rename never happened).
    for stale in glob.glob(glob.escape(target) + ".tmp-*"):
        os.remove(stale)
    staging = f"{target}.tmp-{version}"

    session.execute(f"attach '{staging}' as app_sessions_publish")
    try:
        for name, order_by in PUBLISHED_TABLES.items():
            session.execute(
                f"create table app_sessions_publish.main.{name} as"
                f" select * from ({sources[name]}) order by {order_by}"
            )
        session.execute(
            "create table app_sessions_publish.main.publication as select"
            " ?::varchar as version, ?::timestamp as published_at,"
            " ?::varchar as reporting_timezone,"
            " (select count(*) from app_sessions_publish.main.fct_sessions) as fct_sessions_rows,"
            " (select count(distinct user_key) from app_sessions_publish.main.fct_sessions)"
            " as users,"
            f" (select count(*) from ({rejected_events})) as rejected_rows",
            [
                version,
                published_at,
                dbt.config.get("reporting_timezone"),
            ],
        )
        session.execute("checkpoint app_sessions_publish")
    finally:
        session.execute("detach app_sessions_publish")
    os.replace(staging, target)

    return session.sql(
        "select ?::varchar as version, ?::timestamp as published_at, ?::varchar as published_path",
        params=[version, published_at, target],
    ).to_arrow_table()
