{% set cfg = app_sessions_config() %}
{% set day_us = 86400000000 %}

with

as_of as (

    -- the trailing windows end at the data's as-of instant, the latest session end, so
    -- a rebuild gives the same answer
    select max({{ epoch_us('session_end_at') }}) as as_of_us
    from {{ ref('fct_sessions') }}

),

sessions as (

    -- each session with the trailing windows it falls in
    select
        fct_sessions.*,
        {{ epoch_us('fct_sessions.session_end_at') }}
        - {{ epoch_us('fct_sessions.session_start_at') }} as duration_us,
        cast(round(fct_sessions.foreground_seconds * 1000000) as bigint) as foreground_us,
        {{ epoch_us('fct_sessions.session_start_at') }}
        > as_of.as_of_us - {{ 7 * day_us }} as in_last_7_days,
        {{ epoch_us('fct_sessions.session_start_at') }}
        > as_of.as_of_us - {{ 28 * day_us }} as in_last_28_days
    from {{ ref('fct_sessions') }} as fct_sessions
    cross join as_of

),

recent_local_cells as (

    -- the user's session time per local hour and weekday over the last 28 days
    select
        sessions.user_key,
        local_hours.day_of_week,
        local_hours.hour_of_day,
        local_hours.sessions_started,
        local_hours.session_us
    from {{ ref('fct_session_local_hours') }} as local_hours
    inner join sessions
        on local_hours.session_id = sessions.session_id
    where sessions.in_last_28_days

),

{% for unit in ['hour_of_day', 'day_of_week'] %}
    usual_{{ unit }} as (

    -- the one with the most session time; ties: more sessions started, then the lowest
        select
            user_key,
            {{ unit }}
        from (
            select
                user_key,
                {{ unit }},
                row_number() over (
                    partition by user_key
                    order by sum(session_us) desc, sum(sessions_started) desc, {{ unit }} asc
                ) as preference
            from recent_local_cells
            group by user_key, {{ unit }}
        ) as ranked
        where preference = 1

    ),

{% endfor %}
users as (

    select
        user_key,
        max(user_id) as user_id,
        -- the zone of the latest session (ties: the greatest session_id)
        {{ last_by('session_timezone', ['session_start_at', 'session_id']) }} as timezone,
        min(session_start_at) as first_session_at,
        max(session_start_at) as last_session_at,
        count(*) as sessions,
        count(distinct session_date) as active_days,
        sum(duration_us) / 1000000.0 as total_duration_seconds,
        sum(foreground_us) / 1000000.0 as total_foreground_seconds,
        sum(duration_us) / 1000000.0 / count(*) as avg_duration_seconds,
        {{ median('duration_seconds') }} as median_duration_seconds,
        sum(case when in_last_7_days then 1 else 0 end) as sessions_last_7_days,
        sum(case when in_last_28_days then 1 else 0 end) as sessions_last_28_days,
        count(distinct case when in_last_28_days then session_date end) as active_days_last_28_days
    from sessions
    group by user_key

)

select
    users.*,
    usual_hour_of_day.hour_of_day as usual_local_hour,
    usual_day_of_week.day_of_week as usual_local_weekday,
    case
        when users.active_days_last_28_days >= {{ cfg.engagement_min_active_days.daily }} then 'daily'
        when users.active_days_last_28_days >= {{ cfg.engagement_min_active_days.weekly }} then 'weekly'
        when users.active_days_last_28_days >= {{ cfg.engagement_min_active_days.monthly }} then 'monthly'
        else 'dormant'
    end as engagement_segment

from users
left join usual_hour_of_day
    on users.user_key = usual_hour_of_day.user_key
left join usual_day_of_week
    on users.user_key = usual_day_of_week.user_key
