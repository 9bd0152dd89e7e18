{#
    Helpers of the load check (tests/generic/load_is_usable.sql): its thresholds, an
    example row of a reason, and the likely fix for a message.
#}
{% macro load_check_share(name) %}
    {% set text = (var(name) | string) | trim %}
    {% if modules.re.fullmatch('0?\.[0-9]+|[01](\.0*)?', text) is none %}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' must be a share from 0 to 1, e.g. 0.1 for 10%, got '" ~ text ~ "'."
        ) }}
    {% endif %}
    {{ return(text | float) }}
{% endmacro %}
