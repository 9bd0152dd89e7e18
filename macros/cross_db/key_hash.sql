{#
    Lookups of stored rows by key (docs/incremental.md, "What is stored", point 2).

    `key_hash(expression)`: a 64-bit hash of a text key, null for a null key. Stored next to
    the key (`dedupe_hash` beside `dedupe_key`), so an incremental run finds the stored rows
    that share a key with its rows by scanning one integer column instead of 100M strings.
    A hash only narrows the search: every lookup also compares the key itself, so two keys
    with one hash never mix. DuckDB's `hash()` and Spark's `xxhash64()` are each stable for
    one engine version; the value of `key_hash('app_sessions')` is stored with the contract
    settings, and the preflight stops an incremental run if an engine upgrade changed it.

    The lookup itself is `stored_rows_by_hash` (macros/incremental/stored_rows_by_hash.sql).
#}
{% macro key_hash(expression) %}
    {{ return(adapter.dispatch('key_hash', 'app_sessions')(expression)) }}
{% endmacro %}


{#- ANSI SQL has no hash function. -#}
{% macro default__key_hash(expression) -%}
    {{ exceptions.raise_compiler_error(
        "key_hash: no SQL for the '" ~ target.type ~ "' engine; add a "
        ~ target.type ~ "__key_hash variant beside the DuckDB and Spark ones"
        ~ " (macros/cross_db/key_hash.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__key_hash(expression) -%}
    case when {{ expression }} is not null then hash({{ expression }}) end
{%- endmacro %}


{% macro spark__key_hash(expression) -%}
    case when {{ expression }} is not null then xxhash64({{ expression }}) end
{%- endmacro %}
