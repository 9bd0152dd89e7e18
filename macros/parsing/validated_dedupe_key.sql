{#
    A stored row's dedupe key in int_events_validated (written as `alias`): the table
    stores `dedupe_key` only where it is not `id:<clean_event_id>`, i.e. for rows without an
    event id (`content:<md5>`). A row with an id has that key, unless it failed one of the
    cleaning rules 1-4 (it then has none). Random strings are the costly part of writing a
    table, and this one would hold every id twice.
#}
{% macro validated_dedupe_key(alias) -%}
    coalesce(
        {{ alias }}.dedupe_key,
        case
            when {{ alias }}.reject_reason is null or {{ alias }}.reject_reason = 'duplicate'
                then 'id:' || {{ alias }}.clean_event_id
        end
    )
{%- endmacro %}
