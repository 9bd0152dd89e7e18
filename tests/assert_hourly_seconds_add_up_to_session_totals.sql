-- The hourly tables (UTC hours, and local hours in each session's zone) spread every
-- second of every session over the hours, and lose none: their totals equal
-- fct_sessions' totals, to the microsecond; the local one has all 168 weekday hours. Sums are
-- taken in integer microseconds, so the comparison is exact at any scale.
with

session_totals as (

    select
        coalesce(sum(cast(round(duration_seconds * 1000000) as bigint)), 0) as session_us,
        coalesce(sum(cast(round(foreground_seconds * 1000000) as bigint)), 0) as foreground_us
    from {{ ref('fct_sessions') }}

),

hourly_totals as (

    select
        coalesce(sum(cast(round(session_seconds * 1000000) as bigint)), 0) as session_us,
        coalesce(sum(cast(round(foreground_seconds * 1000000) as bigint)), 0) as foreground_us
    from {{ ref('rpt_session_time_hourly') }}

),

local_totals as (

    select
        coalesce(sum(cast(round(session_seconds * 1000000) as bigint)), 0) as session_us,
        coalesce(sum(cast(round(foreground_seconds * 1000000) as bigint)), 0) as foreground_us,
        count(*) as week_hours,
        coalesce(sum(sessions_started), 0) as sessions_started
    from {{ ref('rpt_session_time_local_hourly') }}

),

session_count as (

    select count(*) as sessions from {{ ref('fct_sessions') }}

)

select
    session_totals.session_us as fct_session_us,
    hourly_totals.session_us as hourly_session_us,
    session_totals.foreground_us as fct_foreground_us,
    hourly_totals.foreground_us as hourly_foreground_us,
    local_totals.session_us as local_session_us,
    local_totals.foreground_us as local_foreground_us,
    local_totals.week_hours,
    local_totals.sessions_started as local_sessions_started

from session_totals
cross join hourly_totals
cross join local_totals
cross join session_count
where
    session_totals.session_us <> hourly_totals.session_us
    or session_totals.foreground_us <> hourly_totals.foreground_us
    or session_totals.session_us <> local_totals.session_us
    or session_totals.foreground_us <> local_totals.foreground_us
    or local_totals.week_hours <> 168
    or local_totals.sessions_started <> session_count.sessions
