{# Joins a stored row (`stored`) to its device's restart point (`restarts`) when the run recomputes it. #}
{% macro restart_tail_match() -%}
    restarts.session_partition_key = {{ config.get('device_key', 'stored.session_partition_key') }}
    and {{ config.get('tail_expression') or 'stored.' ~ config.require('tail_column') }}
    >= restarts.restart_us
{%- endmacro %}
