{# Post-hook: the latest restart batch is now applied to this model (one-row table). #}
{% macro record_restarts_applied() %}
    {{ return(adapter.dispatch('record_restarts_applied', 'app_sessions')()) }}
{% endmacro %}


{% macro default__record_restarts_applied() -%}
    create or replace table {{ restarts_applied_relation(this) }} as
    {{ _restarts_applied_row() }}
{%- endmacro %}


{# Spark (Parquet): overwrite the row in place, so the table is never missing. #}
{% macro spark__record_restarts_applied() -%}
    {% set applied = restarts_applied_relation(this) %}
    {% set stored = adapter.get_relation(
        database=applied.database, schema=applied.schema, identifier=applied.identifier
    ) if execute else none %}
    {% if stored is none %}
        create table {{ applied }} using parquet as {{ _restarts_applied_row() }}
    {% else %}
        insert overwrite table {{ applied }} {{ _restarts_applied_row() }}
    {% endif %}
{%- endmacro %}


{% macro _restarts_applied_row() -%}
    select
        {{ latest_restart_batch() }} as load_batch,
        {{ restart_log_generation() }} as restart_log_generation,
        '{{ contract_settings_text() | replace("'", "''") }}' as contract_settings
{%- endmacro %}
