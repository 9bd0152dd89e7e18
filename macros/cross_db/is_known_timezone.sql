{# True when the engine can convert to this IANA time zone name. #}
{% macro is_known_timezone(timezone) %}
    {{ return(adapter.dispatch('is_known_timezone', 'app_sessions')(timezone)) }}
{% endmacro %}


{% macro default__is_known_timezone(timezone) %}
    {# Engines without a catalogue of zones fail loudly on first use instead. #}
    {{ return(true) }}
{% endmacro %}


{% macro duckdb__is_known_timezone(timezone) %}
    {% set result = run_query(
        "select count(*) from pg_timezone_names() where name = '" ~ timezone ~ "'"
    ) %}
    {{ return(result.columns[0].values()[0] > 0) }}
{% endmacro %}
