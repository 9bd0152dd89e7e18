with

sessions_by_period as (

    select * from {{ ref('fct_sessions_by_period') }}

),

per_period as (

    -- how often the period's active users came back
    select
        period,
        period_start,
        count(distinct user_key) as active_users,
        count(*) as sessions,
        count(*) * 1.0 / count(distinct user_key) as sessions_per_user

    from sessions_by_period
    group by period, period_start

)

select * from per_period
