"""The sessions contract (docs/contract.md) in pandas + numpy, for the benchmark of issue 4.

``build(events_glob, config)`` reads raw event files and returns ``fct_sessions``, the three
report tables and ``rejected_events`` (rows per reject reason) as pandas DataFrames.

How it runs (no Python loop over rows, except the md5 of each session id):

1. Read every file with pyarrow (columns matched by name), strings as pyarrow-backed pandas
   strings; trim; parse both timestamps: rows in the common 'YYYY-MM-DDThh:mm:ss.ffffffZ' form
   are checked by a strict pattern and parsed from their bytes with numpy, the rest by the
   contract's regex (pyarrow's RE2). The first failing rule 1-4 per row.
2. Dedupe (rule 5): only rows whose key occurs more than once are sorted by the keeper order.
   The raw-text tie-breakers only choose between copies whose cleaned values are all equal, so
   they never change a session and are not carried (``rejected_events`` is a count per reason).
3. One argsort of (partition, event time) packed into one integer; rows tied on both get the
   string tie-breakers among themselves. Sessions, cap pieces and foreground gaps are then numpy
   operations on the sorted arrays; per-session values come from the session start/end rows.
4. Reports with groupby; the hourly table from difference arrays over UTC hours.

Run ``python -m benchmark.pandas_sessions GLOB`` for a one-line JSON summary.
"""

from __future__ import annotations

import csv
import glob as globbing
import hashlib
import sys
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

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
STRING = pd.StringDtype("pyarrow")
NULL_US = np.iinfo(np.int64).min  # "no timestamp" inside int64 arrays
PACKED_KEY_LIMIT = 2**63
"""(partition, event time) are sorted as one integer when all keys are below this."""


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _files(events_glob: str) -> list[str]:
    files = sorted(globbing.glob(events_glob))
    if not files:
        raise FileNotFoundError(f"no file matches {events_glob!r}")
    return files


def _read_table(path: str) -> pa.Table:
    name = path.lower()
    if name.endswith(".parquet"):
        return pq.read_table(path)
    if name.endswith((".csv", ".csv.gz")):
        # every column as text; an empty field (quoted or not) is null, like DuckDB's read_csv
        with open(path, newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
        types = {column: pa.string() for column in header}
        return pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=True
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
        )
    if name.endswith((".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")):
        with open(path, "rb") as handle:
            if not handle.read(1):
                return pa.table({column: pa.array([], pa.string()) for column in INPUT_COLUMNS})
        schema = pa.schema([(column, pa.string()) for column in INPUT_COLUMNS])
        return pajson.read_json(
            path,
            parse_options=pajson.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="ignore"
            ),
        )
    raise ValueError(f"unknown file extension: {path}")


def _read(files: list[str]) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The contract columns of all files as pandas strings, plus the microseconds of native
    timestamp columns (``NULL_US`` where the column is text, missing or null)."""
    frames = []
    native: dict[str, list[np.ndarray]] = {column: [] for column in TIMESTAMP_COLUMNS}
    for path in files:
        table = _read_table(path)
        by_lower = {column.lower(): column for column in table.column_names}
        columns = {}
        for column in INPUT_COLUMNS:
            source = by_lower.get(column)
            values = table.column(source) if source is not None else None
            if values is not None and pa.types.is_timestamp(values.type):
                as_us = pc.cast(values, pa.timestamp("us", values.type.tz)).cast(pa.int64())
                as_us = pc.fill_null(as_us, pa.scalar(NULL_US, pa.int64()))
                native[column].append(as_us.to_numpy().astype(np.int64))
                values = None
            elif column in TIMESTAMP_COLUMNS:
                native[column].append(np.full(table.num_rows, NULL_US, dtype=np.int64))
            if values is None:
                values = pa.nulls(table.num_rows, pa.string())
            columns[column] = values.cast(pa.string())
        frames.append(pa.table(columns))
    table = pa.concat_tables(frames)
    del frames
    frame = pd.DataFrame(index=pd.RangeIndex(table.num_rows))
    for column in INPUT_COLUMNS:  # each Arrow column released once converted
        frame[column] = pd.Series(table.column(column), dtype=STRING)
        table = table.drop_columns([column])
    return frame, {column: np.concatenate(parts) for column, parts in native.items()}


# --------------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------------


def _trimmed(values: pd.Series) -> pd.Series:
    """Trimmed of ASCII whitespace; empty is null."""
    text = values.str.strip(WHITESPACE)
    return text.mask(text == "")


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    year = year - (month <= 2)
    era = np.floor_divide(year, 400)
    year_of_era = year - era * 400
    day_of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _civil_us(year, month, day, hour, minute, second, micros, offset_us) -> np.ndarray:
    """UTC microseconds of checked fields, ``NULL_US`` where the date does not exist or the
    instant is outside years 1-9999."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    valid = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    last_day = month_days[np.clip(month, 0, 12)] + ((month == 2) & leap)
    valid &= day <= last_day
    days = _days_from_civil(year, month, day)
    us = (
        days * US_PER_DAY
        + hour * US_PER_HOUR
        + minute * US_PER_MINUTE
        + second * US_PER_SECOND
        + micros
        - offset_us
    )
    valid &= (us >= MIN_US) & (us <= MAX_US)
    return np.where(valid, us, NULL_US)


