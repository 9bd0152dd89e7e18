{#- The likely fix, from the top reason, the example values and the file's columns. -#}
{% macro load_check_hint(reason, events, load_batch, raw_events) %}
    {% set format = events_format() %}
    {% set columns = raw_file_columns(raw_events).keys() | list %}
    {% set vendor = format_hint(columns) %}
    {% set hint = '' %}
    {% if reason == 'invalid_timestamp' %}
        {% set sample = run_query(
            'select ' ~ json_text('raw_text', 'event_timestamp') ~ ' as event_timestamp from ' ~ events
            ~ ' where read_batch = ' ~ load_batch ~ " and reject_reason = 'invalid_timestamp' and "
            ~ json_text('raw_text', 'event_timestamp') ~ ' is not null limit 1'
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
