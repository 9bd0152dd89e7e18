{{
    config(
        materialized='incremental',
        incremental_strategy='restart_tail',
        tail_column='event_us',
    )
}}
{% set cfg = app_sessions_config() %}
{#- One window order serves every window below: a device's events in contract order.
    The partition is the device, or the user for events without one, as two columns: the
    same partition as session_partition_key, without sorting and spilling a third string.
    event_us orders as event_at does (it is event_at in microseconds). -#}
{% set device_order %}
    partition by device_id, case when device_id is null then user_id end
    order by
        event_us asc,
        event_id asc nulls last,
        event_name asc,
        user_id asc nulls last
{% endset %}

with

events as {{ not_materialized_cte() }} (

    -- read per branch of the incremental read, each with its own filters
    select * from {{ ref('int_events_clean') }}

),

events_to_sessionize as (

    -- sessions belong to a device, or to the user for events without one; an
    -- incremental run takes each changed device's events from its restart point on
    {{ rows_from_restart_points('events') }}

),

window_payload as (

    -- what the two window passes sort and carry: the columns that cannot be derived
    -- after them (session_partition_key and event_at are, in the last step)
    select
        device_id,
        user_id,
        event_id,
        event_name,
        event_us,
        is_background_event,
        platform,
        app_version,
        valid_timezone
    from events_to_sessionize

),

events_with_neighbours as (

    -- the previous and next event of the same device, to measure both gaps
    select
        *,
        row_number() over ({{ device_order }}) as event_index,
        lag(event_us) over ({{ device_order }}) as previous_event_us,
        lag(is_background_event) over ({{ device_order }}) as previous_is_background_event,
        lead(event_us) over ({{ device_order }}) as next_event_us

    from window_payload

),

session_edges_flagged as (

    -- a gap longer than the timeout (after a background event: the background
    -- timeout) ends one session and starts the next; a gap equal to it does not
    select
        *,
        coalesce(
            event_us - previous_event_us > case
                when previous_is_background_event then {{ cfg.background_timeout_us }}
                else {{ cfg.session_timeout_us }}
            end,
            true
        ) as is_timeout_session_start,
        coalesce(
            next_event_us - event_us > case
                when is_background_event then {{ cfg.background_timeout_us }}
                else {{ cfg.session_timeout_us }}
            end,
            true
        ) as is_timeout_session_end

    from events_with_neighbours

),

timeout_sessions_spanned as (

    -- the first event time of the session each event belongs to, and whether the
    -- session ends at the event's time: the event's own end flag, or for an event tied
    -- in time with the next one, the flag of the last event of the tie
    select
        *,
        max(case when is_timeout_session_start then event_us end) over (
            {{ device_order }}
            rows between unbounded preceding and current row
        ) as timeout_session_start_us,
        coalesce(
            case when next_event_us is distinct from event_us then is_timeout_session_end end,
            {{ next_non_null(
                'case when next_event_us is distinct from event_us then is_timeout_session_end end',
                device_order,
            ) }}
        ) as session_ends_at_event_time

    from session_edges_flagged

),

capped as (

    -- a session longer than the cap is cut into pieces of the cap's length, counted
    -- from its first event; each piece is a session of its own. Only an event exactly
    -- one cap after the start depends on the session's length: it starts the second
    -- piece if the session goes on after it, and is the last event of a session exactly
    -- the cap long (one piece) if not. So no pass over the events that follow is needed
    select
        *,
        case
            when
                event_us - timeout_session_start_us = {{ cfg.max_session_us }}
                and session_ends_at_event_time
                then 0
            else floor((event_us - timeout_session_start_us) / {{ cfg.max_session_us }})
        end as cap_piece,
        case
            when
                previous_event_us = event_us
                and event_us - timeout_session_start_us = {{ cfg.max_session_us }}
                and session_ends_at_event_time
                then 0
            else floor((previous_event_us - timeout_session_start_us) / {{ cfg.max_session_us }})
        end as previous_cap_piece

    from timeout_sessions_spanned

),

sessionized as (

    -- the final session of each event, and the gap it closes if that gap counts
    -- as foreground time (same session, and not after a background event)
    select
        {{ session_partition_key('device_id', 'user_id') }} as session_partition_key,
        device_id,
        user_id,
        event_id,
        event_name,
        {{ timestamp_from_epoch_us('event_us') }} as event_at,
        event_us,
        event_index,
        is_background_event,
        platform,
        app_version,
        valid_timezone,
        is_timeout_session_start or cap_piece <> previous_cap_piece as is_session_start,
        timeout_session_start_us,
        cast(cap_piece as bigint) as cap_piece,
        case
            when not is_timeout_session_start and cap_piece = previous_cap_piece
                then previous_event_us
        end as previous_event_us,
        case
            when
                not is_timeout_session_start
                and cap_piece = previous_cap_piece
                and not previous_is_background_event
                then event_us - previous_event_us
            else 0
        end as foreground_gap_us,
        {{ latest_restart_batch() }} as load_batch

    from capped

)

select * from sessionized
