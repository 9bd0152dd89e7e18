{#- Post-hook: the latest restart batch of `restart_log` is now applied to this model (one-row
    table). The model's config passes the log:
        post_hook="{{ record_restarts_applied(ref('int_session_restarts')) }}"
    (dbt renders a hook's ref() when it parses the model, so the edge is in the graph). -#}
{% macro record_restarts_applied(restart_log) %}
    {{ return(adapter.dispatch('record_restarts_applied', 'app_sessions')(restart_log)) }}
{% endmacro %}


{% macro default__record_restarts_applied(restart_log) -%}
    create or replace table {{ restarts_applied_relation(this) }} as
    {{ _restarts_applied_row(restart_log) }}
{%- endmacro %}


{# Spark (Parquet): overwrite the row in place, so the table is never missing. #}
{% macro spark__record_restarts_applied(restart_log) -%}
    {% set applied = restarts_applied_relation(this) %}
    {% set stored = adapter.get_relation(
        database=applied.database, schema=applied.schema, identifier=applied.identifier
    ) if execute else none %}
    {% if stored is none %}
        create table {{ applied }} using parquet as {{ _restarts_applied_row(restart_log) }}
    {% else %}
        insert overwrite table {{ applied }} {{ _restarts_applied_row(restart_log) }}
    {% endif %}
{%- endmacro %}


{% macro _restarts_applied_row(restart_log) -%}
    select
        {{ latest_restart_batch(restart_log) }} as load_batch,
        '{{ contract_settings_text() | replace("'", "''") }}' as contract_settings
{%- endmacro %}
