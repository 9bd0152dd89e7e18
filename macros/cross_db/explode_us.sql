{#
    Select-list expression that turns one row into one row per step of `step_us`
    microseconds (default: an hour) from `first_us` to `last_us` (epoch microseconds,
    inclusive; `first_us` <= `last_us`, both on the step's grid).
#}
{% macro explode_us(first_us, last_us, step_us=3600000000) %}
    {{ return(adapter.dispatch('explode_us', 'app_sessions')(first_us, last_us, step_us)) }}
{% endmacro %}


{#- ANSI SQL has no set-returning function in a select list. -#}
{% macro default__explode_us(first_us, last_us, step_us) -%}
    {{ exceptions.raise_compiler_error(
        "explode_us: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__explode_us variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/explode_us.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__explode_us(first_us, last_us, step_us) -%}
    unnest(generate_series(
        cast({{ first_us }} as bigint), cast({{ last_us }} as bigint), cast({{ step_us }} as bigint)
    ))
{%- endmacro %}


{% macro spark__explode_us(first_us, last_us, step_us) -%}
    explode(sequence(
        cast({{ first_us }} as bigint), cast({{ last_us }} as bigint), cast({{ step_us }} as bigint)
    ))
{%- endmacro %}
