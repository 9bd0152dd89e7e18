{#
    Mixpanel: the raw event export (JSONL, `{"event": ..., "properties": {...}}`), `time`
    in epoch seconds (milliseconds when exported with time_in_ms=true: set var
    epoch_units to {"event_timestamp": "ms"}). Projects created before 2023 store `time`
    in the project's time zone, not UTC; the export does not say which. `$device_id`
    is the device; the user is `$user_id`, or `distinct_id` for an event without either.
    The receive time is `mp_processing_time_ms` (else `$mp_api_timestamp_ms`), in ms.
    Docs: https://docs.mixpanel.com/reference/raw-event-export,
    https://docs.mixpanel.com/docs/data-structure/property-reference/default-properties,
    https://docs.mixpanel.com/docs/tracking-methods/sdks/swift (`$ae_session`, sent when
    the app resigns active).
#}
{% macro format_mixpanel() %}
    {% set p = json_text('document', 'properties') %}
    {{ return({
        'columns': {
            'event_id': json_text(p, '$insert_id'),
            'device_id': json_text(p, '$device_id'),
            'user_id': 'coalesce(' ~ json_text(p, '$user_id') ~ ', case when '
                ~ json_text(p, '$device_id') ~ ' is null then ' ~ json_text(p, 'distinct_id') ~ ' end)',
            'event_name': json_text('document', 'event'),
            'event_timestamp': json_text(p, 'time'),
            'received_at': 'coalesce(' ~ json_text(p, 'mp_processing_time_ms') ~ ', '
                ~ json_text(p, '$mp_api_timestamp_ms') ~ ')',
            'platform': json_text(p, '$os'),
            'app_version': json_text(p, '$app_version_string'),
            'timezone': 'cast(null as ' ~ dbt.type_string() ~ ')',
        },
        'is_event': 'coalesce(' ~ json_text('document', 'event')
            ~ " not in ('$identify', '$create_alias', '$merge'), true)",
        'epoch_units': {'event_timestamp': 's', 'received_at': 'ms'},
        'background_event_names': ['$ae_session'],
        'signature': [['event', 'properties']],
    }) }}
{% endmacro %}
