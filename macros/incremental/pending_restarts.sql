{% macro pending_restarts(model_relation) -%}
    select
        session_partition_key,
        min(restart_us) as restart_us
    from {{ ref('int_session_restarts') }}
    where
        session_partition_key is not null
        and load_batch > (
            select coalesce(max(load_batch), 0)
            from {{ restarts_applied_relation(model_relation) }}
        )
    group by session_partition_key
{%- endmacro %}
