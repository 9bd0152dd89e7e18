{#
    The contract settings as one canonical text: stored with fct_sessions, compared by the
    preflight, so an incremental run with other settings stops instead of mixing meanings.
    With them the engine's hash of a fixed text: an engine upgrade that changed its hash
    function would leave the stored key hashes unmatched (macros/cross_db/key_hash.sql); and
    the version of what the stored tables hold, raised by a release that changes it, so a
    warehouse built before stops with the same message (2: time zones per session; 3: the
    sessions keep their background gaps, no event-level table; 4: the timeout sessions and
    their cap pieces in two tables; 5: the restarts-applied tables without the restart log's
    generation; 6: fct_session_local_hours incremental, with its restarts-applied table; 7:
    fct_session_local_hours without the zone column: it recomputes whole devices; 8: the
    validated events keep their raw text in one JSON column, raw_text).
#}
{% macro contract_settings_text() %}
    {% set cfg = app_sessions_config() %}
    {% set settings = {
        'background_event_names': cfg.background_event_names | sort | join(','),
        'background_timeout_minutes': cfg.background_timeout_us / 60000000,
        'max_clock_skew_minutes': cfg.max_clock_skew_us / 60000000,
        'max_session_minutes': cfg.max_session_us / 60000000,
        'reporting_timezone': cfg.reporting_timezone,
        'session_timeout_minutes': cfg.session_timeout_us / 60000000,
        'key_hash_of_app_sessions': _key_hash_check_value(),
        'events_format': events_format(),
        'column_map': tojson(var('column_map', {}) or {}, sort_keys=true),
        'epoch_units': tojson(events_format_spec().epoch_units, sort_keys=true),
        'stored_tables_version': 8,
    } %}
    {% set parts = [] %}
    {% for name in settings | sort %}
        {% do parts.append(name ~ '=' ~ settings[name]) %}
    {% endfor %}
    {{ return(parts | join('; ')) }}
{% endmacro %}


{% macro _key_hash_check_value() %}
    {% if not execute %}
        {{ return('') }}
    {% endif %}
    {{ return(run_query('select ' ~ key_hash("'app_sessions'")).columns[0].values()[0] | string) }}
{% endmacro %}
