{#- A view: the clean rows of int_events_validated under the contract's names, always
    current without being written twice. -#}
{{ config(materialized='view') }}
{% set cfg = app_sessions_config() %}

with

validated_events as (

    select * from {{ ref('int_events_validated') }}

),

clean_events as (

    -- the rows that passed every cleaning rule, under their contract names
    select
        clean_event_id as event_id,
        clean_device_id as device_id,
        clean_user_id as user_id,
        clean_event_name as event_name,
        event_at,
        clean_received_at as received_at,
        clean_platform as platform,
        clean_app_version as app_version,
        clean_timezone as timezone,
        {{ valid_timezone('clean_timezone') }} as valid_timezone,
        lower(clean_event_name) in (
            {%- for name in cfg.background_event_names -%}
                '{{ name | replace("'", "''") }}'{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        ) as is_background_event,
        session_partition_key,
        event_us,
        source_file

    from validated_events
    where reject_reason is null

)

select * from clean_events
