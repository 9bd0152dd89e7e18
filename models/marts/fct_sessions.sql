{% set cfg = app_sessions_config() %}

with

sessionized_events as (

    select * from {{ ref('int_events_sessionized') }}

),

sessions_aggregated as (

    -- one row per session: its span, its time in the foreground, its first event
    select
        session_partition_key,
        max(device_id) as device_id,
        {{ last_non_null_by('user_id', 'event_index') }} as session_user_id,
        min(event_us) as session_start_us,
        max(event_us) as session_end_us,
        sum(foreground_gap_us) as foreground_us,
        count(*) as event_count,
        max(case when is_session_start then platform end) as platform,
        max(case when is_session_start then app_version end) as app_version

    from sessionized_events
    group by
        session_partition_key,
        timeout_session_start_us,
        cap_piece

),

users_stitched as (

    -- a session with no user of its own takes the device's latest known user
    select
        *,
        coalesce(
            session_user_id,
            {{ last_non_null_by('session_user_id', 'session_start_us') }} over (
                partition by session_partition_key
            )
        ) as user_id,
        row_number() over (
            partition by session_partition_key
            order by session_start_us
        ) as session_number

    from sessions_aggregated

),

sessions as (

    select
        md5(
            session_partition_key || '|' || cast(session_start_us as {{ dbt.type_string() }})
        ) as session_id,
        device_id,
        user_id,
        coalesce(user_id, 'device:' || device_id) as user_key,
        {{ timestamp_from_epoch_us('session_start_us') }} as session_start_at,
        {{ timestamp_from_epoch_us('session_end_us') }} as session_end_at,
        (session_end_us - session_start_us) / 1000000.0 as duration_seconds,
        foreground_us / 1000000.0 as foreground_seconds,
        event_count,
        cast(
            {{ utc_to_local(timestamp_from_epoch_us('session_start_us'), cfg.reporting_timezone) }}
            as date
        ) as session_date,
        platform,
        app_version,
        session_number

    from users_stitched

)

select * from sessions
