{#
    The local wall-clock time, as microseconds since 1970-01-01 00:00, of the instant `us_expr`
    (UTC epoch microseconds) in the zone `zone_expr`: a column or expression holding a valid
    zone (macros/parsing/valid_timezone.sql), a tz database name or a fixed offset. An offset
    is added as it is written; a name goes through the engine's time zone rules.
#}
{% macro local_epoch_us(us_expr, zone_expr) %}
    {{ return(adapter.dispatch('local_epoch_us', 'app_sessions')(us_expr, zone_expr)) }}
{% endmacro %}


{% macro default__local_epoch_us(us_expr, zone_expr) -%}
    {{ exceptions.raise_compiler_error(
        "local_epoch_us: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__local_epoch_us variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/local_epoch_us.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__local_epoch_us(us_expr, zone_expr) -%}
    {{ _offset_or_named_zone(us_expr, zone_expr,
        "epoch_us(timezone(" ~ zone_expr ~ ", timezone('UTC', make_timestamp(cast("
        ~ us_expr ~ " as bigint)))))") }}
{%- endmacro %}


{% macro spark__local_epoch_us(us_expr, zone_expr) -%}
    {{ _offset_or_named_zone(us_expr, zone_expr,
        "unix_micros(from_utc_timestamp(timestamp_micros(" ~ us_expr ~ "), " ~ zone_expr ~ "))") }}
{%- endmacro %}


{# A fixed offset (`Z` is 0; `+HH:MM` / `+HHMM` and their negatives are HH x 60 + MM minutes)
   is added; a name takes the engine's conversion, `named_zone_sql`, except UTC (the zone of
   every session without one when reporting_timezone is UTC), which needs none. #}
{% macro _offset_or_named_zone(us_expr, zone_expr, named_zone_sql) -%}
    case
        when {{ zone_expr }} in ('Z', 'UTC', 'Etc/UTC') then {{ us_expr }}
        when {{ is_fixed_offset(zone_expr) }}
            then
                {{ us_expr }}
                + (case when substr({{ zone_expr }}, 1, 1) = '-' then -1 else 1 end)
                * (
                    cast(substr({{ zone_expr }}, 2, 2) as bigint) * 60
                    + cast(substr(replace({{ zone_expr }}, ':', ''), 4, 2) as bigint)
                )
                * 60000000
        else {{ named_zone_sql }}
    end
{%- endmacro %}
