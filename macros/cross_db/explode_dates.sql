{#
    Select-list expression that turns one row into one row per date from `first_date` to
    `last_date` (dates, inclusive), as a date.
#}
{% macro explode_dates(first_date, last_date) %}
    {{ return(adapter.dispatch('explode_dates', 'app_sessions')(first_date, last_date)) }}
{% endmacro %}


{% macro default__explode_dates(first_date, last_date) %}
    {{ exceptions.raise_compiler_error(
        "explode_dates has no version for the " ~ adapter.type() ~ " adapter: add "
        ~ adapter.type() ~ "__explode_dates to macros/cross_db/explode_dates.sql"
    ) }}
{% endmacro %}


{% macro duckdb__explode_dates(first_date, last_date) -%}
    cast(unnest(generate_series(
        cast({{ first_date }} as date), cast({{ last_date }} as date), interval 1 day
    )) as date)
{%- endmacro %}


{% macro spark__explode_dates(first_date, last_date) -%}
    explode(sequence(cast({{ first_date }} as date), cast({{ last_date }} as date)))
{%- endmacro %}
