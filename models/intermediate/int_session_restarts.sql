{#
    The change log of the incremental design (docs/incremental.md): for every device
    whose clean events changed in a load batch (events added, or demoted to
    duplicates), the point from which its sessions must be recomputed: the start of
    the stored session that holds its last unchanged event before the change. Nothing
    before that point can change. Models downstream replace each device's rows from
    its restart point on (incremental strategy `restart_tail`).

    The stored sessionized events are read by name, not with ref(): this model runs
    before them and must see their state from the previous run.
#}
{{ config(materialized='incremental', incremental_strategy='append') }}
{% set stored_events = adapter.get_relation(
    database=this.database, schema=this.schema, identifier='int_events_sessionized'
) if execute else none %}

with

validated_events as (

    select * from {{ ref('stg_app__events_validated') }}

),

{% if is_incremental() %}

    changed_events as (

        -- rows (re)written by load batches not logged yet that are, or were, clean events
        select
            session_partition_key,
            event_us,
            load_batch
        from validated_events
        where
            load_batch > (select coalesce(max(load_batch), 0) from {{ this }})
            and session_partition_key is not null
            and (reject_reason is null or reject_reason = 'duplicate')

    ),

    changed_partitions as (

        select
            session_partition_key,
            min(event_us) as changed_from_us,
            max(load_batch) as load_batch
        from changed_events
        group by session_partition_key

    ),

    restarts as (

        -- the start of the session holding the device's last stored event before
        -- the change; a device with nothing stored before it restarts from scratch
        select
            changed_partitions.session_partition_key,
            coalesce(
                max(stored.timeout_session_start_us), {{ restart_from_scratch_us() }}
            ) as restart_us,
            changed_partitions.load_batch
        from changed_partitions
        {% if stored_events is not none %}
            left join {{ stored_events }} as stored
                on
                    changed_partitions.session_partition_key = stored.session_partition_key
                    and stored.event_us < changed_partitions.changed_from_us
        {% else %}
            left join (
                select
                    cast(null as {{ dbt.type_string() }}) as session_partition_key,
                    cast(null as bigint) as timeout_session_start_us
            ) as stored
                on changed_partitions.session_partition_key = stored.session_partition_key
        {% endif %}
        group by changed_partitions.session_partition_key, changed_partitions.load_batch

    )

{% else %}

    restarts as (

        -- a full build recomputes everything: log only the batch it covers (0 when
        -- there were no events, so the first batch that brings some is not skipped),
        -- and in restart_us the build's start (µs): the log's generation, which tells
        -- fct_sessions that the log was rebuilt since it last ran
        select
            cast(null as {{ dbt.type_string() }}) as session_partition_key,
            cast({{ (run_started_at.timestamp() * 1000000) | int }} as bigint) as restart_us,
            coalesce(max(load_batch), 0) as load_batch
        from validated_events

    )

{% endif %}

select * from restarts
