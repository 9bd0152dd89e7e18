{#
    The start of the step of `unit_us` microseconds (default: the UTC hour) containing an
    epoch-microseconds value (exact, also before 1970).
#}
{% macro floor_us(us_expr, unit_us=3600000000) -%}
    ({{ us_expr }} - ((({{ us_expr }}) % {{ unit_us }}) + {{ unit_us }}) % {{ unit_us }})
{%- endmacro %}
