{#
    The local wall-clock time, as microseconds since 1970-01-01 00:00, of the instant `us_expr`
    (UTC epoch microseconds) in the zone `zone_expr`: a column or expression holding a valid
    zone (macros/parsing/valid_timezone.sql), a tz database name or a fixed offset. An offset
    is added as it is written; a name goes through the engine's time zone rules.
#}
{% macro local_epoch_us(us_expr, zone_expr) -%}
    case
        when {{ is_fixed_offset(zone_expr) }}
            then {{ us_expr }} + {{ _fixed_offset_us(zone_expr) }}
        else {{ adapter.dispatch('zone_local_epoch_us', 'app_sessions')(us_expr, zone_expr) }}
    end
{%- endmacro %}


{% macro default__zone_local_epoch_us(us_expr, zone_expr) -%}
    {{ exceptions.raise_compiler_error(
        'local_epoch_us has no SQL for the ' ~ adapter.type() ~ ' adapter: add an '
        ~ adapter.type() ~ '__zone_local_epoch_us macro (macros/cross_db/local_epoch_us.sql)'
    ) }}
{%- endmacro %}


{% macro duckdb__zone_local_epoch_us(us_expr, zone_expr) -%}
    epoch_us(timezone({{ zone_expr }}, timezone('UTC', make_timestamp(cast({{ us_expr }} as bigint)))))
{%- endmacro %}


{% macro spark__zone_local_epoch_us(us_expr, zone_expr) -%}
    unix_micros(from_utc_timestamp(timestamp_micros({{ us_expr }}), {{ zone_expr }}))
{%- endmacro %}


{# `Z` is 0; `+HH:MM` / `+HHMM` and their negatives are (HH x 60 + MM) minutes. #}
{% macro _fixed_offset_us(zone_expr) -%}
    case
        when {{ zone_expr }} = 'Z' then cast(0 as bigint)
        else
            (case when substr({{ zone_expr }}, 1, 1) = '-' then -1 else 1 end)
            * (
                cast(substr({{ zone_expr }}, 2, 2) as bigint) * 60
                + cast(substr(replace({{ zone_expr }}, ':', ''), 4, 2) as bigint)
            )
            * 60000000
    end
{%- endmacro %}
