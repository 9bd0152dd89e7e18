{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='dedupe_key',
    )
}}
{% set cfg = app_sessions_config() %}
{#- A row's raw text as read and its cleaned values, carried through every step. -#}
{% set row_columns = [
    'event_id', 'device_id', 'user_id', 'event_name', 'event_timestamp', 'received_at',
    'platform', 'app_version', 'source_file',
    'clean_event_id', 'clean_device_id', 'clean_user_id', 'clean_event_name', 'event_at',
    'clean_received_at', 'clean_platform', 'clean_app_version',
] %}
{% set load_batch = next_load_batch() if execute else 1 %}
{% set new_files = new_event_files() if execute and is_incremental() else none %}

with

raw_events as (

    -- a full build reads every file; an incremental one only the files not loaded yet
    select * from {{ ref('stg_app__raw_events') }}
    {% if new_files is not none %}
        where
            {% if new_files | length == 0 %}
                false
            {% else %}
                source_file in (
                    {%- for file in new_files %}'{{ file | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor -%}
                )
            {% endif %}
    {% endif %}

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

    -- timestamps in UTC, null when absent or not a timestamp
    select
        *,
        coalesce(
            event_at_fast, {{ iso_timestamp_parts_to_utc('event_timestamp_parts') }}
        ) as event_at,
        coalesce(
            received_at_fast, {{ iso_timestamp_parts_to_utc('received_at_parts') }}
        ) as clean_received_at

    from timestamps_split

),

checked as (

    -- the first of the row-level cleaning rules a row fails, in the contract's order
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

keyed as (

    -- what makes two rows the same event: its id, or (without one) its content,
    -- nulls comparing equal; the device (or user) whose sessions it belongs to
    select
        {{ row_columns | join(',\n        ') }},
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
        coalesce('device:' || clean_device_id, 'user:' || clean_user_id) as session_partition_key,
        {{ epoch_us('event_at') }} as event_us

    from checked

),

candidates as {{ materialized_cte() }} (

    -- this run's rows, and the stored rows they compete with for the same event
    select * from keyed
    {% if is_incremental() %}

        union all

        select
            {{ row_columns | join(',\n            ') }},
            cast(null as {{ dbt.type_string() }}) as failed_rule,
            dedupe_key,
            session_partition_key,
            event_us
        from {{ this }}
        where dedupe_key in (select keyed.dedupe_key from keyed where keyed.dedupe_key is not null)
    {% endif %}

),

contested_keys as (

    -- events delivered more than once: only these need ranking, so the sort below
    -- sees the copies, not the whole history
    select dedupe_key
    from candidates
    where dedupe_key is not null
    group by dedupe_key
    having count(*) > 1

),

ranked_copies as (

    -- one copy per event is kept; the order depends only on content and file name,
    -- never on which run delivered the row
    select
        candidates.*,
        row_number() over (
            partition by candidates.dedupe_key
            order by
                candidates.clean_received_at asc nulls last,
                candidates.event_at asc,
                candidates.clean_device_id asc nulls last,
                candidates.clean_user_id asc nulls last,
                candidates.clean_event_name asc nulls last,
                candidates.clean_platform asc nulls last,
                candidates.clean_app_version asc nulls last,
                candidates.event_timestamp asc nulls last,
                candidates.received_at asc nulls last,
                candidates.event_id asc nulls last,
                candidates.device_id asc nulls last,
                candidates.user_id asc nulls last,
                candidates.event_name asc nulls last,
                candidates.platform asc nulls last,
                candidates.app_version asc nulls last,
                candidates.source_file asc
        ) as duplicate_rank

    from candidates
    inner join contested_keys
        on candidates.dedupe_key = contested_keys.dedupe_key

),

ranked_duplicates as (

    select
        candidates.*,
        1 as duplicate_rank
    from candidates
    where not exists (
            select 1
            from contested_keys
            where contested_keys.dedupe_key = candidates.dedupe_key
        )

    union all

    select * from ranked_copies

),

classified as (

    select
        {{ row_columns | join(',\n        ') }},
        dedupe_key,
        session_partition_key,
        event_us,
        coalesce(
            failed_rule,
            case when duplicate_rank > 1 then 'duplicate' end
        ) as reject_reason,
        {{ load_batch }} as load_batch

    from ranked_duplicates

)

select * from classified
