{#
    `with name as {{ materialized_cte() }} (...)`: computes a CTE that is read more than
    once a single time. DuckDB otherwise inlines it into every reader and repeats its
    work (the timestamp parsing of every raw row, three times in the validated events).
    Also a barrier: the reader's filters are not pushed into it (macros/incremental/
    stored_rows_by_hash.sql needs that).
#}
{% macro materialized_cte() %}
    {{ return(adapter.dispatch('materialized_cte', 'app_sessions')()) }}
{% endmacro %}


{% macro default__materialized_cte() -%}
{%- endmacro %}


{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}
