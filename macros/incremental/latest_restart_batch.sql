{% macro latest_restart_batch() -%}
    (select max(restart_log.load_batch) from {{ ref('int_session_restarts') }} as restart_log)
{%- endmacro %}
