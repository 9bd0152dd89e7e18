{#- dbt's own macro (its incremental materializations and is_incremental() call it), overridden:
    an unfinished full refresh makes every run a full one. A model's `full_refresh` config
    still wins, as in dbt's. -#}
{% macro should_full_refresh() %}
    {% set configured = config.get('full_refresh') %}
    {% if configured is not none %}
        {{ return(configured) }}
    {% endif %}
    {{ return(is_full_rebuild_run()) }}
{% endmacro %}
