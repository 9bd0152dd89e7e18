{#
    A number since 1970-01-01 UTC in `unit` ('s', 'ms', 'us' or 'ns'), written as digits
    with an optional fraction (`1710497098`, `1710497098.123`), to a UTC timestamp;
    null for any other text, and for an instant after 9999-12-31 23:59:59.999999.
    Fractions below a microsecond are truncated. For the timestamp columns that an events
    format or var epoch_units declares numeric (docs/contract.md, Timestamps).
#}
{% macro epoch_text_to_timestamp(text_expr, unit) %}
    {% set pattern = "'^([0-9]{1,30})([.][0-9]{1,9})?$'" %}
    {% set digits = 'regexp_extract(' ~ text_expr ~ ', ' ~ pattern ~ ', 1)' %}
    {% set fraction = 'substr(regexp_extract(' ~ text_expr ~ ', ' ~ pattern ~ ', 2) || '
        ~ "'000000000', 2)" %}
    {% if unit == 's' %}
        {% set us = 'cast(' ~ digits ~ ' as decimal(38, 0)) * 1000000 + cast(left('
            ~ fraction ~ ', 6) as decimal(38, 0))' %}
    {% elif unit == 'ms' %}
        {% set us = 'cast(' ~ digits ~ ' as decimal(38, 0)) * 1000 + cast(left('
            ~ fraction ~ ', 3) as decimal(38, 0))' %}
    {% elif unit == 'us' %}
        {% set us = 'cast(' ~ digits ~ ' as decimal(38, 0))' %}
    {% else %}
        {% set us = 'cast(case when length(' ~ digits ~ ') > 3 then left(' ~ digits ~ ', length('
            ~ digits ~ ') - 3) else ' ~ "'0'" ~ ' end as decimal(38, 0))' %}
    {% endif %}
    {% set sql %}
        case
            when {{ digits }} <> '' and {{ us }} <= {{ last_instant_us() }}
                then {{ timestamp_from_epoch_us('cast(' ~ us ~ ' as bigint)') }}
        end
    {% endset %}
    {{ return(sql) }}
{% endmacro %}
