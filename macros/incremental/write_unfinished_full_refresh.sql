{% macro default__write_unfinished_full_refresh(marker) -%}
    create or replace table {{ marker }} as
    select '{{ run_started_at.isoformat() }}' as started_at
{%- endmacro %}


{% macro spark__write_unfinished_full_refresh(marker) -%}
    create table {{ marker }} using parquet as
    select '{{ run_started_at.isoformat() }}' as started_at
{%- endmacro %}
