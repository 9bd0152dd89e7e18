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
        {% do check_contract_settings_unchanged() %}
        {% do register_raw_events() %}
        {% do begin_full_refresh() %}
    {% endif %}
    select 1 as preflight_passed
{% endmacro %}
