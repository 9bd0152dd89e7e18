{# The restart log's (`restart_log`) generation: the start (µs) of the full build that began it. #}
{% macro restart_log_generation(restart_log) -%}
    (
        select max(restart_us) from {{ restart_log }}
        where session_partition_key is null
    )
{%- endmacro %}
