{#- The mapping of the chosen format: `columns` (contract column -> SQL over the JSON text
    `document`; none for `contract`), `is_event`, `epoch_units` (var epoch_units on top of
    the format's own), `background_event_names` (the format's default). -#}
{% macro events_format_spec() %}
    {% set name = events_format() %}
    {% if name == 'contract' %}
        {% set spec = {
            'columns': none, 'is_event': none, 'epoch_units': {},
            'background_event_names': ['app_background'],
        } %}
    {% else %}
        {% set spec = vendor_formats()[name] %}
        {% if var('column_map', none) %}
            {{ exceptions.raise_compiler_error(
                "var 'column_map' maps the columns of files read as events_format 'contract'; "
                ~ "events_format '" ~ name ~ "' has its own mapping (macros/formats/" ~ name
                ~ ".sql). Leave column_map out, or set events_format 'contract' and map every "
                ~ "column yourself."
            ) }}
        {% endif %}
    {% endif %}
    {% set units = {} %}
    {% do units.update(spec.epoch_units) %}
    {% do units.update(_epoch_units_var()) %}
    {% do spec.update({'name': name, 'epoch_units': units}) %}
    {{ return(spec) }}
{% endmacro %}


{#- var epoch_units: {"event_timestamp": "ms", "received_at": "s"}: those columns may hold
    numbers of that unit since 1970-01-01 UTC (ISO text stays valid too). -#}
{% macro _epoch_units_var() %}
    {% set raw = var('epoch_units', {}) or {} %}
    {% set units = ['s', 'ms', 'us', 'ns'] %}
    {% if raw is not mapping %}
        {{ exceptions.raise_compiler_error(
            "var 'epoch_units' must map a timestamp column to a unit, e.g. --vars "
            ~ "'{\"epoch_units\": {\"event_timestamp\": \"ms\"}}', got '" ~ raw ~ "'."
        ) }}
    {% endif %}
    {% for column, unit in raw.items() %}
        {% if column not in ['event_timestamp', 'received_at'] or unit not in units %}
            {{ exceptions.raise_compiler_error(
                "var 'epoch_units' has '" ~ column ~ "': '" ~ unit ~ "'. Its keys are "
                ~ "event_timestamp and received_at, its units " ~ units | join(', ')
                ~ " (seconds, milliseconds, microseconds, nanoseconds since 1970-01-01 UTC)."
            ) }}
        {% endif %}
    {% endfor %}
    {{ return(raw) }}
{% endmacro %}
