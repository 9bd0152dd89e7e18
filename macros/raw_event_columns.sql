{#
    The contract's input columns of a raw relation, each rendered as text, plus
    the file each row came from. Columns are matched by name, case-insensitively;
    a missing optional column becomes null, a missing required one stops the
    build with a message that names it. Extra columns are ignored.
#}
{% macro raw_event_columns(relation) %}
    {% set required = ['event_name', 'event_timestamp'] %}
    {% set contract_columns = [
        'event_id', 'device_id', 'user_id', 'event_name',
        'event_timestamp', 'received_at', 'platform', 'app_version',
    ] %}
    {% set found = {} %}
    {% if execute %}
        {% for column_name in run_query('select * from ' ~ relation ~ ' where 1 = 0').column_names %}
            {% do found.update({column_name | lower: column_name}) %}
        {% endfor %}
        {% for column in required %}
            {% if column not in found %}
                {{ exceptions.raise_compiler_error(
                    "The raw events (var events_path = '" ~ var('events_path') ~ "') have no column '"
                    ~ column ~ "'. Every file needs event_name and event_timestamp, and device_id "
                    ~ "or user_id; columns found: " ~ (found.keys() | sort | join(', ')) ~ "."
                ) }}
            {% endif %}
        {% endfor %}
        {% if 'device_id' not in found and 'user_id' not in found %}
            {{ exceptions.raise_compiler_error(
                "The raw events (var events_path = '" ~ var('events_path') ~ "') have neither a "
                ~ "'device_id' nor a 'user_id' column; sessions need one of them. Columns found: "
                ~ (found.keys() | sort | join(', ')) ~ "."
            ) }}
        {% endif %}
    {% endif %}
    {% set selected = [] %}
    {% for column in contract_columns %}
        {% if column in found or not execute %}
            {% do selected.append(
                'cast(' ~ adapter.quote(found.get(column, column)) ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ column
            ) %}
        {% else %}
            {% do selected.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) %}
        {% endif %}
    {% endfor %}
    {{ return(selected | join(',\n        ')) }}
{% endmacro %}
