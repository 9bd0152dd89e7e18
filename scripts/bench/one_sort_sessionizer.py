"""A design tried and not taken: the sessionizer with one sort and streaming windows.

`int_events_sessionized` sorts the events twice: once for the neighbours (LAG, LEAD,
ROW_NUMBER), once more for the running max that carries each session's start to its events.
DuckDB computes a window with an empty `OVER ()` as a stream, in the order of its input,
without sorting. So one `ORDER BY` of the events, then `lag`/`lead` and running aggregates over
`()`, gives the same neighbours and session starts after a single sort, with the partition
boundaries found by comparing each row's device with its neighbours'.

This script times that variant against the kept build's own SQL of the model, interleaved,
round after round (each side going first in turn), into a temporary table or, with
`--into-file`, a database file that is checkpointed, as a build writes it. After every run,
both must have given every event the same index and session start (a hash sum over all
events), or the script stops. The variant stops at the session start: for an event exactly one
cap after its session's start, the cap's rule needs the end flag of the last event tied with
it, any number of rows ahead, which a stream cannot see. So the model's side does more work;
docs/performance.md says why the variant was not taken.

    python -m scripts.bench.one_sort_sessionizer data/bench/warehouse-10000000 \
        --rounds 2 --memory-limit 16GB --into-file
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import yaml

from scripts.bench import arguments
from scripts.bench.ab_model import PROJECT_DIR, kept_vars
from scripts.bench.explain_model import model_select
from scripts.bench.kept_build import kept_build_parser, kept_connection, parse_kept_build_args

PARTITION_USER = "case when device_id is null then user_id end"

ONE_SORT = """
with

sorted as (
    -- the one sort: the windows' partition and order, as one ORDER BY
    select device_id, user_id, event_id, event_name, event_us, is_background_event,
        platform, app_version
    from stg_app__events
    order by device_id, {partition_user}, event_us, event_id nulls last, event_name,
        user_id nulls last
),

streamed as (
    -- windows over () stream in the input's order: no second sort
    select
        *,
        row_number() over () as row_in_stream,
        lag(device_id) over () as previous_device_id,
        lag({partition_user}) over () as previous_partition_user,
        lag(event_us) over () as any_previous_us,
        lag(is_background_event) over () as any_previous_is_background,
        lead(event_us) over () as any_next_us,
        lead(device_id) over () as next_device_id,
        lead({partition_user}) over () as next_partition_user
    from sorted
),

neighbours as (
    select
        *,
        row_in_stream = 1
            or previous_device_id is distinct from device_id
            or previous_partition_user is distinct from {partition_user} as is_first_of_device,
        next_device_id is distinct from device_id
            or next_partition_user is distinct from {partition_user} as is_last_of_device
    from streamed
),

edges as (
    select
        *,
        case when not is_first_of_device then any_previous_us end as previous_event_us,
        case when not is_last_of_device then any_next_us end as next_event_us,
        coalesce(
            event_us - case when not is_first_of_device then any_previous_us end
                > case when any_previous_is_background then {background_timeout_us}
                    else {session_timeout_us} end,
            true
        ) as is_timeout_session_start
    from neighbours
)

select
    device_id, user_id, event_id, event_name, event_us, is_background_event, platform,
    app_version, previous_event_us, next_event_us, is_timeout_session_start,
    row_in_stream - max(case when is_first_of_device then row_in_stream end) over (
        rows between unbounded preceding and current row
    ) + 1 as event_index,
    -- the start time of the latest session start so far: every device's first event is one
    arg_max(event_us, row_in_stream) filter (where is_timeout_session_start) over (
        rows between unbounded preceding and current row
    ) as timeout_session_start_us
from edges
"""

CHECKED = (
    "select count(*), sum(hash(device_id, user_id, event_id, event_name, event_index, event_us,"
    " timeout_session_start_us)) from {table}"
)


def one_sort_select(kept: Path) -> str:
    """The variant's select, with the timeouts the kept build ran with (dbt_project.yml's
    vars, and its --vars over them)."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    variables = {**project["vars"], **kept_vars(kept)}
    minutes = {
        name: float(variables[name])
        for name in ("session_timeout_minutes", "background_timeout_minutes")
    }
    return ONE_SORT.format(
        partition_user=PARTITION_USER,
        session_timeout_us=round(minutes["session_timeout_minutes"] * 60_000_000),
        background_timeout_us=round(minutes["background_timeout_minutes"] * 60_000_000),
    )


def main() -> None:
    parser = kept_build_parser(__doc__, models=False)
    parser.add_argument("--rounds", type=arguments.positive_int, default=2)
    parser.add_argument("--memory-limit", type=arguments.memory_limit, default="8GB")
    parser.add_argument("--into-file", action="store_true")
    args = parse_kept_build_args(parser)
    sides = {
        "two windows (the model)": model_select(args.kept, "int_events_sessionized"),
        "one sort, streaming": one_sort_select(args.kept),
    }
    seconds: dict[str, list[float]] = {name: [] for name in sides}
    checks: dict[str, tuple] = {}
    events = 0
    with tempfile.TemporaryDirectory(prefix="one-sort-", dir=args.kept) as scratch:
        connection = kept_connection(args.kept, scratch, args.memory_limit, args.threads)
        create, table = "create or replace temp table", "timed"
        if args.into_file:
            connection.execute(f"attach '{Path(scratch) / 'out.duckdb'}' as out")
            create, table = "create or replace table", "out.main.timed"
        names = list(sides)
        for round_number in range(args.rounds):
            order = names if round_number % 2 == 0 else names[::-1]
            for name in order:
                connection.execute(f"drop table if exists {table}")
                started = time.perf_counter()
                connection.execute(f"{create} {table} as {sides[name]}")
                if args.into_file:
                    connection.execute("checkpoint out")
                seconds[name].append(time.perf_counter() - started)
                checks[name] = connection.execute(CHECKED.format(table=table)).fetchone()
                if len(set(checks.values())) != 1:
                    raise SystemExit(f"the sides disagree on indexes or session starts: {checks}")
                events = checks[name][0]
                print(f"round {round_number + 1}: {name} {seconds[name][-1]:.1f} s", flush=True)
        connection.close()
    where = "into a database file" if args.into_file else "into memory"
    print(
        f"\n{args.kept.name}, {where}, threads {args.threads}, memory_limit {args.memory_limit};"
        f" {events:,} events, same index and session start on both sides"
    )
    for name, values in seconds.items():
        runs = ", ".join(f"{value:.1f}" for value in values)
        print(f"- {name}: median {statistics.median(values):.1f} s ({runs})")


if __name__ == "__main__":
    main()
