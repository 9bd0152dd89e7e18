{#
    Aggregate: the spans (`start_us`, `end_us`) of the group's rows where `condition` holds,
    as a list of structs with those two fields, in no particular order; null when no row
    qualifies. Read back with unnest_list.
#}
{% macro list_of_spans(start_expr, end_expr, condition) %}
    {{ return(adapter.dispatch('list_of_spans', 'app_sessions')(start_expr, end_expr, condition)) }}
{% endmacro %}


{% macro default__list_of_spans(start_expr, end_expr, condition) -%}
    {{ exceptions.raise_compiler_error(
        "list_of_spans has no implementation for adapter '" ~ adapter.type() ~ "': add one"
        ~ " beside the duckdb and spark versions in macros/cross_db/list_of_spans.sql"
    ) }}
{%- endmacro %}


{% macro duckdb__list_of_spans(start_expr, end_expr, condition) -%}
    list(struct_pack(start_us := {{ start_expr }}, end_us := {{ end_expr }}))
        filter (where {{ condition }})
{%- endmacro %}


{#- collect_list skips nulls, so a row that does not qualify adds none; it gives an empty
    list where DuckDB gives null -#}
{% macro spark__list_of_spans(start_expr, end_expr, condition) -%}
    case when count(case when {{ condition }} then 1 end) > 0 then collect_list(
        case when {{ condition }} then named_struct('start_us', {{ start_expr }}, 'end_us', {{ end_expr }}) end
    ) end
{%- endmacro %}
