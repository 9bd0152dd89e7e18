{#- Each session's time split at the local hour boundaries of its own zone
    (docs/contract.md, rpt_session_time_local_hourly): one row per session and local
    (ISO weekday, hour of day) it touches, times in integer microseconds so sums are
    exact. Read by the local-time report and dim_users. An incremental run recomputes every
    session of each restarted device (strategy replace_sessions, which also drops the rows
    of sessions gone): not only those from its restart point on, since a session without a
    zone of its own takes the device's latest, which a late event can change. -#}
{#- The contract (_marts__models.yml) is DuckDB's: it stores the random session ids
    uncompressed (docs/performance.md, "Random ids are stored uncompressed") -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_sessions',
        sessions='fct_sessions',
        restarts_applied_table=true,
        post_hook="{{ record_restarts_applied(ref('int_session_restarts')) }}",
        contract={'enforced': target.type == 'duckdb'},
        on_schema_change='fail',
    )
}}
{% set restart_log = ref('int_session_restarts') %}
{% set minute_us = 60000000 %}
{% set hour_us = 3600000000 %}
{% set part_start_local = timestamp_from_epoch_us('part_start_local_us') %}

with

{#- read by both branches of `parts`, which filter it: computed per branch in a full build;
    once in an incremental one, for the few devices it recomputes #}
sessions as {{ materialized_cte() if is_incremental() else not_materialized_cte() }} (

    -- the zone's UTC offset at the session's start and at its end: they differ only
    -- for a session across a change of offset (daylight saving time)
    select
        session_id,
        session_timezone,
        start_us,
        end_us,
        {{ local_epoch_us('start_us', 'session_timezone') }} - start_us as start_offset_us,
        {{ local_epoch_us('end_us', 'session_timezone') }} - end_us as end_offset_us
    from (
        select
            current_sessions.session_id,
            current_sessions.session_timezone,
            {{ epoch_us('current_sessions.session_start_at') }} as start_us,
            {{ epoch_us('current_sessions.session_end_at') }} as end_us
        from {{ ref('fct_sessions') }} as current_sessions
        {% if is_incremental() %}
            -- an incremental run: every session of each restarted device
            inner join ({{ pending_restarts(this, restart_log) }}) as restarts
                on
                    {{ session_partition_key('current_sessions.device_id', 'current_sessions.user_id') }}
                    = restarts.session_partition_key
        {% endif %}
    ) as spans

),

parts as (

    -- each session cut so that every part lies inside one local hour and has one offset:
    -- at the instants where a local hour starts; for a session across a change of offset
    -- (rare), at every whole UTC minute instead (offsets and their changes fall on whole
    -- minutes, not always on a local hour: Chatham's at 03:45). Each part with its
    -- local start: the session's one offset added, or the zone's rules at that instant
    select
        session_id,
        greatest(start_us, local_hour_us - start_offset_us) as part_start_us,
        least(end_us, local_hour_us - start_offset_us + {{ hour_us }}) as part_end_us,
        local_hour_us <= start_us + start_offset_us as is_session_start,
        greatest(start_us + start_offset_us, local_hour_us) as part_start_local_us
    from (
        select
            *,
            {{ explode_us(floor_us('start_us + start_offset_us'), floor_us('end_us + start_offset_us')) }}
                as local_hour_us
        from sessions
        where start_offset_us = end_offset_us
    ) as local_hours
    union all
    select
        session_id,
        part_start_us,
        least(end_us, minute_us + {{ minute_us }}) as part_end_us,
        part_start_us = start_us as is_session_start,
        {{ local_epoch_us('part_start_us', 'session_timezone') }} as part_start_local_us
    from (
        select
            *,
            greatest(start_us, minute_us) as part_start_us
        from (
            select
                *,
                {{ explode_us(floor_us('start_us', minute_us), floor_us('end_us', minute_us), minute_us) }}
                    as minute_us
            from sessions
            where start_offset_us <> end_offset_us
        ) as exploded
    ) as minutes

),

background_gaps as (

    -- the gaps inside sessions that follow a background event: a part's foreground
    -- time is its length less its share of these (few) gaps
    select
        {{ session_id('session_partition_key', 'session_start_us') }} as session_id,
        gap.start_us as gap_start_us,
        gap.end_us as gap_end_us
    from (
        select
            session_partition_key,
            session_start_us,
            {{ unnest_list('background_gaps') }} as gap
        from {{ ref('int_sessions') }}
        {% if is_incremental() %}
            -- the recomputed devices' (every session of each)
            where
                session_partition_key in (
                    select restarts.session_partition_key
                    from ({{ pending_restarts(this, restart_log) }}) as restarts
                )
        {% endif %}
    ) as gaps

),

parts_with_background as (

    select
        parts.session_id,
        parts.is_session_start,
        parts.part_start_local_us,
        parts.part_end_us - parts.part_start_us as session_us,
        -- (least and greatest skip nulls: a part without a gap must add nothing)
        coalesce(sum(
            case
                when background_gaps.session_id is not null
                    then
                        least(parts.part_end_us, background_gaps.gap_end_us)
                        - greatest(parts.part_start_us, background_gaps.gap_start_us)
            end
        ), 0) as background_us
    from parts
    left join background_gaps
        on
            parts.session_id = background_gaps.session_id
            and parts.part_end_us > background_gaps.gap_start_us
            and parts.part_start_us < background_gaps.gap_end_us
    -- a session ending on a cut leaves an empty last part: not an hour it spends time in
    where parts.part_end_us > parts.part_start_us or parts.is_session_start
    group by
        parts.session_id,
        parts.is_session_start,
        parts.part_start_local_us,
        parts.part_start_us,
        parts.part_end_us

),

local_cells as (

    select
        session_id,
        cast({{ iso_day_of_week(part_start_local) }} as integer) as day_of_week,
        cast(extract(hour from {{ part_start_local }}) as integer) as hour_of_day,
        max(case when is_session_start then 1 else 0 end) as sessions_started,
        cast(sum(session_us) as bigint) as session_us,
        cast(sum(session_us - background_us) as bigint) as foreground_us
    from parts_with_background
    group by
        session_id,
        cast({{ iso_day_of_week(part_start_local) }} as integer),
        cast(extract(hour from {{ part_start_local }}) as integer)

)

select * from local_cells
