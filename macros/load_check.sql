{#
    Helpers of the load check (tests/generic/load_is_usable.sql): its thresholds, an
    example row of a reason, and the likely fix for a message.
#}
{% macro load_check_share(name) %}
    {% set text = (var(name) | string) | trim %}
    {% if modules.re.fullmatch('0?\.[0-9]+|[01](\.0*)?', text) is none %}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' must be a share from 0 to 1, e.g. 0.1 for 10%, got '" ~ text ~ "'."
        ) }}
    {% endif %}
    {{ return(text | float) }}
{% endmacro %}


{% macro load_check_min_rows() %}
    {% set text = (var('load_check_min_rows') | string) | trim %}
    {% if modules.re.fullmatch('[0-9]+', text) is none %}
        {{ exceptions.raise_compiler_error(
            "var 'load_check_min_rows' must be a whole number of rows, e.g. 10, got '" ~ text ~ "'."
        ) }}
    {% endif %}
    {{ return(text | int) }}
{% endmacro %}


{#- The first row a load read and quarantined for that reason (of that event id, if given),
    its raw values as read. By read_batch: a later run may have re-ranked the row. -#}
{% macro load_check_example(events, load_batch, reason, event_id=none) %}
    {% set columns = ['event_id', 'device_id', 'user_id', 'event_name', 'event_timestamp', 'received_at', 'source_file'] %}
    {% set result = run_query(
        'select ' ~ columns | join(', ') ~ ' from ' ~ events ~ ' where read_batch = '
        ~ load_batch ~ " and reject_reason = '" ~ reason ~ "'"
        ~ (" and clean_event_id = '" ~ (event_id | replace("'", "''")) ~ "'" if event_id is not none else "")
        ~ " order by source_file, event_id limit 1"
    ) %}
    {% if not result.rows %}{{ return('(none)') }}{% endif %}
    {% set values = [] %}
    {% for column in columns %}
        {% set value = result.rows[0][column] %}
        {% do values.append(column ~ '=' ~ ("null" if value is none else "'" ~ value ~ "'")) %}
    {% endfor %}
    {{ return('{' ~ values | join(', ') ~ '}') }}
{% endmacro %}


{#- The likely fix, from the top reason, the example values and the file's columns. -#}
{% macro load_check_hint(reason, events, load_batch, raw_events) %}
    {% set format = events_format() %}
    {% set columns = raw_file_columns(raw_events).keys() | list %}
    {% set vendor = format_hint(columns) %}
    {% set hint = '' %}
    {% if reason == 'invalid_timestamp' %}
        {% set sample = run_query(
            'select event_timestamp from ' ~ events ~ ' where read_batch = ' ~ load_batch
            ~ " and reject_reason = 'invalid_timestamp' and event_timestamp is not null limit 1"
        ) %}
        {% set text = (sample.rows[0][0] | string | trim) if sample.rows else '' %}
        {% if modules.re.fullmatch('[0-9]{9,19}([.][0-9]+)?', text) %}
            {% set digits = text.split('.')[0] | length %}
            {% set unit = 's' if digits <= 11 else 'ms' if digits <= 14 else 'us' if digits <= 17 else 'ns' %}
            {% set hint = "\nLikely fix: these timestamps look like epoch " ~ {'s': 'seconds', 'ms': 'milliseconds', 'us': 'microseconds', 'ns': 'nanoseconds'}[unit]
                ~ " ('" ~ text ~ "')" ~ (": events_format '" ~ formats_that_match(columns)[0] ~ "'?" if vendor else
                ": declare them with --vars '{\"epoch_units\": {\"event_timestamp\": \"" ~ unit ~ "\"}}'.") %}
        {% endif %}
    {% elif reason == 'conflicting_ids' %}
        {% set hint = "\nLikely fix: " ~ ("events_format 'amplitude'? Amplitude's event_id counts a device's "
            ~ "events; the format reads $insert_id instead." if 'amplitude' in formats_that_match(columns) else
            "map event_id to a column that identifies one event (var column_map), or to null "
            ~ "(copies are then found by their content), e.g. --vars '{\"column_map\": {\"event_id\": \"null\"}}'.") %}
    {% elif reason == 'missing_identity' %}
        {% set hint = "\nLikely fix: name the device or user column with var column_map, e.g. "
            ~ "--vars '{\"column_map\": {\"device_id\": \"anonymous_id\"}}'." %}
    {% endif %}
    {% if vendor and 'events_format' not in hint %}
        {% set hint = hint ~ "\n" ~ vendor | trim %}
    {% endif %}
    {{ return(hint) }}
{% endmacro %}
