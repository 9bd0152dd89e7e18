{# True when a (valid) time zone text is a fixed UTC offset: `Z`, `+HH:MM`, `+HHMM`, `-HH:MM`, ... #}
{% macro is_fixed_offset(expr) %}
    {{ return(adapter.dispatch('is_fixed_offset', 'app_sessions')(expr)) }}
{% endmacro %}


{% macro default__is_fixed_offset(expr) -%}
    {{ exceptions.raise_compiler_error(
        "is_fixed_offset: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__is_fixed_offset variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/is_fixed_offset.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__is_fixed_offset(expr) -%}
    regexp_full_match({{ expr }}, '{{ _fixed_offset_pattern() }}')
{%- endmacro %}


{% macro spark__is_fixed_offset(expr) -%}
    ({{ expr }} rlike '^({{ _fixed_offset_pattern() }})$')
{%- endmacro %}


{# Z, or a sign, hours 00-13 and minutes 00-59 with or without a colon, or 14:00 exactly. #}
{% macro _fixed_offset_pattern() -%}
    Z|[+-](0[0-9]|1[0-3]):?[0-5][0-9]|[+-]14:?00
{%- endmacro %}
