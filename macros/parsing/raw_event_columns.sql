{#
    The contract's input columns of the raw relation, each as text, plus `is_event`, and
    `event_timestamp_native` and `received_at_native`: the column itself where the file holds
    it as a native timestamp (its text is then null), else null.

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
    {% set native_columns = ['event_timestamp', 'received_at'] %}
    {% if spec.columns is not none %}
        {% for column in contract_columns %}
            {% do selected.append(spec.columns[column] ~ ' as ' ~ column) %}
        {% endfor %}
        {% do selected.append((spec.is_event or 'true') ~ ' as is_event') %}
        {% for column in native_columns %}
            {% do selected.append('cast(null as ' ~ dbt.type_timestamp() ~ ') as ' ~ column ~ '_native') %}
        {% endfor %}
        {{ return({'file_columns': {'document': raw_event_document()}, 'selected': selected}) }}
    {% endif %}

    {% set file_columns = raw_file_columns(relation) if execute else {} %}
    {% set native_in_file = native_timestamp_columns(relation) if execute else [] %}
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
        {% if column in native_columns and column not in column_map and column in found
            and found[column] | length == 1 and found[column][0] in native_in_file %}
            {#- a native timestamp: used as it is (TimeZone is UTC, so a TIMESTAMP WITH
                TIME ZONE becomes its UTC time) -#}
            {% do selected.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) %}
            {% do selected.append('cast(' ~ expression ~ ' as ' ~ dbt.type_timestamp() ~ ') as ' ~ column ~ '_native') %}
        {% else %}
            {% do selected.append('cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ column) %}
            {% if column in native_columns %}
                {% do selected.append('cast(null as ' ~ dbt.type_timestamp() ~ ') as ' ~ column ~ '_native') %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {% do selected.append('true as is_event') %}
    {{ return({'file_columns': file_columns, 'selected': selected}) }}
{% endmacro %}
