{#
    Stops the build with a clear message when var events_path names no readable
    file: an unknown extension, or a glob that matches nothing.
#}
{% macro check_events_path() %}
    {% set path = var('events_path') | string %}
    {% set lowered = path.lower() %}
    {% set readable = ['.parquet', '.csv', '.csv.gz', '.json', '.json.gz', '.jsonl', '.jsonl.gz', '.ndjson', '.ndjson.gz'] %}
    {% set ns = namespace(known=false) %}
    {% for extension in readable %}
        {% if lowered.endswith(extension) %}{% set ns.known = true %}{% endif %}
    {% endfor %}
    {% if not ns.known %}
        {{ exceptions.raise_compiler_error(
            "var events_path = '" ~ path ~ "' does not end in a known extension. Point it at "
            ~ "Parquet, CSV or newline-delimited JSON files, e.g. --vars '{\"events_path\": "
            ~ "\"/data/events/*.parquet\"}' (extensions: " ~ readable | join(', ') ~ ")."
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
