{#- The contract's order of a partition's events (docs/contract.md, sessions): the event
    time (`event_us` orders as `event_at` does), then event_id (nulls last), event_name,
    user_id (nulls last). After dedupe it is total. int_timeout_sessions orders a device's
    events by it, int_session_cap_pieces a long session's: the two must agree. -#}
{% macro contract_event_order() -%}
    event_us asc,
    event_id asc nulls last,
    event_name asc,
    user_id asc nulls last
{%- endmacro %}
