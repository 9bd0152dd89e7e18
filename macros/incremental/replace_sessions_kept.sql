{#- The ids of the sessions whose rows the strategy `replace_sessions` keeps in `target`
    (macros/incremental/get_incremental_replace_sessions_sql.sql): the current sessions
    (config `sessions`) of the devices without a pending restart in config `restart_log`. -#}
{% macro replace_sessions_kept(target) -%}
    select sessions.session_id
    from {{ ref(config.require('sessions')) }} as sessions
    where {{ session_partition_key('sessions.device_id', 'sessions.user_id') }} not in (
        select restarts.session_partition_key
        from ({{ pending_restarts(target, ref(config.require('restart_log'))) }}) as restarts
    )
{%- endmacro %}
