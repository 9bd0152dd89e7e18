{% macro restarts_applied_identifier(model_name) %}
    {{ return(model_name ~ '__restarts_applied') }}
{% endmacro %}
