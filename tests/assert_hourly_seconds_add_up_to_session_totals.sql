-- The hourly table spreads every second of every session over the hours, and
-- loses none: its totals equal fct_sessions' totals, to the microsecond. Sums are
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

)

select
    session_totals.session_us as fct_session_us,
    hourly_totals.session_us as hourly_session_us,
    session_totals.foreground_us as fct_foreground_us,
    hourly_totals.foreground_us as hourly_foreground_us

from session_totals
cross join hourly_totals
where
    session_totals.session_us <> hourly_totals.session_us
    or session_totals.foreground_us <> hourly_totals.foreground_us
