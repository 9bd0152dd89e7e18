{{ config(materialized='table') }}

{% set cfg = app_sessions_config() %}

with

raw_events as (

    select * from {{ ref('stg_app__raw_events') }}

),

trimmed as (

    -- strings trimmed, blank is null; timestamps split into their ISO-8601 fields
    select
        *,
        {{ trim_to_null('event_id') }} as clean_event_id,
        {{ trim_to_null('device_id') }} as clean_device_id,
        {{ trim_to_null('user_id') }} as clean_user_id,
        {{ trim_to_null('event_name') }} as clean_event_name,
        {{ trim_to_null('platform') }} as clean_platform,
        {{ trim_to_null('app_version') }} as clean_app_version,
        {{ iso_timestamp_parts(trim_to_null('event_timestamp')) }} as event_timestamp_parts,
        {{ iso_timestamp_parts(trim_to_null('received_at')) }} as received_at_parts

    from raw_events

),

parsed as (

    -- timestamps in UTC, null when absent or not a timestamp
    select
        *,
        {{ iso_timestamp_parts_to_utc('event_timestamp_parts') }} as event_at,
        {{ iso_timestamp_parts_to_utc('received_at_parts') }} as clean_received_at

    from trimmed

),

checked as (

    -- the first cleaning rule a row fails, in the contract's order; null if none
    select
        *,
        case
            when clean_event_name is null then 'missing_event_name'
            when clean_device_id is null and clean_user_id is null then 'missing_identity'
            when event_at is null then 'invalid_timestamp'
            when
                clean_received_at is not null
                and {{ epoch_us('event_at') }} - {{ epoch_us('clean_received_at') }}
                > {{ cfg.max_clock_skew_us }}
                then 'future_timestamp'
        end as failed_rule

    from parsed

),

ranked_duplicates as (

    -- among rows that passed, one row per event_id (or per device, user, name and
    -- time when event_id is null); the order depends only on content
    select
        *,
        row_number() over (
            partition by
                failed_rule,
                clean_event_id,
                case when clean_event_id is null then clean_device_id end,
                case when clean_event_id is null then clean_user_id end,
                case when clean_event_id is null then clean_event_name end,
                case when clean_event_id is null then event_at end
            order by
                clean_received_at asc nulls last,
                event_at asc,
                clean_device_id asc nulls last,
                clean_user_id asc nulls last,
                clean_event_name asc nulls last,
                clean_platform asc nulls last,
                clean_app_version asc nulls last,
                event_timestamp asc nulls last,
                received_at asc nulls last,
                event_id asc nulls last,
                device_id asc nulls last,
                user_id asc nulls last,
                event_name asc nulls last,
                platform asc nulls last,
                app_version asc nulls last
        ) as duplicate_rank

    from checked

),

classified as (

    select
        event_id,
        device_id,
        user_id,
        event_name,
        event_timestamp,
        received_at,
        platform,
        app_version,
        source_file,
        clean_event_id,
        clean_device_id,
        clean_user_id,
        clean_event_name,
        event_at,
        clean_received_at,
        clean_platform,
        clean_app_version,
        coalesce(
            failed_rule,
            case when duplicate_rank > 1 then 'duplicate' end
        ) as reject_reason

    from ranked_duplicates

)

select * from classified
