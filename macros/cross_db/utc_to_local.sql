{# Wall-clock time in an IANA time zone of a UTC timestamp (without time zone). #}
{% macro utc_to_local(timestamp_expr, timezone) %}
    {{ return(adapter.dispatch('utc_to_local', 'app_sessions')(timestamp_expr, timezone)) }}
{% endmacro %}


{% macro default__utc_to_local(timestamp_expr, timezone) -%}
    from_utc_timestamp({{ timestamp_expr }}, '{{ timezone }}')
{%- endmacro %}


{% macro duckdb__utc_to_local(timestamp_expr, timezone) -%}
    {%- if timezone == 'UTC' -%}
        {{ timestamp_expr }}
    {%- else -%}
        timezone('{{ timezone }}', timezone('UTC', {{ timestamp_expr }}))
    {%- endif -%}
{%- endmacro %}
