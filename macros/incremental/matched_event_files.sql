{% macro duckdb__matched_event_files(path) -%}
    select file from glob('{{ path }}')
{%- endmacro %}


{# Spark lists the files through the registered raw events table (macros/parsing/register_raw_events.sql). #}
{% macro spark__matched_event_files(path) -%}
    select distinct {{ raw_event_file_name() }} as file from {{ raw_events_source_relation() }}
{%- endmacro %}
