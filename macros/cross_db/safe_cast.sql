{#
    dbt's cross-database `safe_cast` falls back to a plain `cast` on DuckDB, which
    raises on a value such as '2024-02-30'. This override (found first by
    dbt.safe_cast's dispatch, since the root project is searched first) makes it
    return null instead, as it does on Spark, BigQuery and Snowflake.
    dbt's unit-test fixture SQL also calls safe_cast, so on DuckDB a fixture value that
    does not cast becomes null rather than an error.
#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
