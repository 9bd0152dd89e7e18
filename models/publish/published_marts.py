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

import duckdb

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


def device_key(alias):
    """A session's device key, as fct_sessions' incremental strategy computes it (config
    device_key in models/marts/fct_sessions.sql)."""
    return f"coalesce('device:' || {alias}.device_id, 'user:' || {alias}.user_id)"


def update_published_sessions(session, published, working, restart_log, published_batch):
    """Bring the published fct_sessions from `published_batch` to the working one's state.

    The rule of fct_sessions' own incremental runs
    (macros/incremental/stitched_user_restart_points.sql), applied to the published copy:
    each device restarted since that batch is rewritten from its earliest restart point on,
    or whole when its latest known user or time zone (the user and zone of its last session)
    differ between the published and the working sessions."""
    restarts = (
        f"select session_partition_key, min(restart_us) as restart_us from ({restart_log})"
        f" where load_batch > {published_batch} and session_partition_key is not null"
        " group by session_partition_key"
    )
    restarted = "select session_partition_key from app_sessions_publish_restarts"

    def latest_users(relation):
        return (
            f"select {device_key('sessions')} as session_partition_key,"
            " arg_max_null(sessions.user_id, sessions.session_start_at) as user_id,"
            " arg_max_null(sessions.session_timezone, sessions.session_start_at) as timezone"
            f" from {relation} as sessions where {device_key('sessions')} in ({restarted})"
            " group by all"
        )

    session.execute(f"create or replace temp table app_sessions_publish_restarts as {restarts}")
    session.execute(
        "create or replace temp table app_sessions_publish_points as"
        " select restarts.session_partition_key,"
        "  case when published_users.user_id is not distinct from working_users.user_id"
        "   and published_users.timezone is not distinct from working_users.timezone"
        "   then restarts.restart_us else -9223372036854775807 end as restart_us"
        " from app_sessions_publish_restarts as restarts"
        f" left join ({latest_users(published)}) as published_users"
        "  using (session_partition_key)"
        f" left join ({latest_users(f'({working})')}) as working_users"
        "  using (session_partition_key)"
    )

    def rewritten(relation, columns):
        return (
            f"select {columns} from {relation} as sessions"
            " inner join app_sessions_publish_points as points"
            f" on points.session_partition_key = {device_key('sessions')}"
            " and epoch_us(sessions.session_start_at) >= points.restart_us"
        )

    session.execute(
        f"delete from {published} where rowid in ({rewritten(published, 'sessions.rowid')})"
    )
    session.execute(
        f"insert into {published} {rewritten(f'({working})', 'sessions.*')} order by session_date"
    )
    session.execute("drop table app_sessions_publish_restarts")
    session.execute("drop table app_sessions_publish_points")


def release_published_file(session, target):
    """What a client left beside the published file must not break readers or this build.

    A client that connects read-write holds DuckDB's lock on the file: every reader and this
    build would fail on it, so the build stops here and names the process. A read-write
    client that wrote and died leaves `<file>.wal`: a file renamed in later would be read
    with that WAL, which does not match it, and no reader could open it. The WAL holds only
    that client's changes to the old copy, which this build replaces: it is removed."""
    if not os.path.exists(target):
        return
    try:
        session.execute(f"attach '{target}' as app_sessions_probe (read_only)")
        session.execute("detach app_sessions_probe")
    except duckdb.Error as error:
        holder = re.search(r"Conflicting lock is held in (.*) \(PID (\d+)\)", str(error))
        if holder is not None:
            raise RuntimeError(
                f"published_marts: the published file {target} is open read-write in"
                f" {holder.group(1)} (PID {holder.group(2)}). BI tools must open it read-only:"
                " a client that connects read-write locks out every reader and every build."
                " Set that client to read-only (Python: duckdb.connect(path, read_only=True);"
                " the DuckDB CLI: duckdb -readonly; docs/publishing.md, Connecting BI tools),"
                " close it, and build again."
            ) from error
        # else a WAL that does not match the file: removed below
    if os.path.exists(target + ".wal"):
        os.remove(target + ".wal")


