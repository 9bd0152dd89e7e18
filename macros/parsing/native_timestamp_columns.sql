{#- The file's columns (names as written) that hold native timestamps, which the contract
    takes as they are: never formatted to text and parsed again. DuckDB: a Parquet or CSV
    column typed TIMESTAMP or TIMESTAMP WITH TIME ZONE (microseconds; other precisions go
    through the text). Elsewhere none: every column is read as text. -#}
{% macro native_timestamp_columns(relation) %}
    {{ return(adapter.dispatch('native_timestamp_columns', 'app_sessions')(relation)) }}
{% endmacro %}


{% macro default__native_timestamp_columns(relation) %}
    {{ return([]) }}
{% endmacro %}


{% macro duckdb__native_timestamp_columns(relation) %}
    {% if events_reader() == 'json' %}
        {{ return([]) }}
    {% endif %}
    {% set described = run_query('describe select * from ' ~ relation) %}
    {% set native = [] %}
    {% for row in described.rows %}
        {% if row[1] | upper in ('TIMESTAMP', 'TIMESTAMP WITH TIME ZONE') %}
            {% do native.append(row[0]) %}
        {% endif %}
    {% endfor %}
    {{ return(native) }}
{% endmacro %}
