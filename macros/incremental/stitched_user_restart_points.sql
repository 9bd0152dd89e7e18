{#
    Restart points of fct_sessions (restart_tail strategy, config restart_points='stitched_user'):
    per restarted device, the point from which its stored sessions are rewritten.

    A late event changes a device's sessions from its restart point on (int_session_restarts),
    like every restart_tail model. fct_sessions adds two things that span the whole device:
    `session_number` (counted from the device's first session: unchanged before the restart
    point, where no session changed) and the stitched `user_id` of a session without a user
    of its own: the device's latest known user. That user is the stored `user_id` of the
    device's last session, whether the session has a user of its own or took it. The same
    holds for `session_timezone` (the device's latest valid zone, else the reporting zone).
    When the recomputed sessions give the device another latest user or zone, every session
    of the device is rewritten (restart from scratch); otherwise only its tail.
    `model_relation` is fct_sessions, `restart_log` int_session_restarts and
    `recomputed_sessions` int_sessions.
#}
{% macro stitched_user_restart_points(model_relation, restart_log, recomputed_sessions) %}
    {{ return(adapter.dispatch('stitched_user_restart_points', 'app_sessions')(
        model_relation, restart_log, recomputed_sessions
    )) }}
{% endmacro %}


{% macro default__stitched_user_restart_points(model_relation, restart_log, recomputed_sessions) -%}
    select
        restarts.session_partition_key,
        case
            when
                stored_users.user_id is not distinct from recomputed_users.user_id
                and stored_users.timezone = recomputed_users.timezone
                then restarts.restart_us
            else {{ _restart_from_scratch_us() }}
        end as restart_us
    from ({{ pending_restarts(model_relation, restart_log) }}) as restarts
    left join (
        select
            {{ config.get('device_key') }} as session_partition_key,
            {{ last_by('stored.user_id', 'stored.session_start_at') }} as user_id,
            {{ last_by('stored.session_timezone', 'stored.session_start_at') }} as timezone
        from {{ model_relation }} as stored
        where {{ config.get('device_key') }} in (
            select pending.session_partition_key
            from ({{ pending_restarts(model_relation, restart_log) }}) as pending
        )
        group by {{ config.get('device_key') }}
    ) as stored_users
        on restarts.session_partition_key = stored_users.session_partition_key
    left join (
        select
            session_partition_key,
            {{ last_non_null_by('session_user_id', 'session_start_us') }} as user_id,
            coalesce(
                {{ last_non_null_by('session_own_timezone', 'session_start_us') }},
                '{{ app_sessions_config().reporting_timezone }}'
            ) as timezone
        from {{ recomputed_sessions }}
        where session_partition_key in (
            select pending.session_partition_key
            from ({{ pending_restarts(model_relation, restart_log) }}) as pending
        )
        group by session_partition_key
    ) as recomputed_users
        on restarts.session_partition_key = recomputed_users.session_partition_key
{%- endmacro %}


{# Restart point meaning "recompute the device from its first event": before any timestamp. #}
{% macro _restart_from_scratch_us() -%}
    cast(-9223372036854775807 as bigint)
{%- endmacro %}
