{#- The unique ids of the project's enabled incremental models. -#}
{% macro project_incremental_models() %}
    {% set models = [] %}
    {% for node in graph.nodes.values() %}
        {% if node.resource_type == 'model' and node.package_name == project_name
            and node.config.materialized == 'incremental' %}
            {% do models.append(node.unique_id) %}
        {% endif %}
    {% endfor %}
    {{ return(models) }}
{% endmacro %}
