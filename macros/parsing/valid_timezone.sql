{#
    The text of a `timezone` value when it names a zone, else null (docs/contract.md, "Time
    zones"): a name of the tz database exactly as written (the list pytz ships, pinned in
    requirements.txt: zones and their links, 597 names), or a fixed offset `Z`, `+HH:MM` or
    `+HHMM` of either sign, at most 14:00. `expr` is already trimmed.
#}
{% macro valid_timezone(expr) -%}
    {{ return(adapter.dispatch('valid_timezone', 'app_sessions')(expr)) }}
{%- endmacro %}


{#- Spark turns a long list of literals into a hash set (its optimizer's InSet). -#}
{% macro default__valid_timezone(expr) -%}
    case
        when
            {{ expr }} in ({{ _timezone_names() }})
            or {{ is_fixed_offset(expr) }}
            then {{ expr }}
    end
{%- endmacro %}


{#- DuckDB compares a row with a list of literals one name after the other; against a
    subquery it probes a hash table of the names (docs/performance.md). -#}
{% macro duckdb__valid_timezone(expr) -%}
    case
        when
            {{ expr }} in (select unnest([{{ _timezone_names() }}]))
            or {{ is_fixed_offset(expr) }}
            then {{ expr }}
    end
{%- endmacro %}


{% macro _timezone_names() -%}
    {%- for name in modules.pytz.all_timezones -%}
        '{{ name }}'{% if not loop.last %}, {% endif %}
    {%- endfor -%}
{%- endmacro %}
