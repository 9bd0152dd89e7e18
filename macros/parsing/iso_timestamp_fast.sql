{#
    Fast path for the most common export format, 'YYYY-MM-DDThh:mm:ss.ffffffZ': a
    check of its shape and one strptime, about half the cost of the general parser.
    Null for any other text (the general parser then decides). Engines without it
    return null and use the general parser for every value.
#}
{% macro iso_timestamp_fast(text_expr) %}
    {{ return(adapter.dispatch('iso_timestamp_fast', 'app_sessions')(text_expr)) }}
{% endmacro %}


{% macro default__iso_timestamp_fast(text_expr) -%}
    cast(null as {{ dbt.type_timestamp() }})
{%- endmacro %}


{# Spark: typed as spark__timestamp_from_epoch_us returns, so coalesce keeps the type. #}
{% macro spark__iso_timestamp_fast(text_expr) -%}
    cast(null as timestamp)
{%- endmacro %}


{#- The shape by `like` (27 characters, separators in place), then strptime, which
    rejects any other character where a digit belongs and any field out of range. Takes
    trimmed text: strptime skips leading whitespace. Year 0000 is left to the general
    parser, which rejects it (strptime would take it as 1 BC). Accepts exactly what the
    contract accepts of this form, with the same value (tests/test_timestamp_fast_path.py),
    and costs less than the regex check it replaced (docs/performance.md). -#}
{% macro duckdb__iso_timestamp_fast(text_expr) -%}
    case
        when
            {{ text_expr }} like '____-__-__T__:__:__.______Z'
            and {{ text_expr }} not like '0000%'
            then try_strptime({{ text_expr }}, '%Y-%m-%dT%H:%M:%S.%fZ')
    end
{%- endmacro %}
