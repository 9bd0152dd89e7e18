{#
    A session's id (docs/contract.md, "Identity"): md5 of its partition key
    (`device:<id>` or `user:<id>`), '|' and its start in epoch microseconds.
#}
{% macro session_id(partition_key_expr, start_us_expr) -%}
    md5({{ partition_key_expr }} || '|' || cast({{ start_us_expr }} as {{ dbt.type_string() }}))
{%- endmacro %}
