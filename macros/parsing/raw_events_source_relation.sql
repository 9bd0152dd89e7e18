{#
    Where the raw files are read from, per engine.

    DuckDB reads them in place through the source's `external_location` (dbt-duckdb).
    Spark has no such config: `register_raw_events()`, run by the on-run-start hook, makes
    the source relation (`app.raw_events`) an external table over the files matched by var
    events_path, re-created every run so files and columns that arrived since are seen.
    Dropping it never deletes a file. Columns are matched by name across files (Parquet
    mergeSchema, JSON schema inference over every row); every value is read as text where
    the format allows it (JSON primitivesAsString, CSV without type inference). A vendor
    format's JSON lines are read as text, one document a line (macros/formats/).

    `raw_event_file_name()`: the column or expression that names the file a row came from,
    as DuckDB's `filename` does: on Spark the path from `input_file_name()` without its
    `file:` scheme (`_metadata.file_path` does not pass through the model's CTE).
#}
{% macro raw_events_source_relation() %}
    {% set node = graph.sources.values()
        | selectattr('source_name', 'equalto', 'app')
        | selectattr('name', 'equalto', 'raw_events')
        | first %}
    {{ return(api.Relation.create(schema=node.schema, identifier=node.identifier)) }}
{% endmacro %}
