{#
    How the raw files are read: var events_format names the shape of the export.

    `contract` (the default): files with the contract's columns (docs/contract.md), or
    any other columns mapped to them by var column_map (an SQL expression over the file's
    columns per contract column) and var epoch_units (numeric timestamps).

    A vendor's name (macros/formats/format_<vendor>.sql): that vendor's export as delivered.
    Each row is read as one JSON document (an NDJSON line as written, a Parquet row as
    to_json of it) and every contract column is the text at a path in it, so no value is
    retyped by the reader. A vendor format also names its lifecycle event that means
    "backgrounded" (the default of var background_event_names), its epoch units, the
    rows that are not events (identify calls), and the columns that give its files away
    (to name the format when its files are read as `contract`).
#}
{% macro _events_formats() %}
    {{ return(['contract', 'segment', 'amplitude', 'mixpanel', 'ga4', 'posthog']) }}
{% endmacro %}


{% macro events_format() %}
    {% set name = (var('events_format', 'contract') | string) | trim | lower %}
    {% if name == 'firebase' %}
        {% set name = 'ga4' %}
    {% endif %}
    {% if name not in _events_formats() %}
        {{ exceptions.raise_compiler_error(
            "var 'events_format' is '" ~ var('events_format') ~ "'; it must be one of "
            ~ _events_formats() | join(', ') ~ " (firebase is ga4: the same BigQuery export). "
            ~ "E.g. make run EVENTS_FORMAT=segment EVENTS_PATH='/data/segment-logs/*/*/*.gz'."
        ) }}
    {% endif %}
    {{ return(name) }}
{% endmacro %}
