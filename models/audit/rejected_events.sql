{#
    A view: the quarantine is a filter of the validated events, which are maintained
    incrementally, so it is always current without being rewritten.
#}
{{ config(materialized='view') }}

with

validated_events as (

    select * from {{ ref('int_events_validated') }}

),

rejected as (

    -- every raw column as read (kept in one JSON object), with the first cleaning rule the
    -- row failed
    select
        {%- for raw in ['event_id', 'device_id', 'user_id', 'event_name', 'event_timestamp',
            'received_at', 'platform', 'app_version', 'timezone'] %}
            {{ json_text('raw_text', raw) }} as {{ raw }},
        {%- endfor %}
        reject_reason,
        source_file

    from validated_events
    where reject_reason is not null

)

select * from rejected
