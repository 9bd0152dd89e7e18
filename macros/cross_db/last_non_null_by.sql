{# Aggregate: the value of `value_expr` on the row with the largest `order_expr`, nulls skipped. #}
{% macro last_non_null_by(value_expr, order_expr) %}
    {{ return(adapter.dispatch('last_non_null_by', 'app_sessions')(value_expr, order_expr)) }}
{% endmacro %}


{#- ANSI SQL has no arg-max aggregate. -#}
{% macro default__last_non_null_by(value_expr, order_expr) -%}
    {{ exceptions.raise_compiler_error(
        "last_non_null_by: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__last_non_null_by variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/last_non_null_by.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__last_non_null_by(value_expr, order_expr) -%}
    arg_max({{ value_expr }}, {{ order_expr }}) filter (where {{ value_expr }} is not null)
{%- endmacro %}


{# Spark allows no FILTER clause in a window aggregate; max_by skips rows whose order is null. #}
{% macro spark__last_non_null_by(value_expr, order_expr) -%}
    max_by({{ value_expr }}, case when {{ value_expr }} is not null then {{ order_expr }} end)
{%- endmacro %}
