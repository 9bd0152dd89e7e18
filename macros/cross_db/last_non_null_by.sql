{# Aggregate: the value of `value_expr` on the row with the largest `order_expr`, nulls skipped. #}
{% macro last_non_null_by(value_expr, order_expr) %}
    {{ return(adapter.dispatch('last_non_null_by', 'app_sessions')(value_expr, order_expr)) }}
{% endmacro %}


{% macro default__last_non_null_by(value_expr, order_expr) -%}
    max_by({{ value_expr }}, {{ order_expr }}) filter (where {{ value_expr }} is not null)
{%- endmacro %}


{% macro duckdb__last_non_null_by(value_expr, order_expr) -%}
    arg_max({{ value_expr }}, {{ order_expr }}) filter (where {{ value_expr }} is not null)
{%- endmacro %}


{# Spark allows no FILTER clause in a window aggregate; max_by skips rows whose order is null. #}
{% macro spark__last_non_null_by(value_expr, order_expr) -%}
    max_by({{ value_expr }}, case when {{ value_expr }} is not null then {{ order_expr }} end)
{%- endmacro %}
