{# Aggregate: the value of `value_expr` on the row with the largest `order_expr`, null or not. #}
{% macro last_by(value_expr, order_expr) %}
    {{ return(adapter.dispatch('last_by', 'app_sessions')(value_expr, order_expr)) }}
{% endmacro %}


{% macro default__last_by(value_expr, order_expr) -%}
    max_by({{ value_expr }}, {{ order_expr }})
{%- endmacro %}


{# DuckDB's arg_max skips rows whose value is null; arg_max_null does not. #}
{% macro duckdb__last_by(value_expr, order_expr) -%}
    arg_max_null({{ value_expr }}, {{ order_expr }})
{%- endmacro %}
