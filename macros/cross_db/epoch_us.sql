{# Microseconds since the Unix epoch of a UTC timestamp, as a bigint. #}
{% macro epoch_us(timestamp_expr) %}
    {{ return(adapter.dispatch('epoch_us', 'app_sessions')(timestamp_expr)) }}
{% endmacro %}


{#- ANSI SQL has no epoch conversion: each engine names its own function. -#}
{% macro default__epoch_us(timestamp_expr) -%}
    {{ exceptions.raise_compiler_error(
        "epoch_us: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__epoch_us variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/epoch_us.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__epoch_us(timestamp_expr) -%}
    epoch_us({{ timestamp_expr }})
{%- endmacro %}


{# Spark's unix_micros takes no timestamp_ntz: cast it (as the UTC wall clock, session time zone UTC). #}
{% macro spark__epoch_us(timestamp_expr) -%}
    unix_micros(cast({{ timestamp_expr }} as timestamp))
{%- endmacro %}
