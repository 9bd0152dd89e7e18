with

sessions_by_period as (

    select * from {{ ref('fct_sessions_by_period') }}

),

per_period as (

    -- how long the period's sessions lasted, in total and in the foreground
    select
        period,
        period_start,
        count(*) as sessions,
        sum(duration_us) / 1000000.0 / count(*) as avg_duration_seconds,
        {{ median('duration_seconds') }} as median_duration_seconds,
        sum(foreground_us) / 1000000.0 / count(*) as avg_foreground_seconds,
        sum(duration_us) / 1000000.0 as total_duration_seconds,
        sum(foreground_us) / 1000000.0 as total_foreground_seconds

    from sessions_by_period
    group by period, period_start

)

select * from per_period
