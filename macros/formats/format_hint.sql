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
