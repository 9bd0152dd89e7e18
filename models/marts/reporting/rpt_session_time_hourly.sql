{% set cfg = app_sessions_config() %}
{% set hour_us = 3600000000 %}

with

sessions as (

    select * from {{ ref('fct_sessions') }}

),

sessionized_events as (

    select * from {{ ref('int_events_sessionized') }}

),

session_spans as (

    select
        {{ epoch_us('session_start_at') }} as start_us,
        {{ epoch_us('session_end_at') }} as end_us

    from sessions

),

session_hours as (

    -- each session once for every hour from its start hour to its end hour
    select
        start_us,
        end_us,
        {{ explode_hours_us(hour_floor_us('start_us'), hour_floor_us('end_us')) }} as hour_us

    from session_spans

),

session_time_per_hour as (

    -- sessions active in the hour, and the part of their span inside it
    select
        hour_us,
        count(*) as active_sessions,
        sum(
            least(end_us, hour_us + {{ hour_us }}) - greatest(start_us, hour_us)
        ) as session_us

    from session_hours
    group by hour_us

),

foreground_gaps as (

    -- the gaps that count as foreground time, with the hour each starts and ends in
    select
        previous_event_us as gap_start_us,
        event_us as gap_end_us,
        {{ hour_floor_us('previous_event_us') }} as first_hour_us,
        {{ hour_floor_us('event_us') }} as last_hour_us

    from sessionized_events
    where foreground_gap_us > 0

),

gap_hours as (

    -- most gaps lie inside one hour and need no exploding; the rest are cut per hour
    select
        first_hour_us as hour_us,
        gap_end_us - gap_start_us as foreground_us
    from foreground_gaps
    where first_hour_us = last_hour_us

    union all

    select
        hour_us,
        least(gap_end_us, hour_us + {{ hour_us }}) - greatest(gap_start_us, hour_us) as foreground_us
    from (
        select
            gap_start_us,
            gap_end_us,
            {{ explode_hours_us('first_hour_us', 'last_hour_us') }} as hour_us
        from foreground_gaps
        where first_hour_us <> last_hour_us
    ) as spanning_gaps

),

foreground_time_per_hour as (

    select
        hour_us,
        sum(foreground_us) as foreground_us

    from gap_hours
    group by hour_us

),

hour_spine as (

    -- every hour from the first session's start to the last session's end
    select
        {{ explode_hours_us('first_hour_us', 'last_hour_us') }} as hour_us
    from (
        select
            min({{ hour_floor_us('start_us') }}) as first_hour_us,
            max({{ hour_floor_us('end_us') }}) as last_hour_us
        from session_spans
    ) as bounds
    where first_hour_us is not null

),

hourly as (

    select
        {{ timestamp_from_epoch_us('hour_spine.hour_us') }} as hour_start_utc,
        cast(extract(hour from {{
            utc_to_local(timestamp_from_epoch_us('hour_spine.hour_us'), cfg.reporting_timezone)
        }}) as integer) as hour_of_day,
        cast({{ iso_day_of_week(
            utc_to_local(timestamp_from_epoch_us('hour_spine.hour_us'), cfg.reporting_timezone)
        ) }} as integer) as day_of_week,
        coalesce(session_time_per_hour.active_sessions, 0) as active_sessions,
        coalesce(session_time_per_hour.session_us, 0) / 1000000.0 as session_seconds,
        coalesce(foreground_time_per_hour.foreground_us, 0) / 1000000.0 as foreground_seconds

    from hour_spine
    left join session_time_per_hour
        on hour_spine.hour_us = session_time_per_hour.hour_us
    left join foreground_time_per_hour
        on hour_spine.hour_us = foreground_time_per_hour.hour_us

)

select * from hourly
