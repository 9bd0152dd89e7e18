{#
    Helpers of the incremental design (docs/incremental.md).

    `new_event_files()`: the files matched by var events_path that the validated
    events table has not loaded yet (the ledger is its `source_file` column), as a
    list of paths; files are immutable once delivered.
    `next_load_batch()`: the batch number this run stamps on the rows it writes.
    `pending_restarts(model)`: per device, the earliest point from which `model`
    must be recomputed: every restart logged since the model's last batch (its own
    `load_batch` column, or for a model without one, its restarts-applied table).
    `restarts_applied_relation(model)` and `record_restarts_applied()`: that table, for a
    model with config `restarts_applied_table=true` (fct_sessions): one row, the latest
    restart batch the model has applied, rewritten by the model's post-hook.
    `rows_from_restart_points(cte)`: the rows of `cte` a run recomputes: all of them in
    a full build; in an incremental one, each changed device's rows from its restart
    point on (`event_us` at or after it).
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

{% macro duckdb__matched_event_files(path) -%}
    select file from glob('{{ path }}')
{%- endmacro %}

{# Spark lists the files through the registered raw events table (macros/raw_events_source.sql). #}
{% macro spark__matched_event_files(path) -%}
    select distinct {{ raw_event_file_name() }} as file from {{ raw_events_source_relation() }}
{%- endmacro %}


{% macro next_load_batch() %}
    {% if not is_incremental() %}
        {{ return(1) }}
    {% endif %}
    {% set result = run_query('select coalesce(max(load_batch), 0) + 1 from ' ~ this) %}
    {{ return(result.columns[0].values()[0] | int) }}
{% endmacro %}


{% macro pending_restarts(model_relation) -%}
    select
        session_partition_key,
        min(restart_us) as restart_us
    from {{ ref('int_session_restarts') }}
    where
        session_partition_key is not null
        and load_batch > (
            select coalesce(max(load_batch), 0)
            from {{ restarts_applied_relation(model_relation) }}
        )
    group by session_partition_key
{%- endmacro %}


{% macro restarts_applied_relation(model_relation) %}
    {% if not config.get('restarts_applied_table', false) %}
        {{ return(model_relation) }}
    {% endif %}
    {% set applied = model_relation.incorporate(
        path={'identifier': model_relation.identifier ~ '__restarts_applied'}
    ) %}
    {% if execute and is_incremental() and adapter.get_relation(
        database=applied.database, schema=applied.schema, identifier=applied.identifier
    ) is none %}
        {{ exceptions.raise_compiler_error(
            model_relation ~ " has no table " ~ applied ~ " recording which restarts it has "
            ~ "applied (it was built by an older version of the project). Rebuild it once "
            ~ "with `dbt build --full-refresh` (make run FULL_REFRESH=1)."
        ) }}
    {% endif %}
    {{ return(applied) }}
{% endmacro %}


{# Post-hook: the latest restart batch is now applied to this model (one-row table). #}
{% macro record_restarts_applied() %}
    {{ return(adapter.dispatch('record_restarts_applied', 'app_sessions')()) }}
{% endmacro %}

{% macro default__record_restarts_applied() -%}
    create or replace table {{ restarts_applied_relation(this) }} as
    select {{ latest_restart_batch() }} as load_batch
{%- endmacro %}

{% macro spark__record_restarts_applied() -%}
    {% set applied = restarts_applied_relation(this) %}
    {% if execute %}
        {% do run_query('drop table if exists ' ~ applied) %}
    {% endif %}
    create table {{ applied }} using parquet as
    select {{ latest_restart_batch() }} as load_batch
{%- endmacro %}


{% macro latest_restart_batch() -%}
    (select max(load_batch) from {{ ref('int_session_restarts') }})
{%- endmacro %}


{% macro rows_from_restart_points(cte_name) -%}
    select {{ cte_name }}.*
    from {{ cte_name }}
    {% if is_incremental() %}
        inner join ({{ pending_restarts(this) }}) as restarts
            on
                {{ cte_name }}.session_partition_key = restarts.session_partition_key
                and {{ cte_name }}.event_us >= restarts.restart_us
    {% endif %}
{%- endmacro %}
