{#- Whose events make up sessions (docs/contract.md, identity): the device, or the user for
    events without a device. One text key, as the incremental ledger and the session ids
    name them. A window partitions by the two columns instead
    (`partition by device_id, case when device_id is null then user_id end`), the same
    groups without a third string to sort. -#}
{% macro session_partition_key(device_id, user_id) -%}
    coalesce('device:' || {{ device_id }}, 'user:' || {{ user_id }})
{%- endmacro %}
