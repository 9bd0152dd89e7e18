{{
    config(
        materialized='incremental',
        incremental_strategy='restart_tail',
        restart_points='stitched_user',
        restart_log='int_session_restarts',
        recomputed_sessions='int_sessions',
        device_key=session_partition_key('stored.device_id', 'stored.user_id'),
        tail_expression=epoch_us('stored.session_start_at'),
        restarts_applied_table=true,
        post_hook="{{ record_restarts_applied(ref('int_session_restarts')) }}",
        contract={'enforced': target.type == 'duckdb'},
        on_schema_change='fail',
    )
}}
{#- The contract (_marts__models.yml) is DuckDB's: it stores the random session ids
    uncompressed (docs/performance.md, "Random ids are stored uncompressed") -#}
{% set cfg = app_sessions_config() %}
{% set reporting_zone = "'" ~ cfg.reporting_timezone ~ "'" %}
{% set restart_log = ref('int_session_restarts') %}

with

sessions as (

    -- an incremental run reads every session of each changed device: numbers and
    -- stitched users span the device
    select * from {{ ref('int_sessions') }}
    {% if is_incremental() %}
        where session_partition_key in (
            select restarts.session_partition_key
            from ({{ pending_restarts(this, restart_log) }}) as restarts
        )
    {% endif %}

),

users_stitched as (

    -- a session with no user (time zone) of its own takes the device's latest known
    -- user (zone; else the reporting zone); the sessions of a device are numbered in
    -- order of their start
    select
        *,
        coalesce(
            session_user_id,
            {{ last_non_null_by('session_user_id', 'session_start_us') }} over (
                partition by session_partition_key
            )
        ) as user_id,
        coalesce(
            session_own_timezone,
            {{ last_non_null_by('session_own_timezone', 'session_start_us') }} over (
                partition by session_partition_key
            ),
            {{ reporting_zone }}
        ) as session_timezone,
        row_number() over (
            partition by session_partition_key
            order by session_start_us
        ) as session_number

    from sessions

),

sessions_to_write as (

    -- and writes each device's sessions from its restart point on: from its first
    -- session when its latest known user or zone changed
    -- (macros/incremental/stitched_user_restart_points.sql)
    select users_stitched.*
    from users_stitched
    {% if is_incremental() %}
        inner join ({{ stitched_user_restart_points(this, restart_log, ref('int_sessions')) }}) as restarts
            on
                users_stitched.session_partition_key = restarts.session_partition_key
                and users_stitched.session_start_us >= restarts.restart_us
    {% endif %}

),

final as (

    select
        {{ session_id('session_partition_key', 'session_start_us') }} as session_id,
        device_id,
        user_id,
        coalesce(user_id, 'device:' || device_id) as user_key,
        {{ timestamp_from_epoch_us('session_start_us') }} as session_start_at,
        {{ timestamp_from_epoch_us('session_end_us') }} as session_end_at,
        (session_end_us - session_start_us) / 1000000.0 as duration_seconds,
        foreground_us / 1000000.0 as foreground_seconds,
        event_count,
        cast(
            {{ timestamp_from_epoch_us(local_epoch_us('session_start_us', reporting_zone)) }}
            as date
        ) as session_date,
        platform,
        app_version,
        session_number,
        session_timezone,
        {{ timestamp_from_epoch_us(local_epoch_us('session_start_us', 'session_timezone')) }}
            as session_start_local

    from sessions_to_write

)

select * from final
