{% macro check_events_path() %}
    {% set path = var('events_path') | string %}
    {% set format = events_format() %}
    {% set reader = events_reader() %}
    {% set accepted = [] %}
    {% for kind, endings in events_file_endings().items() %}
        {% if kind != 'csv' or format == 'contract' %}{% do accepted.extend(endings) %}{% endif %}
    {% endfor %}
    {% if reader is none or (reader == 'csv' and format != 'contract') %}
        {{ exceptions.raise_compiler_error(
            "var events_path = '" ~ path ~ "' does not end in a file ending events_format '"
            ~ format ~ "' reads. Point it at Parquet"
            ~ (", CSV" if format == 'contract' else "") ~ " or newline-delimited JSON files, e.g. "
            ~ "--vars '{\"events_path\": \"/data/events/*.parquet\"}'. Accepted endings: "
            ~ accepted | join(', ') ~ "."
        ) }}
    {% endif %}
    {% if execute %}
        {% do adapter.dispatch('check_events_path_matches', 'app_sessions')(path) %}
    {% endif %}
{% endmacro %}
