{#- The first row a load read and quarantined for that reason (of that event id, if given),
    its raw values as read. By read_batch: a later run may have re-ranked the row. -#}
{% macro load_check_example(events, load_batch, reason, event_id=none) %}
    {% set columns = ['event_id', 'device_id', 'user_id', 'event_name', 'event_timestamp', 'received_at', 'source_file'] %}
    {% set selected = [] %}
    {% for column in columns %}
        {% do selected.append(column if column == 'source_file' else json_text('raw_text', column) ~ ' as ' ~ column) %}
    {% endfor %}
    {% set result = run_query(
        'select ' ~ selected | join(', ') ~ ' from ' ~ events ~ ' where read_batch = '
        ~ load_batch ~ " and reject_reason = '" ~ reason ~ "'"
        ~ (" and clean_event_id = '" ~ (event_id | replace("'", "''")) ~ "'" if event_id is not none else "")
        ~ " order by source_file, event_id limit 1"
    ) %}
    {% if not result.rows %}{{ return('(none)') }}{% endif %}
    {% set values = [] %}
    {% for column in columns %}
        {% set value = result.rows[0][column] %}
        {% do values.append(column ~ '=' ~ ("null" if value is none else "'" ~ value ~ "'")) %}
    {% endfor %}
    {{ return('{' ~ values | join(', ') ~ '}') }}
{% endmacro %}
