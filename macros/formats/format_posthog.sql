{#
    PostHog: the S3 batch export, Parquet (`.parquet`, or `.parquet.zst` and the other
    codec endings: the codec is inside the Parquet file) with `properties` as JSON text,
    or JSON lines with `properties` as an object. `uuid` is the event id, `timestamp` the
    event time, `created_at` when PostHog ingested it. The device is `$device_id` (sent by
    posthog-js; the mobile SDKs do not send it, so their sessions belong to the
    `distinct_id`); the user is `distinct_id` where it is not the device id.
    Docs: https://posthog.com/docs/cdp/batch-exports/s3 (files and fields),
    https://posthog.com/docs/libraries/ios (lifecycle events).
#}
{% macro format_posthog() %}
    {% set p = json_text('document', 'properties') %}
    {% set device = json_text(p, '$device_id') %}
    {% set distinct = json_text('document', 'distinct_id') %}
    {{ return({
        'columns': {
            'event_id': json_text('document', 'uuid'),
            'device_id': device,
            'user_id': 'case when ' ~ device ~ ' is null or ' ~ distinct ~ ' <> ' ~ device
                ~ ' then ' ~ distinct ~ ' end',
            'event_name': json_text('document', 'event'),
            'event_timestamp': json_text('document', 'timestamp'),
            'received_at': json_text('document', 'created_at'),
            'platform': 'coalesce(' ~ json_text(p, '$os_name') ~ ', ' ~ json_text(p, '$os') ~ ')',
            'app_version': json_text(p, '$app_version'),
            'timezone': json_text(p, '$timezone'),
        },
        'is_event': 'coalesce(' ~ json_text('document', 'event')
            ~ " not in ('$identify', '$set', '$groupidentify', '$create_alias'), true)",
        'epoch_units': {},
        'background_event_names': ['Application Backgrounded'],
        'signature': [['distinct_id', 'properties', 'uuid'], ['elements_chain'], ['_inserted_at']],
    }) }}
{% endmacro %}
