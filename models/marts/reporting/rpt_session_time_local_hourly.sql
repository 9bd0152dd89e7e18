{% set hour_us = 3600000000 %}
{% set day_us = 24 * hour_us %}
with

cells as (

    -- per local weekday and hour, summed over every session in its own zone
    select
        day_of_week,
        hour_of_day,
        sum(sessions_started) as sessions_started,
        sum(session_us) as session_us,
        sum(foreground_us) as foreground_us
    from {{ ref('fct_session_local_hours') }}
    group by day_of_week, hour_of_day

),

week_spine as (

    -- all 168 hours of a week, empty ones included
    select
        cast(floor(week_hour_us / {{ day_us }}) + 1 as integer) as day_of_week,
        cast(floor(week_hour_us % {{ day_us }} / {{ hour_us }}) as integer) as hour_of_day
    from (
        select {{ explode_us(0, 167 * hour_us, hour_us) }} as week_hour_us
    ) as week_hours

),

total as (

    select sum(session_us) as session_us from cells

)

select
    week_spine.day_of_week,
    week_spine.hour_of_day,
    coalesce(cells.sessions_started, 0) as sessions_started,
    coalesce(cells.session_us, 0) / 1000000.0 as session_seconds,
    coalesce(cells.foreground_us, 0) / 1000000.0 as foreground_seconds,
    case
        when total.session_us > 0 then coalesce(cells.session_us, 0) / cast(total.session_us as double)
    end as share_of_time

from week_spine
cross join total
left join cells
    on
        week_spine.day_of_week = cells.day_of_week
        and week_spine.hour_of_day = cells.hour_of_day
