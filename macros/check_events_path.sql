{#
    The reader of the files var events_path names, by their ending: 'parquet', 'csv'
    (events_format 'contract' only) or 'json' (newline-delimited JSON, one document a
    line, optionally gzip or zstd compressed; a bare `.gz` is Segment's S3 file). A
    PostHog file ending in `.parquet.zst` (or another codec) is Parquet: the codec is
    inside the file. `check_events_path()` stops the build with a message naming the
    accepted endings when there is no reader, or when the glob matches no file.
#}
{% macro events_file_endings() %}
    {% set json = [] %}
    {% for base in ['.json', '.jsonl', '.ndjson'] %}
        {% do json.extend([base, base ~ '.gz', base ~ '.zst']) %}
    {% endfor %}
    {% do json.append('.gz') %}
    {{ return({
        'parquet': ['.parquet', '.parquet.zst', '.parquet.lz4', '.parquet.sz', '.parquet.gz', '.parquet.br'],
        'csv': ['.csv', '.csv.gz'],
        'json': json,
    }) }}
{% endmacro %}


{% macro events_reader() %}
    {% set lowered = (var('events_path') | string).lower() %}
    {% for reader, endings in events_file_endings().items() %}
        {% for ending in endings %}
            {#- in this order, so `.csv.gz` and `.parquet.gz` are not taken for JSON's `.gz` -#}
            {% if lowered.endswith(ending) %}
                {{ return(reader) }}
            {% endif %}
        {% endfor %}
    {% endfor %}
    {{ return(none) }}
{% endmacro %}


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

{% macro default__check_events_path_matches(path) %}
{% endmacro %}

{% macro duckdb__check_events_path_matches(path) %}
    {% set matches = run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] %}
    {% if matches == 0 %}
        {{ exceptions.raise_compiler_error(
            "var events_path = '" ~ path ~ "' matches no file (relative paths start at the project "
            ~ "directory). Check the path, or run `make run` without EVENTS_PATH to build the demo "
            ~ "data set."
        ) }}
    {% endif %}
{% endmacro %}
