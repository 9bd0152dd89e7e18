{#
    Google Analytics 4 and Firebase: the BigQuery export (`events_YYYYMMDD`), exported as
    Parquet or NDJSON. `event_timestamp` is microseconds since the epoch (UTC, the device's
    clock); `user_pseudo_id` is the app instance. The export has no event id, so copies are
    found by content (device, user, event name and time: docs/contract.md, rule 5), and no
    receive time, so the clock-skew rule cannot apply. The time zone is
    `device.time_zone_offset_seconds`, written as an offset (+01:00). Firebase logs no event
    when the app goes to the background: every gap inside a session counts as foreground,
    unless the app logs one of its own (var background_event_names).
    Docs: https://support.google.com/analytics/answer/7029846 (schema),
    https://support.google.com/firebase/answer/6317485 (automatic events).
#}
{% macro format_ga4() %}
    {% set d = 'document' %}
    {% set offset = 'cast(' ~ json_text(d, 'device', 'time_zone_offset_seconds') ~ ' as bigint)' %}
    {{ return({
        'columns': {
            'event_id': 'cast(null as ' ~ dbt.type_string() ~ ')',
            'device_id': json_text(d, 'user_pseudo_id'),
            'user_id': json_text(d, 'user_id'),
            'event_name': json_text(d, 'event_name'),
            'event_timestamp': json_text(d, 'event_timestamp'),
            'received_at': 'cast(null as ' ~ dbt.type_string() ~ ')',
            'platform': json_text(d, 'platform'),
            'app_version': json_text(d, 'app_info', 'version'),
            'timezone': 'case when ' ~ offset ~ ' is not null then '
                ~ 'case when ' ~ offset ~ " < 0 then '-' else '+' end"
                ~ ' || lpad(cast(cast(floor(abs(' ~ offset ~ ') / 3600) as bigint) as '
                ~ dbt.type_string() ~ "), 2, '0') || ':' || lpad(cast(cast(floor(abs(" ~ offset
                ~ ') % 3600 / 60) as bigint) as ' ~ dbt.type_string() ~ "), 2, '0') end",
        },
        'is_event': none,
        'epoch_units': {'event_timestamp': 'us'},
        'background_event_names': ['app_background'],
        'signature': [['user_pseudo_id'], ['event_params']],
    }) }}
{% endmacro %}
