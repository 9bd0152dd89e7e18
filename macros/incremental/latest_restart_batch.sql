{#- The latest load batch of the restart log (`restart_log`: int_session_restarts). -#}
{% macro latest_restart_batch(restart_log) -%}
    (select max(restart_log.load_batch) from {{ restart_log }} as restart_log)
{%- endmacro %}
