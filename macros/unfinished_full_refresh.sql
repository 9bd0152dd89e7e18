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


{#- The marker as stored, or none; read through dbt's relation cache, filled when the run
    starts (a marker written by this run's own preflight is not in it). -#}
{% macro stored_unfinished_full_refresh() %}
    {% if not execute %}
        {{ return(none) }}
    {% endif %}
    {{ return(load_cached_relation(unfinished_full_refresh_relation())) }}
{% endmacro %}


{#- Whether this run rebuilds every incremental model: --full-refresh, or an earlier one did not
    finish. -#}
{% macro is_full_rebuild_run() %}
    {{ return(flags.FULL_REFRESH or stored_unfinished_full_refresh() is not none) }}
{% endmacro %}


{#- dbt's own macro (its incremental materializations and is_incremental() call it), overridden:
    an unfinished full refresh makes every run a full one. A model's `full_refresh` config
    still wins, as in dbt's. -#}
{% macro should_full_refresh() %}
    {% set configured = config.get('full_refresh') %}
    {% if configured is not none %}
        {{ return(configured) }}
    {% endif %}
    {{ return(is_full_rebuild_run()) }}
{% endmacro %}


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
        {% do run_query(adapter.dispatch('write_unfinished_full_refresh', 'app_sessions')(
            unfinished_full_refresh_relation()
        )) %}
    {% endif %}
{% endmacro %}


{#- Whether this run is a --full-refresh whose selection includes an incremental model. -#}
{% macro refreshes_an_incremental_model() %}
    {{ return(flags.FULL_REFRESH and (
        project_incremental_models() | select('in', selected_resources) | list | length > 0
    )) }}
{% endmacro %}


{#- The unique ids of the project's enabled incremental models. -#}
{% macro project_incremental_models() %}
    {% set models = [] %}
    {% for node in graph.nodes.values() %}
        {% if node.resource_type == 'model' and node.package_name == project_name
            and node.config.materialized == 'incremental' %}
            {% do models.append(node.unique_id) %}
        {% endif %}
    {% endfor %}
    {{ return(models) }}
{% endmacro %}

{% macro default__write_unfinished_full_refresh(marker) -%}
    create or replace table {{ marker }} as
    select '{{ run_started_at.isoformat() }}' as started_at
{%- endmacro %}

{% macro spark__write_unfinished_full_refresh(marker) -%}
    create table {{ marker }} using parquet as
    select '{{ run_started_at.isoformat() }}' as started_at
{%- endmacro %}


{#- on-run-end of a run that found or wrote the marker: drop it once every enabled incremental
    model of the project was rebuilt in this run; otherwise name the ones that were not. -#}
{% macro finish_full_refresh(results) %}
    {% if not (execute and flags.WHICH in ['build', 'run'] and (
        stored_unfinished_full_refresh() is not none or refreshes_an_incremental_model()
    )) %}
        {{ return('') }}
    {% endif %}
    {% set rebuilt = [] %}
    {% for result in results %}
        {% if result.status == 'success' %}
            {% do rebuilt.append(result.node.unique_id) %}
        {% endif %}
    {% endfor %}
    {% set missing = [] %}
    {% for unique_id in project_incremental_models() if unique_id not in rebuilt %}
        {% do missing.append(unique_id.split('.')[-1]) %}
    {% endfor %}
    {% if missing %}
        {{ log(
            "This full refresh did not rebuild every incremental model (not rebuilt: "
            ~ missing | sort | join(', ') ~ "): the next run is a full refresh too.",
            info=true
        ) }}
        {{ return('') }}
    {% endif %}
    {{ return('drop table if exists ' ~ unfinished_full_refresh_relation()) }}
{% endmacro %}
