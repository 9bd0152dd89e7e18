{#
    The row-level cleaning (docs/contract.md, cleaning rules 0-4) of `relation`, raw rows
    with the columns of stg_app__raw_events: each row with its text trimmed (`clean_*`), its
    timestamps parsed (`event_at`, `clean_received_at`), the first of the rules it fails
    (`failed_rule`), its dedupe key, session partition key and `event_us`, and whether each
    raw timestamp is the usual text of its value. Every column of `relation` is kept.

    A macro, not a view: int_events_validated flags the rows that may be copies of another
    before they are parsed, so that a full build parses each row once and ranks only those;
    a view between would parse every row a second time (docs/performance.md, tried and not
    taken).
#}
{% macro parsed_raw_events(relation) %}
{%- set cfg = app_sessions_config() -%}
{#- numbers since the epoch, where the events format declares a unit (macros/formats/) -#}
{%- set epoch_units = events_format_spec().epoch_units -%}
with

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

    from {{ relation }}

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

    -- timestamps in UTC, null when absent or not a timestamp
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
    -- comparing equal; the device (or user) whose sessions it belongs to
    select
        *,
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
        -- a raw timestamp that is native, or the usual text of its parsed value with nothing
        -- trimmed, need not be stored beside it (tests/test_timestamp_fast_path.py)
        {%- for raw, fast in [('event_timestamp', 'event_at_fast'), ('received_at', 'received_at_fast')] %}
            {% if raw in epoch_units -%} false {%- else -%}
                coalesce(
                    {{ raw }}_native is not null
                    or ({{ fast }} is not null and {{ raw }} = {{ raw }}_text),
                    false
                )
            {%- endif %} as {{ raw }}_is_usual_text{% if not loop.last %},{% endif %}
        {%- endfor %}

    from checked

)

select * from identified
{% endmacro %}
