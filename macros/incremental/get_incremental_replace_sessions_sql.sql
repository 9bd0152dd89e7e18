{#
    Incremental strategy `replace_sessions` (fct_session_local_hours; docs/incremental.md),
    for a table of rows per `session_id`: the run's rows replace every stored row of their
    sessions, and the rows of sessions no longer in the model of the current sessions (config
    `sessions`, by name: fct_sessions, rewritten earlier in the run) are deleted, so a session
    that a late event merged into another leaves no row behind. The model chooses which
    sessions it recomputes. On Spark the same rows are kept by a rewrite
    (macros/incremental/dbt_spark_get_incremental_sql.sql).
#}
{% macro get_incremental_replace_sessions_sql(arg_dict) %}
    {% set target = arg_dict['target_relation'] %}
    {% set source = arg_dict['temp_relation'] %}
    {% set columns_csv = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) %}

    delete from {{ target }}
    where
        session_id in (select session_id from {{ source }})
        or session_id not in (select session_id from {{ ref(config.require('sessions')) }});

    insert into {{ target }} ({{ columns_csv }})
    select {{ columns_csv }} from {{ source }}
{% endmacro %}
