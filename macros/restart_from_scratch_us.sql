{# Restart point meaning "recompute the device from its first event": before any timestamp. #}
{% macro restart_from_scratch_us() -%}
    cast(-9223372036854775807 as bigint)
{%- endmacro %}
