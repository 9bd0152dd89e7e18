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
    select * from {{ ref('stg_app__events') }}

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
        app_version
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

    -- the first and last event time of the session each event belongs to; the
    -- last one is the nearest session end at or after the event
    select
        *,
        max(case when is_timeout_session_start then event_us end) over (
            {{ device_order }}
            rows between unbounded preceding and current row
        ) as timeout_session_start_us,
        min(case when is_timeout_session_end then event_us end) over (
            {{ device_order }}
            rows between current row and unbounded following
        ) as timeout_session_end_us

    from session_edges_flagged

),

capped as (

    -- a session longer than the cap is cut into pieces of the cap's length,
    -- counted from its first event; each piece is a session of its own
    select
        *,
        case
            when timeout_session_end_us - timeout_session_start_us > {{ cfg.max_session_us }}
                then floor((event_us - timeout_session_start_us) / {{ cfg.max_session_us }})
            else 0
        end as cap_piece,
        case
            when timeout_session_end_us - timeout_session_start_us > {{ cfg.max_session_us }}
                then floor((previous_event_us - timeout_session_start_us) / {{ cfg.max_session_us }})
            else 0
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
