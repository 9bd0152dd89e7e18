{{
    config(
        materialized='incremental',
        incremental_strategy='delete_insert_by_hash',
        unique_key='dedupe_key',
        unique_key_expression=validated_dedupe_key('stored'),
        unique_key_hash='dedupe_hash',
    )
}}
{% set cfg = app_sessions_config() %}
{#- numbers since the epoch, where the events format declares a unit (macros/formats/) -#}
{% set epoch_units = events_format_spec().epoch_units %}
{#- A row's raw text as read and its cleaned values, carried through every step. -#}
{% set raw_columns = [
    'event_id', 'device_id', 'user_id', 'event_name', 'event_timestamp', 'received_at',
    'platform', 'app_version', 'timezone',
] %}
{% set clean_columns = [
    'clean_event_id', 'clean_device_id', 'clean_user_id', 'clean_event_name', 'event_at',
    'clean_received_at', 'clean_platform', 'clean_app_version', 'clean_timezone',
] %}
{% set row_columns = raw_columns + ['source_file'] + clean_columns %}
{#- A clean row stores a raw value only where it differs from the cleaned one (nearly
    never): the raw text is for the quarantine, and a table of 100M events need not hold
    every id and timestamp twice. Rejected rows store all of it. -#}
{#- the cleaned value each raw value is compared with: the trimmed text, or the
    usual text of the parsed timestamp (none for a column of epoch numbers: its raw
    text is stored) -#}
{% set timestamp_columns = {'event_timestamp': 'event_at', 'received_at': 'clean_received_at'} %}
{% set raw_equivalent = {} %}
{% for raw in raw_columns %}
    {% if raw in epoch_units %}
        {% do raw_equivalent.update({raw: 'cast(null as ' ~ dbt.type_string() ~ ')'}) %}
    {% elif raw in timestamp_columns %}
        {% do raw_equivalent.update({raw: iso_timestamp_text(timestamp_columns[raw])}) %}
    {% else %}
        {% do raw_equivalent.update({raw: 'clean_' ~ raw}) %}
    {% endif %}
{% endfor %}
{#- a raw timestamp the fast path parsed, with nothing trimmed, is the usual text of its
    value: strftime of the value gives it back (tests/test_timestamp_fast_path.py), so
    no row needs that formatted text to be compared with (never so in a column of epoch
    numbers) -#}
{% set usual_text_flags = {
    'event_timestamp': 'event_timestamp_is_usual_text',
    'received_at': 'received_at_is_usual_text',
} %}
{% set load_batch = next_load_batch() if execute else 1 %}
{% set new_files = new_event_files() if execute and is_incremental() else none %}

with

raw_events as {{ not_materialized_cte() }} (

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

repeated_ids as (

    -- ids delivered more than once: a superset of the duplicated events (a copy may
    -- still fail a rule). Only rows with such an id, or with no id, can be duplicates,
    -- so a full build ranks only them, and the rest never waits for a sort. Grouped by
    -- the id's 64-bit hash, cheaper than 100M strings: two ids with one hash only add
    -- rows to the ranking, which partitions by the key itself
    select {{ key_hash(trim_to_null('event_id')) }} as repeated_id_hash
    from raw_events
    group by {{ key_hash(trim_to_null('event_id')) }}
    having count(*) > 1

),

flagged as {{ not_materialized_cte() }} (

    select
        raw_events.*,
        (
            repeated_ids.repeated_id_hash is not null
            or {{ trim_to_null('raw_events.event_id') }} is null
        ) as may_be_duplicate

    from raw_events
    left join repeated_ids
        on {{ key_hash(trim_to_null('raw_events.event_id')) }} = repeated_ids.repeated_id_hash

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

    from flagged

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

    -- what makes two rows the same event: its id, or (without one) its content,
    -- nulls comparing equal; the device (or user) whose sessions it belongs to
    select
        {%- for column in row_columns %}
            {%- if column in usual_text_flags %}
                -- a native timestamp's text (its usual text) only where a row can need it:
                -- in the quarantine, or to rank copies
                coalesce(
                    {{ column }},
                    case
                        when failed_rule is not null
                            or {{ 'true' if is_incremental() else 'may_be_duplicate' }}
                            then {{ iso_timestamp_text(column ~ '_native') }}
                    end
                ) as {{ column }},
            {%- else %}
                {{ column }},
            {%- endif %}
        {%- endfor %}
        failed_rule,
        may_be_duplicate,
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
        {{ load_batch }} as read_batch,
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

),

keyed as {{ materialized_cte() if is_incremental() else not_materialized_cte() }} (

    -- the key's 64-bit hash: incremental runs find stored copies by it (macros/cross_db/key_hash.sql)
    select
        *,
        {{ key_hash('dedupe_key') }} as dedupe_hash

    from identified

),

{#- Among copies of one event one is kept; the order depends only on content and file
    name, never on which run delivered the row. -#}
{% set copy_order %}
    partition by dedupe_key
    order by
        clean_received_at asc nulls last,
        event_at asc,
        clean_device_id asc nulls last,
        clean_user_id asc nulls last,
        clean_event_name asc nulls last,
        clean_platform asc nulls last,
        clean_app_version asc nulls last,
        clean_timezone asc nulls last,
        event_timestamp asc nulls last,
        received_at asc nulls last,
        event_id asc nulls last,
        device_id asc nulls last,
        user_id asc nulls last,
        event_name asc nulls last,
        platform asc nulls last,
        app_version asc nulls last,
        timezone asc nulls last,
        source_file asc
{% endset %}
{% set duplicate_rank %}
    case
        when dedupe_key is null then 1
        else row_number() over ({{ copy_order }})
    end as duplicate_rank
{% endset %}
{% set ranked_columns %}
    {{ (row_columns + [
        'failed_rule', 'dedupe_key', 'dedupe_hash', 'session_partition_key', 'event_us',
        'read_batch',
    ] + usual_text_flags.values() | list) | join(',\n            ') }}
{% endset %}

{% if is_incremental() %}
run_keys as {{ materialized_cte() }} (

    select distinct dedupe_key, dedupe_hash
    from keyed
    where dedupe_key is not null

),

stored_copies as {{ materialized_cte() }} (

    -- the stored rows whose key hash is one of the run's: found by scanning the hash
    -- column alone, then read whole (macros/cross_db/key_hash.sql)
    {{ stored_rows_by_hash(this, 'dedupe_hash', 'select dedupe_hash from run_keys') }}

),

candidates as {{ materialized_cte() }} (

    -- a run's rows are few: all of them are ranked with the stored copies of the
    -- same events (the key itself compared: a hash collision adds nothing), whose raw
    -- text and key are rebuilt where they were not stored. Computed once before the
    -- ranking window: DuckDB 2.0 spills tens of GB when the window reads a union with a
    -- scan of the stored table directly at 100M stored rows (docs/performance.md)
    select {{ ranked_columns }}
    from keyed

    union all

    select
        {%- for raw in raw_columns %}
            coalesce({{ raw }}, {{ raw_equivalent[raw] }}) as {{ raw }},
        {%- endfor %}
        source_file,
        {{ clean_columns | join(', ') }},
        cast(null as {{ dbt.type_string() }}) as failed_rule,
        {{ validated_dedupe_key('stored_copies') }} as dedupe_key,
        dedupe_hash,
        session_partition_key,
        event_us,
        read_batch,
        {%- for flag in usual_text_flags.values() %}
            false as {{ flag }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from stored_copies
    where {{ validated_dedupe_key('stored_copies') }} in (select run_keys.dedupe_key from run_keys)

),
{% endif %}

ranked_duplicates as (

    {% if is_incremental() %}
        select
            {{ ranked_columns }},
            {{ duplicate_rank }}
        from candidates
    {% else %}
        -- one pass over all rows: only those that may be copies are ranked
        select
            {{ ranked_columns }},
            1 as duplicate_rank
        from keyed
        where not may_be_duplicate

        union all

        select
            {{ ranked_columns }},
            {{ duplicate_rank }}
        from keyed
        where may_be_duplicate
    {% endif %}

),

classified as (

    select
        {{ row_columns | join(',\n        ') }},
        dedupe_key,
        dedupe_hash,
        session_partition_key,
        event_us,
        read_batch,
        {{ usual_text_flags.values() | join(',\n        ') }},
        coalesce(
            failed_rule,
            case when duplicate_rank > 1 then 'duplicate' end
        ) as reject_reason,
        {{ load_batch }} as load_batch

    from ranked_duplicates

),

stored as (

    -- rejected rows keep all their raw text; clean rows only what differs. The dedupe
    -- key is stored where the event id does not give it (macros/parsing/validated_dedupe_key.sql)
    select
        {%- for raw in raw_columns %}
            case
                when reject_reason is not null then {{ raw }}
                {%- if raw in usual_text_flags %}
                    when {{ usual_text_flags[raw] }} then null
                {%- endif %}
                when {{ raw }} = {{ raw_equivalent[raw] }} then null
                else {{ raw }}
            end as {{ raw }},
        {%- endfor %}
        source_file,
        {{ clean_columns | join(',\n        ') }},
        case when clean_event_id is null then dedupe_key end as dedupe_key,
        dedupe_hash,
        session_partition_key,
        event_us,
        reject_reason,
        load_batch,
        read_batch

    from classified

)

select * from stored