def _digits(chars: np.ndarray, start: int, stop: int) -> np.ndarray:
    value = np.zeros(len(chars), dtype=np.int64)
    for position in range(start, stop):
        value = value * 10 + (chars[:, position].astype(np.int64) - 48)
    return value


def parse_timestamps(text: pd.Series) -> np.ndarray:
    """Timestamp text -> UTC microseconds (int64), ``NULL_US`` if not a timestamp.

    Text in the common export form (so with nothing to trim) is parsed from its bytes; the rest
    is trimmed and parsed by the contract's pattern.
    """
    result = np.full(len(text), NULL_US, dtype=np.int64)
    present = text.notna().to_numpy()
    fast = text.str.fullmatch(FAST_TIMESTAMP_PATTERN[1:-1]).fillna(False).to_numpy(dtype=bool)
    if fast.any():
        # 27 ASCII bytes each: read the fields from a (rows, 27) byte matrix
        values = pa.array(text[fast].array)
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        offsets_type = np.int64 if pa.types.is_large_string(values.type) else np.int32
        first = int(np.frombuffer(values.buffers()[1], dtype=offsets_type, count=1)[0])
        chars = np.frombuffer(values.buffers()[2], dtype=np.uint8)[first : first + 27 * len(values)]
        chars = chars.reshape(-1, 27)
        result[fast] = _civil_us(
            _digits(chars, 0, 4),
            _digits(chars, 5, 7),
            _digits(chars, 8, 10),
            _digits(chars, 11, 13),
            _digits(chars, 14, 16),
            _digits(chars, 17, 19),
            _digits(chars, 20, 26),
            0,
        )
    general = present & ~fast
    if general.any():
        parts = _trimmed(text[general]).str.extract(TIMESTAMP_PATTERN)
        matched = parts["day"].notna().to_numpy()
        parts = parts[matched]

        def number(column: str, start: int = 0, stop: int | None = None) -> np.ndarray:
            values = parts[column]
            if stop is not None:
                values = values.str.slice(start, stop)
            return pd.to_numeric(values).fillna(0).to_numpy(dtype=np.int64)

        fraction = parts["fraction"].fillna("").str.slice(0, 6).str.pad(6, "right", "0")
        offset = (number("offset_hour") * 60 + number("offset_minute")) * US_PER_MINUTE
        sign = np.where(parts["sign"].eq("-").fillna(False).to_numpy(dtype=bool), -1, 1)
        rows = np.flatnonzero(general)[matched]
        result[rows] = _civil_us(
            number("day", 0, 4),
            number("day", 5, 7),
            number("day", 8, 10),
            number("hour"),
            number("minute"),
            number("second"),
            pd.to_numeric(fraction).to_numpy(dtype=np.int64),
            sign * offset,
        )
    return result


