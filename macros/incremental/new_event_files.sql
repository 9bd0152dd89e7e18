{#
    Helpers of the incremental design (docs/incremental.md).

    `new_event_files()`: the files matched by var events_path that the validated
    events table has not loaded yet (the ledger is its `source_file` column), as a
    list of paths; files are immutable once delivered.
    `next_load_batch()`: the batch number this run stamps on the rows it writes.
    The restart log (int_session_restarts) is passed to the macros below as `restart_log`.
    `pending_restarts(model, restart_log)`: per device, the earliest point from which
    `model` must be recomputed: every restart logged since the model's last batch (its own
    `load_batch` column, or for a model with `restarts_applied_table=true`, that table).
    `restarts_applied_relation(model)` and `record_restarts_applied(restart_log)`: that
    table, for a model with config `restarts_applied_table=true` (fct_sessions,
    fct_session_local_hours, int_session_hours, int_session_cap_pieces): one row, the latest restart batch the model
    has applied and the contract settings it was built with (`contract_settings_text()`,
    checked by the preflight), rewritten by its post-hook.
    `rows_from_restart_points(relation, restart_log)`: the rows of `relation` (any relation
    or CTE) a run recomputes: all of them in a full build; in an incremental one, each
    changed device's rows from its restart point on (`event_us` at or after it).
    `rows_rewritten_from_restart_points(relation, restart_log, tail_column)`: the same, of a
    table this run has already rewritten from the restart points on (int_sessions, by
    `session_start_us`), read from the batches it appended.
    `stored_max_load_batch(relation)`: the latest load batch stored, as a literal.
#}
{% macro new_event_files() %}
    {#- The files events_path matches now, as a query with one column `file`. -#}
    {% set path = var('events_path') %}
    {% set files = adapter.dispatch('matched_event_files', 'app_sessions')(path) %}
    {% set vanished = run_query(
        "select count(*), min(source_file) from (select distinct source_file from " ~ this
        ~ ") as stored where source_file not in (select file from (" ~ files ~ ") as matched)"
    ) %}
    {% if vanished.columns[0].values()[0] > 0 %}
        {{ exceptions.raise_compiler_error(
            "The warehouse holds events from " ~ vanished.columns[0].values()[0] ~ " file(s) that "
            ~ "var events_path = '" ~ path ~ "' no longer matches (e.g. '"
            ~ vanished.columns[1].values()[0] ~ "'): events_path changed, or files were moved or "
            ~ "deleted. An incremental run would mix both. Rebuild from the current files with "
            ~ "`dbt build --full-refresh` (make run FULL_REFRESH=1 on DuckDB), or keep each data set in its "
            ~ "own warehouse (APP_SESSIONS_DB)."
        ) }}
    {% endif %}
    {% set query %}
        select file
        from ({{ files }}) as matched
        where file not in (select distinct source_file from {{ this }})
        order by file
    {% endset %}
    {{ return(run_query(query).columns[0].values() | list) }}
{% endmacro %}
