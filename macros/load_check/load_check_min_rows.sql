{% macro load_check_min_rows() %}
    {% set text = (var('load_check_min_rows') | string) | trim %}
    {% if modules.re.fullmatch('[0-9]+', text) is none %}
        {{ exceptions.raise_compiler_error(
            "var 'load_check_min_rows' must be a whole number of rows, e.g. 10, got '" ~ text ~ "'."
        ) }}
    {% endif %}
    {{ return(text | int) }}
{% endmacro %}
