{#- A row of the raw relation as one JSON text, for the vendor formats. -#}
{% macro raw_event_document() %}
    {{ return(adapter.dispatch('raw_event_document', 'app_sessions')()) }}
{% endmacro %}


{#- Reading a row as JSON text is engine-specific (reader columns, to_json). -#}
{% macro default__raw_event_document() -%}
    {{ exceptions.raise_compiler_error(
        "raw_event_document: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__raw_event_document variant beside the DuckDB and Spark ones"
        ~ " (macros/parsing/raw_event_document.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__raw_event_document() -%}
    {{ 'json' if events_reader() == 'json' else 'cast(to_json(source_rows) as varchar)' }}
{%- endmacro %}


{#- Spark: the text reader's line, or the row's to_json, timestamps to the microsecond
    (to_json's default keeps milliseconds). -#}
{% macro spark__raw_event_document() -%}
    {%- if events_reader() == 'json' -%}
        value
    {%- else -%}
        to_json(struct(*), map(
            'timestampFormat', 'yyyy-MM-dd HH:mm:ss.SSSSSS',
            'timestampNTZFormat', 'yyyy-MM-dd HH:mm:ss.SSSSSS'
        ))
    {%- endif -%}
{%- endmacro %}
