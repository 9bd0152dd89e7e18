{#
    Window function: the value of `value_expr` on the nearest following row of the window
    where it is not null (LEAD ... IGNORE NULLS). `window` is the text inside OVER (...).
    The engines place IGNORE NULLS differently: DuckDB inside the call, Spark after it.
#}
{% macro next_non_null(value_expr, window) %}
    {{ return(adapter.dispatch('next_non_null', 'app_sessions')(value_expr, window)) }}
{% endmacro %}


{% macro default__next_non_null(value_expr, window) -%}
    lead({{ value_expr }} ignore nulls) over ({{ window }})
{%- endmacro %}


{% macro spark__next_non_null(value_expr, window) -%}
    lead({{ value_expr }}) ignore nulls over ({{ window }})
{%- endmacro %}
