{#
    ISO-8601 text to a UTC timestamp, in two steps so the pattern is matched once
    per value: `iso_timestamp_parts` splits the text into its fields (all empty
    when the text is not a timestamp of the contract's grammar), and
    `iso_timestamp_parts_to_utc` builds the UTC timestamp from them, or null.
    Grammar: YYYY-MM-DD[T| ]hh:mm[:ss[.f{1,9}]][Z|+hh|+hhmm|+hh:mm] (docs/contract.md).
#}
{% macro iso_timestamp_pattern() -%}
    ^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:[.]([0-9]{1,9}))?)?(?:([Zz])|([+-])([01][0-9]|2[0-3])(?::?([0-5][0-9]))?)?$
{%- endmacro %}


{% macro iso_timestamp_parts(text_expr) %}
    {{ return(adapter.dispatch('iso_timestamp_parts', 'app_sessions')(text_expr)) }}
{% endmacro %}

{% macro default__iso_timestamp_parts(text_expr) -%}
    named_struct(
        {%- for field in ['day', 'hour', 'minute', 'second', 'fraction', 'zulu', 'sign', 'offset_hour', 'offset_minute'] %}
        '{{ field }}', coalesce(regexp_extract({{ text_expr }}, '{{ iso_timestamp_pattern() }}', {{ loop.index }}), '')
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{% macro duckdb__iso_timestamp_parts(text_expr) -%}
    regexp_extract(
        {{ text_expr }},
        '{{ iso_timestamp_pattern() }}',
        ['day', 'hour', 'minute', 'second', 'fraction', 'zulu', 'sign', 'offset_hour', 'offset_minute']
    )
{%- endmacro %}


{#- The contract's instants are 0001-01-01 00:00:00 .. 9999-12-31 23:59:59.999999 UTC: a year
    0000, or an offset that moves a time past either end, is not a timestamp. -#}
{% macro iso_timestamp_parts_to_utc(parts) -%}
    {%- set utc_us -%}
        {{ epoch_us(dbt.safe_cast(
            parts ~ ".day || ' ' || " ~ parts ~ ".hour || ':' || " ~ parts ~ ".minute"
            ~ " || ':' || coalesce(nullif(" ~ parts ~ ".second, ''), '00')",
            dbt.type_timestamp()
        )) }}
        + cast(left({{ parts }}.fraction || '000000', 6) as bigint)
        - (case when {{ parts }}.sign = '-' then -1 else 1 end) * 1000000 * (
            3600 * cast(coalesce(nullif({{ parts }}.offset_hour, ''), '0') as bigint)
            + 60 * cast(coalesce(nullif({{ parts }}.offset_minute, ''), '0') as bigint)
        )
    {%- endset -%}
    case
        when
            {{ parts }}.day <> ''
            and {{ parts }}.day not like '0000%'
            and {{ utc_us }} between {{ first_instant_us() }} and {{ last_instant_us() }}
            then {{ timestamp_from_epoch_us(utc_us) }}
    end
{%- endmacro %}

{% macro first_instant_us() %}-62135596800000000{% endmacro %}

{% macro last_instant_us() %}253402300799999999{% endmacro %}


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
    and costs less than the regex check it replaced (docs/performance.md, run D). -#}
{% macro duckdb__iso_timestamp_fast(text_expr) -%}
    case
        when
            {{ text_expr }} like '____-__-__T__:__:__.______Z'
            and {{ text_expr }} not like '0000%'
            then try_strptime({{ text_expr }}, '%Y-%m-%dT%H:%M:%S.%fZ')
    end
{%- endmacro %}
