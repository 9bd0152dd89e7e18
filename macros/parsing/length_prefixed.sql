{#
    A nullable string encoded so that concatenations stay unambiguous: '<length>:<value>'
    for a value, '~' for null. Used to build content keys where nulls compare equal.
#}
{% macro length_prefixed(expr) -%}
    coalesce(
        cast(length({{ expr }}) as {{ dbt.type_string() }}) || ':' || {{ expr }},
        '~'
    )
{%- endmacro %}
