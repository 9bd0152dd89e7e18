{#- The latest load batch stored in `relation` (0 when empty), as a number: written into
    a query as a literal, a filter `load_batch > N` skips the row groups of earlier
    batches by their zone maps, which a subquery does not. -#}
{% macro stored_max_load_batch(relation) %}
    {% set result = run_query('select coalesce(max(load_batch), 0) from ' ~ relation) %}
    {{ return(result.columns[0].values()[0] | int) }}
{% endmacro %}
