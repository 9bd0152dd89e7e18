{#
    Data tests check what the run wrote (docs/incremental.md, "Tests in incremental runs").

    dbt's `where` config of a data test filters the tested model. Two placeholders make
    it point at the rows the latest run wrote, so a test's cost follows the new data, not
    the history:
      __this_run__      the rows whose `load_batch` is the model's latest
                        (after a full refresh every row has batch 1: the whole table)
      __tested_model__  the tested model itself, for a test that must see the stored rows
                        that share a key with the run's rows, e.g. uniqueness:
                        `clean_event_id in (select clean_event_id from __tested_model__
                        where __this_run__)`
    Rows of earlier runs were tested when they were written; rows a run rewrites (a
    re-ranked event, a recomputed session tail) carry the run's batch and are tested again.
    "Latest" is the newest batch in the table: a run that wrote nothing re-tests the rows of
    the run before it.
    When the run wrote the whole table (a full refresh), `<key> in (select <key> from
    __tested_model__ where __this_run__)` is replaced by `<key> is not null`: the same rows,
    without a semi-join of the table with itself (so don't write that pattern under a `not`).
    Otherwise, on DuckDB, it becomes a scan of the key column and a fetch of the matching
    rows by `rowid` (macros/incremental/rows_with_key_of_this_run.sql): use it on tables.
    `--vars '{"data_tests_scope": "all"}'` tests whole tables instead (e.g. a weekly audit).
    Everything else behaves as dbt's own get_where_subquery.

    Why an override: a `where` config is rendered like every YAML config, without `this`
    or the tested relation, so it cannot name "the latest batch of the tested table";
    dbt's documentation of `where` (docs.getdbt.com/reference/resource-configs/where,
    "Custom logic") names overriding get_where_subquery as the way to add such logic.
#}
{% macro get_where_subquery(relation) -%}
    {% set where = config.get('where', '') %}
    {% if where %}
        {#- `<key> in (select <key> from __tested_model__ where __this_run__)` -#}
        {% set run_keys_pattern = '(\\w+)\\s+in\\s*\\(\\s*select\\s+\\1\\s+from\\s+__tested_model__\\s+where\\s+__this_run__\\s*\\)' %}
        {% if '__this_run__' in where and _is_whole_table(relation) %}
            {#- the run wrote every row: the pattern holds for every non-null key, so
                leave out the semi-join -#}
            {% set where = modules.re.sub(run_keys_pattern, '\\1 is not null', where)
                | replace('__this_run__', 'true') %}
        {% endif %}
        {% set latest_batch = 'load_batch = (select max(load_batch) from ' ~ relation ~ ')' %}
        {#- else the semi-join reads the key column alone
            (macros/incremental/rows_with_key_of_this_run.sql) -#}
        {% set where = modules.re.sub(
            run_keys_pattern, rows_with_key_of_this_run(relation, '\\1', latest_batch), where
        ) %}
        {% set where = where
            | replace('__this_run__', latest_batch)
            | replace('__tested_model__', relation | string) %}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {% do return(filtered) %}
    {%- else -%}
        {% do return(relation) %}
    {%- endif -%}
{%- endmacro %}


{# Whether the test covers the whole table: scope `all`, or a table one run wrote whole. #}
{% macro _is_whole_table(relation) %}
    {% if data_tests_scope() == 'all' %}
        {{ return(true) }}
    {% endif %}
    {% if not execute or adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) is none %}
        {{ return(false) }}  {#- compiling before the model was ever built -#}
    {% endif %}
    {% set batches = run_query(
        'select coalesce(min(load_batch) = max(load_batch), true) from ' ~ relation
    ).columns[0].values()[0] %}
    {{ return(batches) }}
{% endmacro %}
