{#
    Helpers of the incremental design (docs/incremental.md).

    `new_event_files()`: the files matched by var events_path that the validated
    events table has not loaded yet (the ledger is its `source_file` column), as a
    list of paths; files are immutable once delivered.
    `next_load_batch()`: the batch number this run stamps on the rows it writes.
    `pending_restarts(model)`: per device, the earliest point from which `model`
    must be recomputed: every restart logged since the model's last batch (its own
    `load_batch` column, or for a model with `restarts_applied_table=true`, that table).
    `restarts_applied_relation(model)` and `record_restarts_applied()`: that table, for a
    model with config `restarts_applied_table=true` (fct_sessions, int_session_hours): one
    row, the latest restart batch the model has applied, the restart log's generation and
    the contract settings it was built with (`contract_settings_text()`, checked by the
    preflight), rewritten by its post-hook.
    `rows_from_restart_points(relation)`: the rows of `relation` (any relation or CTE) a
    run recomputes: all of them in a full build; in an incremental one, each changed
    device's rows from its restart point on (`event_us` at or after it).
    `rows_rewritten_from_restart_points(relation, tail_column)`: the same, of a table this
    run has already rewritten from the restart points on (int_events_sessionized by
    `event_us`, int_sessions by `session_start_us`), read from the batches it appended.
    `stored_max_load_batch(relation)`: the latest load batch stored, as a literal.
