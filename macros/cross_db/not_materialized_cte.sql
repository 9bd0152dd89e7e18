{#
    `with name as {{ not_materialized_cte() }} (...)`: a CTE read by several branches that
    each filter it, computed per branch so each filter is pushed down to the raw rows
    (DuckDB may otherwise materialize every row once for all readers).
#}
{% macro not_materialized_cte() %}
    {{ return(adapter.dispatch('not_materialized_cte', 'app_sessions')()) }}
{% endmacro %}


{% macro default__not_materialized_cte() -%}
{%- endmacro %}


{% macro duckdb__not_materialized_cte() -%}
    not materialized
{%- endmacro %}