def _cleaned(frame: pd.DataFrame, native: dict[str, np.ndarray], config: Config):
    """Rules 1-4: the reason code per row (0 = passed) and the cleaned columns (``frame`` is
    cleaned in place)."""
    # column by column, each raw column replaced as soon as it is cleaned (bounds memory)
    clean = frame
    for column in TEXT_COLUMNS:
        clean[column] = _trimmed(clean[column])
    for column, output in (("event_timestamp", "event_us"), ("received_at", "received_us")):
        parsed = parse_timestamps(clean.pop(column))
        clean[output] = np.where(native[column] != NULL_US, native[column], parsed)
    event_us = clean["event_us"].to_numpy()
    received_us = clean["received_us"].to_numpy()
    missing_name = clean["event_name"].isna().to_numpy()
    missing_identity = (clean["device_id"].isna() & clean["user_id"].isna()).to_numpy()
    invalid = event_us == NULL_US
    skew = threshold_us(config.max_clock_skew_minutes)
    future = (received_us != NULL_US) & ~invalid & (event_us - received_us > skew)
    reason = np.select(
        [missing_name, missing_identity, invalid, future], [1, 2, 3, 4], default=0
    ).astype(np.int8)
    return reason, clean


def _kept(clean: pd.DataFrame, reason: np.ndarray) -> np.ndarray:
    """Rules 1-5: the mask of the rows that become clean events.

    Rule 5 (one row per event_id, or without one per device, user, name and time): only the
    rows whose key occurs more than once are sorted by the keeper order.
    """
    passed = reason == 0
    content = ["device_id", "user_id", "event_name", "event_us"]
    codes, _ = pd.factorize(clean["event_id"])  # -1 where there is no event_id
    with_id = passed & (codes >= 0)
    without_id = passed & (codes < 0)
    contested = np.zeros(len(clean), dtype=bool)
    contested[with_id] = np.bincount(codes[with_id])[codes[with_id]] > 1
    if without_id.any():
        contested[without_id] = clean.loc[without_id, content].duplicated(keep=False).to_numpy()
    if not contested.any():
        return passed
    copies = clean[contested]
    key = copies[["event_id", *content]].copy()
    for column in content:
        key[column] = key[column].where(copies["event_id"].isna())
    received = copies["received_us"].where(copies["received_us"] != NULL_US)
    order = copies.assign(received_order=received).sort_values(
        [
            "received_order",
            "event_us",
            *("device_id", "user_id", "event_name", "platform", "app_version"),
        ],
        na_position="last",
        kind="stable",
    )
    losers = order.index[key.loc[order.index].duplicated(keep="first").to_numpy()]
    kept = passed.copy()
    kept[losers.to_numpy()] = False
    return kept


# --------------------------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------------------------


