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


{% macro iso_timestamp_parts_to_utc(parts) -%}
    case
        when {{ parts }}.day <> ''
            then {{ timestamp_from_epoch_us(
                epoch_us(dbt.safe_cast(
                    parts ~ ".day || ' ' || " ~ parts ~ ".hour || ':' || " ~ parts ~ ".minute"
                    ~ " || ':' || coalesce(nullif(" ~ parts ~ ".second, ''), '00')",
                    dbt.type_timestamp()
                ))
                ~ " + cast(left(" ~ parts ~ ".fraction || '000000', 6) as bigint)"
                ~ " - (case when " ~ parts ~ ".sign = '-' then -1 else 1 end) * 1000000 * ("
                ~ "3600 * cast(coalesce(nullif(" ~ parts ~ ".offset_hour, ''), '0') as bigint)"
                ~ " + 60 * cast(coalesce(nullif(" ~ parts ~ ".offset_minute, ''), '0') as bigint))"
            ) }}
    end
{%- endmacro %}


{#
    Fast path for the most common export format, 'YYYY-MM-DDThh:mm:ss.ffffffZ': a
    strict pattern check and one strptime, about half the cost of the general
    parser. Null for any other text (the general parser then decides). Engines
    without it return null and use the general parser for every value.
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

{% macro duckdb__iso_timestamp_fast(text_expr) -%}
    case
        when regexp_full_match(
            {{ text_expr }},
            '[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9][.][0-9]{6}Z'
        )
            then try_strptime({{ text_expr }}, '%Y-%m-%dT%H:%M:%S.%fZ')
    end
{%- endmacro %}
