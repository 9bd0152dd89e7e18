{#
    The load check (docs/contract.md): a build whose loads say the files were read wrongly
    stops here, before `published_marts`, so BI tools keep the last good publication.
    Every load of the warehouse is judged, with the thresholds of this run: a load that
    failed keeps failing until the warehouse is rebuilt from the right settings (its files
    are recorded as read) or a threshold is raised. A load fails when
      - more than var max_rejected_share of its events (rows that are events) failed a
        cleaning rule 1-4, or
      - more than var max_conflicting_id_share of them repeat another event's id with a
        different device, name or time (the id column is not an event id),
    each judged once at least var load_check_min_rows rows are at fault (the share of a
    handful of rows, such as a small late delivery, says nothing about the settings); and
    the build fails when fct_sessions has no session (nothing worth publishing). The
    message gives the shares, the top reasons with an example row each, and the likely fix.
#}
{% test load_is_usable(model, events, sessions, raw_events) %}
    {% if execute %}
        {% set max_rejected = load_check_share('max_rejected_share') %}
        {% set max_conflicting = load_check_share('max_conflicting_id_share') %}
        {% set min_rows = load_check_min_rows() %}
        {% set loads = run_query('select * from ' ~ model ~ ' order by load_batch') %}
        {% set problems = [] %}
        {% set rule_reasons = ['missing_event_name', 'missing_identity', 'invalid_timestamp', 'future_timestamp'] %}
        {% for load in loads.rows %}
            {% set events_read = load['rows_read'] - load['not_an_event'] %}
            {% set rejected = namespace(count=0) %}
            {% for reason in rule_reasons %}{% set rejected.count = rejected.count + load[reason] %}{% endfor %}
            {% set where = "load batch " ~ load['load_batch'] ~ " (" ~ load['files_read']
                ~ " file(s), e.g. '" ~ load['first_file'] ~ "')" %}
            {% if rejected.count >= min_rows and rejected.count / events_read > max_rejected %}
                {% set top = [] %}
                {% for reason in rule_reasons %}
                    {% if load[reason] > 0 %}{% do top.append((load[reason], reason)) %}{% endif %}
                {% endfor %}
                {% set lines = [] %}
                {% for count, reason in (top | sort(reverse=true))[:3] %}
                    {% do lines.append("  " ~ reason ~ ": " ~ count ~ " rows, e.g. "
                        ~ load_check_example(events, load['load_batch'], reason)) %}
                {% endfor %}
                {% do problems.append(
                    where ~ ": " ~ rejected.count ~ " of " ~ events_read ~ " events ("
                    ~ '%.1f' | format(100 * rejected.count / events_read) ~ "%) were quarantined, more than "
                    ~ "max_rejected_share (" ~ '%g' | format(100 * max_rejected) ~ "%):\n" ~ lines | join('\n')
                    ~ load_check_hint((top | sort(reverse=true))[0][1], events, load['load_batch'], raw_events)
                ) %}
            {% endif %}
            {% if load['conflicting_ids'] >= min_rows
                and load['conflicting_ids'] / events_read > max_conflicting %}
                {% do problems.append(
                    where ~ ": " ~ load['conflicting_ids'] ~ " of " ~ events_read ~ " events ("
                    ~ '%.1f' | format(100 * load['conflicting_ids'] / events_read) ~ "%) repeat the event_id "
                    ~ "of another event with a different device, event name or time, more than "
                    ~ "max_conflicting_id_share (" ~ '%g' | format(100 * max_conflicting) ~ "%), so "
                    ~ "event_id is not an event id and real events are dropped as duplicates; e.g. "
                    ~ load_check_example(
                        events, load['load_batch'], 'duplicate', load['conflicting_id_example']
                    )
                    ~ load_check_hint('conflicting_ids', events, load['load_batch'], raw_events)
                ) %}
            {% endif %}
        {% endfor %}
        {% if run_query('select count(*) from ' ~ sessions).columns[0].values()[0] == 0 %}
            {% if loads.rows %}
                {% set last = loads.rows[-1] %}
                {% do problems.append(
                    "fct_sessions has no session: of " ~ last['rows_read'] ~ " rows read in load batch "
                    ~ last['load_batch'] ~ ", " ~ last['clean_events'] ~ " are clean events."
                    ~ load_check_hint('no_sessions', events, last['load_batch'], raw_events)
                ) %}
            {% else %}
                {% do problems.append(
                    "fct_sessions has no session: the files of var events_path = '"
                    ~ var('events_path') ~ "' hold no rows."
                ) %}
            {% endif %}
        {% endif %}
        {% if problems %}
            {{ exceptions.raise_compiler_error(
                "The load check failed, so the marts were not published (the last publication "
                ~ "stays as it was):\n" ~ problems | join('\n')
                ~ "\nWhen the settings are fixed, rebuild with --full-refresh (make run FULL_REFRESH=1): "
                ~ "the warehouse has recorded these files as read. If the share is expected, raise "
                ~ "the var named above (load_audit lists every load)."
            ) }}
        {% endif %}
    {% endif %}
    select 1 as failed from {{ model }} where 1 = 0
{% endtest %}
