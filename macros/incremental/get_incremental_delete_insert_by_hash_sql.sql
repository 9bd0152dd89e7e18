{#
    Incremental strategy `delete_insert_by_hash` (DuckDB): dbt's `delete+insert` on
    `unique_key`, finding the stored rows to replace through the integer column
    `unique_key_hash` (macros/cross_db/key_hash.sql) instead of comparing every stored key:
    1. the stored rows whose hash is one of the run's, by rowid, with their key;
    2. delete those whose key is one of the run's (a hash collision deletes nothing);
    3. insert the run's rows.
    All in the model's transaction, so the rowids of step 1 hold in step 2. On Spark the
    strategy is `delete+insert` (macros/incremental/dbt_spark_get_incremental_sql.sql).
    Config `unique_key_expression`: the key as an SQL expression of a stored row written as
    `stored`, for a table that stores it only in part (int_events_validated); by
    default the `unique_key` column.
#}
{% macro get_incremental_delete_insert_by_hash_sql(arg_dict) %}
    {% set target = arg_dict['target_relation'] %}
    {% set source = arg_dict['temp_relation'] %}
    {% set hash = config.require('unique_key_hash') %}
    {% set columns_csv = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) %}
    {% set matches = target.identifier ~ '__dbt_hash_matches' %}

    create or replace temp table {{ matches }} as
    select stored.rowid as stored_row, {{ stored_unique_key() }} as unique_key_value
    from {{ target }} as stored
    where stored.rowid in (
        select rowid from {{ target }}
        where {{ hash }} in (select {{ hash }} from {{ source }})
    );

    delete from {{ target }}
    where rowid in (
        select stored_row from {{ matches }}
        where unique_key_value in (select {{ stored_unique_key() }} from {{ source }} as stored)
    );

    drop table {{ matches }};

    insert into {{ target }} ({{ columns_csv }})
    select {{ columns_csv }} from {{ source }}
{% endmacro %}
