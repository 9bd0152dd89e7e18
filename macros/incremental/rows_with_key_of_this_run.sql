{#
    A data test's filter (macros/testing/get_where_subquery.sql): the rows of `relation` whose `key`
    is one of the rows of `this_run` (a condition on `relation`). On DuckDB the key column is
    scanned alone and the rows are fetched by rowid, as in stored_rows_by_hash.
#}
{% macro rows_with_key_of_this_run(relation, key, this_run) %}
    {{ return(adapter.dispatch('rows_with_key_of_this_run', 'app_sessions')(relation, key, this_run)) }}
{% endmacro %}


{% macro default__rows_with_key_of_this_run(relation, key, this_run) -%}
    {{ key }} in (select {{ key }} from {{ relation }} where {{ this_run }})
{%- endmacro %}


{% macro duckdb__rows_with_key_of_this_run(relation, key, this_run) -%}
    rowid in (
        select rowid from {{ relation }}
        where {{ key }} in (select {{ key }} from {{ relation }} where {{ this_run }})
    )
{%- endmacro %}
