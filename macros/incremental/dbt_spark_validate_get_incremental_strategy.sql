{#
    The project's incremental strategies on Spark with Parquet tables (docs/spark.md).

    Plain Parquet tables cannot delete rows, and dbt-spark only knows `append`,
    `insert_overwrite`, `merge` (Delta, Iceberg, Hudi) and `microbatch`. The models keep
    their strategies, `delete+insert` (and its DuckDB variant `delete_insert_by_hash`),
    `restart_tail` and `replace_sessions`, and this file gives them a Spark
    implementation that rewrites the table instead of deleting from it:

    1. stage = the stored rows that the strategy would keep (for delete+insert, an anti join
       drops every row whose unique key the run brings again; for restart_tail, every row of
       a restarted device from its restart point on; for replace_sessions, every row of a
       session the run brings again, and a semi join keeps the current sessions'), plus the run's
       new rows, written to a Parquet table `<model>__dbt_stage` (Spark cannot overwrite a
       table it is reading);
    2. insert overwrite the model's table from the stage;
    3. drop the stage.

    The result is exactly what the delete and insert give (the same rows). The cost of a run is
    one rewrite of the incremental table; what is *computed* stays incremental (new files only,
    changed devices only). These two macros replace dbt-spark's of the same name (the root
    project's macros come first); `append`, `insert_overwrite`, `merge` and `microbatch` do
    what dbt-spark does.
#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {% set project_strategies = ['delete+insert', 'delete_insert_by_hash', 'restart_tail', 'replace_sessions'] %}
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
