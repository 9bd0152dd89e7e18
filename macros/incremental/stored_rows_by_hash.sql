{% macro stored_rows_by_hash(relation, hash_column, hashes) %}
    {{ return(adapter.dispatch('stored_rows_by_hash', 'app_sessions')(relation, hash_column, hashes)) }}
{% endmacro %}


{% macro default__stored_rows_by_hash(relation, hash_column, hashes) -%}
    select * from {{ relation }}
    where {{ hash_column }} in (select {{ hash_column }} from ({{ hashes }}) as hashes)
{%- endmacro %}


{% macro duckdb__stored_rows_by_hash(relation, hash_column, hashes) -%}
    select * from {{ relation }}
    where rowid in (
        select rowid from {{ relation }}
        where {{ hash_column }} in (select {{ hash_column }} from ({{ hashes }}) as hashes)
    )
{%- endmacro %}
