{#- The analyst's way from an event to its session: each clean event with the session it
    belongs to, joinable to fct_sessions by session_id. A view, read by people, not by the
    pipeline, which computes sessions without writing an event-level table. The sessions of
    a device never overlap, so an event's session is the one of its device whose span holds
    its time. -#}
{{ config(materialized='view') }}

with

events as (

    select * from {{ ref('int_events_clean') }}

),

sessions as (

    select
        session_partition_key,
        session_start_us,
        session_end_us
    from {{ ref('int_sessions') }}

),

events_with_session as (

    select
        {{ session_id('sessions.session_partition_key', 'sessions.session_start_us') }}
            as session_id,
        events.event_id,
        events.device_id,
        events.user_id,
        events.event_name,
        events.event_at,
        events.received_at,
        events.platform,
        events.app_version,
        events.timezone,
        events.valid_timezone,
        events.is_background_event,
        events.session_partition_key,
        events.event_us,
        events.source_file,
        sessions.session_start_us,
        sessions.session_end_us
    from events
    left join sessions
        on
            events.session_partition_key = sessions.session_partition_key
            and events.event_us between sessions.session_start_us and sessions.session_end_us

)

select * from events_with_session
