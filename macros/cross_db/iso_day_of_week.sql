{# ISO day of the week of a timestamp or date: Monday = 1 ... Sunday = 7. #}
{% macro iso_day_of_week(expr) %}
    {{ return(adapter.dispatch('iso_day_of_week', 'app_sessions')(expr)) }}
{% endmacro %}


{#- ANSI SQL's extract has no day-of-week field. -#}
{% macro default__iso_day_of_week(expr) -%}
    {{ exceptions.raise_compiler_error(
        "iso_day_of_week: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__iso_day_of_week variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/iso_day_of_week.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__iso_day_of_week(expr) -%}
    isodow({{ expr }})
{%- endmacro %}


{#- Spark's dayofweek counts from Sunday = 1. -#}
{% macro spark__iso_day_of_week(expr) -%}
    (((dayofweek({{ expr }}) + 5) % 7) + 1)
{%- endmacro %}
