{#
    Incremental strategy `restart_tail` (docs/incremental.md): for every device with
    a pending restart (int_session_restarts), delete the stored rows from the restart
    point on (`tail_column` >= restart_us), then insert the recomputed rows. A device
    whose recomputed tail is empty (all its later events became duplicates) is still
    cleared, which a key-based merge would miss.
    Config:
      `tail_column`       epoch microseconds column that orders a device's rows
      `tail_expression`   or an SQL expression of it, on the stored row written as `stored`
      `device_key`        SQL expression of a stored row's device, the row written as
                          `stored` (default `stored.session_partition_key`)
      `restart_points`    'pending' (default): the pending restarts of the restart log;
                          'stitched_user' (fct_sessions): macros/incremental/stitched_user_restart_points.sql
      `restart_log`, `recomputed_sessions` (for 'stitched_user'): the models it reads,
                          by name (macros/incremental/restart_tail_inputs.sql)
#}
{% macro get_incremental_restart_tail_sql(arg_dict) %}
    {% set target = arg_dict['target_relation'] %}
    {% set source = arg_dict['temp_relation'] %}
    {% set columns_csv = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) %}
    {% set inputs = restart_tail_inputs() %}

    delete from {{ target }} as stored
    using ({{ restart_points(target, inputs.restart_log, inputs.recomputed_sessions) }}) as restarts
    where {{ restart_tail_match() }};

    insert into {{ target }} ({{ columns_csv }})
    select {{ columns_csv }} from {{ source }}
{% endmacro %}
