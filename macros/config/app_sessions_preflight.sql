{#
    on-run-start hook: checks every var and the events path before any model runs,
    so a bad setting fails in a second with a message, not halfway through a build.
#}
{% macro app_sessions_preflight() %}
    {% if execute and flags.WHICH in ['build', 'run', 'test', 'compile'] %}
        {% do check_events_path() %}
        {% do app_sessions_config() %}
        {% do load_check_share('max_rejected_share') %}
        {% do load_check_share('max_conflicting_id_share') %}
        {% do load_check_min_rows() %}
        {% do data_tests_scope() %}
        {% do late_devices_read_apart() %}
        {% do _check_contract_settings_unchanged() %}
        {% do register_raw_events() %}
        {% do begin_full_refresh() %}
    {% endif %}
    select 1 as preflight_passed
{% endmacro %}


{#
    Preflight: an incremental run on a warehouse built with other contract settings
    (timeouts, cap, background names, reporting time zone) would keep the stored sessions
    under the old rules and compute new ones under the new: stop and say how to rebuild.
#}
{% macro _check_contract_settings_unchanged() %}
    {% if is_full_rebuild_run() %}
        {{ return(none) }}
    {% endif %}
    {% set applied = adapter.get_relation(
        database=target.database, schema=target.schema,
        identifier=restarts_applied_identifier('fct_sessions')
    ) %}
    {% if applied is none %}
        {{ return(none) }}
    {% endif %}
    {% set stored = run_query('select * from ' ~ applied) %}
    {% if not stored.rows %}
        {{ return(none) }}
    {% endif %}
    {#- a table without the column is of the first version, before the settings were kept -#}
    {% set built_with = stored.columns['contract_settings'].values()[0]
        if 'contract_settings' in stored.column_names else 'stored_tables_version=1' %}
    {% set now = contract_settings_text() %}
    {% if built_with != now %}
        {% set before = {} %}
        {% for part in built_with.split('; ') %}
            {% do before.update({part.split('=')[0]: part.split('=', 1)[1]}) %}
        {% endfor %}
        {% set changed = [] %}
        {% for part in now.split('; ') %}
            {% set name, value = part.split('=', 1) %}
            {% if before.get(name) != value %}
                {% do changed.append(
                    name ~ " (built with '" ~ before.get(name, '?') ~ "', now '" ~ value ~ "')"
                ) %}
            {% endif %}
        {% endfor %}
        {#- a warehouse of another version: its tables hold other columns -#}
        {% set version_now = now.split('stored_tables_version=')[1].split(';')[0] %}
        {% if before.get('stored_tables_version') != version_now %}
            {{ exceptions.raise_compiler_error(
                "The warehouse was built by an earlier version of this project, whose tables "
                ~ "hold other columns (stored_tables_version "
                ~ before.get('stored_tables_version', '1') ~ ", this version's " ~ version_now
                ~ "). Rebuild it once with `dbt build --full-refresh` (make run FULL_REFRESH=1)."
            ) }}
        {% endif %}
        {{ exceptions.raise_compiler_error(
            "The warehouse's sessions were built with other contract settings: "
            ~ changed | join(', ') ~ ". An incremental run would keep the stored sessions "
            ~ "under the old rules. Rebuild with `dbt build --full-refresh` "
            ~ "(make run FULL_REFRESH=1), or pass the settings it was built with."
        ) }}
    {% endif %}
{% endmacro %}
