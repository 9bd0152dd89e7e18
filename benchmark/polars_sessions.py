"""The sessions contract (docs/contract.md) in Polars, for the benchmark of issue 4.

``build(events_glob, config)`` reads raw event files and returns ``fct_sessions``, the three
report tables and ``rejected_events`` (rows per reject reason) as Polars DataFrames.

How it runs:

1. One streaming pass over the files (lazy scans, concatenated): every column as text, trimmed,
   both timestamps parsed (a strict pattern check and a positional parse for the common
   'YYYY-MM-DDThh:mm:ss.ffffffZ' form, the full grammar by regex for the rest), the first
   failing rule 1-4. Only what the later steps need is kept; low-cardinality strings become
   categoricals.
2. Dedupe (rule 5): only rows whose key occurs more than once are ranked (sorted by the keeper
   order); every other row is kept as is. The raw-text tie-breakers of the contract only choose
   between copies whose cleaned values are all equal, so they never change a session and are not
   carried (``rejected_events`` is a count per reason).
3. One sort: (partition, event time) packed into one integer; the few rows tied on both are put
   in order by event_id, event_name, user_id among themselves; the needed columns are gathered
   once. Sessions, cap pieces and foreground gaps are then running (shift / fill / cumulative)
   columns of the sorted frame; the session rows are its session-start and session-end rows.
4. Reports from the sessions; the hourly table from difference arrays over UTC hours.

Run ``python -m benchmark.polars_sessions GLOB`` for a one-line JSON summary.
"""

from __future__ import annotations

import glob as globbing
import hashlib
import sys
from collections.abc import Sequence

import polars as pl

from benchmark.config import (
    FAST_TIMESTAMP_PATTERN,
    INPUT_COLUMNS,
    MAX_US,
    MIN_US,
    PERIODS,
    REJECT_REASONS,
    TIMESTAMP_PATTERN,
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    US_PER_SECOND,
    WHITESPACE,
    Config,
    parse_cli,
    print_summary,
    threshold_us,
)

TEXT_COLUMNS = ("event_id", "device_id", "user_id", "event_name", "platform", "app_version")
TIMESTAMP_COLUMNS = ("event_timestamp", "received_at")


# --------------------------------------------------------------------------------------------
# Reading: every contract column as text (native timestamps straight to microseconds)
# --------------------------------------------------------------------------------------------


def _files(events_glob: str) -> list[str]:
    files = sorted(globbing.glob(events_glob))
    if not files:
        raise FileNotFoundError(f"no file matches {events_glob!r}")
    return files


def _scan_file(path: str) -> pl.LazyFrame:
    """One file as a LazyFrame of the contract columns, matched by name case-insensitively.

    Text columns come out as String. A native timestamp column (Parquet) comes out as null text
    plus ``<column>_native_us`` (UTC microseconds), which is what parsing its text rendering
    would give; a missing column is null.
    """
    name = path.lower()
    if name.endswith(".parquet"):
        schema = pl.read_parquet_schema(path)
        frame = pl.scan_parquet(path)
    elif name.endswith((".csv", ".csv.gz")):
        frame = pl.scan_csv(path, infer_schema=False)
        schema = frame.collect_schema()
    elif name.endswith((".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")):
        with open(path, "rb") as handle:
            has_rows = bool(handle.read(1))
        if not has_rows:
            return _empty_frame()
        schema = {column: pl.String for column in INPUT_COLUMNS}
        frame = pl.scan_ndjson(path, schema=schema)
    else:
        raise ValueError(f"unknown file extension: {path}")
    by_lower = {column.lower(): column for column in schema}
    columns = []
    for column in INPUT_COLUMNS:
        source = by_lower.get(column)
        dtype = schema[source] if source is not None else pl.String
        if source is None or isinstance(dtype, pl.Datetime):
            value = pl.lit(None, dtype=pl.String)
        else:
            value = pl.col(source).cast(pl.String)
        columns.append(value.alias(column))
        if column in TIMESTAMP_COLUMNS:
            native = pl.lit(None, dtype=pl.Int64)
            if source is not None and isinstance(dtype, pl.Datetime):
                native_col = pl.col(source)
                if dtype.time_zone is not None:
                    native_col = native_col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
                native = native_col.dt.cast_time_unit("us").dt.epoch("us")
            columns.append(native.alias(f"{column}_native_us"))
    return frame.select(columns)


