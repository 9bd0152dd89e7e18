"""What the model models/publish/published_marts.py does to publish the marts, apart from the
model itself (docs/publishing.md). On the Python path of dbt's DuckDB process by the profile's
`module_paths`, so the model stays short and these functions are tested on their own.
"""

import os
import re

import duckdb


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


def publish_table(session, working_database, name, source, order_by, restart_log, published_batch):
    """One mart into the publication being written (attached as app_sessions_publish): the
    published fct_sessions brought up to date where the previous publication allows it
    (`published_batch`, from previous_publication), any other table written anew in
    `order_by`; then the mart's descriptions."""
    published = f"app_sessions_publish.main.{name}"
    if name == "fct_sessions" and published_batch is not None:
        update_published_sessions(session, published, source, restart_log, published_batch)
    else:
        session.execute(f"drop table if exists {published}")
        session.execute(f"create table {published} as select * from ({source}) order by {order_by}")
    copy_descriptions(session, working_database, name)


def write_publication_record(session, publication, rejected_events, load_audit, restart_log):
    """The publication's own table: `publication` is its version, when it was published and the
    reporting time zone; with them its row counts and the load and restart batches it holds."""
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
        publication,
    )
    session.execute(
        "comment on table app_sessions_publish.main.publication is"
        " 'This publication: its version, when and in which reporting time zone it was"
        " published, its row counts, and the load and restart batches it holds.'"
    )
