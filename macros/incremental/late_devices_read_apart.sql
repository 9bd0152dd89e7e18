{#- The var `late_devices_read_apart`, checked (by the preflight too): a whole number from 1
    to 1,000,000,000. -#}
{% macro late_devices_read_apart() %}
    {% set raw = var('late_devices_read_apart', 1000) %}
    {% set text = (raw | string) | trim %}
    {% if modules.re.fullmatch('[0-9]{1,10}', text) is none
        or (text | int) < 1 or (text | int) > 1000000000 %}
        {{ exceptions.raise_compiler_error(
            "var 'late_devices_read_apart' must be a whole number of devices from 1 to "
            ~ "1000000000, got '"
            ~ text ~ "'. Fix it in dbt_project.yml or pass --vars '{\"late_devices_read_apart\": 1000}'."
        ) }}
    {% endif %}
    {{ return(text | int) }}
{% endmacro %}