def _empty_frame() -> pl.LazyFrame:
    schema: dict[str, pl.DataType] = {}
    for column in INPUT_COLUMNS:
        schema[column] = pl.String()
        if column in TIMESTAMP_COLUMNS:
            schema[f"{column}_native_us"] = pl.Int64()
    return pl.LazyFrame(schema=schema)


# --------------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------------


def _trimmed(column: str) -> pl.Expr:
    """Trimmed of ASCII whitespace; empty is null."""
    text = pl.col(column).str.strip_chars(WHITESPACE)
    return pl.when(text != "").then(text)


def _int(text: pl.Expr) -> pl.Expr:
    return text.str.to_integer(strict=False)


def _day_us(day_text: pl.Expr) -> pl.Expr:
    """'YYYY-MM-DD' (already checked against the grammar) -> microseconds; null if no date
    (year 0000 is none: Polars would take it as 1 BC)."""
    day = day_text.str.to_date("%Y-%m-%d", strict=False)
    return pl.when(day.dt.year() >= 1).then(day.cast(pl.Int64) * US_PER_DAY)


def parse_timestamps(frame: pl.LazyFrame, columns: dict[str, str]) -> pl.LazyFrame:
    """Add, for each ``{text column: output column}``, the UTC microseconds (Int64) of the
    timestamp text (trimmed), null when it is not a contract timestamp.

    Text in the common export form (so with nothing to trim) is checked by a strict pattern
    and parsed by position; only the other values are trimmed and go through the general
    pattern's capture groups (materialized once, in their own step, so the regex runs once per
    value).
    """
    frame = frame.with_columns(
        pl.col(text).str.contains(FAST_TIMESTAMP_PATTERN).alias(f"{text}_fast") for text in columns
    )
    frame = frame.with_columns(
        pl.when(pl.col(f"{text}_fast").not_())
        .then(pl.col(text))
        .str.strip_chars(WHITESPACE)
        .str.extract_groups(TIMESTAMP_PATTERN)
        .alias(f"{text}_parts")
        for text in columns
    )
    parsed = []
    for text, output in columns.items():
        value, field = pl.col(text), pl.col(f"{text}_parts").struct.field
        fast = pl.when(pl.col(f"{text}_fast")).then(
            _day_us(value.str.slice(0, 10))
            + _int(value.str.slice(11, 2)) * US_PER_HOUR
            + _int(value.str.slice(14, 2)) * US_PER_MINUTE
            + _int(value.str.slice(17, 2)) * US_PER_SECOND
            + _int(value.str.slice(20, 6))
        )
        fraction = _int(field("fraction").str.slice(0, 6).str.pad_end(6, "0")).fill_null(0)
        offset_us = (
            _int(field("offset_hour")).fill_null(0) * 60 + _int(field("offset_minute")).fill_null(0)
        ) * US_PER_MINUTE
        general = (
            _day_us(field("day"))
            + _int(field("hour")) * US_PER_HOUR
            + _int(field("minute")) * US_PER_MINUTE
            + _int(field("second")).fill_null(0) * US_PER_SECOND
            + fraction
            - pl.when(field("sign") == "-").then(-offset_us).otherwise(offset_us)
        )
        utc_us = pl.coalesce(fast, general)
        parsed.append(pl.when(utc_us.is_between(MIN_US, MAX_US)).then(utc_us).alias(output))
    return frame.with_columns(parsed)


