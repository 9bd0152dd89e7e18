{# A string trimmed of ASCII whitespace at both ends; empty becomes null. #}
{% macro trim_to_null(expr) %}
    {{ return(adapter.dispatch('trim_to_null', 'app_sessions')(expr)) }}
{% endmacro %}

{% macro default__trim_to_null(expr) -%}
    nullif(trim(both ' \t\n\r\f\v' from {{ expr }}), '')
{%- endmacro %}

{% macro duckdb__trim_to_null(expr) -%}
    nullif(trim({{ expr }}, e' \t\n\r\f\v'), '')
{%- endmacro %}
