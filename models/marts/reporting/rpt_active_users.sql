with

user_days as (

    -- each user's active dates (a session_date with a session of theirs), and the next one
    select
        user_key,
        session_date,
        lead(session_date) over (
            partition by user_key
            order by session_date
        ) as next_active_date

    from (
        select distinct
            user_key,
            session_date
        from {{ ref('fct_sessions') }}
    ) as active_dates

),

window_changes as (

    -- a user counts on each day whose trailing window (the day and the N - 1 days before
    -- it) holds an active date of theirs: from an active date up to its next one or N days
    -- on, whichever comes first, so each day is counted from one active date only. +1 on the
    -- first day of such a stretch, -1 on the day after its last
    select
        session_date as activity_date,
        1 as dau_change,
        1 as wau_change,
        1 as mau_change
    from user_days

    union all

    select
        session_date + 1 as activity_date,
        -1 as dau_change,
        0 as wau_change,
        0 as mau_change
    from user_days

    union all

    select
        case
            when next_active_date < session_date + 7 then next_active_date
            else session_date + 7
        end as activity_date,
        0 as dau_change,
        -1 as wau_change,
        0 as mau_change
    from user_days

    union all

    select
        case
            when next_active_date < session_date + 28 then next_active_date
            else session_date + 28
        end as activity_date,
        0 as dau_change,
        0 as wau_change,
        -1 as mau_change
    from user_days

),

daily_changes as (

    select
        activity_date,
        sum(dau_change) as dau_change,
        sum(wau_change) as wau_change,
        sum(mau_change) as mau_change

    from window_changes
    group by activity_date

),

day_spine as (

    -- every date from the first session_date to the last, empty days included
    select {{ explode_dates('first_date', 'last_date') }} as activity_date
    from (
        select
            min(session_date) as first_date,
            max(session_date) as last_date
        from user_days
    ) as bounds
    where first_date is not null

),

active_users as (

    -- the running sums of the changes are the counts of each day
    select
        day_spine.activity_date,
        cast(sum(coalesce(daily_changes.dau_change, 0)) over (
            order by day_spine.activity_date rows between unbounded preceding and current row
        ) as bigint) as dau,
        cast(sum(coalesce(daily_changes.wau_change, 0)) over (
            order by day_spine.activity_date rows between unbounded preceding and current row
        ) as bigint) as wau,
        cast(sum(coalesce(daily_changes.mau_change, 0)) over (
            order by day_spine.activity_date rows between unbounded preceding and current row
        ) as bigint) as mau

    from day_spine
    left join daily_changes
        on day_spine.activity_date = daily_changes.activity_date

)

select
    activity_date,
    dau,
    wau,
    mau,
    case when mau > 0 then dau * 1.0 / mau end as stickiness

from active_users
