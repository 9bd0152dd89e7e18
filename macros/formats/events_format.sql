{#
    How the raw files are read: var events_format names the shape of the export.

    `contract` (the default): files with the contract's columns (docs/contract.md), or
    any other columns mapped to them by var column_map (an SQL expression over the file's
    columns per contract column) and var epoch_units (numeric timestamps).

    A vendor's name (macros/formats/<vendor>.sql): that vendor's export as delivered.
    Each row is read as one JSON document (an NDJSON line as written, a Parquet row as
    to_json of it) and every contract column is the text at a path in it, so no value is
    retyped by the reader. A vendor format also names its lifecycle event that means
    "backgrounded" (the default of var background_event_names), its epoch units, the
    rows that are not events (identify calls), and the columns that give its files away
    (to name the format when its files are read as `contract`).
#}
{% macro events_formats() %}
    {{ return(['contract', 'segment', 'amplitude', 'mixpanel', 'ga4', 'posthog']) }}
{% endmacro %}


{% macro events_format() %}
    {% set name = (var('events_format', 'contract') | string) | trim | lower %}
    {% if name == 'firebase' %}
        {% set name = 'ga4' %}
    {% endif %}
    {% if name not in events_formats() %}
        {{ exceptions.raise_compiler_error(
            "var 'events_format' is '" ~ var('events_format') ~ "'; it must be one of "
            ~ events_formats() | join(', ') ~ " (firebase is ga4: the same BigQuery export). "
            ~ "E.g. make run EVENTS_FORMAT=segment EVENTS_PATH='/data/segment-logs/*/*/*.gz'."
        ) }}
    {% endif %}
    {{ return(name) }}
{% endmacro %}


{#- The vendor formats' mappings, by name; every one is rendered (they are small) so the
    "looks like" hints can name any of them. -#}
{% macro vendor_formats() %}
    {{ return({
        'segment': format_segment(),
        'amplitude': format_amplitude(),
        'mixpanel': format_mixpanel(),
        'ga4': format_ga4(),
        'posthog': format_posthog(),
    }) }}
{% endmacro %}


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
    {% do units.update(epoch_units_var()) %}
    {% do spec.update({'name': name, 'epoch_units': units}) %}
    {{ return(spec) }}
{% endmacro %}


{#- var epoch_units: {"event_timestamp": "ms", "received_at": "s"}: those columns may hold
    numbers of that unit since 1970-01-01 UTC (ISO text stays valid too). -#}
{% macro epoch_units_var() %}
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


{#- The vendor formats whose giveaway columns (lower-cased) are all among `columns`. -#}
{% macro formats_that_match(columns) %}
    {% set lowered = columns | map('lower') | list %}
    {% set matches = [] %}
    {% for name, spec in vendor_formats().items() %}
        {% for keys in spec.signature %}
            {% set ns = namespace(all=true) %}
            {% for key in keys %}
                {% if key not in lowered %}{% set ns.all = false %}{% endif %}
            {% endfor %}
            {% if ns.all and name not in matches %}{% do matches.append(name) %}{% endif %}
        {% endfor %}
    {% endfor %}
    {{ return(matches) }}
{% endmacro %}


{#- A sentence for an error message: what the file's columns look like, when that is not
    the events_format the run reads them as, and the var to set. -#}
{% macro format_hint(columns) %}
    {% set format = events_format() %}
    {% set matches = formats_that_match(columns) %}
    {% set names = {
        'segment': 'Segment', 'amplitude': 'Amplitude', 'mixpanel': 'Mixpanel',
        'ga4': 'GA4 / Firebase (BigQuery)', 'posthog': 'PostHog',
    } %}
    {% set lowered = columns | map('lower') | list %}
    {% if format == 'contract' and matches %}
        {% set suggestion = matches[0] %}
        {% set sentence = " These columns look like an export of " ~ names[suggestion] %}
    {% elif format != 'contract' and columns and format not in matches %}
        {% set suggestion = matches[0] if matches else (
            'contract' if 'event_name' in lowered and 'event_timestamp' in lowered else none) %}
        {% set sentence = " events_format is '" ~ format ~ "', but the files' columns ("
            ~ (columns[:12] | join(', ')) ~ (", ..." if columns | length > 12 else "")
            ~ ") are not those of its export"
            ~ ("; they look like " ~ ("an export of " ~ names[suggestion] if suggestion in names
                else "the contract's") if suggestion else "") %}
    {% else %}
        {{ return('') }}
    {% endif %}
    {% if suggestion %}
        {% set sentence = sentence ~ ": read them with --vars '{\"events_format\": \""
            ~ suggestion ~ "\"}' (make run EVENTS_FORMAT=" ~ suggestion ~ ")" %}
    {% endif %}
    {{ return(sentence ~ ". See docs/from-your-analytics-tool.md.") }}
{% endmacro %}
