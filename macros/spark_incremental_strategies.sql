{#
    The project's incremental strategies on Spark with Parquet tables (docs/spark.md).

    Plain Parquet tables cannot delete rows, and dbt-spark only knows `append`,
    `insert_overwrite`, `merge` (Delta, Iceberg, Hudi) and `microbatch`. The models keep
    their strategies, `delete+insert` (and its DuckDB variant `delete_insert_by_hash`) and
    `restart_tail`, and this file gives them a Spark
    implementation that rewrites the table instead of deleting from it:

    1. stage = the stored rows that the strategy would keep (an anti join: for delete+insert
       every row whose unique key the run brings again; for restart_tail every row of a
       restarted device from its restart point on), plus the run's new rows, written to a
       Parquet table `<model>__dbt_stage` (Spark cannot overwrite a table it is reading);
    2. insert overwrite the model's table from the stage;
    3. drop the stage.

    The result is exactly what the delete and insert give (the same rows). The cost of a run is
    one rewrite of the incremental table; what is *computed* stays incremental (new files only,
    changed devices only). These two macros replace dbt-spark's of the same name (the root
    project's macros come first); `append`, `insert_overwrite`, `merge` and `microbatch` do
    what dbt-spark does.
#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {% set project_strategies = ['delete+insert', 'delete_insert_by_hash', 'restart_tail'] %}
    {% set spark_strategies = ['append', 'merge', 'insert_overwrite', 'microbatch'] %}
    {% if raw_strategy not in project_strategies + spark_strategies %}
        {{ exceptions.raise_compiler_error(
            "Invalid incremental strategy provided: " ~ raw_strategy ~ ". Expected one of: "
            ~ (project_strategies + spark_strategies) | join(', ')
        ) }}
    {% endif %}
    {% if raw_strategy == 'merge' and file_format not in ['delta', 'iceberg', 'hudi'] %}
        {{ exceptions.raise_compiler_error(
            "Invalid incremental strategy provided: merge. You can only choose this strategy "
            ~ "when file_format is set to 'delta' or 'iceberg' or 'hudi'"
        ) }}
    {% endif %}
    {% if raw_strategy in ['insert_overwrite', 'microbatch'] + project_strategies and target.endpoint %}
        {{ exceptions.raise_compiler_error(
            "Invalid incremental strategy provided: " ~ raw_strategy ~ ". It rewrites the table "
            ~ "with insert overwrite, which a SQL endpoint does not allow."
        ) }}
    {% endif %}
    {% do return(raw_strategy) %}
{% endmacro %}


{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
    {%- if strategy in ['delete+insert', 'delete_insert_by_hash', 'restart_tail'] -%}
        {#- delete_insert_by_hash is DuckDB's faster delete+insert: the same rows -#}
        {{ spark_rewrite_incremental_sql(
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
    Runs steps 1 and 2 (above) itself and returns step 3 as the model's main statement, so
    the stage is gone when the model reports success.
#}
{% macro spark_rewrite_incremental_sql(strategy, source, target, unique_key) %}
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
    {% elif restart_log_was_reset(target) %}
        {% set replaced = 'where false' %}
    {% else %}
        {% set replaced %}
            left anti join ({{ restart_points(target) }}) as restarts
                on {{ restart_tail_match() }}
        {% endset %}
    {% endif %}
    {% do run_query('drop table if exists ' ~ stage) %}
    {% set create_stage %}
        create table {{ stage }} using parquet as
        select stored.* from (select {{ columns_csv }} from {{ target }}) as stored
        {{ replaced }}
        union all
        select {{ columns_csv }} from {{ source }}
    {% endset %}
    {% do run_query(create_stage) %}
    {% do run_query(
        'insert overwrite table ' ~ target ~ ' select ' ~ columns_csv ~ ' from ' ~ stage
    ) %}
    drop table if exists {{ stage }}
{% endmacro %}
