{#-
    The relations the restart_tail strategy reads besides the target: the restart log, and for
    config restart_points='stitched_user' the recomputed sessions. dbt calls a strategy with
    the target and the new rows only, so the model's config names them (`restart_log`,
    `recomputed_sessions`) and they are resolved here. The model refs them in its own SQL:
    dbt's ref() at run time stops a node that reads a model it did not declare.
-#}
{% macro restart_tail_inputs() %}
    {% set inputs = {'restart_log': ref(config.require('restart_log')), 'recomputed_sessions': none} %}
    {% if config.get('restart_points', 'pending') == 'stitched_user' %}
        {% do inputs.update(
            {'recomputed_sessions': ref(config.require('recomputed_sessions'))}
        ) %}
    {% endif %}
    {{ return(inputs) }}
{% endmacro %}
