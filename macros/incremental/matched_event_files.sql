{#- The files var events_path matches now, as a query with one column `file`
    (new_event_files compares them with the ledger). -#}
{% macro default__matched_event_files(path) %}
    {{ exceptions.raise_compiler_error(
        "matched_event_files has no version for the " ~ adapter.type() ~ " adapter: add "
        ~ adapter.type() ~ "__matched_event_files to macros/incremental/matched_event_files.sql"
    ) }}
{% endmacro %}


{% macro duckdb__matched_event_files(path) -%}
    select file from glob('{{ path }}')
{%- endmacro %}


{# Spark lists the files through the registered raw events table (macros/parsing/register_raw_events.sql). #}
{% macro spark__matched_event_files(path) -%}
    select distinct {{ raw_event_file_name() }} as file from {{ raw_events_source_relation() }}
{%- endmacro %}
