{#- A row of the raw relation as one JSON text, for the vendor formats. -#}
{% macro raw_event_document() %}
    {{ return(adapter.dispatch('raw_event_document', 'app_sessions')()) }}
{% endmacro %}


{#- Spark: the text reader's line, or the row's to_json, timestamps to the microsecond
    (to_json's default keeps milliseconds). -#}
{% macro default__raw_event_document() -%}
    {%- if events_reader() == 'json' -%}
        value
    {%- else -%}
        to_json(struct(*), map(
            'timestampFormat', 'yyyy-MM-dd HH:mm:ss.SSSSSS',
            'timestampNTZFormat', 'yyyy-MM-dd HH:mm:ss.SSSSSS'
        ))
    {%- endif -%}
{%- endmacro %}


{% macro duckdb__raw_event_document() -%}
    {{ 'json' if events_reader() == 'json' else 'cast(to_json(source_rows) as varchar)' }}
{%- endmacro %}
