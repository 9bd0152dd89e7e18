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
            and {{ utc_us }} between {{ _first_instant_us() }} and {{ last_instant_us() }}
            then {{ timestamp_from_epoch_us(utc_us) }}
    end
{%- endmacro %}


{% macro _first_instant_us() %}-62135596800000000{% endmacro %}
