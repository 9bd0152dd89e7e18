{#
    The change log of the incremental design (docs/incremental.md): for every device
    whose clean events changed in a load batch (events added, or demoted to
    duplicates), the point from which its sessions must be recomputed: the start of the
    stored session that holds its last unchanged event before the change. Nothing
    before that point can change. When that event is more than the longer timeout
    before the change, its session has ended for good and the restart point is the
    change itself: a device that comes back after a break is recomputed from its new
    events, not from its previous visit. Models downstream replace each device's rows from
    its restart point on (incremental strategy `restart_tail`).

    The stored timeout sessions are read by name, not with ref(): this model runs before
    int_timeout_sessions and must see its state from the previous run.
#}
{{ config(materialized='incremental', incremental_strategy='append') }}
{% set cfg = app_sessions_config() %}
{% set longer_timeout_us = [cfg.session_timeout_us, cfg.background_timeout_us] | max %}
{#- a literal, so that the scan skips the row groups of earlier batches by their zone maps -#}
{% set logged_batch = stored_max_load_batch(this) if execute and is_incremental() else 0 %}
{% set stored_sessions = adapter.get_relation(
    database=this.database, schema=this.schema, identifier='int_timeout_sessions'
) if execute else none %}

with

validated_events as (

    select * from {{ ref('int_events_validated') }}

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
            load_batch > {{ logged_batch }}
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

    last_session_before_change as (

        -- the device's last stored timeout session that starts before the change: it holds
        -- the device's last stored event before the change
        select
            changed_partitions.session_partition_key,
            changed_partitions.changed_from_us,
            changed_partitions.load_batch,
            max(stored.session_start_us) as session_start_us,
            {{ last_by('stored.session_end_us', 'stored.session_start_us') }} as session_end_us
        from changed_partitions
        {% if stored_sessions is not none %}
            left join {{ stored_sessions }} as stored
                on
                    changed_partitions.session_partition_key = stored.session_partition_key
                    and stored.session_start_us < changed_partitions.changed_from_us
        {% else %}
            left join (
                select
                    cast(null as {{ dbt.type_string() }}) as session_partition_key,
                    cast(null as bigint) as session_start_us,
                    cast(null as bigint) as session_end_us
            ) as stored
                on changed_partitions.session_partition_key = stored.session_partition_key
        {% endif %}
        group by
            changed_partitions.session_partition_key,
            changed_partitions.changed_from_us,
            changed_partitions.load_batch

    ),

    restarts as (

        -- the start of the session holding that event, unless it ended for good: a
        -- gap longer than either timeout ends a session whatever comes after it (a gap
        -- equal to the timeout does not). The session ends with that event, or at or after
        -- the change (then it goes on across it). A device with nothing stored before the
        -- change restarts at the change too: all its stored events are after it. Cap
        -- pieces start within a timeout session, so none spans the restart point
        select
            session_partition_key,
            case
                when
                    session_start_us is null
                    or changed_from_us - session_end_us > {{ longer_timeout_us }}
                    then changed_from_us
                else session_start_us
            end as restart_us,
            load_batch
        from last_session_before_change

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
