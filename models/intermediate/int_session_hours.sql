{{
    config(
        materialized='incremental',
        incremental_strategy='restart_tail',
        tail_column='session_start_us',
        restart_log='int_session_restarts',
        restarts_applied_table=true,
        post_hook="{{ record_restarts_applied(ref('int_session_restarts')) }}",
    )
}}
{#- Like fct_sessions, it records the restart batch it has applied: a run that rewrote no
    session of it leaves its own rows' latest batch behind the log's. -#}
{% set hour_us = 3600000000 %}
{% set restart_log = ref('int_session_restarts') %}

with

recomputed_sessions as (

    -- each session's span and background gaps; an incremental run takes the sessions
    -- int_sessions rewrote from each changed device's restart point on
    {{ rows_rewritten_from_restart_points(ref('int_sessions'), restart_log) }}

),

session_hours as (

    -- each session once for every hour from its start hour to its end hour, with
    -- the part of its span inside the hour
    select
        session_partition_key,
        session_start_us,
        hour_us,
        least(session_end_us, hour_us + {{ hour_us }})
        - greatest(session_start_us, hour_us) as session_us
    from (
        select
            session_partition_key,
            session_start_us,
            session_end_us,
            {{ explode_us(floor_us('session_start_us'), floor_us('session_end_us')) }}
                as hour_us
        from recomputed_sessions
    ) as exploded

),

gap_hours as (

    -- each gap after a background event once for every hour it touches, with the part of
    -- it inside the hour: background time, which the hour's foreground time leaves out
    select
        session_partition_key,
        session_start_us,
        hour_us,
        least(gap.end_us, hour_us + {{ hour_us }}) - greatest(gap.start_us, hour_us) as background_us
    from (
        select
            session_partition_key,
            session_start_us,
            gap,
            {{ explode_us(floor_us('gap.start_us'), floor_us('gap.end_us')) }} as hour_us
        from (
            select
                session_partition_key,
                session_start_us,
                {{ unnest_list('background_gaps') }} as gap
            from recomputed_sessions
        ) as gaps
    ) as exploded_gaps

),

background_per_session_hour as (

    select
        session_partition_key,
        session_start_us,
        hour_us,
        sum(background_us) as background_us
    from gap_hours
    group by session_partition_key, session_start_us, hour_us

),

session_hours_with_foreground as (

    select
        session_hours.session_partition_key,
        session_hours.session_start_us,
        session_hours.hour_us,
        session_hours.session_us,
        session_hours.session_us
        - coalesce(background_per_session_hour.background_us, 0) as foreground_us,
        {{ latest_restart_batch(restart_log) }} as load_batch
    from session_hours
    left join background_per_session_hour
        on
            session_hours.session_partition_key = background_per_session_hour.session_partition_key
            and session_hours.session_start_us = background_per_session_hour.session_start_us
            and session_hours.hour_us = background_per_session_hour.hour_us

)

select * from session_hours_with_foreground
