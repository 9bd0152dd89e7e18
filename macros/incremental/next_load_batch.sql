{% macro next_load_batch() %}
    {% if not is_incremental() %}
        {{ return(1) }}
    {% endif %}
    {{ return(stored_max_load_batch(this) + 1) }}
{% endmacro %}
