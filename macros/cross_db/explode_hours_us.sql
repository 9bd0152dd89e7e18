{#
    Select-list expression that turns one row into one row per UTC hour from the
    hour starting at `first_hour_us` to the one starting at `last_hour_us`
    (both hour starts in epoch microseconds, inclusive).
#}
{% macro explode_hours_us(first_hour_us, last_hour_us) %}
    {{ return(adapter.dispatch('explode_hours_us', 'app_sessions')(first_hour_us, last_hour_us)) }}
{% endmacro %}


{% macro default__explode_hours_us(first_hour_us, last_hour_us) -%}
    explode(sequence(
        cast({{ first_hour_us }} as bigint), cast({{ last_hour_us }} as bigint), cast(3600000000 as bigint)
    ))
{%- endmacro %}


{% macro duckdb__explode_hours_us(first_hour_us, last_hour_us) -%}
    unnest(generate_series(
        cast({{ first_hour_us }} as bigint), cast({{ last_hour_us }} as bigint), cast(3600000000 as bigint)
    ))
{%- endmacro %}
