{#
    Whether the restart log was rebuilt since a model with a restarts-applied table last
    ran: its batch numbers then mean nothing, and the model recomputes every row. (A
    --full-refresh killed before it reached this model leaves a marker that makes the next run
    a full one, macros/incremental/should_full_refresh.sql; this catches such a refresh where the
    marker is missing, e.g. killed by a version of the project before the marker.)
#}
{% macro restart_log_was_reset(model_relation, restart_log) %}
    {% if not (execute and is_incremental() and config.get('restarts_applied_table', false)) %}
        {{ return(false) }}
    {% endif %}
    {% set applied = restarts_applied_relation(model_relation) %}
    {% if 'restart_log_generation' not in (
        adapter.get_columns_in_relation(applied) | map(attribute='name') | list
    ) %}
        {{ return(true) }}
    {% endif %}
    {% set same = run_query(
        'select coalesce(max(restart_log_generation) = ' ~ restart_log_generation(restart_log)
        ~ ', false) from ' ~ applied
    ).columns[0].values()[0] %}
    {{ return(not same) }}
{% endmacro %}
