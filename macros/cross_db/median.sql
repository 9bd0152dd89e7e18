{# Aggregate: the interpolated median (the mean of the two middle values for an even count). #}
{% macro median(expr) %}
    {{ return(adapter.dispatch('median', 'app_sessions')(expr)) }}
{% endmacro %}


{% macro default__median(expr) -%}
    percentile({{ expr }}, 0.5)
{%- endmacro %}


{% macro duckdb__median(expr) -%}
    quantile_cont({{ expr }}, 0.5)
{%- endmacro %}