def copy_descriptions(session, working_database, name):
    """The mart's table and column descriptions (dbt's persist_docs, in the working database)
    as comments of the published table, so BI tools that show them see the docs."""
    published = f"app_sessions_publish.main.{name}"
    (table_comment,) = session.execute(
        "select comment from duckdb_tables()"
        " where database_name = ? and schema_name = 'main' and table_name = ?",
        [working_database, name],
    ).fetchone()
    if table_comment:
        session.execute(f"comment on table {published} is {quote(table_comment)}")
    for column, comment in session.execute(
        "select column_name, comment from duckdb_columns()"
        " where database_name = ? and schema_name = 'main' and table_name = ?",
        [working_database, name],
    ).fetchall():
        if comment:
            session.execute(f'comment on column {published}."{column}" is {quote(comment)}')


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def last_published_version(session, manifest):
    """The version this warehouse published last: its manifest (this model's own table)."""
    exists = session.execute(
        "select count(*) from duckdb_tables()"
        " where database_name = ? and schema_name = ? and table_name = ?",
        [manifest.database, manifest.schema, manifest.identifier],
    ).fetchone()[0]
    if not exists:  # the first build of this warehouse
        return None
    return session.execute(f"select max(version) from {manifest}").fetchone()[0]


def previous_publication(session, target, restart_log, working_columns, last_version):
    """The restart batch the published file holds, when this build can update a copy of it.

    None means: write every table anew. That is the case for a missing or older-format file,
    a file this warehouse did not publish last (its manifest, this model's table, names
    another version: a warehouse restored from a copy, or a published path shared by two),
    another restart log (a full refresh since: a new generation), or an fct_sessions whose
    columns changed."""
    if last_version is None or not os.path.exists(target):
        return None
    session.execute(f"attach '{target}' as app_sessions_previous (read_only)")
    try:
        columns = {
            row[0]
            for row in session.execute(
                "select column_name from duckdb_columns()"
                " where database_name = 'app_sessions_previous' and table_name = 'publication'"
            ).fetchall()
        }
        if not {"restart_batch", "restart_log_generation"} <= columns:
            return None
        version, batch, generation = session.execute(
            "select version, restart_batch, restart_log_generation"
            " from app_sessions_previous.main.publication"
        ).fetchone()
        published_columns = session.execute(
            "select column_name, column_type"
            " from (describe app_sessions_previous.main.fct_sessions)"
        ).fetchall()
    finally:
        session.execute("detach app_sessions_previous")
    current_batch, current_generation = session.execute(
        f"select max(load_batch), max(restart_us) filter (where session_partition_key is null)"
        f" from ({restart_log})"
    ).fetchone()
    if (
        version != last_version
        or generation != current_generation
        or batch is None
        or batch > current_batch
        or published_columns != working_columns
    ):
        return None
    return batch


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
            published = f"app_sessions_publish.main.{name}"
            if name == "fct_sessions" and published_batch is not None:
                update_published_sessions(
                    session, published, sources[name], restart_log, published_batch
                )
            else:
                session.execute(f"drop table if exists {published}")
                session.execute(
                    f"create table {published} as"
                    f" select * from ({sources[name]}) order by {order_by}"
                )
            copy_descriptions(session, dbt.this.database, name)
        session.execute("drop table if exists app_sessions_publish.main.publication")
        session.execute(
            "create table app_sessions_publish.main.publication as select"
            " ?::varchar as version, ?::timestamp as published_at,"
            " ?::varchar as reporting_timezone,"
            " (select count(*) from app_sessions_publish.main.fct_sessions) as fct_sessions_rows,"
            " (select count(distinct user_key) from app_sessions_publish.main.fct_sessions)"
            " as users,"
            f" (select count(*) from ({rejected_events})) as rejected_rows,"
            f" (select max(load_batch) from ({load_audit})) as load_batch,"
            f" (select max(load_batch) from ({restart_log})) as restart_batch,"
            f" (select max(restart_us) from ({restart_log}) where session_partition_key is null)"
            " as restart_log_generation",
            [
                version,
                published_at,
                dbt.config.get("reporting_timezone"),
            ],
        )
        session.execute(
            "comment on table app_sessions_publish.main.publication is"
            " 'This publication: its version, when and in which reporting time zone it was"
            " published, its row counts, and the load and restart batches it holds.'"
        )
        session.execute("checkpoint app_sessions_publish")
    finally:
        session.execute("detach app_sessions_publish")
    os.replace(staging, target)

    return session.sql(
        "select ?::varchar as version, ?::timestamp as published_at, ?::varchar as published_path",
        params=[version, published_at, target],
    ).to_arrow_table()
