{#- The restart points of the model being built (config `restart_points`), from the restart
    log `restart_log`; 'stitched_user' also compares with `recomputed_sessions`. -#}
{% macro restart_points(model_relation, restart_log, recomputed_sessions=none) %}
    {% set kind = config.get('restart_points', 'pending') %}
    {% if kind == 'stitched_user' %}
        {{ return(stitched_user_restart_points(model_relation, restart_log, recomputed_sessions)) }}
    {% elif kind != 'pending' %}
        {{ exceptions.raise_compiler_error(
            "restart_tail: config restart_points must be 'pending' or 'stitched_user', got '"
            ~ kind ~ "'"
        ) }}
    {% endif %}
    {{ return(pending_restarts(model_relation, restart_log)) }}
{% endmacro %}
