{#
    Replaces dbt-spark's macro of the same name (a root project's macros come first): plain
    Parquet tables cannot delete rows, so delete+insert, delete_insert_by_hash and restart_tail
    are rewritten as a stage table and an insert overwrite. The steps are listed in the sibling
    file, dbt_spark_validate_get_incremental_strategy.sql.
#}
{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
    {%- if strategy in ['delete+insert', 'delete_insert_by_hash', 'restart_tail', 'replace_sessions'] -%}
        {#- delete_insert_by_hash is DuckDB's faster delete+insert: the same rows -#}
        {{ _spark_rewrite_incremental_sql(
            'delete+insert' if strategy == 'delete_insert_by_hash' else strategy,
            source, target, unique_key
        ) }}
    {%- elif strategy == 'append' -%}
        {{ get_insert_into_sql(source, target) }}
    {%- elif strategy in ['insert_overwrite', 'microbatch'] -%}
        {%- if strategy == 'microbatch' and not config.get('partition_by') -%}
            {{ exceptions.raise_compiler_error(
                "dbt-spark 'microbatch' incremental strategy requires a `partition_by` config."
            ) }}
        {%- endif -%}
        {{ get_insert_overwrite_sql(source, target, existing) }}
    {%- elif strategy == 'merge' -%}
        {{ get_merge_sql(target, source, unique_key, dest_columns=none, incremental_predicates=incremental_predicates) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "No known SQL for the incremental strategy provided: " ~ strategy
        ) }}
    {%- endif -%}
{% endmacro %}


{#
    Runs steps 1 and 2 (write the stage, insert overwrite from it: see the list in
    dbt_spark_validate_get_incremental_strategy.sql) itself and returns step 3 (drop the
    stage) as the model's main statement, so the stage is gone when the model reports success.
#}
{% macro _spark_rewrite_incremental_sql(strategy, source, target, unique_key) %}
    {% set stage = target.incorporate(path={'identifier': target.identifier ~ '__dbt_stage'}) %}
    {% set columns_csv = adapter.get_columns_in_relation(target)
        | map(attribute='quoted') | join(', ') %}
    {% if strategy == 'delete+insert' %}
        {% if not unique_key or unique_key is not string %}
            {{ exceptions.raise_compiler_error(
                "delete+insert on Spark needs one unique_key column, got " ~ unique_key
            ) }}
        {% endif %}
        {% set replaced %}
            left anti join (
                select distinct {{ stored_unique_key() }} as unique_key_value
                from {{ source }} as stored
                where {{ stored_unique_key() }} is not null
            ) as replaced
                on {{ stored_unique_key() }} = replaced.unique_key_value
        {% endset %}
    {% elif strategy == 'replace_sessions' %}
        {% set replaced %}
            left anti join (select session_id from {{ source }}) as replaced
                on stored.session_id = replaced.session_id
            left semi join (select session_id from {{ ref(config.require('sessions')) }}) as current
                on stored.session_id = current.session_id
        {% endset %}
    {% else %}
        {% set inputs = restart_tail_inputs() %}
        {% set replaced %}
            left anti join (
                {{ restart_points(target, inputs.restart_log, inputs.recomputed_sessions) }}
            ) as restarts
                on {{ restart_tail_match() }}
        {% endset %}
    {% endif %}
    {% do adapter.execute('drop table if exists ' ~ stage) %}
    {% set create_stage %}
        create table {{ stage }} using parquet as
        select stored.* from (select {{ columns_csv }} from {{ target }}) as stored
        {{ replaced }}
        union all
        select {{ columns_csv }} from {{ source }}
    {% endset %}
    {% do adapter.execute(create_stage) %}
    {% do adapter.execute(
        'insert overwrite table ' ~ target ~ ' select ' ~ columns_csv ~ ' from ' ~ stage
    ) %}
    drop table if exists {{ stage }}
{% endmacro %}
