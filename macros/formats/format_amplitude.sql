{#
    Amplitude: the Export API (a zip of `*.json.gz` files) and the Amazon S3 export
    (`<project>_<yyyy-MM-dd>_<H>#<n>.json.gz`), one event per line. The event id is
    `$insert_id` (or `uuid`, one per stored row): Amplitude's own `event_id` is a counter
    per device, not an id. `event_time` and `server_received_time` are UTC text without a
    zone (`2024-03-15 10:04:58.123000`). The export has no time zone.
    Docs: https://amplitude.com/docs/apis/analytics/export,
    https://amplitude.com/docs/data/destinations/amazon-s3 (fields),
    https://amplitude.com/docs/sdks/analytics/ios/ios-swift-sdk (lifecycle events).
#}
{% macro format_amplitude() %}
    {% set d = 'document' %}
    {{ return({
        'columns': {
            'event_id': 'coalesce(' ~ json_text(d, '$insert_id') ~ ', ' ~ json_text(d, 'uuid') ~ ')',
            'device_id': json_text(d, 'device_id'),
            'user_id': json_text(d, 'user_id'),
            'event_name': json_text(d, 'event_type'),
            'event_timestamp': json_text(d, 'event_time'),
            'received_at': json_text(d, 'server_received_time'),
            'platform': json_text(d, 'platform'),
            'app_version': json_text(d, 'version_name'),
            'timezone': 'cast(null as ' ~ dbt.type_string() ~ ')',
        },
        'is_event': 'coalesce(' ~ json_text(d, 'event_type') ~ " not in ('$identify', '$groupidentify'), true)",
        'epoch_units': {},
        'background_event_names': ['[Amplitude] Application Backgrounded'],
        'signature': [['$insert_id'], ['amplitude_id'], ['event_type', 'server_received_time']],
    }) }}
{% endmacro %}
