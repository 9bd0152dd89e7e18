{{ config(materialized='view') }}
{% set period_starts = {
    'day': 'session_date',
    'week': 'cast(' ~ dbt.date_trunc('week', 'session_date') ~ ' as date)',
    'month': 'cast(' ~ dbt.date_trunc('month', 'session_date') ~ ' as date)',
} %}

with

fct_sessions as (

    select * from {{ ref('fct_sessions') }}

),

sessions as (

    -- durations back in integer microseconds, so sums over a period are exact
    select
        session_id,
        user_key,
        session_date,
        duration_seconds,
        foreground_seconds,
        cast(round(duration_seconds * 1000000) as bigint) as duration_us,
        cast(round(foreground_seconds * 1000000) as bigint) as foreground_us

    from fct_sessions

),

periods as (

    -- each session once per reporting grain, under the date that starts the
    -- period in the reporting time zone (weeks start on Monday)
    {% for period, period_start in period_starts.items() %}
        select
            '{{ period }}' as period,
            {{ period_start }} as period_start,
            session_id,
            user_key,
            duration_seconds,
            foreground_seconds,
            duration_us,
            foreground_us
        from sessions
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from periods
