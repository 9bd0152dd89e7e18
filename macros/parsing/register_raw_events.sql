{% macro register_raw_events() %}
    {{ return(adapter.dispatch('register_raw_events', 'app_sessions')()) }}
{% endmacro %}


{% macro default__register_raw_events() %}
{% endmacro %}


{% macro spark__register_raw_events() %}
    {% set path = var('events_path') | string %}
    {% if modules.re.match('^(/|[A-Za-z][A-Za-z0-9+.-]*:)', path) is none %}
        {{ exceptions.raise_compiler_error(
            "var events_path = '" ~ path ~ "' is a relative path. On Spark it must be absolute "
            ~ "(or a URI such as s3://bucket/events/*.parquet), because Spark resolves paths on "
            ~ "its own, not from the project directory: e.g. --vars '{\"events_path\": "
            ~ "\"'$(pwd)'/" ~ path ~ "\"}'."
        ) }}
    {% endif %}
    {% set reader = events_reader() %}
    {% if reader == 'parquet' %}
        {% set options = {'mergeSchema': 'true'} %}
    {% elif events_format() != 'contract' %}
        {#- a vendor export: each line as written, one JSON document (macros/formats/) -#}
        {% set reader = 'text' %}
        {% set options = {} %}
    {% elif reader == 'csv' %}
        {# Spark maps CSV columns by position (first file's header); enforceSchema=false makes
           a file whose header differs fail instead of being read into the wrong columns. #}
        {% set options = {
            'header': 'true', 'multiLine': 'true', 'escape': '"', 'enforceSchema': 'false',
            'mode': 'FAILFAST',
        } %}
    {% else %}
        {% set options = {'primitivesAsString': 'true', 'mode': 'FAILFAST'} %}
    {% endif %}
    {% do options.update({'path': path}) %}
    {% set relation = raw_events_source_relation() %}
    {% do adapter.execute('create database if not exists ' ~ relation.schema) %}
    {% do adapter.execute('drop table if exists ' ~ relation) %}
    {% set create %}
        create table {{ relation }}
        using {{ reader }}
        options (
            {%- for key, value in options.items() %}
            `{{ key }}` '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
    {% endset %}
    {% do adapter.execute(create) %}
{% endmacro %}
