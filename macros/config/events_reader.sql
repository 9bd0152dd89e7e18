{% macro events_reader() %}
    {% set lowered = (var('events_path') | string).lower() %}
    {% for reader, endings in events_file_endings().items() %}
        {% for ending in endings %}
            {#- in this order, so `.csv.gz` and `.parquet.gz` are not taken for JSON's `.gz` -#}
            {% if lowered.endswith(ending) %}
                {{ return(reader) }}
            {% endif %}
        {% endfor %}
    {% endfor %}
    {{ return(none) }}
{% endmacro %}
