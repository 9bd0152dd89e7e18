{#
    ISO-8601 text to a UTC timestamp, in two steps so the pattern is matched once
    per value: `iso_timestamp_parts` splits the text into its fields (all empty
    when the text is not a timestamp of the contract's grammar), and
    `iso_timestamp_parts_to_utc` builds the UTC timestamp from them, or null.
    Grammar: YYYY-MM-DD[T| ]hh:mm[:ss[.f{1,9}]][Z|+hh|+hhmm|+hh:mm] (docs/contract.md).
#}
{% macro _iso_timestamp_pattern() -%}
    ^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:[.]([0-9]{1,9}))?)?(?:([Zz])|([+-])([01][0-9]|2[0-3])(?::?([0-5][0-9]))?)?$
{%- endmacro %}


{% macro iso_timestamp_parts(text_expr) %}
    {{ return(adapter.dispatch('iso_timestamp_parts', 'app_sessions')(text_expr)) }}
{% endmacro %}


{#- ANSI SQL has no regular expression capture groups. -#}
{% macro default__iso_timestamp_parts(text_expr) -%}
    {{ exceptions.raise_compiler_error(
        "iso_timestamp_parts: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__iso_timestamp_parts variant beside the DuckDB and Spark ones"
        ~ " (macros/parsing/iso_timestamp_parts.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__iso_timestamp_parts(text_expr) -%}
    regexp_extract(
        {{ text_expr }},
        '{{ _iso_timestamp_pattern() }}',
        ['day', 'hour', 'minute', 'second', 'fraction', 'zulu', 'sign', 'offset_hour', 'offset_minute']
    )
{%- endmacro %}


{% macro spark__iso_timestamp_parts(text_expr) -%}
    named_struct(
        {%- for field in ['day', 'hour', 'minute', 'second', 'fraction', 'zulu', 'sign', 'offset_hour', 'offset_minute'] %}
        '{{ field }}', coalesce(regexp_extract({{ text_expr }}, '{{ _iso_timestamp_pattern() }}', {{ loop.index }}), '')
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}
