{#- Whether this run rebuilds every incremental model: --full-refresh, or an earlier one did not
    finish. -#}
{% macro is_full_rebuild_run() %}
    {{ return(flags.FULL_REFRESH or stored_unfinished_full_refresh() is not none) }}
{% endmacro %}
