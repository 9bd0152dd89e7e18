{# Microseconds since the Unix epoch of a UTC timestamp, as a bigint. #}
{% macro epoch_us(timestamp_expr) %}
    {{ return(adapter.dispatch('epoch_us', 'app_sessions')(timestamp_expr)) }}
{% endmacro %}


{% macro default__epoch_us(timestamp_expr) -%}
    unix_micros({{ timestamp_expr }})
{%- endmacro %}


{% macro duckdb__epoch_us(timestamp_expr) -%}
    epoch_us({{ timestamp_expr }})
{%- endmacro %}


{# Spark's unix_micros takes no timestamp_ntz: cast it (as the UTC wall clock, session time zone UTC). #}
{% macro spark__epoch_us(timestamp_expr) -%}
    unix_micros(cast({{ timestamp_expr }} as timestamp))
{%- endmacro %}
