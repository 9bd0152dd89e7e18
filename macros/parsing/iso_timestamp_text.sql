{#
    The exporters' usual text of a UTC timestamp: YYYY-MM-DDThh:mm:ss.ffffffZ, the one
    format `iso_timestamp_fast` parses in one step. A raw value equal to this text of its
    parsed timestamp need not be stored: it is rebuilt from the timestamp.
#}
{% macro iso_timestamp_text(timestamp_expr) %}
    {{ return(adapter.dispatch('iso_timestamp_text', 'app_sessions')(timestamp_expr)) }}
{% endmacro %}


{#- ANSI SQL has no timestamp formatting. -#}
{% macro default__iso_timestamp_text(timestamp_expr) -%}
    {{ exceptions.raise_compiler_error(
        "iso_timestamp_text: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__iso_timestamp_text variant beside the DuckDB and Spark ones"
        ~ " (macros/parsing/iso_timestamp_text.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__iso_timestamp_text(timestamp_expr) -%}
    strftime({{ timestamp_expr }}, '%Y-%m-%dT%H:%M:%S.%fZ')
{%- endmacro %}


{% macro spark__iso_timestamp_text(timestamp_expr) -%}
    date_format({{ timestamp_expr }}, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
{%- endmacro %}
