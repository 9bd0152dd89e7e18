{#- The table that records which restarts a model with config `restarts_applied_table=true`
    (fct_sessions, fct_session_local_hours, int_session_hours, int_session_cap_pieces) has
    applied: one row, the latest restart batch and the contract settings it was built with
    (`contract_settings_text()`, checked by the preflight), rewritten by its post-hook
    (`record_restarts_applied`). Any other model records that in its own `load_batch`
    column, and is its own answer. -#}
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