def _cleaned(files: list[str], config: Config) -> pl.LazyFrame:
    """Rules 1-4 and the columns later steps need, one row per raw row."""
    frame = pl.concat([_scan_file(path) for path in files], how="vertical")
    skew_us = threshold_us(config.max_clock_skew_minutes)
    background = config.background_names()
    frame = frame.with_columns(_trimmed(column).alias(column) for column in TEXT_COLUMNS)
    frame = parse_timestamps(
        frame, {"event_timestamp": "event_text_us", "received_at": "received_text_us"}
    ).with_columns(
        pl.coalesce("event_timestamp_native_us", "event_text_us").alias("event_us"),
        pl.coalesce("received_at_native_us", "received_text_us").alias("received_us"),
    )
    reason = (
        pl.when(pl.col("event_name").is_null())
        .then(1)
        .when(pl.col("device_id").is_null() & pl.col("user_id").is_null())
        .then(2)
        .when(pl.col("event_us").is_null())
        .then(3)
        .when((pl.col("event_us") - pl.col("received_us")) > pl.lit(skew_us))
        .then(4)
        .otherwise(0)
        .cast(pl.UInt8)
    )
    has_device = pl.col("device_id").is_not_null()
    return frame.select(
        reason.alias("reason"),
        pl.col("event_id"),
        has_device.alias("has_device"),
        # the session partition: the device, or the user for a row without device
        pl.coalesce("device_id", "user_id").cast(pl.Categorical).alias("partition"),
        pl.col("user_id").cast(pl.Categorical),
        pl.col("event_name").cast(pl.Categorical),
        pl.col("event_name").str.to_lowercase().is_in(background).alias("is_background"),
        pl.col("platform").cast(pl.Categorical),
        pl.col("app_version").cast(pl.Categorical),
        pl.col("event_us"),
        pl.col("received_us"),
    )


def _kept(rows: pl.DataFrame) -> pl.Series:
    """Rules 1-5: the mask of the rows that become clean events.

    Rule 5 (one row per event_id, or without one per device, user, name and time): only the
    rows whose key occurs more than once are sorted by the keeper order.
    """
    passed = pl.col("reason") == 0
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    content = ("has_device", "partition", "user_id", "event_name", "event_us")
    with_id = passed & pl.col("event_id").is_not_null()
    without_id = passed & pl.col("event_id").is_null()
    # candidates: rows with an event_id whose hash repeats (a hash collision only adds a
    # candidate; the keeper is chosen by the real key below), and rows without one by content
    # (sorting the hashes needs far less memory than a hash table of every id)
    hashes = rows.select(
        row.filter(with_id).alias("row"), pl.col("event_id").hash().filter(with_id).alias("hash")
    ).sort("hash")
    repeated = (pl.col("hash") == pl.col("hash").shift(1)).fill_null(False)
    copies = hashes.select(
        pl.col("row").filter(repeated | repeated.shift(-1, fill_value=False))
    ).to_series()
    del hashes
    copies_without_id = rows.select(
        row.filter(without_id).filter(
            pl.struct(pl.col(c).filter(without_id) for c in content).is_duplicated()
        )
    ).to_series()
    kept = rows.get_column("reason") == 0
    if copies.is_empty() and copies_without_id.is_empty():
        return kept
    key = pl.struct(
        "event_id",
        *(pl.when(pl.col("event_id").is_null()).then(pl.col(c)).alias(c) for c in content),
    )

    def text(column: str) -> pl.Expr:
        return pl.col(column).cast(pl.String)

    copy_rows = pl.concat([copies, copies_without_id])
    copies = rows[copy_rows].with_columns(copy_rows.alias("row"))
    order = [
        pl.col("received_us"),
        pl.col("event_us"),
        pl.when("has_device").then(text("partition")),
        *(text(column) for column in ("user_id", "event_name", "platform", "app_version")),
    ]
    losers = (
        copies.sort(order, nulls_last=True).filter(key.is_first_distinct().not_()).get_column("row")
    )
    return kept.scatter(losers, False)


PACKED_KEY_LIMIT = 2**63
"""(partition, event time) are sorted as one integer when all keys are below this."""

SORTED_COLUMNS = (
    "partition_code",
    "partition",
    "has_device",
    "user_id",
    "is_background",
    "platform",
    "app_version",
    "event_us",
)


