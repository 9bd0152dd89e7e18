{#
    Select-list expression that turns one row into one row per element of the list
    `list_expr`; a row whose list is null or empty gives none.
#}
{% macro unnest_list(list_expr) %}
    {{ return(adapter.dispatch('unnest_list', 'app_sessions')(list_expr)) }}
{% endmacro %}


{% macro default__unnest_list(list_expr) -%}
    {{ exceptions.raise_compiler_error(
        "unnest_list has no implementation for adapter '" ~ adapter.type() ~ "': add one"
        ~ " beside the duckdb and spark versions in macros/cross_db/unnest_list.sql"
    ) }}
{%- endmacro %}


{% macro duckdb__unnest_list(list_expr) -%}
    unnest({{ list_expr }})
{%- endmacro %}


{% macro spark__unnest_list(list_expr) -%}
    explode({{ list_expr }})
{%- endmacro %}
