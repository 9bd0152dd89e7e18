{#
    The contract's input columns of the raw relation, each as text, plus `is_event`.

    events_format 'contract': the file's columns (NDJSON keys on DuckDB, every key any line
    has) matched to the contract's by name, case-insensitively, or given by var column_map
    (contract column -> SQL expression over the file's columns). A missing optional column
    is null; a missing required one stops the build with a message that names the columns
    as written, and the vendor format they look like. Extra columns are ignored.
    A vendor format: the text at that vendor's paths in each row's JSON document
    (macros/formats/).
#}
{% macro raw_event_columns(relation) %}
    {% set spec = events_format_spec() %}
    {% set contract_columns = [
        'event_id', 'device_id', 'user_id', 'event_name', 'event_timestamp', 'received_at',
        'platform', 'app_version', 'timezone',
    ] %}
    {% set selected = [] %}
    {% if spec.columns is not none %}
        {% for column in contract_columns %}
            {% do selected.append(spec.columns[column] ~ ' as ' ~ column) %}
        {% endfor %}
        {% do selected.append((spec.is_event or 'true') ~ ' as is_event') %}
        {{ return({'file_columns': {'document': raw_event_document()}, 'selected': selected}) }}
    {% endif %}

    {% set file_columns = raw_file_columns(relation) if execute else {} %}
    {% set column_map = var('column_map', none) or {} %}
    {% if column_map is not mapping or (column_map.keys() | reject('in', contract_columns) | list) %}
        {{ exceptions.raise_compiler_error(
            "var 'column_map' must map contract columns (" ~ contract_columns | join(', ')
            ~ ") to SQL expressions over the file's columns, e.g. --vars '{\"column_map\": "
            ~ "{\"device_id\": \"anonymous_id\", \"event_timestamp\": \"sent_at\"}}', got '"
            ~ column_map ~ "'."
        ) }}
    {% endif %}
    {% set found = {} %}
    {% for name in file_columns %}
        {% do found.setdefault(name | lower, []).append(name) %}
    {% endfor %}
    {% set written = file_columns.keys() | list %}
    {% if execute %}
        {% for column in ['event_name', 'event_timestamp'] %}
            {% if column not in found and column not in column_map %}
                {{ exceptions.raise_compiler_error(
                    "The raw events (var events_path = '" ~ var('events_path') ~ "') have no column '"
                    ~ column ~ "'. Every file needs event_name and event_timestamp, and device_id "
                    ~ "or user_id (or var column_map to name them); columns found: "
                    ~ written | join(', ') ~ "." ~ format_hint(written)
                ) }}
            {% endif %}
        {% endfor %}
        {% if not (found.keys() | list + column_map.keys() | list) | select('in', ['device_id', 'user_id']) | list %}
            {{ exceptions.raise_compiler_error(
                "The raw events (var events_path = '" ~ var('events_path') ~ "') have neither a "
                ~ "'device_id' nor a 'user_id' column; sessions need one of them. Columns found: "
                ~ written | join(', ') ~ "." ~ format_hint(written)
            ) }}
        {% endif %}
    {% endif %}
    {% for column in contract_columns %}
        {% if column in column_map %}
            {% set expression = column_map[column] %}
        {% elif column in found %}
            {% set quoted = [] %}
            {% for name in found[column] | sort %}{% do quoted.append(adapter.quote(name)) %}{% endfor %}
            {% set expression = quoted[0] if quoted | length == 1 else 'coalesce(' ~ quoted | join(', ') ~ ')' %}
        {% else %}
            {% set expression = 'null' %}
        {% endif %}
        {% do selected.append('cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ column) %}
    {% endfor %}
    {% do selected.append('true as is_event') %}
    {{ return({'file_columns': file_columns, 'selected': selected}) }}
{% endmacro %}


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
