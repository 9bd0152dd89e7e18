{% set cfg = app_sessions_config() %}
{% set local_hour_start = timestamp_from_epoch_us(
    local_epoch_us('hour_spine.hour_us', "'" ~ cfg.reporting_timezone ~ "'")
) %}

with

session_hours as (

    select * from {{ ref('int_session_hours') }}

),

per_hour as (

    -- sessions active in the hour, and their time inside it
    select
        hour_us,
        count(*) as active_sessions,
        sum(session_us) as session_us,
        sum(foreground_us) as foreground_us

    from session_hours
    group by hour_us

),

hour_spine as (

    -- every hour from the first session's start to the last session's end
    select
        {{ explode_us('first_hour_us', 'last_hour_us') }} as hour_us
    from (
        select
            min(hour_us) as first_hour_us,
            max(hour_us) as last_hour_us
        from per_hour
    ) as bounds
    where first_hour_us is not null

),

hourly as (

    select
        {{ timestamp_from_epoch_us('hour_spine.hour_us') }} as hour_start_utc,
        cast(extract(hour from {{ local_hour_start }}) as integer) as hour_of_day,
        cast({{ iso_day_of_week(local_hour_start) }} as integer) as day_of_week,
        coalesce(per_hour.active_sessions, 0) as active_sessions,
        coalesce(per_hour.session_us, 0) / 1000000.0 as session_seconds,
        coalesce(per_hour.foreground_us, 0) / 1000000.0 as foreground_seconds

    from hour_spine
    left join per_hour
        on hour_spine.hour_us = per_hour.hour_us

)

select * from hourly
