{# The model's unique key, as an expression of a stored row written as `stored`. #}
{% macro stored_unique_key() -%}
    {{ config.get('unique_key_expression') or 'stored.' ~ config.require('unique_key') }}
{%- endmacro %}
