{{
    config(
        materialized='incremental',
        incremental_strategy='delete_insert_by_hash',
        unique_key='dedupe_key',
        unique_key_expression=validated_dedupe_key('stored'),
        unique_key_hash='dedupe_hash',
    )
}}
{#- Each raw row once, clean or with its reason: int_events_parsed's rows, and among the
    copies of one event all but one rejected as `duplicate`. -#}
{% set epoch_units = events_format_spec().epoch_units %}
{% set raw_columns = [
    'event_id', 'device_id', 'user_id', 'event_name', 'event_timestamp', 'received_at',
    'platform', 'app_version', 'timezone',
] %}
{% set clean_columns = [
    'clean_event_id', 'clean_device_id', 'clean_user_id', 'clean_event_name', 'event_at',
    'clean_received_at', 'clean_platform', 'clean_app_version', 'clean_timezone',
] %}
{% set usual_text_flags = {
    'event_timestamp': 'event_timestamp_is_usual_text',
    'received_at': 'received_at_is_usual_text',
} %}
{% set row_columns = raw_columns + ['source_file'] + clean_columns + [
    'failed_rule', 'dedupe_key', 'dedupe_hash', 'session_partition_key', 'event_us', 'read_batch',
] + usual_text_flags.values() | list %}
{#- A clean row stores a raw value only where it differs from its cleaned one (nearly never:
    a table of 100M events need not hold every id twice); rejected rows store all of it.
    The cleaned value a raw one is compared with and rebuilt from: the trimmed text, or the
    usual text of the timestamp, which is also a native timestamp's text (none for epoch
    numbers: their raw text is stored). -#}
{% set no_text = 'cast(null as ' ~ dbt.type_string() ~ ')' %}
{% set raw_equivalent = {
    'event_id': 'clean_event_id', 'device_id': 'clean_device_id', 'user_id': 'clean_user_id',
    'event_name': 'clean_event_name', 'platform': 'clean_platform',
    'app_version': 'clean_app_version', 'timezone': 'clean_timezone',
    'event_timestamp': no_text if 'event_timestamp' in epoch_units else iso_timestamp_text('event_at'),
    'received_at': no_text if 'received_at' in epoch_units else iso_timestamp_text('clean_received_at'),
} %}
{% set load_batch = next_load_batch() if execute else 1 %}
{% set new_files = new_event_files() if execute and is_incremental() else none %}

with

parsed_events as {{ not_materialized_cte() }} (

    -- a full build reads every file; an incremental one only the files not loaded yet
    select * from {{ ref('int_events_parsed') }}
    {% if new_files is not none %}
        -- (a trailing null: no file matches an empty list)
        where source_file in (
            {%- for file in new_files %}'{{ file | replace("'", "''") }}', {% endfor %}null
        )
    {% endif %}

),

repeated_ids as (

    -- ids delivered more than once, by their 64-bit hash (cheaper than 100M strings; two
    -- ids with one hash only add rows to the ranking, which partitions by the key itself)
    select {{ key_hash('clean_event_id') }} as repeated_id_hash
    from parsed_events
    group by {{ key_hash('clean_event_id') }}
    having count(*) > 1

),

keyed as {{ materialized_cte() if is_incremental() else not_materialized_cte() }} (

    -- only a row whose id repeats, or that has none, can be a copy: a full build ranks
    -- only those. The key's hash finds stored copies in incremental runs (key_hash)
    select
        parsed_events.*,
        (
            repeated_ids.repeated_id_hash is not null or parsed_events.clean_event_id is null
        ) as may_be_duplicate,
        {{ key_hash('parsed_events.dedupe_key') }} as dedupe_hash,
        {{ load_batch }} as read_batch

    from parsed_events
    left join repeated_ids
        on {{ key_hash('parsed_events.clean_event_id') }} = repeated_ids.repeated_id_hash

),

{#- Among copies of one event one is kept; the order depends only on content and file name,
    never on which run delivered the row. A native timestamp's raw text is its usual text. -#}
{% set duplicate_rank %}
    case
        when dedupe_key is null then 1
        else row_number() over (
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
                coalesce(event_timestamp, {{ raw_equivalent.event_timestamp }}) asc nulls last,
                coalesce(received_at, {{ raw_equivalent.received_at }}) asc nulls last,
                event_id asc nulls last,
                device_id asc nulls last,
                user_id asc nulls last,
                event_name asc nulls last,
                platform asc nulls last,
                app_version asc nulls last,
                timezone asc nulls last,
                source_file asc
        )
    end
{% endset %}

{% if is_incremental() %}
run_keys as {{ materialized_cte() }} (

    select distinct dedupe_key, dedupe_hash
    from keyed
    where dedupe_key is not null

),

stored_copies as {{ materialized_cte() }} (

    -- the stored rows whose key hash is one of the run's: the hash column scanned alone,
    -- then the matches read whole (macros/cross_db/key_hash.sql)
    {{ stored_rows_by_hash(this, 'dedupe_hash', 'select dedupe_hash from run_keys') }}

),

candidates as {{ materialized_cte() }} (

    -- every row of the run, ranked with the stored copies of the same events (the key
    -- itself compared), their raw text and key rebuilt where not stored. Computed before
    -- the window: DuckDB 2.0 spills tens of GB when a window reads a union with a scan of
    -- the stored table at 100M stored rows (docs/performance.md)
    select {{ row_columns | join(', ') }}
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
        false as event_timestamp_is_usual_text,
        false as received_at_is_usual_text
    from stored_copies
    where {{ validated_dedupe_key('stored_copies') }} in (select run_keys.dedupe_key from run_keys)

),
{% endif %}

classified as (

    -- the first rule a row fails, else `duplicate` for every copy of an event but the first
    {% if is_incremental() %}
        select
            {{ row_columns | join(',\n            ') }},
            coalesce(failed_rule, case when {{ duplicate_rank }} > 1 then 'duplicate' end)
                as reject_reason
        from candidates
    {% else %}
        -- one pass over all rows: only those that may be copies are ranked
        select
            {{ row_columns | join(',\n            ') }},
            failed_rule as reject_reason
        from keyed
        where not may_be_duplicate

        union all

        select
            {{ row_columns | join(',\n            ') }},
            coalesce(failed_rule, case when {{ duplicate_rank }} > 1 then 'duplicate' end)
                as reject_reason
        from keyed
        where may_be_duplicate
    {% endif %}

),

stored as (

    -- rejected rows keep all their raw text; clean rows only what differs. The dedupe
    -- key is stored where the event id does not give it (validated_dedupe_key)
    select
        {%- for raw in raw_columns %}
            case
                {%- if raw in usual_text_flags %}
                    when reject_reason is not null
                        then coalesce({{ raw }}, {{ raw_equivalent[raw] }})
                {%- else %}
                    when reject_reason is not null then {{ raw }}
                {%- endif %}
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
        {{ load_batch }} as load_batch,
        read_batch

    from classified

)

select * from stored
