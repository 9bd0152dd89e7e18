{#- The batch number this run stamps on the rows it writes: 1 in a full build, else one
    more than the latest the model stores. -#}
{% macro next_load_batch() %}
    {% if not is_incremental() %}
        {{ return(1) }}
    {% endif %}
    {{ return(stored_max_load_batch(this) + 1) }}
{% endmacro %}
