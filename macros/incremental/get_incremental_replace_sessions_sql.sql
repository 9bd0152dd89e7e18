{#
    Incremental strategy `replace_sessions` (fct_session_local_hours; docs/incremental.md):
    a table of rows per `session_id` that keeps only the rows of the sessions of devices
    without a pending restart, then inserts the run's rows (every session of each restarted
    device). So a session that is rewritten, or gone (merged into another by a late event),
    leaves no row behind, and a device whose stitched zone changed is rewritten whole.
    Config:
      `sessions`      the model of the current sessions, by name (fct_sessions: it is
                      rewritten earlier in the run), with `session_id`, `device_id`, `user_id`
      `restart_log`   the restart log, by name (int_session_restarts)
    The model refs both in its own SQL and records the restarts it applied
    (`restarts_applied_table=true`). On Spark the same rows are kept by a rewrite
    (macros/incremental/dbt_spark_get_incremental_sql.sql).
#}
{% macro get_incremental_replace_sessions_sql(arg_dict) %}
    {% set target = arg_dict['target_relation'] %}
    {% set columns_csv = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) %}

    delete from {{ target }}
    where session_id not in ({{ replace_sessions_kept(target) }});

    insert into {{ target }} ({{ columns_csv }})
    select {{ columns_csv }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}
