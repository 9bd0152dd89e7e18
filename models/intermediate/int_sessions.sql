{#- A view: the sessions of the contract, the timeout sessions with those longer than the cap
    replaced by their pieces. Both tables are maintained incrementally from the same restart
    points, so it is always current without being written twice. -#}
{{ config(materialized='view') }}
{% set cfg = app_sessions_config() %}

with

timeout_sessions as (

    select * from {{ ref('int_timeout_sessions') }}

),

cap_pieces as (

    select * from {{ ref('int_session_cap_pieces') }}

),

sessions as (

    -- a session exactly the cap long is not cut
    select
        session_partition_key,
        session_start_us as timeout_session_start_us,
        cast(0 as bigint) as cap_piece,
        device_id,
        session_user_id,
        session_own_timezone,
        session_start_us,
        session_end_us,
        foreground_us,
        event_count,
        platform,
        app_version,
        background_gaps,
        load_batch
    from timeout_sessions
    where session_end_us - session_start_us <= {{ cfg.max_session_us }}

    union all

    select
        session_partition_key,
        timeout_session_start_us,
        cap_piece,
        device_id,
        session_user_id,
        session_own_timezone,
        session_start_us,
        session_end_us,
        foreground_us,
        event_count,
        platform,
        app_version,
        background_gaps,
        load_batch
    from cap_pieces

)

select * from sessions
