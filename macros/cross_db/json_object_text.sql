{#- A JSON object, as text, of `columns` (a list of column names, which are its keys, in
    order). Read a value back with json_text. DuckDB writes a null value as null, Spark leaves
    the key out: json_text reads either as null. -#}
{% macro json_object_text(columns) %}
    {{ return(adapter.dispatch('json_object_text', 'app_sessions')(columns)) }}
{% endmacro %}


{% macro default__json_object_text(columns) -%}
    {{ exceptions.raise_compiler_error(
        "json_object_text: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__json_object_text variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/json_object_text.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__json_object_text(columns) -%}
    cast(json_object(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as varchar)
{%- endmacro %}


{% macro spark__json_object_text(columns) -%}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}
