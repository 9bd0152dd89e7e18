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
