{#- Whether this run is a --full-refresh whose selection includes an incremental model. -#}
{% macro refreshes_an_incremental_model() %}
    {{ return(flags.FULL_REFRESH and (
        project_incremental_models() | select('in', selected_resources) | list | length > 0
    )) }}
{% endmacro %}
