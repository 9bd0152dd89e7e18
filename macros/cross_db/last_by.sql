{# Aggregate: the value of `value_expr` on the row with the largest `order_expr`, null or not;
   `order_expr` may be a list of expressions, compared in order (ties of the first broken by
   the next). #}
{% macro last_by(value_expr, order_expr) %}
    {{ return(adapter.dispatch('last_by', 'app_sessions')(value_expr, order_expr)) }}
{% endmacro %}


{#- ANSI SQL has no arg-max aggregate. -#}
{% macro default__last_by(value_expr, order_expr) -%}
    {{ exceptions.raise_compiler_error(
        "last_by: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__last_by variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/last_by.sql)"
    ) }}
{%- endmacro %}


{# DuckDB's arg_max skips rows whose value is null; arg_max_null does not. #}
{% macro duckdb__last_by(value_expr, order_expr) -%}
    arg_max_null({{ value_expr }}, {{ _ordering(order_expr, 'row') }})
{%- endmacro %}


{% macro spark__last_by(value_expr, order_expr) -%}
    max_by({{ value_expr }}, {{ _ordering(order_expr, 'struct') }})
{%- endmacro %}


{#- One expression, or a list of them as one value that compares field by field (a DuckDB
    `row`, a Spark `struct`). -#}
{% macro _ordering(order_expr, constructor) -%}
    {{ order_expr if order_expr is string else constructor ~ '(' ~ order_expr | join(', ') ~ ')' }}
{%- endmacro %}
