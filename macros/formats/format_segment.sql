{#
    Segment: the AWS S3 / cloud storage destination (gzip NDJSON files named `*.gz`, one
    call per line with nested `context`), and the warehouse tables (`tracks`, `screens`,
    `pages`: nested fields flattened to snake_case, `context_device_id`) exported to
    Parquet or NDJSON. Both shapes are read by one mapping: each field is taken from
    whichever of its two spellings the row has.
    Docs: https://segment.com/docs/connections/storage/catalog/aws-s3/ (files),
    https://segment.com/docs/connections/spec/common/ (fields),
    https://segment.com/docs/connections/spec/mobile/ (lifecycle events),
    https://segment.com/docs/connections/storage/warehouses/schema/ (warehouse tables).
#}
{% macro format_segment() %}
    {% set d = 'document' %}
    {% set call_type = 'lower(' ~ json_text(d, 'type') ~ ')' %}
    {{ return({
        'columns': {
            'event_id': 'coalesce(' ~ json_text(d, 'messageId') ~ ', ' ~ json_text(d, 'id') ~ ')',
            'device_id': 'coalesce(' ~ json_text(d, 'context', 'device', 'id') ~ ', '
                ~ json_text(d, 'context_device_id') ~ ', ' ~ json_text(d, 'anonymousId') ~ ', '
                ~ json_text(d, 'anonymous_id') ~ ')',
            'user_id': 'coalesce(' ~ json_text(d, 'userId') ~ ', ' ~ json_text(d, 'user_id') ~ ')',
            'event_name': 'coalesce(' ~ json_text(d, 'event_text') ~ ', ' ~ json_text(d, 'event')
                ~ ', ' ~ json_text(d, 'name') ~ ', case when ' ~ call_type
                ~ " in ('screen', 'page') then " ~ json_text(d, 'type') ~ ' end)',
            'event_timestamp': json_text(d, 'timestamp'),
            'received_at': 'coalesce(' ~ json_text(d, 'receivedAt') ~ ', '
                ~ json_text(d, 'received_at') ~ ')',
            'platform': 'coalesce(' ~ json_text(d, 'context', 'os', 'name') ~ ', '
                ~ json_text(d, 'context_os_name') ~ ')',
            'app_version': 'coalesce(' ~ json_text(d, 'context', 'app', 'version') ~ ', '
                ~ json_text(d, 'context_app_version') ~ ')',
            'timezone': 'coalesce(' ~ json_text(d, 'context', 'timezone') ~ ', '
                ~ json_text(d, 'context_timezone') ~ ')',
        },
        'is_event': 'coalesce(' ~ call_type ~ " not in ('identify', 'group', 'alias'), true)",
        'epoch_units': {},
        'background_event_names': ['Application Backgrounded'],
        'signature': [['messageid'], ['anonymousid'], ['anonymous_id', 'context_library_name']],
    }) }}
{% endmacro %}