def _partition_order(rows: pl.DataFrame, kept: pl.Series) -> pl.Series:
    """The row numbers of the kept rows in partition order: by partition, then event time,
    event_id (nulls last), event_name and user_id (nulls last).

    The sort is by (partition, event time), packed into one integer when it fits; rows tied on
    both (a few) are then put in order by the string tie-breakers among themselves.
    """
    if not kept.any():
        return pl.Series("row", [], dtype=pl.Int64)
    row = pl.int_range(pl.len(), dtype=pl.Int64).filter(kept)
    bounds = rows.select(
        pl.col("partition_code").filter(kept).max().alias("code"),
        pl.col("event_us").filter(kept).min().alias("low"),
        pl.col("event_us").filter(kept).max().alias("high"),
    )
    max_code, low, high = bounds.row(0)
    span = high - low + 1
    if (max_code + 1) * span < PACKED_KEY_LIMIT:
        packed = pl.col("partition_code") * span + (pl.col("event_us") - low)
        keys = rows.select(row.alias("row"), packed.filter(kept).alias("key"))
        keys = keys[keys.get_column("key").arg_sort()]
        same_as_previous = keys.select(pl.col("key").diff() == 0).to_series()
    else:
        keys = rows.select(
            row.alias("row"),
            pl.col("partition_code").filter(kept),
            pl.col("event_us").filter(kept),
        ).sort("partition_code", "event_us")
        same_as_previous = keys.select(
            (pl.col("partition_code").diff() == 0) & (pl.col("event_us").diff() == 0)
        ).to_series()
    order = keys.get_column("row")
    del keys
    same_as_previous = same_as_previous.fill_null(False)
    tied = same_as_previous | same_as_previous.shift(-1, fill_value=False)
    if tied.any():
        positions = tied.arg_true()
        tied_rows = order.gather(positions)
        tie_keys = [
            pl.col("partition_code"),
            pl.col("event_us"),
            *(pl.col(c).cast(pl.String) for c in ("event_id", "event_name", "user_id")),
        ]
        tie_order = rows[tied_rows].select(pl.arg_sort_by(tie_keys, nulls_last=True)).to_series()
        order = order.scatter(positions, tied_rows.gather(tie_order))
    return order


def _sessionized(events: pl.DataFrame, config: Config) -> pl.DataFrame:
    """The sorted events with their session boundaries and foreground gaps."""
    session_timeout = threshold_us(config.session_timeout_minutes)
    background_timeout = threshold_us(config.background_timeout_minutes)
    cap = threshold_us(config.max_session_minutes)
    us = pl.col("event_us")
    new_partition = (pl.col("partition_code") != pl.col("partition_code").shift(1)).fill_null(True)
    previous_background = pl.col("is_background").shift(1).fill_null(False)
    gap = us - us.shift(1)
    timeout = pl.when(previous_background).then(background_timeout).otherwise(session_timeout)
    timeout_start = new_partition | (gap > timeout)
    timeout_end = timeout_start.shift(-1).fill_null(True)
    timeout_start_us = pl.when(timeout_start).then(us).forward_fill()
    timeout_end_us = pl.when(timeout_end).then(us).backward_fill()
    elapsed = us - timeout_start_us
    piece_of = elapsed // cap if isinstance(cap, int) else (elapsed / cap).floor().cast(pl.Int64)
    piece = pl.when(timeout_end_us - timeout_start_us > pl.lit(cap)).then(piece_of).otherwise(0)
    events = events.with_columns(
        (timeout_start | (piece != piece.shift(1)).fill_null(True)).alias("session_start"),
        previous_background.alias("previous_background"),
        new_partition.alias("new_partition"),
    )
    foreground_gap = (
        pl.when(pl.col("session_start") | pl.col("previous_background")).then(0).otherwise(gap)
    )
    return events.with_columns(
        foreground_gap.alias("foreground_gap"),
        pl.col("session_start").shift(-1).fill_null(True).alias("session_end"),
    ).drop("previous_background")


