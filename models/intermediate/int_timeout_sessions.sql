{#- The sessions of the timeout rule (docs/contract.md, sessions), before the cap: one sort
    of each device's events, then aggregates over the few that start or end a session.
    int_session_cap_pieces cuts those longer than the cap; int_sessions puts the pieces in
    their place. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='restart_tail',
        tail_column='session_start_us',
        restart_log='int_session_restarts',
    )
}}
{% set cfg = app_sessions_config() %}
{% set restart_log = ref('int_session_restarts') %}
{#- Events of a device (or, without one, of a user) in contract order. The partition is the
    two columns, not the session_partition_key string: the same groups without a third
    string to sort. -#}
{% set device_order %}
    partition by device_id, case when device_id is null then user_id end
    order by {{ contract_event_order() }}
{% endset %}

with

events_to_sessionize as (

    -- an incremental run takes each changed device's events from its restart point on:
    -- the start of a stored session, so every session here is computed whole
    {{ rows_from_restart_points(ref('int_events_clean'), restart_log) }}

),

events_with_neighbours as (

    -- the one sort of every event: narrow keys, and only what a session takes from its
    -- events (the first event's platform and version, the last user and zone)
    select
        device_id,
        user_id,
        event_us,
        is_background_event,
        platform,
        app_version,
        valid_timezone,
        row_number() over ({{ device_order }}) as event_index,
        lag(event_us) over ({{ device_order }}) as previous_event_us,
        lag(is_background_event) over ({{ device_order }}) as previous_is_background_event,
        lead(event_us) over ({{ device_order }}) as next_event_us,
        lead(user_id) over ({{ device_order }}) as next_user_id,
        lead(valid_timezone) over ({{ device_order }}) as next_timezone
    from events_to_sessionize

),

session_edges_flagged as (

    -- a gap longer than the timeout (after a background event: the background timeout)
    -- ends one session and starts the next; a gap equal to it does not
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

edge_events as (

    -- only the events a session's aggregates need: its first and last, those after a
    -- background event (the gaps left out of foreground time), and the last of each run of
    -- one user or zone (a session keeps its last non-null one). Each carries the start of
    -- its timeout session: a second, small window pass
    select
        *,
        case when device_id is null then user_id end as partition_user_id,
        max(case when is_timeout_session_start then event_us end) over (
            partition by device_id, case when device_id is null then user_id end
            order by event_index
            rows between unbounded preceding and current row
        ) as timeout_session_start_us
    from session_edges_flagged
    where
        is_timeout_session_start
        or is_timeout_session_end
        or previous_is_background_event
        or user_id is distinct from next_user_id
        or valid_timezone is distinct from next_timezone

),

timeout_sessions as (

    -- the sessions of the timeout rule; the gap after a background event inside one is
    -- background time (a gap equal to 0 is none)
    select
        device_id,
        partition_user_id,
        timeout_session_start_us,
        max(case when is_timeout_session_end then event_us end) as session_end_us,
        max(case when is_timeout_session_end then event_index end)
        - max(case when is_timeout_session_start then event_index end)
        + 1 as event_count,
        {{ last_non_null_by('user_id', 'event_index') }} as session_user_id,
        {{ last_non_null_by('valid_timezone', 'event_index') }} as session_own_timezone,
        max(case when is_timeout_session_start then platform end) as platform,
        max(case when is_timeout_session_start then app_version end) as app_version,
        sum(
            case
                when previous_is_background_event and not is_timeout_session_start
                    then event_us - previous_event_us
                else 0
            end
        ) as background_us,
        {{ list_of_spans(
            'previous_event_us',
            'event_us',
            'previous_is_background_event and not is_timeout_session_start'
            ~ ' and event_us > previous_event_us',
        ) }} as background_gaps
    from edge_events
    group by device_id, partition_user_id, timeout_session_start_us

)

select
    {{ session_partition_key('device_id', 'partition_user_id') }} as session_partition_key,
    device_id,
    session_user_id,
    session_own_timezone,
    timeout_session_start_us as session_start_us,
    session_end_us,
    cast(session_end_us - timeout_session_start_us - background_us as bigint) as foreground_us,
    event_count,
    platform,
    app_version,
    background_gaps,
    {{ latest_restart_batch(restart_log) }} as load_batch
from timeout_sessions
