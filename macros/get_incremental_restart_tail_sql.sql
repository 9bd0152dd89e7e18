{#
    Incremental strategy `restart_tail` (docs/incremental.md): for every device with
    a pending restart (int_session_restarts), delete the stored rows from the restart
    point on (`tail_column` >= restart_us), then insert the recomputed rows. A device
    whose recomputed tail is empty (all its later events became duplicates) is still
    cleared, which a key-based merge would miss.
    Config:
      `tail_column`           epoch microseconds column that orders a device's rows (required
                              unless `restart_whole_device`)
      `restart_whole_device`  true: every row of a restarted device is recomputed, whatever
                              its time (fct_sessions: user stitching and session numbers span
                              the device)
      `device_key`            SQL expression of a stored row's device, the row written as
                              `stored` (default `stored.session_partition_key`)
#}
{% macro get_incremental_restart_tail_sql(arg_dict) %}
    {% set target = arg_dict['target_relation'] %}
    {% set source = arg_dict['temp_relation'] %}
    {% set columns_csv = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) %}

    {% if restart_log_was_reset(target) %}
    delete from {{ target }};
    {% else %}
    delete from {{ target }} as stored
    using ({{ pending_restarts(target) }}) as restarts
    where {{ restart_tail_match() }};
    {% endif %}

    insert into {{ target }} ({{ columns_csv }})
    select {{ columns_csv }} from {{ source }}
{% endmacro %}


{# Joins a stored row (`stored`) to its device's pending restart (`restarts`) when the run recomputes it. #}
{% macro restart_tail_match() -%}
    restarts.session_partition_key = {{ config.get('device_key', 'stored.session_partition_key') }}
    {%- if not config.get('restart_whole_device', false) %}
        and stored.{{ config.require('tail_column') }} >= restarts.restart_us
    {%- endif %}
{%- endmacro %}