def _sessions(events: pl.DataFrame, config: Config) -> pl.DataFrame:
    """One row per session (internal columns in microseconds, plus the fct_sessions columns)."""
    starts, ends = pl.col("session_start"), pl.col("session_end")
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    foreground_cum = pl.col("foreground_gap").cum_sum()
    last_user_row = pl.when(pl.col("user_id").is_not_null()).then(row).forward_fill()
    sessions = events.select(
        *(
            pl.col(c).filter(starts)
            for c in ("has_device", "partition", "partition_code", "new_partition")
        ),
        pl.col("platform").filter(starts),
        pl.col("app_version").filter(starts),
        pl.col("event_us").filter(starts).alias("start_us"),
        row.filter(starts).alias("start_row"),
        foreground_cum.filter(starts).alias("start_foreground_cum"),
        pl.col("event_us").filter(ends).alias("end_us"),
        row.filter(ends).alias("end_row"),
        foreground_cum.filter(ends).alias("end_foreground_cum"),
        last_user_row.filter(ends).alias("last_user_row"),
    )
    own_user_row = pl.when(pl.col("last_user_row") >= pl.col("start_row")).then("last_user_row")
    sessions = sessions.with_columns(
        events.get_column("user_id")
        .gather(sessions.select(own_user_row).to_series())
        .cast(pl.String)
        .alias("session_user_id")
    )
    session_row = pl.int_range(pl.len(), dtype=pl.Int64)
    first_session_row = pl.when("new_partition").then(session_row).forward_fill()
    sessions = sessions.with_columns(
        pl.coalesce(
            "session_user_id",
            pl.col("session_user_id").last(ignore_nulls=True).over("partition_code"),
        ).alias("user_id"),
        (session_row - first_session_row + 1).alias("session_number"),
        (pl.col("end_us") - pl.col("start_us")).alias("duration_us"),
        (pl.col("end_foreground_cum") - pl.col("start_foreground_cum")).alias("foreground_us"),
        (pl.col("end_row") - pl.col("start_row") + 1).alias("event_count"),
        pl.when("has_device").then(pl.col("partition").cast(pl.String)).alias("device_id"),
    )
    ids = [
        hashlib.md5(f"{'device' if has_device else 'user'}:{key}|{start}".encode()).hexdigest()
        for has_device, key, start in zip(
            sessions.get_column("has_device").to_list(),
            sessions.get_column("partition").cast(pl.String).to_list(),
            sessions.get_column("start_us").to_list(),
            strict=True,
        )
    ]
    start_at = pl.from_epoch("start_us", "us")
    return sessions.select(
        pl.Series("session_id", ids, dtype=pl.String),
        "device_id",
        "user_id",
        pl.coalesce("user_id", pl.lit("device:") + pl.col("device_id")).alias("user_key"),
        start_at.alias("session_start_at"),
        pl.from_epoch("end_us", "us").alias("session_end_at"),
        (pl.col("duration_us") / US_PER_SECOND).alias("duration_seconds"),
        (pl.col("foreground_us") / US_PER_SECOND).alias("foreground_seconds"),
        "event_count",
        _local(start_at, config.reporting_timezone).dt.date().alias("session_date"),
        pl.col("platform").cast(pl.String),
        pl.col("app_version").cast(pl.String),
        "session_number",
        "start_us",
        "end_us",
        "duration_us",
        "foreground_us",
    )


def _local(utc: pl.Expr, timezone: str) -> pl.Expr:
    """Wall-clock time in ``timezone`` of a naive UTC datetime."""
    if timezone == "UTC":
        return utc
    return utc.dt.replace_time_zone("UTC").dt.convert_time_zone(timezone)


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def _by_period(sessions: pl.DataFrame) -> pl.LazyFrame:
    day = pl.col("session_date")
    starts = {"day": day, "week": day.dt.truncate("1w"), "month": day.dt.truncate("1mo")}
    lazy = sessions.lazy().select("session_date", "user_key", "duration_us", "foreground_us")
    return pl.concat(
        [
            lazy.with_columns(pl.lit(period).alias("period"), starts[period].alias("period_start"))
            for period in PERIODS
        ]
    )


