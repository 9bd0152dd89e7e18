{#- Preflight (on-run-start): a full refresh that selects an incremental model writes the marker
    before any model runs (one of tables or tests only leaves the incremental state alone); a
    run that finds one says that it rebuilds everything. -#}
{% macro begin_full_refresh() %}
    {% if not (execute and flags.WHICH in ['build', 'run']) %}
        {{ return(none) }}
    {% endif %}
    {% set stored = stored_unfinished_full_refresh() %}
    {% if stored is not none %}
        {% set started = run_query('select started_at from ' ~ stored).columns[0].values() %}
        {{ log(
            "A --full-refresh started at " ~ (started[0] if started else '?') ~ " did not "
            ~ "rebuild every incremental model (killed, stopped by a failed test, or run on a "
            ~ "selection): this run is a full refresh too, of every incremental model.",
            info=true
        ) }}
    {% elif refreshes_an_incremental_model() %}
        {% do adapter.execute(adapter.dispatch('write_unfinished_full_refresh', 'app_sessions')(
            unfinished_full_refresh_relation()
        )) %}
    {% endif %}
{% endmacro %}
