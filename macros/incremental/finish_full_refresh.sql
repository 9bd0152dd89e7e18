{#- on-run-end of a run that found or wrote the marker: drop it once every enabled incremental
    model of the project was rebuilt in this run; otherwise name the ones that were not. -#}
{% macro finish_full_refresh(results) %}
    {% if not (execute and flags.WHICH in ['build', 'run'] and (
        stored_unfinished_full_refresh() is not none or refreshes_an_incremental_model()
    )) %}
        {{ return('') }}
    {% endif %}
    {% set rebuilt = [] %}
    {% for result in results %}
        {% if result.status == 'success' %}
            {% do rebuilt.append(result.node.unique_id) %}
        {% endif %}
    {% endfor %}
    {% set missing = [] %}
    {% for unique_id in project_incremental_models() if unique_id not in rebuilt %}
        {% do missing.append(unique_id.split('.')[-1]) %}
    {% endfor %}
    {% if missing %}
        {{ log(
            "This full refresh did not rebuild every incremental model (not rebuilt: "
            ~ missing | sort | join(', ') ~ "): the next run is a full refresh too.",
            info=true
        ) }}
        {{ return('') }}
    {% endif %}
    {{ return('drop table if exists ' ~ unfinished_full_refresh_relation()) }}
{% endmacro %}
