{#- The vendor formats' mappings, by name; every one is rendered (they are small) so the
    "looks like" hints can name any of them. -#}
{% macro vendor_formats() %}
    {{ return({
        'segment': format_segment(),
        'amplitude': format_amplitude(),
        'mixpanel': format_mixpanel(),
        'ga4': format_ga4(),
        'posthog': format_posthog(),
    }) }}
{% endmacro %}
