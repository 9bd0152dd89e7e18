{#- The file's columns by name as written, each with the SQL that reads it: the column
    itself, or (DuckDB reading NDJSON as documents) the text of that key. -#}
{% macro raw_file_columns(relation) %}
    {{ return(adapter.dispatch('raw_file_columns', 'app_sessions')(relation)) }}
{% endmacro %}


{% macro default__raw_file_columns(relation) %}
    {% set columns = {} %}
    {% for name in run_query('select * from ' ~ relation ~ ' where 1 = 0').column_names %}
        {% do columns.update({name: adapter.quote(name)}) %}
    {% endfor %}
    {{ return(columns) }}
{% endmacro %}


{% macro duckdb__raw_file_columns(relation) %}
    {% if events_reader() != 'json' %}
        {% set columns = default__raw_file_columns(relation) %}
        {% do columns.pop('filename', none) %}
        {{ return(columns) }}
    {% endif %}
    {% set columns = {} %}
    {% set keys = run_query(
        'select distinct unnest(json_keys(json)) as key from ' ~ relation ~ ' order by key'
    ) %}
    {% for key in keys.columns[0].values() %}
        {% do columns.update({key: json_text('json', key)}) %}
    {% endfor %}
    {{ return(columns) }}
{% endmacro %}
