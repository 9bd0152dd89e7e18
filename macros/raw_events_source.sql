{#
    Where the raw files are read from, per engine.

    DuckDB reads them in place through the source's `external_location` (dbt-duckdb).
    Spark has no such config: `register_raw_events()`, run by the on-run-start hook, makes
    the source relation (`app.raw_events`) an external table over the files matched by var
    events_path, re-created every run so files and columns that arrived since are seen.
    Dropping it never deletes a file. Columns are matched by name across files (Parquet
    mergeSchema, JSON schema inference over every row); every value is read as text where
    the format allows it (JSON primitivesAsString, CSV without type inference). A vendor
    format's JSON lines are read as text, one document a line (macros/formats/).

    `raw_event_file_name()`: the column or expression that names the file a row came from,
    as DuckDB's `filename` does: on Spark the path from `input_file_name()` without its
    `file:` scheme (`_metadata.file_path` does not pass through the model's CTE).
    `raw_event_file_list()`: a query of the distinct files that hold at least one row.
#}
{% macro raw_events_source_relation() %}
    {% set node = graph.sources.values()
        | selectattr('source_name', 'equalto', 'app')
        | selectattr('name', 'equalto', 'raw_events')
        | first %}
    {{ return(api.Relation.create(schema=node.schema, identifier=node.identifier)) }}
{% endmacro %}


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
    {% do run_query('create database if not exists ' ~ relation.schema) %}
    {% do run_query('drop table if exists ' ~ relation) %}
    {% set create %}
        create table {{ relation }}
        using {{ reader }}
        options (
            {%- for key, value in options.items() %}
            `{{ key }}` '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
    {% endset %}
    {% do run_query(create) %}
{% endmacro %}


{% macro raw_event_file_name() %}
    {{ return(adapter.dispatch('raw_event_file_name', 'app_sessions')()) }}
{% endmacro %}

{% macro default__raw_event_file_name() -%}
    filename
{%- endmacro %}

{% macro spark__raw_event_file_name() -%}
    regexp_replace(input_file_name(), '^file:(//)?', '')
{%- endmacro %}
