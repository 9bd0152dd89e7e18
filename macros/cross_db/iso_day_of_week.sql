{# ISO day of the week of a timestamp or date: Monday = 1 ... Sunday = 7. #}
{% macro iso_day_of_week(expr) %}
    {{ return(adapter.dispatch('iso_day_of_week', 'app_sessions')(expr)) }}
{% endmacro %}


{% macro default__iso_day_of_week(expr) -%}
    (((dayofweek({{ expr }}) + 5) % 7) + 1)
{%- endmacro %}


{% macro duckdb__iso_day_of_week(expr) -%}
    isodow({{ expr }})
{%- endmacro %}
