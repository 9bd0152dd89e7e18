{# The UTC timestamp (without time zone) at a count of microseconds since the epoch. #}
{% macro timestamp_from_epoch_us(us_expr) %}
    {{ return(adapter.dispatch('timestamp_from_epoch_us', 'app_sessions')(us_expr)) }}
{% endmacro %}


{#- ANSI SQL has no epoch conversion: each engine names its own function. -#}
{% macro default__timestamp_from_epoch_us(us_expr) -%}
    {{ exceptions.raise_compiler_error(
        "timestamp_from_epoch_us: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__timestamp_from_epoch_us variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/timestamp_from_epoch_us.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__timestamp_from_epoch_us(us_expr) -%}
    make_timestamp(cast({{ us_expr }} as bigint))
{%- endmacro %}


{#
    Spark: a plain `timestamp`. The Hive metastore (2.3) cannot store timestamp_ntz columns
    of Parquet tables; with the session time zone UTC (profiles.yml) the stored instant and
    the wall clock it is read as are the same UTC time.
#}
{% macro spark__timestamp_from_epoch_us(us_expr) -%}
    timestamp_micros({{ us_expr }})
{%- endmacro %}
