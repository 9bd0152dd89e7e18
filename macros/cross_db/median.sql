{# Aggregate: the interpolated median (the mean of the two middle values for an even count). #}
{% macro median(expr) %}
    {{ return(adapter.dispatch('median', 'app_sessions')(expr)) }}
{% endmacro %}


{#- ANSI SQL's ordered-set aggregate. -#}
{% macro default__median(expr) -%}
    percentile_cont(0.5) within group (order by {{ expr }})
{%- endmacro %}


{% macro duckdb__median(expr) -%}
    quantile_cont({{ expr }}, 0.5)
{%- endmacro %}


{% macro spark__median(expr) -%}
    percentile({{ expr }}, 0.5)
{%- endmacro %}
