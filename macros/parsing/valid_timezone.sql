{#
    The text of a `timezone` value when it names a zone, else null (docs/contract.md, "Time
    zones"): a name of the tz database exactly as written (the list pytz ships, pinned in
    requirements.txt: zones and their links, 597 names), or a fixed offset `Z`, `+HH:MM` or
    `+HHMM` of either sign, at most 14:00. `expr` is already trimmed.
#}
{% macro valid_timezone(expr) -%}
    case
        when
            {{ expr }} in (
                {%- for name in modules.pytz.all_timezones -%}
                    '{{ name }}'{% if not loop.last %}, {% endif %}
                {%- endfor -%}
            )
            or {{ is_fixed_offset(expr) }}
            then {{ expr }}
    end
{%- endmacro %}