def _partition_order(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """(order, partition code per row, partition values): the events' order by partition, then
    event time, event_id (nulls last), event_name and user_id (nulls last)."""
    has_device = events["device_id"].notna().to_numpy()
    key = events["device_id"].fillna(events["user_id"])
    codes, uniques = pd.factorize(key)
    partition = codes.astype(np.int64) * 2 + has_device  # device x and user x differ
    event_us = events["event_us"].to_numpy()
    if len(event_us) == 0:
        return np.arange(0), partition, uniques
    low, high = int(event_us.min()), int(event_us.max())
    span = high - low + 1
    if (int(partition.max()) + 1) * span < PACKED_KEY_LIMIT:
        order = np.argsort(partition * span + (event_us - low), kind="stable")
    else:
        order = np.lexsort((event_us, partition))
    sorted_partition, sorted_us = partition[order], event_us[order]
    same = (sorted_partition[1:] == sorted_partition[:-1]) & (sorted_us[1:] == sorted_us[:-1])
    tied = np.zeros(len(order), dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    if tied.any():
        positions = np.flatnonzero(tied)
        rows = order[positions]
        ties = pd.DataFrame(
            {
                "partition": partition[rows],
                "event_us": event_us[rows],
                "event_id": events["event_id"].take(rows).to_numpy(),
                "event_name": events["event_name"].take(rows).to_numpy(),
                "user_id": events["user_id"].take(rows).to_numpy(),
                "row": rows,
            }
        ).sort_values(
            ["partition", "event_us", "event_id", "event_name", "user_id"],
            na_position="last",
            kind="stable",
        )
        order[positions] = ties["row"].to_numpy()
    return order, partition, uniques


def _block_ends(starts: np.ndarray, n: int) -> np.ndarray:
    """The last position of each block, given the first positions of the blocks of 0..n-1."""
    return np.append(starts[1:], n)[: len(starts)] - 1


def _forward_filled_index(present: np.ndarray) -> np.ndarray:
    """Per position, the last position <= it where ``present`` is true (-1 if none)."""
    return np.maximum.accumulate(np.where(present, np.arange(len(present)), -1))


def _sessions(events: pd.DataFrame, config: Config) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """fct_sessions, plus the microsecond arrays the reports need (spans, counted gaps)."""
    order, partition_codes, partition_values = _partition_order(events)
    n = len(order)
    partition = partition_codes[order]
    us = events["event_us"].to_numpy()[order]
    background_names = config.background_names()
    is_background = (
        events["event_name"].str.lower().isin(background_names).to_numpy(dtype=bool)[order]
    )

    new_partition = np.ones(n, dtype=bool)
    new_partition[1:] = partition[1:] != partition[:-1]
    gap = np.zeros(n, dtype=np.int64)
    gap[1:] = us[1:] - us[:-1]
    previous_background = np.zeros(n, dtype=bool)
    previous_background[1:] = is_background[:-1]
    timeout = np.where(
        previous_background,
        threshold_us(config.background_timeout_minutes),
        threshold_us(config.session_timeout_minutes),
    )
    timeout_start = new_partition | (gap > timeout)
    start_rows = np.flatnonzero(timeout_start)
    timeout_id = np.cumsum(timeout_start) - 1
    end_rows = _block_ends(start_rows, n)
    timeout_start_us = us[start_rows][timeout_id]
    timeout_end_us = us[end_rows][timeout_id]
    cap = threshold_us(config.max_session_minutes)
    elapsed = us - timeout_start_us
    pieces = elapsed // cap if isinstance(cap, int) else np.floor(elapsed / cap).astype(np.int64)
    piece = np.where(timeout_end_us - timeout_start_us > cap, pieces, 0)
    session_start = timeout_start.copy()
    session_start[1:] |= piece[1:] != piece[:-1]
    foreground_gap = np.where(session_start | previous_background, 0, gap)

    starts = np.flatnonzero(session_start)
    ends = _block_ends(starts, n)
    user_present = events["user_id"].notna().to_numpy()[order]
    last_user_rows = _forward_filled_index(user_present)
    last_user_row = last_user_rows[ends]
    own_user = last_user_row >= starts
    foreground_cum = np.cumsum(foreground_gap)

    # the partition's latest user, for sessions without a user of their own
    session_partition = partition[starts]
    first_of_partition = np.ones(len(starts), dtype=bool)
    first_of_partition[1:] = session_partition[1:] != session_partition[:-1]
    partition_id = np.cumsum(first_of_partition) - 1
    partition_end_rows = _block_ends(np.flatnonzero(first_of_partition), len(starts))
    partition_first_event = starts[first_of_partition]
    last_event_of_partition = ends[partition_end_rows]
    latest = last_user_rows[last_event_of_partition]
    latest = np.where(latest >= partition_first_event, latest, -1)[partition_id]
    user_row = np.where(own_user, last_user_row, latest)
    user_ids = events["user_id"].take(order[np.maximum(user_row, 0)]).to_numpy()
    user_ids[user_row < 0] = None

    has_device = (session_partition % 2).astype(bool)
    keys = np.asarray(partition_values, dtype=object)[session_partition // 2]
    start_us, end_us = us[starts], us[ends]
    session_ids = [
        hashlib.md5(f"{'device' if device else 'user'}:{key}|{start}".encode()).hexdigest()
        for device, key, start in zip(
            has_device.tolist(), keys.tolist(), start_us.tolist(), strict=True
        )
    ]
    session_number = np.arange(len(starts)) - np.flatnonzero(first_of_partition)[partition_id] + 1
    device_ids = pd.Series(np.where(has_device, keys, None), dtype=STRING)
    user_series = pd.Series(user_ids, dtype=STRING)
    start_at = pd.Series(start_us.astype("datetime64[us]"))
    duration_us = end_us - start_us
    foreground_us = foreground_cum[ends] - foreground_cum[starts]
    sessions = pd.DataFrame(
        {
            "session_id": pd.Series(session_ids, dtype=STRING),
            "device_id": device_ids,
            "user_id": user_series,
            "user_key": user_series.fillna("device:" + device_ids),
            "session_start_at": start_at,
            "session_end_at": pd.Series(end_us.astype("datetime64[us]")),
            "duration_seconds": duration_us / US_PER_SECOND,
            "foreground_seconds": foreground_us / US_PER_SECOND,
            "event_count": (ends - starts + 1).astype(np.int64),
            "session_date": _local_dates(start_at, config.reporting_timezone),
            "platform": events["platform"].take(order[starts]).reset_index(drop=True),
            "app_version": events["app_version"].take(order[starts]).reset_index(drop=True),
            "session_number": session_number.astype(np.int64),
        }
    )
    gaps = foreground_gap > 0
    internals = {
        "start_us": start_us,
        "end_us": end_us,
        "duration_us": duration_us,
        "foreground_us": foreground_us,
        "gap_start_us": (us - foreground_gap)[gaps],
        "gap_end_us": us[gaps],
    }
    return sessions, internals


def _local(utc: pd.Series, timezone: str) -> pd.Series:
    """Naive wall-clock time in ``timezone`` of naive UTC datetimes."""
    if timezone == "UTC":
        return utc
    return utc.dt.tz_localize("UTC").dt.tz_convert(timezone).dt.tz_localize(None)


def _local_dates(utc: pd.Series, timezone: str) -> pd.Series:
    days = _local(utc, timezone).to_numpy().astype("datetime64[D]")
    return pd.Series(pa.array(days, type=pa.date32()), dtype=pd.ArrowDtype(pa.date32()))


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def _reports(sessions: pd.DataFrame, internals: dict[str, np.ndarray]):
    day = sessions["session_date"].to_numpy().astype("datetime64[D]")
    weekday = (day.view(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    starts = {
        "day": day,
        "week": day - weekday.astype("timedelta64[D]"),
        "month": day.astype("datetime64[M]").astype("datetime64[D]"),
    }
    frames = [
        pd.DataFrame(
            {
                "period": period,
                "period_start": starts[period],
                "user_key": sessions["user_key"],
                "duration_us": internals["duration_us"],
                "foreground_us": internals["foreground_us"],
                "duration_seconds": sessions["duration_seconds"],
            }
        )
        for period in PERIODS
    ]
    grouped = (
        pd.concat(frames, ignore_index=True)
        .groupby(["period", "period_start"], sort=False)
        .agg(
            sessions=("duration_us", "size"),
            active_users=("user_key", "nunique"),
            duration_sum=("duration_us", "sum"),
            foreground_sum=("foreground_us", "sum"),
            median_duration_seconds=("duration_seconds", "median"),
        )
        .reset_index()
    )
    grouped["period_start"] = grouped["period_start"].dt.date
    grouped = grouped.sort_values(
        ["period", "period_start"], key=lambda c: c.map(PERIODS.index) if c.name == "period" else c
    ).reset_index(drop=True)
    sessions_count = grouped["sessions"].astype(np.int64)
    per_user = pd.DataFrame(
        {
            "period": grouped["period"],
            "period_start": grouped["period_start"],
            "active_users": grouped["active_users"].astype(np.int64),
            "sessions": sessions_count,
            "sessions_per_user": sessions_count / grouped["active_users"],
        }
    )
    duration = pd.DataFrame(
        {
            "period": grouped["period"],
            "period_start": grouped["period_start"],
            "sessions": sessions_count,
            "avg_duration_seconds": grouped["duration_sum"] / sessions_count / 1e6,
            "median_duration_seconds": grouped["median_duration_seconds"],
            "avg_foreground_seconds": grouped["foreground_sum"] / sessions_count / 1e6,
            "total_duration_seconds": grouped["duration_sum"] / US_PER_SECOND,
            "total_foreground_seconds": grouped["foreground_sum"] / US_PER_SECOND,
        }
    )
    return per_user, duration


def _add_hour_shares(totals: np.ndarray, start: np.ndarray, end: np.ndarray, first: int) -> None:
    """Add to ``totals`` (int64 per hour from hour ``first``) the microseconds of each interval
    [start, end] inside each hour: the two end hours directly, the full hours between through a
    difference array."""
    first_hour = start // US_PER_HOUR - first
    last_hour = end // US_PER_HOUR - first
    same = first_hour == last_hour
    first_part = np.where(same, end - start, (first_hour + first + 1) * US_PER_HOUR - start)
    np.add.at(totals, first_hour, first_part)
    np.add.at(totals, last_hour[~same], end[~same] - (last_hour[~same] + first) * US_PER_HOUR)
    full = np.zeros(len(totals) + 1, dtype=np.int64)
    np.add.at(full, first_hour[~same] + 1, 1)
    np.add.at(full, last_hour[~same], -1)
    totals += np.cumsum(full[:-1]) * US_PER_HOUR


def _hourly(internals: dict[str, np.ndarray], config: Config) -> pd.DataFrame:
    start, end = internals["start_us"], internals["end_us"]
    if len(start) == 0:
        return pd.DataFrame(
            columns=[
                "hour_start_utc",
                "hour_of_day",
                "day_of_week",
                "active_sessions",
                "session_seconds",
                "foreground_seconds",
            ]
        )
    first = int(start.min()) // US_PER_HOUR
    last = int(end.max()) // US_PER_HOUR
    hours = last - first + 1
    active = np.zeros(hours + 1, dtype=np.int64)
    np.add.at(active, start // US_PER_HOUR - first, 1)
    np.add.at(active, end // US_PER_HOUR - first + 1, -1)
    session_us = np.zeros(hours, dtype=np.int64)
    _add_hour_shares(session_us, start, end, first)
    foreground_us = np.zeros(hours, dtype=np.int64)
    _add_hour_shares(foreground_us, internals["gap_start_us"], internals["gap_end_us"], first)
    hour_start = pd.Series(
        ((np.arange(hours, dtype=np.int64) + first) * US_PER_HOUR).astype("datetime64[us]")
    )
    local = _local(hour_start, config.reporting_timezone)
    return pd.DataFrame(
        {
            "hour_start_utc": hour_start,
            "hour_of_day": local.dt.hour.astype(np.int32),
            "day_of_week": (local.dt.day_of_week + 1).astype(np.int32),
            "active_sessions": np.cumsum(active[:-1]),
            "session_seconds": session_us / US_PER_SECOND,
            "foreground_seconds": foreground_us / US_PER_SECOND,
        }
    )


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def build(events_glob: str, config: Config | None = None) -> dict[str, pd.DataFrame]:
    """Run the contract on the files matching ``events_glob``; every output as a DataFrame.

    ``fct_sessions`` has the dbt model's columns; ``rejected_events`` is one row per reject
    reason with the number of raw rows it rejected.
    """
    config = config or Config()
    frame, native = _read(_files(events_glob))
    reason, clean = _cleaned(frame, native, config)
    del frame, native
    rejected = [int((reason == code).sum()) for code in range(1, 5)]
    kept = _kept(clean, reason)
    rejected.append(int((reason == 0).sum()) - int(kept.sum()))
    events = clean.drop(columns="received_us")[kept].reset_index(drop=True)
    del clean, kept
    sessions, internals = _sessions(events, config)
    del events
    per_user, duration = _reports(sessions, internals)
    return {
        "fct_sessions": sessions,
        "rpt_sessions_per_user": per_user,
        "rpt_session_duration": duration,
        "rpt_session_time_hourly": _hourly(internals, config),
        "rejected_events": pd.DataFrame(
            {"reject_reason": list(REJECT_REASONS), "rows": np.array(rejected, dtype=np.int64)}
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    events_glob, config = parse_cli(argv, "Sessions contract in pandas: one JSON summary line.")
    sessions = build(events_glob, config)["fct_sessions"]
    print_summary(
        len(sessions),
        sessions["duration_seconds"].sum(),
        sessions["foreground_seconds"].sum(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
