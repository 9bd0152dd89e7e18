{{ config(
    materialized='incremental', incremental_strategy='delete_insert_by_hash',
    unique_key='dedupe_key', unique_key_expression=validated_dedupe_key('stored'),
    unique_key_hash='dedupe_hash', contract={'enforced': target.type == 'duckdb'},
    on_schema_change='fail',
) }}
{#- The contract (_int__models.yml) is DuckDB's: its column types, and how clean_event_id is
    stored, which only a table created from declared columns can choose -#}
{% set raw_columns = [
    'event_id', 'device_id', 'user_id', 'event_name', 'event_timestamp', 'received_at',
    'platform', 'app_version', 'timezone',
] %}
{% set clean_columns = [
    'clean_event_id', 'clean_device_id', 'clean_user_id', 'clean_event_name', 'event_at',
    'clean_received_at', 'clean_platform', 'clean_app_version', 'clean_timezone',
] %}
{% set parsed_timestamps = {'event_timestamp': 'event_at', 'received_at': 'clean_received_at'} %}
{#- a raw timestamp's text: a native one's is the usual text of its value, computed only where
    a row needs it (to rank copies, in the quarantine) -#}
{% set raw_timestamp_text = {
    'event_timestamp': 'coalesce(event_timestamp, ' ~ iso_timestamp_text('event_timestamp_native') ~ ')',
    'received_at': 'coalesce(received_at, ' ~ iso_timestamp_text('received_at_native') ~ ')',
} %}
{% set parsed_columns = raw_columns + ['event_timestamp_native', 'received_at_native', 'source_file']
    + clean_columns + ['failed_rule', 'dedupe_key'] %}
{% set keyed_columns = parsed_columns + ['dedupe_hash', 'session_partition_key', 'event_us',
    'read_batch', 'event_timestamp_is_usual_text', 'received_at_is_usual_text'] %}
{#- Among copies of one event the first in this order is kept: content, then the file's
    name, never which run delivered the row (docs/contract.md, rule 5) -#}
{% set copy_order = [
    'clean_received_at', 'event_at', 'clean_device_id', 'clean_user_id', 'clean_event_name',
    'clean_platform', 'clean_app_version', 'clean_timezone', raw_timestamp_text.event_timestamp,
    raw_timestamp_text.received_at, 'event_id', 'device_id', 'user_id', 'event_name', 'platform',
    'app_version', 'timezone', 'source_file',
] %}
{% set stored_columns = ['source_file'] + clean_columns + ['dedupe_key', 'dedupe_hash',
    'session_partition_key', 'event_us', 'reject_reason', 'load_batch', 'read_batch'] %}
{% set load_batch = next_load_batch() if execute else 1 %}
{% set new_files = [] %}
{% for file in (new_event_files() if execute and is_incremental() else []) %}
    {% do new_files.append("'" ~ file | replace("'", "''") ~ "'") %}
{% endfor %}

with

raw_events as {{ not_materialized_cte() }} (

    -- a full build reads every file; an incremental one only the files not loaded yet
    select * from {{ ref('stg_app__raw_events') }}
    {% if is_incremental() %}
        where {{ 'source_file in (' ~ new_files | join(', ') ~ ')' if new_files else 'false' }}
    {% endif %}

),

repeated_ids as (

    -- ids read more than once, by their 64-bit hash (cheaper to group than 100M strings; two
    -- ids with one hash only add rows to the ranking, which partitions by the key itself)
    select {{ key_hash(trim_to_null('event_id')) }} as repeated_id_hash
    from raw_events
    group by {{ key_hash(trim_to_null('event_id')) }}
    having count(*) > 1

),

flagged as {{ not_materialized_cte() }} (

    -- only rows with such an id, or with none, may be copies: a full build ranks only them,
    -- the rest never waits for a sort. An incremental run ranks all its rows (candidates)
    select
        raw_events.*,
        {{ 'true' if is_incremental() else
            'repeated_ids.repeated_id_hash is not null or '
            ~ trim_to_null('raw_events.event_id') ~ ' is null' }} as may_be_duplicate
    from raw_events
    left join repeated_ids
        on {{ key_hash(trim_to_null('raw_events.event_id')) }} = repeated_ids.repeated_id_hash

),

keyed as {{ materialized_cte() if is_incremental() else not_materialized_cte() }} (

    -- each row parsed and checked against the rules 0-4 (macros/parsing/parsed_raw_events.sql)
    select
        {{ parsed_columns | join(',\n        ') }},
        -- incremental runs find stored copies by the key's hash (macros/cross_db/key_hash.sql)
        {{ key_hash('dedupe_key') }} as dedupe_hash,
        session_partition_key,
        event_us,
        {{ load_batch }} as read_batch,
        event_timestamp_is_usual_text,
        received_at_is_usual_text,
        may_be_duplicate
    from ({{ parsed_raw_events('flagged') }}) as parsed

),

{% if is_incremental() %}
stored_copies as {{ materialized_cte() }} (

    -- the stored rows with one of the run's key hashes (macros/cross_db/key_hash.sql)
    {{ stored_rows_by_hash(this, 'dedupe_hash', 'select dedupe_hash from keyed') }}

),

candidates as {{ materialized_cte() }} (

    -- the run's rows and the stored copies of their events (the key itself compared: a hash
    -- collision adds nothing), raw text and key rebuilt where not stored. Computed before the
    -- window: DuckDB 2.0 spills tens of GB when a window reads a union with a scan of the
    -- stored table at 100M rows (docs/performance.md)
    select
        {{ keyed_columns | join(',\n        ') }},
        true as may_be_duplicate
    from keyed

    union all

    select
        {%- for raw in raw_columns %}
            coalesce({{ json_text('raw_text', raw) }}, {{ iso_timestamp_text(parsed_timestamps[raw])
                if raw in parsed_timestamps else 'clean_' ~ raw }}) as {{ raw }},
        {%- endfor %}
        cast(null as {{ dbt.type_timestamp() }}) as event_timestamp_native,
        cast(null as {{ dbt.type_timestamp() }}) as received_at_native,
        source_file,
        {{ clean_columns | join(', ') }},
        cast(null as {{ dbt.type_string() }}) as failed_rule,
        {{ validated_dedupe_key('stored_copies') }} as dedupe_key,
        dedupe_hash,
        session_partition_key,
        event_us,
        read_batch,
        {{ json_text('raw_text', 'event_timestamp') }} is null as event_timestamp_is_usual_text,
        {{ json_text('raw_text', 'received_at') }} is null as received_at_is_usual_text,
        true as may_be_duplicate
    from stored_copies
    where {{ validated_dedupe_key('stored_copies') }} in (select keyed.dedupe_key from keyed)

),
{% endif %}

ranked as (

    -- only the rows that may be copies are ranked
    select
        {{ keyed_columns | join(',\n        ') }},
        1 as duplicate_rank
    from {{ 'candidates' if is_incremental() else 'keyed' }}
    where not may_be_duplicate

    union all

    select
        {{ keyed_columns | join(',\n        ') }},
        -- rows that failed a rule share the null key: their rank is never read
        row_number() over (
            partition by dedupe_key
            order by
                {{ copy_order | join(' asc nulls last,\n                ') }} asc nulls last
        ) as duplicate_rank
    from {{ 'candidates' if is_incremental() else 'keyed' }}
    where may_be_duplicate

),

raw_text_kept as (

    -- rejected rows keep all their raw text, clean rows what differs (one JSON column below,
    -- null on most rows); the dedupe key where the id does not give it (validated_dedupe_key)
    select
        {%- for raw in raw_columns %}
            case
                when failed_rule is not null or duplicate_rank > 1 then {{ raw_timestamp_text.get(raw, raw) }}
                when {{ raw ~ '_is_usual_text' if raw in parsed_timestamps
                    else raw ~ ' = clean_' ~ raw }} then null
                else {{ raw }}
            end as {{ raw }},
        {%- endfor %}
        source_file,
        {{ clean_columns | join(',\n        ') }},
        case when clean_event_id is null then dedupe_key end as dedupe_key,
        dedupe_hash,
        session_partition_key,
        event_us,
        coalesce(failed_rule, case when duplicate_rank > 1 then 'duplicate' end) as reject_reason,
        {{ load_batch }} as load_batch,
        read_batch
    from ranked

)

select
    case
        when coalesce({{ raw_columns | join(', ') }}) is not null
            then {{ json_object_text(raw_columns) | indent(8) }}
    end as raw_text,
    {{ stored_columns | join(',\n    ') }}
from raw_text_kept
