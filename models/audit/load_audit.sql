{#
    One row per load: what a run read and where its rows went, appended by every run that
    read new files (a full refresh starts again at batch 1). Its test `load_is_usable`
    (models/audit/_audit__models.yml) stops a build whose loads say the files were read
    wrongly, before the marts are published: docs/contract.md, "The load check".
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
    )
}}
{% set reasons = [
    'not_an_event', 'missing_event_name', 'missing_identity', 'invalid_timestamp',
    'future_timestamp', 'duplicate',
] %}

{#- The rows read by the loads since the last row here (one load per run that read new
    files). Not every row of a batch: a run also rewrites the stored copies of the events
    it re-ranks, which keep the batch that read them (read_batch). #}
{#- The last load here as a literal: `load_batch > N` skips the older row groups of the
    validated events by their zone maps, which a subquery would not. -#}
{% set read_by_new_loads = 'read_batch = load_batch' ~ (
    ' and load_batch > ' ~ stored_max_load_batch(this) if execute and is_incremental() else ''
) %}

with

validated_events as {{ not_materialized_cte() }} (

    -- read by two branches, each its own columns and rows
    select * from {{ ref('int_events_validated') }}

),

repeated as (

    -- the duplicates of the new loads quarantined by their event id
    select
        load_batch,
        dedupe_hash,
        clean_event_id,
        clean_device_id,
        clean_event_name,
        event_at
    from validated_events
    where
        {{ read_by_new_loads }}
        and reject_reason = 'duplicate'
        and clean_event_id is not null

),

kept as {{ materialized_cte() }} (

    -- the stored rows with one of their key hashes: only the hash column of every stored
    -- event is read (macros/incremental/stored_rows_by_hash.sql)
    {% set repeated_hashes = 'select repeated.dedupe_hash from repeated' %}
    {{ stored_rows_by_hash(ref('int_events_validated'), 'dedupe_hash', repeated_hashes) }}

),

repeated_ids as (

    -- a duplicate whose device, event name or time differ from the kept copy's: two events
    -- under one id, so the column is not an event id
    select
        repeated.load_batch,
        count(*) as conflicting_ids,
        min(repeated.clean_event_id) as conflicting_id_example

    from repeated
    inner join kept
        on
            repeated.dedupe_hash = kept.dedupe_hash
            and repeated.clean_event_id = kept.clean_event_id
    where
        kept.reject_reason is null
        and (
            repeated.clean_device_id is distinct from kept.clean_device_id
            or repeated.clean_event_name <> kept.clean_event_name
            or repeated.event_at <> kept.event_at
        )
    group by repeated.load_batch

),

loads as (

    select
        load_batch,
        count(*) as rows_read,
        count(distinct source_file) as files_read,
        sum(case when reject_reason is null then 1 else 0 end) as clean_events,
        {%- for reason in reasons %}
            sum(case when reject_reason = '{{ reason }}' then 1 else 0 end) as {{ reason }},
        {%- endfor %}
        -- clean events whose time zone is written but names none: read as absent
        sum(
            case
                when
                    reject_reason is null
                    and clean_timezone is not null
                    and {{ valid_timezone('clean_timezone') }} is null
                    then 1
                else 0
            end
        ) as invalid_timezones,
        min(source_file) as first_file

    from validated_events
    where {{ read_by_new_loads }}
    group by load_batch

),

sessions as (

    select count(*) as sessions_after_load from {{ ref('fct_sessions') }}

)

select
    loads.load_batch,
    loads.rows_read,
    loads.files_read,
    loads.first_file,
    loads.clean_events,
    {%- for reason in reasons %}
        loads.{{ reason }},
    {%- endfor %}
    loads.invalid_timezones,
    coalesce(repeated_ids.conflicting_ids, 0) as conflicting_ids,
    repeated_ids.conflicting_id_example,
    sessions.sessions_after_load,
    cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }}) as loaded_at

from loads
cross join sessions
left join repeated_ids
    on loads.load_batch = repeated_ids.load_batch