#}
{% macro new_event_files() %}
    {#- The files events_path matches now, as a query with one column `file`. -#}
    {% set path = var('events_path') %}
    {% set files = adapter.dispatch('matched_event_files', 'app_sessions')(path) %}
    {% set vanished = run_query(
        "select count(*), min(source_file) from (select distinct source_file from " ~ this
        ~ ") as stored where source_file not in (select file from (" ~ files ~ ") as matched)"
    ) %}
    {% if vanished.columns[0].values()[0] > 0 %}
        {{ exceptions.raise_compiler_error(
            "The warehouse holds events from " ~ vanished.columns[0].values()[0] ~ " file(s) that "
            ~ "var events_path = '" ~ path ~ "' no longer matches (e.g. '"
            ~ vanished.columns[1].values()[0] ~ "'): events_path changed, or files were moved or "
            ~ "deleted. An incremental run would mix both. Rebuild from the current files with "
            ~ "`dbt build --full-refresh` (make run FULL_REFRESH=1 on DuckDB), or keep each data set in its "
            ~ "own warehouse (APP_SESSIONS_DB)."
        ) }}
    {% endif %}
    {% set query %}
        select file
        from ({{ files }}) as matched
        where file not in (select distinct source_file from {{ this }})
        order by file
    {% endset %}
    {{ return(run_query(query).columns[0].values() | list) }}
{% endmacro %}

{% macro duckdb__matched_event_files(path) -%}
    select file from glob('{{ path }}')
{%- endmacro %}

{# Spark lists the files through the registered raw events table (macros/raw_events_source.sql). #}
{% macro spark__matched_event_files(path) -%}
    select distinct {{ raw_event_file_name() }} as file from {{ raw_events_source_relation() }}
{%- endmacro %}


{% macro next_load_batch() %}
    {% if not is_incremental() %}
        {{ return(1) }}
    {% endif %}
    {{ return(stored_max_load_batch(this) + 1) }}
{% endmacro %}


{#- The latest load batch stored in `relation` (0 when empty), as a number: written into
    a query as a literal, a filter `load_batch > N` skips the row groups of earlier
    batches by their zone maps, which a subquery does not. -#}
{% macro stored_max_load_batch(relation) %}
    {% set result = run_query('select coalesce(max(load_batch), 0) from ' ~ relation) %}
    {{ return(result.columns[0].values()[0] | int) }}
{% endmacro %}


{% macro pending_restarts(model_relation) -%}
    select
        session_partition_key,
        min(restart_us) as restart_us
    from {{ ref('int_session_restarts') }}
    where
        session_partition_key is not null
        and load_batch > (
            select coalesce(max(load_batch), 0)
            from {{ restarts_applied_relation(model_relation) }}
        )
    group by session_partition_key
{%- endmacro %}


{% macro restarts_applied_relation(model_relation) %}
    {% if not config.get('restarts_applied_table', false) %}
        {{ return(model_relation) }}
    {% endif %}
    {% set applied = model_relation.incorporate(
        path={'identifier': restarts_applied_identifier(model_relation.identifier)}
    ) %}
    {% if execute and is_incremental() and adapter.get_relation(
        database=applied.database, schema=applied.schema, identifier=applied.identifier
    ) is none %}
        {{ exceptions.raise_compiler_error(
            model_relation ~ " has no table " ~ applied ~ " recording which restarts it has "
            ~ "applied (built by an older version of the project, or a run was interrupted "
            ~ "in its post-hook). Rebuild once with `dbt build --full-refresh` "
            ~ "(make run FULL_REFRESH=1)."
        ) }}
    {% endif %}
    {{ return(applied) }}
{% endmacro %}


{% macro restarts_applied_identifier(model_name) %}
    {{ return(model_name ~ '__restarts_applied') }}
{% endmacro %}


{# The restart log's generation: the start (µs) of the full build that began it. #}
{% macro restart_log_generation() -%}
    (
        select max(restart_us) from {{ ref('int_session_restarts') }}
        where session_partition_key is null
    )
{%- endmacro %}


{#
    Whether the restart log was rebuilt since a model with a restarts-applied table last
    ran: its batch numbers then mean nothing, and the model recomputes every row. (A
    --full-refresh killed before it reached this model leaves a marker that makes the next run
    a full one, macros/unfinished_full_refresh.sql; this catches such a refresh where the
    marker is missing, e.g. killed by a version of the project before the marker.)
#}
{% macro restart_log_was_reset(model_relation) %}
    {% if not (execute and is_incremental() and config.get('restarts_applied_table', false)) %}
        {{ return(false) }}
    {% endif %}
    {% set applied = restarts_applied_relation(model_relation) %}
    {% if 'restart_log_generation' not in (
        adapter.get_columns_in_relation(applied) | map(attribute='name') | list
    ) %}
        {{ return(true) }}
    {% endif %}
    {% set same = run_query(
        'select coalesce(max(restart_log_generation) = ' ~ restart_log_generation()
        ~ ', false) from ' ~ applied
    ).columns[0].values()[0] %}
    {{ return(not same) }}
{% endmacro %}


{# Post-hook: the latest restart batch is now applied to this model (one-row table). #}
{% macro record_restarts_applied() %}
    {{ return(adapter.dispatch('record_restarts_applied', 'app_sessions')()) }}
{% endmacro %}

{% macro restarts_applied_row() -%}
    select
        {{ latest_restart_batch() }} as load_batch,
        {{ restart_log_generation() }} as restart_log_generation,
        '{{ contract_settings_text() | replace("'", "''") }}' as contract_settings
{%- endmacro %}

{% macro default__record_restarts_applied() -%}
    create or replace table {{ restarts_applied_relation(this) }} as
    {{ restarts_applied_row() }}
{%- endmacro %}

{# Spark (Parquet): overwrite the row in place, so the table is never missing. #}
{% macro spark__record_restarts_applied() -%}
    {% set applied = restarts_applied_relation(this) %}
    {% set stored = adapter.get_relation(
        database=applied.database, schema=applied.schema, identifier=applied.identifier
    ) if execute else none %}
    {% if stored is none %}
        create table {{ applied }} using parquet as {{ restarts_applied_row() }}
    {% else %}
        insert overwrite table {{ applied }} {{ restarts_applied_row() }}
    {% endif %}
{%- endmacro %}


{#
    The contract settings as one canonical text: stored with fct_sessions, compared by the
    preflight, so an incremental run with other settings stops instead of mixing meanings.
    With them the engine's hash of a fixed text: an engine upgrade that changed its hash
    function would leave the stored key hashes unmatched (macros/key_hash.sql).
#}
{% macro contract_settings_text() %}
    {% set cfg = app_sessions_config() %}
    {% set settings = {
        'background_event_names': cfg.background_event_names | sort | join(','),
        'background_timeout_minutes': cfg.background_timeout_us / 60000000,
        'max_clock_skew_minutes': cfg.max_clock_skew_us / 60000000,
        'max_session_minutes': cfg.max_session_us / 60000000,
        'reporting_timezone': cfg.reporting_timezone,
        'session_timeout_minutes': cfg.session_timeout_us / 60000000,
        'key_hash_of_app_sessions': key_hash_check_value(),
        'events_format': events_format(),
        'column_map': tojson(var('column_map', {}) or {}, sort_keys=true),
        'epoch_units': tojson(events_format_spec().epoch_units, sort_keys=true),
    } %}
    {% set parts = [] %}
    {% for name in settings | sort %}
        {% do parts.append(name ~ '=' ~ settings[name]) %}
    {% endfor %}
    {{ return(parts | join('; ')) }}
{% endmacro %}


{#
    Preflight: an incremental run on a warehouse built with other contract settings
    (timeouts, cap, background names, reporting time zone) would keep the stored sessions
    under the old rules and compute new ones under the new: stop and say how to rebuild.
#}
{% macro check_contract_settings_unchanged() %}
    {% if is_full_rebuild_run() %}
        {{ return(none) }}
    {% endif %}
    {% set applied = adapter.get_relation(
        database=target.database, schema=target.schema,
        identifier=restarts_applied_identifier('fct_sessions')
    ) %}
    {% if applied is none %}
        {{ return(none) }}
    {% endif %}
    {% set stored = run_query('select * from ' ~ applied) %}
    {% if 'contract_settings' not in stored.column_names or not stored.rows %}
        {{ return(none) }}
    {% endif %}
    {% set built_with = stored.columns['contract_settings'].values()[0] %}
    {% set now = contract_settings_text() %}
    {% if built_with != now %}
        {% set before = {} %}
        {% for part in built_with.split('; ') %}
            {% do before.update({part.split('=')[0]: part.split('=', 1)[1]}) %}
        {% endfor %}
        {% set changed = [] %}
        {% for part in now.split('; ') %}
            {% set name, value = part.split('=', 1) %}
            {% if before.get(name) != value %}
                {% do changed.append(
                    name ~ " (built with '" ~ before.get(name, '?') ~ "', now '" ~ value ~ "')"
                ) %}
            {% endif %}
        {% endfor %}
        {{ exceptions.raise_compiler_error(
            "The warehouse's sessions were built with other contract settings: "
            ~ changed | join(', ') ~ ". An incremental run would keep the stored sessions "
            ~ "under the old rules. Rebuild with `dbt build --full-refresh` "
            ~ "(make run FULL_REFRESH=1), or pass the settings it was built with."
        ) }}
    {% endif %}
{% endmacro %}


{% macro latest_restart_batch() -%}
    (select max(load_batch) from {{ ref('int_session_restarts') }})
{%- endmacro %}


{% macro rows_from_restart_points(relation) -%}
    {%- if not is_incremental() -%}
        select * from {{ relation }}
    {%- else -%}
        {{ adapter.dispatch('rows_from_restart_points', 'app_sessions')(relation) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__rows_from_restart_points(relation) -%}
    {{ rows_at_restart_points(relation) }}
{%- endmacro %}

{#- DuckDB: the stored events are in rough arrival order (files are appended as they come),
    so a row group spans the hours to days of event time its file delivered. The read is
    split in two at `split_us`, the restart point of the (N+1)-th earliest device (N: var
    `late_devices_read_apart`), each part with a literal lower bound on `event_us`, computed
    when the model compiles, that DuckDB checks against each row group's zone map before
    reading it (a join condition or a subquery is not checked):
    - the devices restarting at or after `split_us` (nearly all): their rows from the row
      groups that end at or after it, the last hours;
    - the N devices restarting before it (late events): from their earliest restart point
      on, a long stretch, but the join pushes a Bloom filter of these few devices' keys into
      the scan, which drops the other devices' rows before the join and can skip the wide
      columns where none of them has rows.
    Read as one part, every device's tail would be read whole from the earliest restart on. -#}
{% macro duckdb__rows_from_restart_points(relation) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {#- a unit test's restarts are fixtures: the bounds would come from the warehouse -#}
        {{ return(default__rows_from_restart_points(relation)) }}
    {%- endif -%}
    {%- set bounds = run_query(
        'with pending as (' ~ pending_restarts(this) ~ ') select min(restart_us), ('
        ~ 'select restart_us from pending order by restart_us limit 1 offset '
        ~ late_devices_read_apart() ~ ') from pending'
    ).rows[0] -%}
    {%- set first_us, split_us = bounds[0], bounds[1] -%}
    {%- if first_us is none -%}
        {{ return(default__rows_from_restart_points(relation)) }}
    {%- endif -%}
    {%- if split_us is none or split_us == first_us -%}
        {#- few devices, or the earliest restart point shared by more than N: one part -#}
        {{ return(rows_at_restart_points(relation, stored_filter='stored.event_us >= ' ~ first_us)) }}
    {%- endif -%}
    {{ rows_at_restart_points(
        relation,
        stored_filter='stored.event_us >= ' ~ split_us ~ ' and restarts.restart_us >= ' ~ split_us
    ) }}
    union all
    {{ rows_at_restart_points(
        relation,
        stored_filter='stored.event_us >= ' ~ first_us ~ ' and restarts.restart_us < ' ~ split_us
    ) }}
{%- endmacro %}


{#- The var `late_devices_read_apart`, checked (by the preflight too): a whole number from 1
    to 1,000,000,000. -#}
{% macro late_devices_read_apart() %}
    {% set raw = var('late_devices_read_apart', 1000) %}
    {% set text = (raw | string) | trim %}
    {% if modules.re.fullmatch('[0-9]{1,10}', text) is none
        or (text | int) < 1 or (text | int) > 1000000000 %}
        {{ exceptions.raise_compiler_error(
            "var 'late_devices_read_apart' must be a whole number of devices from 1 to "
            ~ "1000000000, got '"
            ~ text ~ "'. Fix it in dbt_project.yml or pass --vars '{\"late_devices_read_apart\": 1000}'."
        ) }}
    {% endif %}
    {{ return(text | int) }}
{% endmacro %}


{#- The rows of `relation` (int_events_sessionized, int_sessions) that this run's restart
    points cover, once the run has rewritten them from those points on (`tail_column` at or
    after the point): those of the load batches since this model's latest, which it
    appended at the table's end. The literal batch lets the scan skip every older row group
    by its zone map (a unit test, whose `this` is a fixture, compares with a subquery). All
    of them when the restart log was rebuilt since the model last ran (a model with a
    restarts-applied table: restart_log_was_reset). -#}
{% macro rows_rewritten_from_restart_points(relation, tail_column='event_us') -%}
    {%- if not is_incremental() or restart_log_was_reset(this) -%}
        select * from {{ relation }}
    {%- else -%}
        {%- set since_batch = stored_max_load_batch(this)
            if execute and model.resource_type != 'unit_test'
            else '(select coalesce(max(load_batch), 0) from ' ~ this ~ ')' -%}
        {{ rows_at_restart_points(
            relation, stored_filter='stored.load_batch > ' ~ since_batch, tail_column=tail_column
        ) }}
    {%- endif -%}
{%- endmacro %}


{#- Each changed device's rows of `relation` from its restart point on (`tail_column` at
    or after it); `stored_filter` narrows the stored rows. -#}
{% macro rows_at_restart_points(relation, stored_filter=none, tail_column='event_us') -%}
    select stored.*
    from {{ relation }} as stored
    inner join ({{ pending_restarts(this) }}) as restarts
        on
            stored.session_partition_key = restarts.session_partition_key
            and stored.{{ tail_column }} >= restarts.restart_us
    {%- if stored_filter %}
    where {{ stored_filter }}
    {%- endif %}
{%- endmacro %}
