{# The UTC timestamp (without time zone) at a count of microseconds since the epoch. #}
{% macro timestamp_from_epoch_us(us_expr) %}
    {{ return(adapter.dispatch('timestamp_from_epoch_us', 'app_sessions')(us_expr)) }}
{% endmacro %}


{% macro default__timestamp_from_epoch_us(us_expr) -%}
    cast(timestamp_micros({{ us_expr }}) as timestamp_ntz)
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
