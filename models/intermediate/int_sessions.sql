{{
    config(
        materialized='incremental',
        incremental_strategy='restart_tail',
        tail_column='session_start_us',
    )
}}

with

recomputed_events as (

    -- an incremental run re-aggregates each changed device from its restart point on
    {{ rows_rewritten_from_restart_points(ref('int_events_sessionized')) }}

),

sessions as (

    -- one row per session: its span, its time in the foreground, its first event,
    -- and its own last known user and time zone (stitching across sessions happens in fct_sessions);
    -- named by its timeout start and cap piece too, as its events are
    select
        session_partition_key,
        timeout_session_start_us,
        cap_piece,
        max(device_id) as device_id,
        {{ last_non_null_by('user_id', 'event_index') }} as session_user_id,
        {{ last_non_null_by('valid_timezone', 'event_index') }} as session_own_timezone,
        min(event_us) as session_start_us,
        max(event_us) as session_end_us,
        sum(foreground_gap_us) as foreground_us,
        count(*) as event_count,
        max(case when is_session_start then platform end) as platform,
        max(case when is_session_start then app_version end) as app_version,
        {{ latest_restart_batch() }} as load_batch

    from recomputed_events
    group by
        session_partition_key,
        timeout_session_start_us,
        cap_piece

)

select * from sessions
