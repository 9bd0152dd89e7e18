{# The restart points of the model being built: config `restart_points`. #}
{% macro restart_points(model_relation) %}
    {% set kind = config.get('restart_points', 'pending') %}
    {% if kind == 'stitched_user' %}
        {{ return(stitched_user_restart_points(model_relation)) }}
    {% elif kind != 'pending' %}
        {{ exceptions.raise_compiler_error(
            "restart_tail: config restart_points must be 'pending' or 'stitched_user', got '"
            ~ kind ~ "'"
        ) }}
    {% endif %}
    {{ return(pending_restarts(model_relation)) }}
{% endmacro %}
