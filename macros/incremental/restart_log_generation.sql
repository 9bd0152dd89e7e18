{# The restart log's generation: the start (µs) of the full build that began it. #}
{% macro restart_log_generation() -%}
    (
        select max(restart_us) from {{ ref('int_session_restarts') }}
        where session_partition_key is null
    )
{%- endmacro %}
