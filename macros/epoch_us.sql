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
