{% macro raw_event_file_name() %}
    {{ return(adapter.dispatch('raw_event_file_name', 'app_sessions')()) }}
{% endmacro %}


{#- The file a row was read from: no ANSI SQL, each engine's reader gives it its own way. -#}
{% macro default__raw_event_file_name() -%}
    {{ exceptions.raise_compiler_error(
        "raw_event_file_name: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__raw_event_file_name variant beside the DuckDB and Spark ones"
        ~ " (macros/parsing/raw_event_file_name.sql)"
    ) }}
{%- endmacro %}


{#- DuckDB: the column that the readers' `filename = true` adds (_app__sources.yml). -#}
{% macro duckdb__raw_event_file_name() -%}
    filename
{%- endmacro %}


{% macro spark__raw_event_file_name() -%}
    regexp_replace(input_file_name(), '^file:(//)?', '')
{%- endmacro %}
