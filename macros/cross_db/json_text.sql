{#
    The text of the value at a path of keys in a JSON document (text), exactly as
    written for a string; a number, true/false as their JSON text; an object or array
    as JSON text; null when the path is missing or the value is JSON null.
    `json_text('doc', 'context', 'device', 'id')` reads doc.context.device.id. Keys
    are quoted, so `$insert_id` or a key with dots is read as it is.
#}
{% macro json_text(document) %}
    {{ return(adapter.dispatch('json_text', 'app_sessions')(document, varargs)) }}
{% endmacro %}


{#- SQL/JSON's json_value gives no object or array as text, and engines quote path keys
    differently: no one portable form. -#}
{% macro default__json_text(document, keys) -%}
    {{ exceptions.raise_compiler_error(
        "json_text: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__json_text variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/json_text.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__json_text(document, keys) -%}
    json_extract_string({{ document }}, '$
    {%- for key in keys -%}
        ."{{ key | replace("'", "''") | replace('"', '\\"') }}"
    {%- endfor -%}
    ')
{%- endmacro %}


{#- Spark's JSON path quotes a key as ['key'], in a string literal escaped by backslashes. -#}
{% macro spark__json_text(document, keys) -%}
    get_json_object({{ document }}, '$
    {%- for key in keys -%}
        [\'{{ key | replace("\\", "\\\\") | replace("'", "\\'") }}\']
    {%- endfor -%}
    ')
{%- endmacro %}
