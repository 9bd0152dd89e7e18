{#- The vendor formats whose giveaway columns (lower-cased) are all among `columns`. -#}
{% macro formats_that_match(columns) %}
    {% set lowered = columns | map('lower') | list %}
    {% set matches = [] %}
    {% for name, spec in vendor_formats().items() %}
        {% for keys in spec.signature %}
            {% set ns = namespace(all=true) %}
            {% for key in keys %}
                {% if key not in lowered %}{% set ns.all = false %}{% endif %}
            {% endfor %}
            {% if ns.all and name not in matches %}{% do matches.append(name) %}{% endif %}
        {% endfor %}
    {% endfor %}
    {{ return(matches) }}
{% endmacro %}