def _reports(sessions: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    count = pl.len().cast(pl.Int64)
    grouped = (
        _by_period(sessions)
        .group_by("period", "period_start")
        .agg(
            count.alias("sessions"),
            pl.col("user_key").n_unique().cast(pl.Int64).alias("active_users"),
            pl.col("duration_us").sum().alias("duration_sum"),
            pl.col("foreground_us").sum().alias("foreground_sum"),
            (pl.col("duration_us") / US_PER_SECOND).median().alias("median_duration_seconds"),
        )
        .with_columns(pl.col("period").replace_strict(PERIODS, range(3)).alias("period_order"))
        .sort("period_order", "period_start")
        .collect()
    )
    per_user = grouped.select(
        "period",
        "period_start",
        "active_users",
        "sessions",
        (pl.col("sessions") / pl.col("active_users")).alias("sessions_per_user"),
    )
    duration = grouped.select(
        "period",
        "period_start",
        "sessions",
        (pl.col("duration_sum") / pl.col("sessions") / 1e6).alias("avg_duration_seconds"),
        "median_duration_seconds",
        (pl.col("foreground_sum") / pl.col("sessions") / 1e6).alias("avg_foreground_seconds"),
        (pl.col("duration_sum") / US_PER_SECOND).alias("total_duration_seconds"),
        (pl.col("foreground_sum") / US_PER_SECOND).alias("total_foreground_seconds"),
    )
    return per_user, duration


def _hour_shares(spans: pl.LazyFrame, prefix: str) -> pl.LazyFrame:
    """Per UTC hour, from intervals [a, b]: the time inside the first and last hour of each
    interval (``<prefix>_part``) and +1/-1 at the ends of its fully covered middle hours
    (``<prefix>_full``, a difference array: its running sum counts full hours)."""
    first = pl.col("a") // US_PER_HOUR
    last = pl.col("b") // US_PER_HOUR
    first_part = pl.min_horizontal(pl.col("b"), (first + 1) * US_PER_HOUR) - pl.col("a")
    # most intervals lie inside one hour: aggregated straight away
    in_first_hour = spans.group_by(first.alias("hour")).agg(
        first_part.sum().alias("part"), pl.lit(0, dtype=pl.Int64).sum().alias("full")
    )
    crossing = spans.filter(first != last)
    pieces = [
        in_first_hour,
        crossing.select(
            last.alias("hour"),
            (pl.col("b") - last * US_PER_HOUR).alias("part"),
            pl.lit(-1, dtype=pl.Int64).alias("full"),
        ),
        crossing.select(
            (first + 1).alias("hour"),
            pl.lit(0, dtype=pl.Int64).alias("part"),
            pl.lit(1, dtype=pl.Int64).alias("full"),
        ),
    ]
    return (
        pl.concat(pieces)
        .group_by("hour")
        .agg(
            pl.col("part").sum().alias(f"{prefix}_part"),
            pl.col("full").sum().alias(f"{prefix}_full"),
        )
    )


def _hourly(events: pl.DataFrame, sessions: pl.DataFrame, config: Config) -> pl.DataFrame:
    if sessions.height == 0:
        return pl.DataFrame(
            schema={
                "hour_start_utc": pl.Datetime("us"),
                "hour_of_day": pl.Int32,
                "day_of_week": pl.Int32,
                "active_sessions": pl.Int64,
                "session_seconds": pl.Float64,
                "foreground_seconds": pl.Float64,
            }
        )
    spans = sessions.lazy().select(pl.col("start_us").alias("a"), pl.col("end_us").alias("b"))
    gaps = (
        events.lazy()
        .filter(pl.col("foreground_gap") > 0)
        .select(
            (pl.col("event_us") - pl.col("foreground_gap")).alias("a"),
            pl.col("event_us").alias("b"),
        )
    )
    active = (
        pl.concat(
            [
                spans.select(
                    (pl.col("a") // US_PER_HOUR).alias("hour"),
                    pl.lit(1, dtype=pl.Int64).alias("active"),
                ),
                spans.select(
                    (pl.col("b") // US_PER_HOUR + 1).alias("hour"),
                    pl.lit(-1, dtype=pl.Int64).alias("active"),
                ),
            ]
        )
        .group_by("hour")
        .agg(pl.col("active").sum())
    )
    first_hour = sessions.get_column("start_us").min() // US_PER_HOUR
    last_hour = sessions.get_column("end_us").max() // US_PER_HOUR
    spine = pl.LazyFrame({"hour": pl.int_range(first_hour, last_hour + 1, eager=True)})
    hourly = (
        spine.join(active, on="hour", how="left")
        .join(_hour_shares(spans, "session"), on="hour", how="left")
        .join(_hour_shares(gaps, "foreground"), on="hour", how="left")
        .sort("hour")
        .with_columns(pl.exclude("hour").fill_null(0))
        .with_columns(
            pl.col("active").cum_sum().alias("active_sessions"),
            (pl.col("session_part") + pl.col("session_full").cum_sum() * US_PER_HOUR).alias(
                "session_us"
            ),
            (pl.col("foreground_part") + pl.col("foreground_full").cum_sum() * US_PER_HOUR).alias(
                "foreground_us"
            ),
            pl.from_epoch(pl.col("hour") * US_PER_HOUR, "us").alias("hour_start_utc"),
        )
    )
    local = _local(pl.col("hour_start_utc"), config.reporting_timezone)
    return hourly.select(
        "hour_start_utc",
        local.dt.hour().cast(pl.Int32).alias("hour_of_day"),
        local.dt.weekday().cast(pl.Int32).alias("day_of_week"),
        pl.col("active_sessions").cast(pl.Int64),
        (pl.col("session_us") / US_PER_SECOND).alias("session_seconds"),
        (pl.col("foreground_us") / US_PER_SECOND).alias("foreground_seconds"),
    ).collect(engine="streaming")


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------

SESSION_COLUMNS = (
    "session_id",
    "device_id",
    "user_id",
    "user_key",
    "session_start_at",
    "session_end_at",
    "duration_seconds",
    "foreground_seconds",
    "event_count",
    "session_date",
    "platform",
    "app_version",
    "session_number",
)


def build(events_glob: str, config: Config | None = None) -> dict[str, pl.DataFrame]:
    """Run the contract on the files matching ``events_glob``; every output as a DataFrame.

    ``fct_sessions`` has the dbt model's columns; ``rejected_events`` is one row per reject
    reason with the number of raw rows it rejected.
    """
    config = config or Config()
    rows = _cleaned(_files(events_glob), config).collect(engine="streaming")
    reasons = rows.get_column("reason")
    rejected = [int((reasons == code).sum()) for code in range(1, 5)]
    kept = _kept(rows)
    rejected.append(int((reasons == 0).sum()) - int(kept.sum()))
    del reasons
    # device x and user x are different partitions
    code = pl.col("partition").to_physical().cast(pl.Int64) * 2 + pl.col("has_device")
    rows = rows.with_columns(code.alias("partition_code"))
    order = _partition_order(rows, kept)
    del kept
    # only the columns sessions need, in one piece, then gathered once in partition order
    rows = rows.select(SORTED_COLUMNS)
    rows = rows.rechunk()
    events = rows[order]
    del rows, order
    events = _sessionized(events, config)
    sessions = _sessions(events, config)
    per_user, duration = _reports(sessions)
    hourly = _hourly(events, sessions, config)
    del events
    return {
        "fct_sessions": sessions.select(SESSION_COLUMNS),
        "rpt_sessions_per_user": per_user,
        "rpt_session_duration": duration,
        "rpt_session_time_hourly": hourly,
        "rejected_events": pl.DataFrame(
            {"reject_reason": list(REJECT_REASONS), "rows": rejected},
            schema={"reject_reason": pl.String, "rows": pl.Int64},
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    events_glob, config = parse_cli(argv, "Sessions contract in Polars: one JSON summary line.")
    sessions = build(events_glob, config)["fct_sessions"]
    print_summary(
        sessions.height,
        sessions.get_column("duration_seconds").sum(),
        sessions.get_column("foreground_seconds").sum(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
