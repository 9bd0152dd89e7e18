{#- The rows of `relation` whose `hash_column` is one of `hashes` (a select of one column).
    DuckDB's variant reads only the hash column of every row, then the matching rows whole,
    by their rowid; a plain semi-join reads every column of every row. Read it through a
    materialized CTE (macros/cross_db/materialized_cte.sql): a filter of the reader pushed
    into it turns the fetch by rowid into a scan of every row. -#}
{% macro stored_rows_by_hash(relation, hash_column, hashes) %}
    {{ return(adapter.dispatch('stored_rows_by_hash', 'app_sessions')(relation, hash_column, hashes)) }}
{% endmacro %}


{% macro default__stored_rows_by_hash(relation, hash_column, hashes) -%}
    select * from {{ relation }}
    where {{ hash_column }} in ({{ hashes }})
{%- endmacro %}


{% macro duckdb__stored_rows_by_hash(relation, hash_column, hashes) -%}
    select by_rowid.* from {{ relation }} as by_rowid
    where by_rowid.rowid in (
        select by_hash.rowid from {{ relation }} as by_hash
        where by_hash.{{ hash_column }} in ({{ hashes }})
    )
{%- endmacro %}
