{#
    The files matched by var events_path that the validated events table has not loaded yet
    (the ledger is its `source_file` column), as a list of paths; files are immutable once
    delivered (docs/incremental.md).
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
