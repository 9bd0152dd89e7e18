{#
    The exporters' usual text of a UTC timestamp: YYYY-MM-DDThh:mm:ss.ffffffZ, the one
    format `iso_timestamp_fast` parses in one step. A raw value equal to this text of its
    parsed timestamp need not be stored: it is rebuilt from the timestamp.
#}
{% macro iso_timestamp_text(timestamp_expr) %}
    {{ return(adapter.dispatch('iso_timestamp_text', 'app_sessions')(timestamp_expr)) }}
{% endmacro %}


{% macro default__iso_timestamp_text(timestamp_expr) -%}
    date_format({{ timestamp_expr }}, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
{%- endmacro %}


{% macro duckdb__iso_timestamp_text(timestamp_expr) -%}
    strftime({{ timestamp_expr }}, '%Y-%m-%dT%H:%M:%S.%fZ')
{%- endmacro %}
