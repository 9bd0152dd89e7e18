{#- The rows of `relation` (int_sessions, int_timeout_sessions) that this run's restart
    points cover, once the run has rewritten them from those points on (`tail_column` at or
    after the point): those of the load batches since the latest this model applied (its
    own, or its restarts-applied table's), which were appended at the table's end. The
    literal batch lets the scan skip every older row group by its zone map (a unit test,
    whose `this` is a fixture, compares with a subquery). -#}
{% macro rows_rewritten_from_restart_points(relation, restart_log, tail_column='session_start_us') -%}
    {%- if not is_incremental() -%}
        select * from {{ relation }}
    {%- else -%}
        {%- set since_batch = stored_max_load_batch(restarts_applied_relation(this))
            if execute and model.resource_type != 'unit_test'
            else '(select coalesce(max(load_batch), 0) from ' ~ this ~ ')' -%}
        {{ rows_at_restart_points(
            relation, restart_log, stored_filter='stored.load_batch > ' ~ since_batch, tail_column=tail_column
        ) }}
    {%- endif -%}
{%- endmacro %}
