{#- The pieces of the timeout sessions longer than the cap (rare): each is cut into pieces of
    the cap's length, counted from its first event, and each piece is a session of its own
    (docs/contract.md, the cap). A session exactly the cap long is not cut. The long
    sessions' events are read again; int_sessions puts the pieces in place of their
    sessions. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='restart_tail',
        tail_column='session_start_us',
        restart_log='int_session_restarts',
        restarts_applied_table=true,
        post_hook="{{ record_restarts_applied(ref('int_session_restarts')) }}",
    )
}}
{#- It records the restart batch it has applied: most runs write no piece, so its own rows
    cannot tell. -#}
{% set cfg = app_sessions_config() %}
{% set restart_log = ref('int_session_restarts') %}
{#- a long session's events in contract order (as int_timeout_sessions orders a device's) -#}
{% set session_order %}
    partition by session_partition_key, timeout_session_start_us
    order by {{ contract_event_order() }}
{% endset %}

with

long_sessions as (

    -- an incremental run: the sessions it rewrote, from each changed device's restart point
    select
        session_partition_key,
        session_start_us as timeout_session_start_us,
        session_end_us
    from ({{ rows_rewritten_from_restart_points(ref('int_timeout_sessions'), restart_log) }}) as sessions
    where session_end_us - session_start_us > {{ cfg.max_session_us }}

),

long_session_events as (

    select
        events.device_id,
        events.user_id,
        events.event_id,
        events.event_name,
        events.event_us,
        events.is_background_event,
        events.platform,
        events.app_version,
        events.valid_timezone,
        long_sessions.session_partition_key,
        long_sessions.timeout_session_start_us
    from ({{ rows_from_restart_points(ref('int_events_clean'), restart_log) }}) as events
    inner join long_sessions
        on
            events.session_partition_key = long_sessions.session_partition_key
            and events.event_us
            between long_sessions.timeout_session_start_us and long_sessions.session_end_us

),

long_session_events_pieced as (

    -- each event goes to piece floor((time - first time) / cap)
    select
        *,
        cast(
            floor((event_us - timeout_session_start_us) / {{ cfg.max_session_us }}) as bigint
        ) as cap_piece,
        cast(
            floor((previous_event_us - timeout_session_start_us) / {{ cfg.max_session_us }})
            as bigint
        ) as previous_cap_piece
    from (
        select
            *,
            row_number() over ({{ session_order }}) as event_index,
            lag(event_us) over ({{ session_order }}) as previous_event_us,
            lag(is_background_event) over ({{ session_order }}) as previous_is_background_event
        from long_session_events
    ) as long_events_in_order

),

cap_pieces as (

    -- as a timeout session, each piece: its span less the gaps after background events
    -- inside it, its first event's platform and version, its last known user and zone
    select
        session_partition_key,
        timeout_session_start_us,
        cap_piece,
        max(device_id) as device_id,
        {{ last_non_null_by('user_id', 'event_index') }} as session_user_id,
        {{ last_non_null_by('valid_timezone', 'event_index') }} as session_own_timezone,
        min(event_us) as session_start_us,
        max(event_us) as session_end_us,
        cast(max(event_us) - min(event_us) - sum(
            case
                when previous_is_background_event and cap_piece = previous_cap_piece
                    then event_us - previous_event_us
                else 0
            end
        ) as bigint) as foreground_us,
        count(*) as event_count,
        max(case when cap_piece is distinct from previous_cap_piece then platform end) as platform,
        max(case when cap_piece is distinct from previous_cap_piece then app_version end) as app_version,
        {{ list_of_spans(
            'previous_event_us',
            'event_us',
            'previous_is_background_event and cap_piece = previous_cap_piece'
            ~ ' and event_us > previous_event_us',
        ) }} as background_gaps,
        {{ latest_restart_batch(restart_log) }} as load_batch
    from long_session_events_pieced
    group by session_partition_key, timeout_session_start_us, cap_piece

)

select * from cap_pieces
