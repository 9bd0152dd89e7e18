{# The start of the UTC hour containing an epoch-microseconds value (exact, also before 1970). #}
{% macro hour_floor_us(us_expr) -%}
    ({{ us_expr }} - ((({{ us_expr }}) % 3600000000) + 3600000000) % 3600000000)
{%- endmacro %}
