{#
    A `--full-refresh` that does not finish must not leave the next run incremental.

    A full refresh rebuilds the incremental models one after another; the validated events
    start their load batches again at 1, and the restart log with them. Until it reaches the
    last model, the ones it has not rebuilt keep the old build's batch numbers (higher ones),
    so an incremental run would take the new batches for ones they already applied and skip
    them (docs/incremental.md, "Full refresh is all or nothing"). So:
    - a full refresh (`dbt build` or `dbt run` with `--full-refresh`) that selects an
      incremental model first writes the one-row table `app_sessions__unfinished_full_refresh`
      (`begin_full_refresh()`, in the preflight);
    - its on-run-end hook drops it only when every incremental model of the project was
      rebuilt (`finish_full_refresh(results)`); killed, stopped by a failed test, or run on a
      selection, it stays;
    - while it exists every run is a full refresh (`should_full_refresh()`, which dbt's
      incremental materializations and `is_incremental()` ask), and says so; that run drops
      it once it has rebuilt everything.
#}
{% macro unfinished_full_refresh_relation() %}
    {#- Spark's target has no database -#}
    {{ return(api.Relation.create(
        database=target.database if target.database is defined else none, schema=target.schema,
        identifier='app_sessions__unfinished_full_refresh', type='table'
    )) }}
{% endmacro %}
