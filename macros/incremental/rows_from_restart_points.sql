{#- The rows of `relation` (any relation or CTE) a run recomputes: all of them in a full
    build; in an incremental one, each changed device's rows from its restart point in
    `restart_log` on (`event_us` at or after it). -#}
{% macro rows_from_restart_points(relation, restart_log) -%}
    {%- if not is_incremental() -%}
        select * from {{ relation }}
    {%- else -%}
        {{ adapter.dispatch('rows_from_restart_points', 'app_sessions')(relation, restart_log) }}
    {%- endif -%}
{%- endmacro %}


{% macro default__rows_from_restart_points(relation, restart_log) -%}
    {{ rows_at_restart_points(relation, restart_log) }}
{%- endmacro %}


{#- DuckDB: the stored events are in rough arrival order (files are appended as they come),
    so a row group spans the hours to days of event time its file delivered. The read is
    split in two at `split_us`, the restart point of the (N+1)-th earliest device (N: var
    `late_devices_read_apart`), each part with a literal lower bound on `event_us`, computed
    when the model compiles, that DuckDB checks against each row group's zone map before
    reading it (a join condition or a subquery is not checked):
    - the devices restarting at or after `split_us` (nearly all): their rows from the row
      groups that end at or after it, the last hours;
    - the N devices restarting before it (late events): from their earliest restart point
      on, a long stretch, but the join pushes a Bloom filter of these few devices' keys into
      the scan, which drops the other devices' rows before the join and can skip the wide
      columns where none of them has rows.
    Read as one part, every device's tail would be read whole from the earliest restart on. -#}
{% macro duckdb__rows_from_restart_points(relation, restart_log) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {#- a unit test's restarts are fixtures: the bounds would come from the warehouse -#}
        {{ return(default__rows_from_restart_points(relation, restart_log)) }}
    {%- endif -%}
    {%- set bounds = run_query(
        'with pending as (' ~ pending_restarts(this, restart_log) ~ ') select min(restart_us), ('
        ~ 'select restart_us from pending order by restart_us limit 1 offset '
        ~ late_devices_read_apart() ~ ') from pending'
    ).rows[0] -%}
    {%- set first_us, split_us = bounds[0], bounds[1] -%}
    {%- if first_us is none -%}
        {{ return(default__rows_from_restart_points(relation, restart_log)) }}
    {%- endif -%}
    {%- if split_us is none or split_us == first_us -%}
        {#- few devices, or the earliest restart point shared by more than N: one part -#}
        {{ return(rows_at_restart_points(relation, restart_log, stored_filter='stored.event_us >= ' ~ first_us)) }}
    {%- endif -%}
    {{ rows_at_restart_points(
        relation,
        restart_log,
        stored_filter='stored.event_us >= ' ~ split_us ~ ' and restarts.restart_us >= ' ~ split_us
    ) }}
    union all
    {{ rows_at_restart_points(
        relation,
        restart_log,
        stored_filter='stored.event_us >= ' ~ first_us ~ ' and restarts.restart_us < ' ~ split_us
    ) }}
{%- endmacro %}
