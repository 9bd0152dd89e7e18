{#- The marker as stored, or none; read through dbt's relation cache, filled when the run
    starts (a marker written by this run's own preflight is not in it). -#}
{% macro stored_unfinished_full_refresh() %}
    {% if not execute %}
        {{ return(none) }}
    {% endif %}
    {{ return(load_cached_relation(unfinished_full_refresh_relation())) }}
{% endmacro %}
