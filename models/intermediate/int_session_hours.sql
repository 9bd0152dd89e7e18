{{
    config(
        materialized='incremental',
        incremental_strategy='restart_tail',
        tail_column='session_start_us',
        restarts_applied_table=true,
        post_hook="{{ record_restarts_applied() }}",
    )
}}
{#- Like fct_sessions, it records the restart batch and the restart log's generation it has
    applied: it runs beside fct_sessions, so a --full-refresh killed when the first of the two
    starts leaves both behind a rebuilt restart log, whose batch numbers start again at 1.
    Such a run leaves a marker that makes the next run a full one
    (macros/incremental/should_full_refresh.sql); without it (a version before the marker), the next
    run sees the other generation and recomputes every row (docs/incremental.md, 5.). -#}
{% set hour_us = 3600000000 %}

with

recomputed_sessions as (

    -- each session's span, as int_sessions computed it from the events; an incremental
    -- run takes the sessions it rewrote from each changed device's restart point on
    {{ rows_rewritten_from_restart_points(ref('int_sessions'), tail_column='session_start_us') }}

),

recomputed_events as (

    -- the events, for their foreground gaps; an incremental run re-spreads each changed
    -- device from its restart point on
    {{ rows_rewritten_from_restart_points(ref('int_events_sessionized')) }}

),

session_hours as (

    -- each session once for every hour from its start hour to its end hour, with
    -- the part of its span inside the hour
    select
        session_partition_key,
        timeout_session_start_us,
        cap_piece,
        session_start_us,
        hour_us,
        least(session_end_us, hour_us + {{ hour_us }})
        - greatest(session_start_us, hour_us) as session_us
    from (
        select
            session_partition_key,
            timeout_session_start_us,
            cap_piece,
            session_start_us,
            session_end_us,
            {{ explode_us(floor_us('session_start_us'), floor_us('session_end_us')) }}
                as hour_us
        from recomputed_sessions
    ) as exploded

),

gap_hours as (

    -- each gap that counts as foreground time once for every hour it touches, with the
    -- part of it inside the hour; read once, so DuckDB streams it (a CTE read by two
    -- branches is materialized: 86M rows at 100M events)
    select
        session_partition_key,
        timeout_session_start_us,
        cap_piece,
        hour_us,
        least(gap_end_us, hour_us + {{ hour_us }}) - greatest(gap_start_us, hour_us) as foreground_us
    from (
        select
            session_partition_key,
            timeout_session_start_us,
            cap_piece,
            previous_event_us as gap_start_us,
            event_us as gap_end_us,
            {{ explode_us(floor_us('previous_event_us'), floor_us('event_us')) }}
                as hour_us
        from recomputed_events
        where foreground_gap_us > 0
    ) as exploded_gaps

),

foreground_per_session_hour as (

    select
        session_partition_key,
        timeout_session_start_us,
        cap_piece,
        hour_us,
        sum(foreground_us) as foreground_us
    from gap_hours
    group by session_partition_key, timeout_session_start_us, cap_piece, hour_us

),

session_hours_with_foreground as (

    select
        session_hours.session_partition_key,
        session_hours.session_start_us,
        session_hours.hour_us,
        session_hours.session_us,
        coalesce(foreground_per_session_hour.foreground_us, 0) as foreground_us,
        {{ latest_restart_batch() }} as load_batch
    from session_hours
    left join foreground_per_session_hour
        on
            session_hours.session_partition_key = foreground_per_session_hour.session_partition_key
            and session_hours.timeout_session_start_us = foreground_per_session_hour.timeout_session_start_us
            and session_hours.cap_piece = foreground_per_session_hour.cap_piece
            and session_hours.hour_us = foreground_per_session_hour.hour_us

)

select * from session_hours_with_foreground
