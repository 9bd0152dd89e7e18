{#
    A string trimmed of ASCII whitespace (space, tab, LF, CR, FF, VT) at both ends;
    empty becomes null. The characters are built with chr() because engines disagree
    on escapes: DuckDB's e'\v' is a plain 'v'.
#}
{% macro ascii_whitespace() -%}
    (' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))
{%- endmacro %}

{% macro trim_to_null(expr) %}
    {{ return(adapter.dispatch('trim_to_null', 'app_sessions')(expr)) }}
{% endmacro %}

{% macro default__trim_to_null(expr) -%}
    nullif(trim(both {{ ascii_whitespace() }} from {{ expr }}), '')
{%- endmacro %}

{#- Most values have nothing to trim: their first and last characters are checked
    first, which costs half of trimming every value with a character set. -#}
{% macro duckdb__trim_to_null(expr) -%}
    case
        when {{ expr }} = '' then null
        when
            {{ expr }}[1] in (' ', chr(9), chr(10), chr(11), chr(12), chr(13))
            or {{ expr }}[-1] in (' ', chr(9), chr(10), chr(11), chr(12), chr(13))
            then nullif(trim({{ expr }}, {{ ascii_whitespace() }}), '')
        else {{ expr }}
    end
{%- endmacro %}
