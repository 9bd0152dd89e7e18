{#
    The validated configuration of the sessions contract, read from the vars in
    dbt_project.yml. Every model reads its tunables through this macro, so a bad
    value stops the build with one clear message instead of a SQL error later.
#}
{% macro app_sessions_config() %}
    {% set config = {
        'session_timeout_us': _minutes_var_to_us('session_timeout_minutes'),
        'background_timeout_us': _minutes_var_to_us('background_timeout_minutes'),
        'max_session_us': _minutes_var_to_us('max_session_minutes'),
        'max_clock_skew_us': _minutes_var_to_us('max_clock_skew_minutes', allow_zero=true),
        'background_event_names': _background_event_names(),
        'reporting_timezone': _reporting_timezone(),
        'engagement_min_active_days': _engagement_min_active_days(),
    } %}
    {{ return(config) }}
{% endmacro %}


{% macro _minutes_var_to_us(name, allow_zero=false) %}
    {% set raw = var(name) %}
    {% set text = (raw | string) | trim %}
    {% set is_number = raw is number and raw is not boolean %}
    {% if not is_number and modules.re.fullmatch('[0-9]+(\.[0-9]*)?|\.[0-9]+', text) is none %}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' must be a number of minutes, got '" ~ text ~ "'. "
            ~ "Fix it in dbt_project.yml or pass e.g. --vars '{\"" ~ name ~ "\": 30}'."
        ) }}
    {% endif %}
    {% set minutes = text | float %}
    {% if minutes < 0 or (minutes == 0 and not allow_zero) %}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' must be " ~ ("zero or more" if allow_zero else "greater than zero")
            ~ " minutes, got " ~ text ~ "."
        ) }}
    {% endif %}
    {# Microseconds, the unit every gap is compared in. #}
    {{ return(minutes * 60000000) }}
{% endmacro %}


{#- Default: the format's lifecycle event for "backgrounded" (macros/formats/). -#}
{% macro _background_event_names() %}
    {% set raw = var('background_event_names', none) %}
    {% if raw is none %}
        {% set raw = events_format_spec().background_event_names %}
    {% endif %}
    {% if raw is string %}
        {% set raw = raw.split(',') %}
    {% endif %}
    {% set names = [] %}
    {% for name in raw %}
        {% set cleaned = (name | string) | trim | lower %}
        {% if cleaned %}
            {% do names.append(cleaned) %}
        {% endif %}
    {% endfor %}
    {% if names | length == 0 %}
        {{ exceptions.raise_compiler_error(
            "var 'background_event_names' must list at least one event name, got '"
            ~ (var('background_event_names') | string) ~ "'. Default: the events format's own "
            ~ "(['app_background'] for events_format 'contract')."
        ) }}
    {% endif %}
    {{ return(names) }}
{% endmacro %}


{% macro _reporting_timezone() %}
    {% set timezone = (var('reporting_timezone') | string) | trim %}
    {% if modules.re.fullmatch('[A-Za-z0-9_+\-/]+', timezone) is none %}
        {{ exceptions.raise_compiler_error(
            "var 'reporting_timezone' must be an IANA time zone name such as 'UTC' or "
            ~ "'Europe/Berlin', got '" ~ timezone ~ "'."
        ) }}
    {% endif %}
    {% if execute and not is_known_timezone(timezone) %}
        {{ exceptions.raise_compiler_error(
            "var 'reporting_timezone' is '" ~ timezone ~ "', which is not a time zone this "
            ~ "engine knows. Use an IANA name such as 'UTC', 'America/New_York' or "
            ~ "'Europe/Berlin'."
        ) }}
    {% endif %}
    {{ return(timezone) }}
{% endmacro %}


{#- dim_users.engagement_segment: the fewest active days in the last 28 of each segment. -#}
{% macro _engagement_min_active_days() %}
    {% set thresholds = {} %}
    {% for segment in ['daily', 'weekly', 'monthly'] %}
        {% set name = 'engagement_' ~ segment ~ '_min_active_days' %}
        {% set text = (var(name) | string) | trim %}
        {% if modules.re.fullmatch('[0-9]+', text) is none or text | int < 1 or text | int > 28 %}
            {{ exceptions.raise_compiler_error(
                "var '" ~ name ~ "' must be a whole number of days from 1 to 28, got '" ~ text
                ~ "'. Fix it in dbt_project.yml or pass e.g. --vars '{\"" ~ name ~ "\": 4}'."
            ) }}
        {% endif %}
        {% do thresholds.update({segment: text | int}) %}
    {% endfor %}
    {% if not (thresholds.daily >= thresholds.weekly >= thresholds.monthly) %}
        {{ exceptions.raise_compiler_error(
            "vars 'engagement_daily_min_active_days' (" ~ thresholds.daily ~ "), "
            ~ "'engagement_weekly_min_active_days' (" ~ thresholds.weekly ~ ") and "
            ~ "'engagement_monthly_min_active_days' (" ~ thresholds.monthly ~ ") must not "
            ~ "increase: a daily user is also active weekly and monthly."
        ) }}
    {% endif %}
    {{ return(thresholds) }}
{% endmacro %}
