{#- Per device, the earliest restart point of the restart log (`restart_log`) logged since the
    batch `model_relation` last applied (macros/incremental/restarts_applied_relation.sql). -#}
{% macro pending_restarts(model_relation, restart_log) -%}
    select
        session_partition_key,
        min(restart_us) as restart_us
    from {{ restart_log }}
    where
        session_partition_key is not null
        and load_batch > (
            select coalesce(max(load_batch), 0)
            from {{ restarts_applied_relation(model_relation) }}
        )
    group by session_partition_key
{%- endmacro %}
