-- The hourly table spreads every second of every session over the hours, and
-- loses none: its totals equal fct_sessions' totals, to the microsecond.
with

session_totals as (

    select
        coalesce(sum(duration_seconds), 0) as session_seconds,
        coalesce(sum(foreground_seconds), 0) as foreground_seconds
    from {{ ref('fct_sessions') }}

),

hourly_totals as (

    select
        coalesce(sum(session_seconds), 0) as session_seconds,
        coalesce(sum(foreground_seconds), 0) as foreground_seconds
    from {{ ref('rpt_session_time_hourly') }}

)

select
    session_totals.session_seconds as fct_session_seconds,
    hourly_totals.session_seconds as hourly_session_seconds,
    session_totals.foreground_seconds as fct_foreground_seconds,
    hourly_totals.foreground_seconds as hourly_foreground_seconds

from session_totals
cross join hourly_totals
where
    abs(session_totals.session_seconds - hourly_totals.session_seconds) > 0.000001
    or abs(session_totals.foreground_seconds - hourly_totals.foreground_seconds) > 0.000001
