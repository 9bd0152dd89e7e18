{% macro restarts_applied_relation(model_relation) %}
    {% if not config.get('restarts_applied_table', false) %}
        {{ return(model_relation) }}
    {% endif %}
    {% set applied = model_relation.incorporate(
        path={'identifier': restarts_applied_identifier(model_relation.identifier)}
    ) %}
    {% if execute and is_incremental() and adapter.get_relation(
        database=applied.database, schema=applied.schema, identifier=applied.identifier
    ) is none %}
        {{ exceptions.raise_compiler_error(
            model_relation ~ " has no table " ~ applied ~ " recording which restarts it has "
            ~ "applied (built by an older version of the project, or a run was interrupted "
            ~ "in its post-hook). Rebuild once with `dbt build --full-refresh` "
            ~ "(make run FULL_REFRESH=1)."
        ) }}
    {% endif %}
    {{ return(applied) }}
{% endmacro %}
