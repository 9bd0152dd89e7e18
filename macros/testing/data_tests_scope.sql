{# The var `data_tests_scope`, checked (by the preflight too, before any model runs). #}
{% macro data_tests_scope() %}
    {% set scope = (var('data_tests_scope', 'run') | string) | trim | lower %}
    {% if scope not in ('run', 'all') %}
        {{ exceptions.raise_compiler_error(
            "var 'data_tests_scope' must be 'run' (data tests check the rows the latest run "
            ~ "wrote) or 'all' (whole tables), got '" ~ var('data_tests_scope') ~ "'. "
            ~ "Fix it in dbt_project.yml or pass --vars '{\"data_tests_scope\": \"all\"}'."
        ) }}
    {% endif %}
    {{ return(scope) }}
{% endmacro %}
