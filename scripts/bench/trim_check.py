"""What the whitespace check of `trim_to_null` costs on DuckDB, per form, on a benchmark event
set (`scripts/benchmark.py` caches them under data/bench/events-<N>).

One text column of the raw files is loaded into memory, then each form of trimming it (blank
is null) runs over every value, interleaved, `--rounds` times. The forms must agree on every
value (count and sum of hashes) before any time is printed: a fast wrong answer fails.

    python -m scripts.bench.trim_check data/bench/events-10000000 [--column event_id]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import duckdb

WHITESPACE_LIST = "(' ', chr(9), chr(10), chr(11), chr(12), chr(13))"
WHITESPACE = "(' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))"
TRIMMED = f"nullif(trim(x, {WHITESPACE}), '')"

FORMS = {
    # macros/trim_to_null.sql: the first byte by comparison, the last character by index
    "first byte < '!', last char <= ' '": (
        f"case when x < '!' or x[-1] <= ' ' then {TRIMMED} else x end"
    ),
    # the form before: both end characters looked up in the whitespace list
    "both end chars in whitespace list": (
        f"case when x = '' then null when x[1] in {WHITESPACE_LIST}"
        f" or x[-1] in {WHITESPACE_LIST} then {TRIMMED} else x end"
    ),
    "trim every value": TRIMMED,
    "no trimming (the read alone)": "x",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("events", type=Path, help="a directory of Parquet event files")
    parser.add_argument("--column", default="event_id")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    files = sorted(args.events.glob("*.parquet"))
    if not files:
        raise SystemExit(f"no .parquet files in {args.events}: run scripts/benchmark.py first")
    connection = duckdb.connect()
    connection.execute(f"set threads = {args.threads}")
    connection.execute(
        f"create table values_ as select {args.column} as x"
        f" from read_parquet({[str(f) for f in files]}, union_by_name = true)"
    )
    seconds: dict[str, list[float]] = {form: [] for form in FORMS}
    answers: dict[str, tuple] = {}
    for _ in range(args.rounds):
        for form, expression in FORMS.items():
            started = time.perf_counter()
            answers[form] = connection.execute(
                f"select count(y), sum(hash(y)) from (select {expression} as y from values_)"
            ).fetchone()
            seconds[form].append(time.perf_counter() - started)
    trimming = [form for form in FORMS if not form.startswith("no trimming")]
    if len({answers[form] for form in trimming}) != 1:
        raise SystemExit(f"the forms disagree: {answers}")
    rows = connection.execute("select count(*) from values_").fetchone()[0]
    print(f"{args.column} of {args.events}, {rows:,} values, threads {args.threads}\n")
    print("| form | median s | min s |")
    print("|---|---:|---:|")
    for form, times in seconds.items():
        print(f"| {form} | {statistics.median(times):.3f} | {min(times):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
