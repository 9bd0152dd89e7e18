{% macro last_instant_us() %}253402300799999999{% endmacro %}
