{#- Each changed device's rows of `relation` from its restart point on (`tail_column` at
    or after it), by the restart log `restart_log`; `stored_filter` narrows the stored rows. -#}
{% macro rows_at_restart_points(relation, restart_log, stored_filter=none, tail_column='event_us') -%}
    select stored.*
    from {{ relation }} as stored
    inner join ({{ pending_restarts(this, restart_log) }}) as restarts
        on
            stored.session_partition_key = restarts.session_partition_key
            and stored.{{ tail_column }} >= restarts.restart_us
    {%- if stored_filter %}
    where {{ stored_filter }}
    {%- endif %}
{%- endmacro %}
