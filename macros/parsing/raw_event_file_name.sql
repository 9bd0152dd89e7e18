{% macro raw_event_file_name() %}
    {{ return(adapter.dispatch('raw_event_file_name', 'app_sessions')()) }}
{% endmacro %}


{% macro default__raw_event_file_name() -%}
    filename
{%- endmacro %}


{% macro spark__raw_event_file_name() -%}
    regexp_replace(input_file_name(), '^file:(//)?', '')
{%- endmacro %}
