{#
    A view: every raw row with its cleaned values, the first row-level rule it fails and the
    key that makes two rows the same event. Row by row only (nothing here looks at another
    row), so a filter on it, such as the files an incremental run reads, reaches the scan.
    int_events_validated finds the duplicates and stores the rows.
#}
{{ config(materialized='view') }}
{% set cfg = app_sessions_config() %}
{#- numbers since the epoch, where the events format declares a unit (macros/formats/) -#}
{% set epoch_units = events_format_spec().epoch_units %}

with

raw_events as (

    select * from {{ ref('stg_app__raw_events') }}

),

trimmed as (

    -- strings trimmed, blank is null
    select
        *,
        {{ trim_to_null('event_id') }} as clean_event_id,
        {{ trim_to_null('device_id') }} as clean_device_id,
        {{ trim_to_null('user_id') }} as clean_user_id,
        {{ trim_to_null('event_name') }} as clean_event_name,
        {{ trim_to_null('platform') }} as clean_platform,
        {{ trim_to_null('app_version') }} as clean_app_version,
        {{ trim_to_null('timezone') }} as clean_timezone,
        {{ trim_to_null('event_timestamp') }} as event_timestamp_text,
        {{ trim_to_null('received_at') }} as received_at_text

    from raw_events

),

timestamps_fast as (

    -- the common export format parses in one step
    select
        *,
        {{ iso_timestamp_fast('event_timestamp_text') }} as event_at_fast,
        {{ iso_timestamp_fast('received_at_text') }} as received_at_fast

    from trimmed

),

timestamps_split as (

    -- any other text is split into its ISO-8601 fields for the general parser
    select
        *,
        case
            when event_at_fast is null then {{ iso_timestamp_parts('event_timestamp_text') }}
        end as event_timestamp_parts,
        case
            when received_at_fast is null then {{ iso_timestamp_parts('received_at_text') }}
        end as received_at_parts

    from timestamps_fast

),

parsed as (

    -- timestamps in UTC, null when absent or not a timestamp; a native timestamp as it is
    select
        *,
        coalesce(
            event_timestamp_native,
            event_at_fast,
            {{ iso_timestamp_parts_to_utc('event_timestamp_parts') }}
            {%- if 'event_timestamp' in epoch_units %},
                {{ epoch_text_to_timestamp('event_timestamp_text', epoch_units.event_timestamp) }}
            {%- endif %}
        ) as event_at,
        coalesce(
            received_at_native,
            received_at_fast,
            {{ iso_timestamp_parts_to_utc('received_at_parts') }}
            {%- if 'received_at' in epoch_units %},
                {{ epoch_text_to_timestamp('received_at_text', epoch_units.received_at) }}
            {%- endif %}
        ) as clean_received_at

    from timestamps_split

),

checked as (

    -- the first of the row-level cleaning rules a row fails, in the contract's order
    select
        *,
        case
            when not is_event then 'not_an_event'
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

identified as (

    -- what makes two rows the same event: its id, or (without one) its content, nulls
    -- comparing equal; the device (or user) whose sessions it belongs to. A raw timestamp
    -- the fast path parsed, with nothing trimmed, is the usual text of its value (as is a
    -- native one's): strftime of the value gives it back (tests/test_timestamp_fast_path.py),
    -- so no row need store it (never so in a column of epoch numbers)
    select
        event_id,
        device_id,
        user_id,
        event_name,
        event_timestamp,
        received_at,
        platform,
        app_version,
        timezone,
        source_file,
        clean_event_id,
        clean_device_id,
        clean_user_id,
        clean_event_name,
        event_at,
        clean_received_at,
        clean_platform,
        clean_app_version,
        clean_timezone,
        event_timestamp_native,
        received_at_native,
        failed_rule,
        case
            when failed_rule is not null then null
            when clean_event_id is not null then 'id:' || clean_event_id
            else 'content:' || md5(
                    {{ length_prefixed('clean_device_id') }}
                    || {{ length_prefixed('clean_user_id') }}
                    || {{ length_prefixed('clean_event_name') }}
                    || cast({{ epoch_us('event_at') }} as {{ dbt.type_string() }})
                )
        end as dedupe_key,
        {{ session_partition_key('clean_device_id', 'clean_user_id') }} as session_partition_key,
        -- null where a rule failed: a timestamp a year ahead would widen every row group's
        -- zone map, and incremental runs skip old row groups by it (docs/incremental.md)
        case when failed_rule is null then {{ epoch_us('event_at') }} end as event_us,
        {% if 'event_timestamp' in epoch_units -%} false {%- else -%}
            coalesce(
                event_timestamp_native is not null
                or (event_at_fast is not null and event_timestamp = event_timestamp_text),
                false
            )
        {%- endif %} as event_timestamp_is_usual_text,
        {% if 'received_at' in epoch_units -%} false {%- else -%}
            coalesce(
                received_at_native is not null
                or (received_at_fast is not null and received_at = received_at_text),
                false
            )
        {%- endif %} as received_at_is_usual_text

    from checked

)

select * from identified
