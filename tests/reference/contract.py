"""Plain-Python reference implementation of the sessions contract (docs/contract.md).

This module is written from the contract text alone, independently of the dbt models, so that
``tests/test_pipeline_vs_reference.py`` can compare the two value by value. Every function is
named after the contract section it implements and quotes the rule in its docstring.

Internally every instant is an ``int`` of microseconds since the Unix epoch (UTC); durations and
gaps are integer microseconds and are divided by 1e6 only when an output row is built.

Readings of the contract where it is silent or ambiguous (see also the module constants):

* "Strings are trimmed": the characters trimmed are ASCII whitespace (``WHITESPACE``: space,
  tab, LF, VT, FF, CR). Non-ASCII characters such as U+00A0 are never trimmed.
* Dedupe keeper: after the contract's tie-breakers, remaining ties are broken by the raw text of
  ``event_id``, ``device_id``, ``user_id``, ``event_name``, ``platform``, ``app_version``
  (nulls last), so that the row sent to ``rejected_events`` is also chosen by content only.
* "latest non-null user_id of the partition" is the last non-null one in the partition order.
* A timestamp that is valid text but falls outside years 1-9999 once converted to UTC (only
  possible with an offset at 0001-01-01 or 9999-12-31) is treated as "not a timestamp".
"""

from __future__ import annotations

import hashlib
import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from fractions import Fraction
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytz

INPUT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "device_id",
    "user_id",
    "event_name",
    "event_timestamp",
    "received_at",
    "platform",
    "app_version",
    "timezone",
)
"""The raw input columns, in contract order."""

EPOCH_UNITS_US: dict[str, int] = {"s": 1_000_000, "ms": 1_000, "us": 1, "ns": 1}
"""Microseconds per unit of the epoch numbers a column may be declared to hold ("ns" divides)."""

WHITESPACE = " \t\n\r\v\f"
"""Characters removed by "Strings are trimmed" (ASCII whitespace)."""

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
EPOCH = datetime(1970, 1, 1)
_MIN_US = (datetime(1, 1, 1) - EPOCH) // timedelta(microseconds=1)
_MAX_US = (datetime(9999, 12, 31, 23, 59, 59, 999999) - EPOCH) // timedelta(microseconds=1)

REJECT_REASONS: tuple[str, ...] = (
    "not_an_event",
    "missing_event_name",
    "missing_identity",
    "invalid_timestamp",
    "future_timestamp",
    "duplicate",
)
PERIODS: tuple[str, ...] = ("day", "week", "month")


@dataclass(frozen=True)
class Config:
    """The contract's dbt vars (``events_path`` excepted), with the contract defaults."""

    session_timeout_minutes: float = 30
    background_timeout_minutes: float = 30
    background_event_names: tuple[str, ...] = ("app_background",)
    max_session_minutes: float = 1440
    max_clock_skew_minutes: float = 60
    reporting_timezone: str = "UTC"
    epoch_units: tuple[tuple[str, str], ...] = ()
    """(column, unit) pairs: the timestamp columns that may hold numbers since the epoch."""
    engagement_daily_min_active_days: int = 20
    engagement_weekly_min_active_days: int = 4
    engagement_monthly_min_active_days: int = 1


DEFAULT_CONFIG = Config()
"""The contract defaults."""


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def to_datetime(us: int) -> datetime:
    """Naive UTC ``datetime`` of an instant in microseconds since the epoch."""
    return EPOCH + timedelta(microseconds=us)


def to_us(value: datetime) -> int:
    """Microseconds since the epoch of a naive UTC ``datetime``."""
    return (value - EPOCH) // timedelta(microseconds=1)


def _nulls_last(value: Any) -> tuple[bool, Any]:
    """Sort key putting ``None`` after every value (SQL ``NULLS LAST``)."""
    return (value is None, "" if value is None else value)


def _seconds(us: int) -> float:
    """Seconds (double) from integer microseconds, divided only at the end."""
    return us / 1e6


# --------------------------------------------------------------------------------------------
# Input columns: read as text, trim, blank -> null
# --------------------------------------------------------------------------------------------


def render_native_timestamp(value: datetime) -> str:
    """The text of a native timestamp where the contract shows one (the quarantine, and the
    raw text that orders copies of an event): its UTC value in the usual export form.

    "A native timestamp is used as it is, never formatted to text and parsed again; where
    its text is shown, it is ``YYYY-MM-DDThh:mm:ss.ffffffZ`` of its UTC value." A naive value
    is UTC; an aware value is converted to UTC.
    """
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}Z"
    )


def read_as_text(value: Any) -> str | None:
    """The raw column value as text, exactly as read (not trimmed); ``None`` stays null."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return render_native_timestamp(value)
    return value if isinstance(value, str) else str(value)


def clean_text(raw: str | None) -> str | None:
    """ "Strings are trimmed; an empty or all-blank string is null." """
    if raw is None:
        return None
    trimmed = raw.strip(WHITESPACE)
    return trimmed or None


# --------------------------------------------------------------------------------------------
# Timestamps
# --------------------------------------------------------------------------------------------

_TIMESTAMP = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})"
    r"[Tt ]"
    r"(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})"
    r"(?::(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]{1,9}))?)?"
    r"(?:(?P<z>[Zz])|(?P<sign>[+-])(?P<oh>[0-9]{2})(?::?(?P<om>[0-9]{2}))?)?"
)


_EPOCH_NUMBER = re.compile(r"(?P<int>[0-9]{1,30})(?:\.(?P<f>[0-9]{1,9}))?")


def parse_epoch_number(text: str, unit: str) -> int | None:
    """A column declared to hold epoch numbers of a unit (``s``, ``ms``, ``us``, ``ns``) also
    accepts digits with an optional fraction, ``1710497098`` or ``1710497098.5``: that many
    units since 1970-01-01 UTC, truncated to microseconds; nothing after 9999-12-31."""
    match = _EPOCH_NUMBER.fullmatch(text)
    if match is None:
        return None
    whole = int(match["int"])
    if unit == "ns":
        us = whole // 1000
    else:
        per_unit = EPOCH_UNITS_US[unit]
        fraction = (match["f"] or "")[: len(str(per_unit)) - 1].ljust(len(str(per_unit)) - 1, "0")
        us = whole * per_unit + (int(fraction) if per_unit > 1 else 0)
    return us if us <= _MAX_US else None


def parse_timestamp(text: str | None, epoch_unit: str | None = None) -> int | None:
    """Parse a (trimmed) timestamp string into UTC microseconds, or ``None``.

    "ISO-8601 strings of the form ``YYYY-MM-DD[T| ]hh:mm[:ss[.f{1,9}]][Z|±hh|±hhmm|±hh:mm]``
    (``T`` and ``Z`` in either case; hour 00-23, minute and second 00-59, offset hour 00-23 and
    minute 00-59). With an offset or ``Z`` the value is converted to UTC; without one it is UTC.
    Fractions are truncated to microseconds. Anything else (a date without a time, ``24:00``, a
    leap second, an impossible date such as February 30, epoch numbers) is not a timestamp."
    """
    if text is None:
        return None
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None if epoch_unit is None else parse_epoch_number(text, epoch_unit)
    hour, minute = int(match["h"]), int(match["mi"])
    second = int(match["s"] or 0)
    offset_hour, offset_minute = int(match["oh"] or 0), int(match["om"] or 0)
    if hour > 23 or minute > 59 or second > 59 or offset_hour > 23 or offset_minute > 59:
        return None
    try:
        day = datetime(int(match["y"]), int(match["mo"]), int(match["d"]))
    except ValueError:  # February 30, month 13, year 0000, ...
        return None
    micros = int((match["f"] or "")[:6].ljust(6, "0"))
    local_us = to_us(day) + ((hour * 60 + minute) * 60 + second) * US_PER_SECOND + micros
    offset_us = (offset_hour * 60 + offset_minute) * US_PER_MINUTE
    utc_us = local_us - offset_us if match["sign"] == "+" else local_us + offset_us
    if not _MIN_US <= utc_us <= _MAX_US:
        return None
    return utc_us


# --------------------------------------------------------------------------------------------
# Cleaning: every raw row ends in exactly one place
# --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    """One raw row: its raw text, cleaned text and parsed instants."""

    position: int
    is_event: bool
    raw: dict[str, str | None]
    clean: dict[str, str | None]
    event_us: int | None
    received_us: int | None


def read_row(position: int, raw_row: dict[str, Any], config: Config = None) -> _Row:
    """Read one raw row: every input column as text, cleaned, both timestamps parsed.

    "A missing optional column reads as null." "An unparseable ``received_at`` is treated as
    unknown (null); it is not a reason to reject the row."
    """
    raw = {column: read_as_text(raw_row.get(column)) for column in INPUT_COLUMNS}
    clean = {column: clean_text(raw[column]) for column in INPUT_COLUMNS}
    units = dict((config or DEFAULT_CONFIG).epoch_units)
    return _Row(
        position=position,
        is_event=raw_row.get("is_event", True) is not False,
        raw=raw,
        clean=clean,
        event_us=parse_timestamp(clean["event_timestamp"], units.get("event_timestamp")),
        received_us=parse_timestamp(clean["received_at"], units.get("received_at")),
    )


def first_failing_rule(row: _Row, config: Config) -> str | None:
    """Rules 1-4 of the cleaning, in order; the first rule that fails decides the reason.

    0. ``not_an_event``: the export marks the row as no event (``is_event`` false: an
       identify call of a vendor format).
    1. ``missing_event_name``: ``event_name`` is null after trimming.
    2. ``missing_identity``: ``device_id`` and ``user_id`` are both null.
    3. ``invalid_timestamp``: ``event_timestamp`` is null or not a timestamp.
    4. ``future_timestamp``: ``received_at`` is known and ``event_timestamp`` is strictly later
       than ``received_at + max_clock_skew_minutes``.
    """
    if not row.is_event:
        return "not_an_event"
    if row.clean["event_name"] is None:
        return "missing_event_name"
    if row.clean["device_id"] is None and row.clean["user_id"] is None:
        return "missing_identity"
    if row.event_us is None:
        return "invalid_timestamp"
    if row.received_us is not None and (
        row.event_us - row.received_us > config.max_clock_skew_minutes * US_PER_MINUTE
    ):
        return "future_timestamp"
    return None


def duplicate_group_key(row: _Row) -> tuple[Any, ...]:
    """Rule 5 grouping: "rows with the same ``event_id`` (or, where ``event_id`` is null, the
    same ``device_id``, ``user_id``, ``event_name`` and event time, nulls comparing equal)"."""
    clean = row.clean
    if clean["event_id"] is not None:
        return ("event_id", clean["event_id"])
    return ("content", clean["device_id"], clean["user_id"], clean["event_name"], row.event_us)


def duplicate_keeper_order(row: _Row) -> tuple[Any, ...]:
    """Rule 5 keeper order: "The kept row is the first by: earliest ``received_at`` (nulls
    last), earliest event time, then the cleaned ``device_id``, ``user_id``, ``event_name``,
    ``platform``, ``app_version`` (nulls last), then the raw text of ``event_timestamp`` and
    ``received_at`` (nulls last)."

    Extension (the contract says rows still tied are identical, which is not true of their raw
    padding): then the raw text of the other input columns, nulls last, so the choice depends
    only on content.
    """
    clean, raw = row.clean, row.raw
    return (
        _nulls_last(row.received_us),
        row.event_us,
        *(
            _nulls_last(clean[c])
            for c in ("device_id", "user_id", "event_name", "platform", "app_version", "timezone")
        ),
        _nulls_last(raw["event_timestamp"]),
        _nulls_last(raw["received_at"]),
        *(
            _nulls_last(raw[c])
            for c in (
                "event_id",
                "device_id",
                "user_id",
                "event_name",
                "platform",
                "app_version",
                "timezone",
            )
        ),
    )


def dedupe(rows: list[_Row]) -> tuple[list[_Row], list[_Row]]:
    """Rule 5 ``duplicate``: keep the first row of each duplicate group; return (kept, dropped).

    "Among the rows that passed 1-4, rows with the same event_id (...) keep one row."
    """
    groups: dict[tuple[Any, ...], list[_Row]] = defaultdict(list)
    for row in rows:
        groups[duplicate_group_key(row)].append(row)
    kept: list[_Row] = []
    dropped: list[_Row] = []
    for group in groups.values():
        if len(group) > 1:
            group.sort(key=duplicate_keeper_order)
        kept.append(group[0])
        dropped.extend(group[1:])
    kept.sort(key=lambda r: r.position)
    dropped.sort(key=lambda r: r.position)
    return kept, dropped


def rejected_row(row: _Row, reason: str) -> dict[str, Any]:
    """A ``rejected_events`` row: "every raw column as read, as text, plus ``reject_reason``"."""
    return {**row.raw, "reject_reason": reason}


def staged_row(row: _Row) -> dict[str, Any]:
    """A ``int_events_clean`` row: the cleaned columns, timestamps as naive UTC datetimes."""
    clean = row.clean
    assert row.event_us is not None
    return {
        "event_id": clean["event_id"],
        "device_id": clean["device_id"],
        "user_id": clean["user_id"],
        "event_name": clean["event_name"],
        "event_at": to_datetime(row.event_us),
        "received_at": None if row.received_us is None else to_datetime(row.received_us),
        "platform": clean["platform"],
        "app_version": clean["app_version"],
        "timezone": clean["timezone"],
    }


def clean_events(
    raw_rows: list[dict[str, Any]], config: Config
) -> tuple[list[_Row], list[dict[str, Any]]]:
    """Cleaning: "every raw row ends in exactly one place", stg (kept rows) or rejected."""
    passed: list[_Row] = []
    rejected: list[tuple[int, dict[str, Any]]] = []
    for position, raw_row in enumerate(raw_rows):
        row = read_row(position, raw_row, config)
        reason = first_failing_rule(row, config)
        if reason is None:
            passed.append(row)
        else:
            rejected.append((position, rejected_row(row, reason)))
    kept, dropped = dedupe(passed)
    rejected.extend((row.position, rejected_row(row, "duplicate")) for row in dropped)
    rejected.sort(key=lambda item: item[0])
    return kept, [item[1] for item in rejected]


# --------------------------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Time zones
# --------------------------------------------------------------------------------------------

TIMEZONE_NAMES: frozenset[str] = frozenset(pytz.all_timezones)
"""The tz database names the contract accepts: "the list pytz ships" (zones and links)."""


def fixed_offset_minutes(text: str) -> int | None:
    """Minutes east of UTC of a fixed offset: "``Z``, ``+HH:MM`` or ``+HHMM`` (either sign),
    at most 14:00 either way"; ``None`` for any other text."""
    if text == "Z":
        return 0
    if len(text) == 6 and text[3] == ":":
        digits = text[1:3] + text[4:]
    elif len(text) == 5:
        digits = text[1:]
    else:
        return None
    if text[0] not in "+-" or not all(c in "0123456789" for c in digits):
        return None
    hours, minutes = int(digits[:2]), int(digits[2:])
    if minutes > 59 or hours * 60 + minutes > 14 * 60:
        return None
    return -(hours * 60 + minutes) if text[0] == "-" else hours * 60 + minutes


def valid_timezone(text: str | None) -> str | None:
    """Time zone per event: the trimmed text when it is a tz database name (exactly as
    written) or a fixed offset; "a value that is neither is treated as absent"."""
    if text is None:
        return None
    if text in TIMEZONE_NAMES or fixed_offset_minutes(text) is not None:
        return text
    return None


def zone_info(text: str) -> tzinfo:
    """The ``tzinfo`` of a valid zone text."""
    minutes = fixed_offset_minutes(text)
    if minutes is not None:
        return timezone(timedelta(minutes=minutes))
    return ZoneInfo(text)


def local_us(us: int, zone: tzinfo) -> int:
    """The local wall-clock time of an instant, as microseconds since 1970-01-01 00:00."""
    return to_us(local_time(us, zone).replace(tzinfo=None))


def local_hour_parts(start_us: int, end_us: int, zone: tzinfo) -> list[tuple[int, int, int]]:
    """[start, end] split at the local hour boundaries of ``zone``: (ISO weekday, hour of day,
    microseconds) of each part, in local time. Computed by whole UTC minutes: every offset
    (fixed or of the tz database since 1972) and every change of offset falls on a whole
    minute, so each minute lies inside one local hour."""
    parts: list[tuple[int, int, int]] = []
    t = start_us
    while t < end_us:
        step_end = min(end_us, (t // US_PER_MINUTE + 1) * US_PER_MINUTE)
        local = local_time(t, zone)
        parts.append((local.isoweekday(), local.hour, step_end - t))
        t = step_end
    return parts


@dataclass
class _Event:
    """A clean event as sessionization sees it."""

    event_us: int
    event_id: str | None
    event_name: str
    user_id: str | None
    platform: str | None
    app_version: str | None
    is_background: bool
    timezone: str | None = None
    """The event's valid time zone, else ``None``."""


def partition_key(row: _Row) -> tuple[str, str]:
    """Partition: "events are partitioned by ``device_id``; events with no ``device_id`` are
    partitioned by ``user_id`` (a separate namespace: device ``x`` and user ``x`` never share
    sessions)"."""
    device_id, user_id = row.clean["device_id"], row.clean["user_id"]
    if device_id is not None:
        return ("device", device_id)
    assert user_id is not None
    return ("user", user_id)


def event_order(event: _Event) -> tuple[Any, ...]:
    """Order: "by event time, then ``event_id`` (nulls last), then ``event_name``, then
    ``user_id`` (nulls last)"."""
    return (
        event.event_us,
        _nulls_last(event.event_id),
        event.event_name,
        _nulls_last(event.user_id),
    )


def is_background_event(event_name: str, config: Config) -> bool:
    """ "A background event (its name, lower-cased, is in ``background_event_names``,
    lower-cased)"."""
    return event_name.lower() in {
        name.strip(WHITESPACE).lower() for name in config.background_event_names
    }


def split_sessions(events: list[_Event], config: Config) -> list[list[_Event]]:
    """Split: "A device's first event starts a session. Every later event starts a new session
    when the gap from the previous event is strictly greater than the threshold:
    ``background_timeout_minutes`` when the previous event is a background event, otherwise
    ``session_timeout_minutes``. A gap exactly equal to the threshold continues the session.
    Gaps are compared in microseconds."
    """
    sessions: list[list[_Event]] = []
    previous: _Event | None = None
    for event in events:
        if previous is None:
            sessions.append([event])
        else:
            timeout = (
                config.background_timeout_minutes
                if previous.is_background
                else config.session_timeout_minutes
            )
            gap_us = event.event_us - previous.event_us
            if gap_us > timeout * US_PER_MINUTE:
                sessions.append([event])
            else:
                sessions[-1].append(event)
        previous = event
    return sessions


def cap_session(session: list[_Event], config: Config) -> list[list[_Event]]:
    """Cap: "A session from the split rule whose duration is strictly longer than
    ``max_session_minutes`` is cut into consecutive pieces: each event goes to piece
    ``floor((event time - session's first event time) / cap)``. Every non-empty piece is a
    session. A session lasting exactly the cap is not cut."
    """
    cap_us = config.max_session_minutes * US_PER_MINUTE
    first_us = session[0].event_us
    if session[-1].event_us - first_us <= cap_us:
        return [session]
    exact_cap = Fraction(cap_us)
    pieces: dict[int, list[_Event]] = {}
    for event in session:
        piece = math.floor(Fraction(event.event_us - first_us) / exact_cap)
        pieces.setdefault(piece, []).append(event)
    return [pieces[index] for index in sorted(pieces)]


def duration_us(session: list[_Event]) -> int:
    """Durations: "``duration_seconds`` = last event time - first event time (0 for one
    event)"."""
    return session[-1].event_us - session[0].event_us


def counted_gaps(session: list[_Event]) -> list[tuple[int, int]]:
    """The gaps that count as foreground time, as [start, end] microsecond intervals:
    "the gaps between consecutive events of the session, leaving out each gap that follows a
    background event"."""
    return [
        (previous.event_us, event.event_us)
        for previous, event in pairwise(session)
        if not previous.is_background
    ]


def foreground_us(session: list[_Event]) -> int:
    """Durations: "``foreground_seconds`` = the sum of the gaps between consecutive events of
    the session, leaving out each gap that follows a background event"."""
    return sum(end - start for start, end in counted_gaps(session))


def session_user_id(session: list[_Event], partition_events: list[_Event]) -> str | None:
    """User: "The session's ``user_id`` is the last non-null ``user_id`` among its events (in
    the order above); failing that, the latest non-null ``user_id`` of the partition over all
    its events; else null."
    """
    for events in (session, partition_events):
        for event in reversed(events):
            if event.user_id is not None:
                return event.user_id
    return None


def session_id(partition: tuple[str, str], start_us: int) -> str:
    """Identity: "``session_id`` = md5 of ``'device:' || device_id`` (or ``'user:' ||
    user_id`` for a partition without device) ``|| '|' ||`` the session start as integer
    microseconds since the Unix epoch, e.g. ``md5('device:d-1|1704103200000000')``"."""
    kind, key = partition
    text = f"{kind}:{key}|{start_us}"
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def session_timezone(session: list[_Event], partition_events: list[_Event], config: Config) -> str:
    """Time zone: "A session's zone is the last valid zone among its events in contract order,
    else the last valid zone among all the device's events, else ``reporting_timezone``"."""
    for events in (session, partition_events):
        for event in reversed(events):
            if event.timezone is not None:
                return event.timezone
    return config.reporting_timezone


def session_date(start_us: int, zone: tzinfo) -> date:
    """ "``session_date`` (date of the start in ``reporting_timezone``)"."""
    return local_time(start_us, zone).date()


def local_time(us: int, zone: tzinfo) -> datetime:
    """The wall-clock time of an instant in a time zone."""
    return to_datetime(us).replace(tzinfo=UTC).astimezone(zone)


@dataclass
class _Session:
    """A finished session with the data the report tables need beyond its fct row."""

    row: dict[str, Any]
    start_us: int
    end_us: int
    duration_us: int
    foreground_us: int
    gaps: list[tuple[int, int]]
    zone: tzinfo


def sessionize_partition(
    partition: tuple[str, str], events: list[_Event], config: Config, zone: ZoneInfo
) -> list[_Session]:
    """All sessions of one partition: order, split, cap, then one fct row per piece.

    Numbering: "``session_number`` is 1 for the partition's first session (by start), then 2,
    ...". ``platform``, ``app_version`` are those "of the first event".
    """
    events.sort(key=event_order)
    pieces = [
        piece
        for session in split_sessions(events, config)
        for piece in cap_session(session, config)
    ]
    pieces.sort(key=lambda piece: piece[0].event_us)
    kind, key = partition
    device_id = key if kind == "device" else None
    result = []
    for number, piece in enumerate(pieces, start=1):
        start_us, end_us = piece[0].event_us, piece[-1].event_us
        user_id = session_user_id(piece, events)
        user_key = user_id if user_id is not None else f"device:{device_id}"
        gaps = counted_gaps(piece)
        timezone_text = session_timezone(piece, events, config)
        own_zone = zone_info(timezone_text)
        row = {
            "session_id": session_id(partition, start_us),
            "device_id": device_id,
            "user_id": user_id,
            "user_key": user_key,
            "session_start_at": to_datetime(start_us),
            "session_end_at": to_datetime(end_us),
            "duration_seconds": _seconds(duration_us(piece)),
            "foreground_seconds": _seconds(foreground_us(piece)),
            "event_count": len(piece),
            "session_date": session_date(start_us, zone),
            "platform": piece[0].platform,
            "app_version": piece[0].app_version,
            "session_number": number,
            "session_timezone": timezone_text,
            "session_start_local": to_datetime(local_us(start_us, own_zone)),
        }
        result.append(
            _Session(
                row, start_us, end_us, duration_us(piece), foreground_us(piece), gaps, own_zone
            )
        )
    return result


def build_sessions(kept: list[_Row], config: Config) -> list[_Session]:
    """Sessions for every partition, ordered by partition then start."""
    zone = ZoneInfo(config.reporting_timezone)
    partitions: dict[tuple[str, str], list[_Event]] = defaultdict(list)
    for row in kept:
        assert row.event_us is not None and row.clean["event_name"] is not None
        partitions[partition_key(row)].append(
            _Event(
                event_us=row.event_us,
                event_id=row.clean["event_id"],
                event_name=row.clean["event_name"],
                user_id=row.clean["user_id"],
                platform=row.clean["platform"],
                app_version=row.clean["app_version"],
                is_background=is_background_event(row.clean["event_name"], config),
                timezone=valid_timezone(row.clean["timezone"]),
            )
        )
    sessions: list[_Session] = []
    for partition in sorted(partitions):
        sessions.extend(sessionize_partition(partition, partitions[partition], config, zone))
    return sessions


# --------------------------------------------------------------------------------------------
# Report tables
# --------------------------------------------------------------------------------------------


def period_start(period: str, day: date) -> date:
    """Start of the period containing ``day`` ("weeks start on Monday")."""
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    raise ValueError(period)


def _sessions_by_period(sessions: list[_Session]) -> dict[tuple[str, date], list[_Session]]:
    """Sessions grouped by (period, period_start) of their ``session_date``, in report order."""
    groups: dict[tuple[str, date], list[_Session]] = defaultdict(list)
    for session in sessions:
        for period in PERIODS:
            groups[(period, period_start(period, session.row["session_date"]))].append(session)
    return {key: groups[key] for key in sorted(groups, key=lambda k: (PERIODS.index(k[0]), k[1]))}


def rpt_sessions_per_user(sessions: list[_Session]) -> list[dict[str, Any]]:
    """``rpt_sessions_per_user``: "``active_users`` (distinct ``user_key`` with a session
    whose ``session_date`` falls in the period), ``sessions``, ``sessions_per_user``
    (= sessions / active_users). Only periods with sessions appear."
    """
    rows = []
    for (period, start), group in _sessions_by_period(sessions).items():
        active_users = len({session.row["user_key"] for session in group})
        rows.append(
            {
                "period": period,
                "period_start": start,
                "active_users": active_users,
                "sessions": len(group),
                "sessions_per_user": len(group) / active_users,
            }
        )
    return rows


def rpt_session_duration(sessions: list[_Session]) -> list[dict[str, Any]]:
    """``rpt_session_duration``: per period, ``sessions``, ``avg_duration_seconds``,
    ``median_duration_seconds`` (interpolated median), ``avg_foreground_seconds``,
    ``total_duration_seconds``, ``total_foreground_seconds`` (sums of integer microseconds)."""
    rows = []
    for (period, start), group in _sessions_by_period(sessions).items():
        count = len(group)
        duration_sum = sum(session.duration_us for session in group)
        foreground_sum = sum(session.foreground_us for session in group)
        rows.append(
            {
                "period": period,
                "period_start": start,
                "sessions": count,
                "avg_duration_seconds": duration_sum / count / 1e6,
                "median_duration_seconds": statistics.median(
                    _seconds(session.duration_us) for session in group
                ),
                "avg_foreground_seconds": foreground_sum / count / 1e6,
                "total_duration_seconds": _seconds(duration_sum),
                "total_foreground_seconds": _seconds(foreground_sum),
            }
        )
    return rows


def _add_overlaps(totals: dict[int, int], start_us: int, end_us: int) -> None:
    """Add, per UTC hour, the microseconds of [start_us, end_us] inside that hour."""
    hour = start_us // US_PER_HOUR * US_PER_HOUR
    while hour < end_us:
        totals[hour] += min(end_us, hour + US_PER_HOUR) - max(start_us, hour)
        hour += US_PER_HOUR


def rpt_session_time_hourly(sessions: list[_Session], config: Config) -> list[dict[str, Any]]:
    """``rpt_session_time_hourly``: "Every UTC hour from the hour of the first session start to
    the hour of the last session end, empty hours included: ``hour_start_utc``,
    ``hour_of_day`` (0-23) and ``day_of_week`` (ISO, Monday = 1) of that instant in
    ``reporting_timezone``, ``active_sessions`` (sessions whose start hour <= this hour <= their
    end hour), ``session_seconds`` (the part of each session's [start, end] inside the hour),
    ``foreground_seconds`` (the part of each counted gap inside the hour)."
    """
    if not sessions:
        return []
    zone = ZoneInfo(config.reporting_timezone)
    active: dict[int, int] = defaultdict(int)
    session_us: dict[int, int] = defaultdict(int)
    gap_us: dict[int, int] = defaultdict(int)
    for session in sessions:
        first_hour = session.start_us // US_PER_HOUR
        last_hour = session.end_us // US_PER_HOUR
        for hour in range(first_hour, last_hour + 1):
            active[hour * US_PER_HOUR] += 1
        _add_overlaps(session_us, session.start_us, session.end_us)
        for start_us, end_us in session.gaps:
            _add_overlaps(gap_us, start_us, end_us)
    first = min(session.start_us for session in sessions) // US_PER_HOUR
    last = max(session.end_us for session in sessions) // US_PER_HOUR
    rows = []
    for hour in range(first, last + 1):
        hour_us = hour * US_PER_HOUR
        local = local_time(hour_us, zone)
        rows.append(
            {
                "hour_start_utc": to_datetime(hour_us),
                "hour_of_day": local.hour,
                "day_of_week": local.isoweekday(),
                "active_sessions": active.get(hour_us, 0),
                "session_seconds": _seconds(session_us.get(hour_us, 0)),
                "foreground_seconds": _seconds(gap_us.get(hour_us, 0)),
            }
        )
    return rows


def rpt_active_users(sessions: list[_Session]) -> list[dict[str, Any]]:
    """``rpt_active_users``: "one row per ``activity_date`` from the first to the last
    ``session_date``, empty days included: ``dau`` (distinct ``user_key`` with a session on that
    ``session_date``), ``wau`` (the 7 days ending that day), ``mau`` (the 28 days ending that
    day), ``stickiness`` = dau / mau (null when mau is 0)."
    """
    if not sessions:
        return []
    users_by_date: dict[date, set[str]] = defaultdict(set)
    for session in sessions:
        users_by_date[session.row["session_date"]].add(session.row["user_key"])
    first, last = min(users_by_date), max(users_by_date)

    def active(day: date, days: int) -> int:
        users: set[str] = set()
        for back in range(days):
            users |= users_by_date.get(day - timedelta(days=back), set())
        return len(users)

    rows = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        dau, mau = active(day, 1), active(day, 28)
        rows.append(
            {
                "activity_date": day,
                "dau": dau,
                "wau": active(day, 7),
                "mau": mau,
                "stickiness": dau / mau if mau else None,
            }
        )
    return rows


_Cells = dict[tuple[int, int], int]
"""Microseconds per local (ISO weekday, hour of day)."""


def _local_cells(session: _Session) -> tuple[_Cells, _Cells]:
    """A session's microseconds and foreground microseconds per local (ISO weekday, hour)."""
    session_cells: _Cells = defaultdict(int)
    foreground_cells: _Cells = defaultdict(int)
    for weekday, hour, us in local_hour_parts(session.start_us, session.end_us, session.zone):
        session_cells[weekday, hour] += us
    for gap_start, gap_end in session.gaps:
        for weekday, hour, us in local_hour_parts(gap_start, gap_end, session.zone):
            foreground_cells[weekday, hour] += us
    return session_cells, foreground_cells


def _local_start_cell(session: _Session) -> tuple[int, int]:
    start = session.row["session_start_local"]
    return start.isoweekday(), start.hour


def rpt_session_time_local_hourly(sessions: list[_Session]) -> list[dict[str, Any]]:
    """``rpt_session_time_local_hourly``: "168 rows, ``day_of_week`` (ISO, Monday = 1) x
    ``hour_of_day`` (0-23) in each session's own zone: ``sessions_started``,
    ``session_seconds`` and ``foreground_seconds`` (each session's time split at the local
    hour boundaries of its zone), and ``share_of_time``, each cell's session seconds over all
    session seconds" (null when there are none)."""
    started: dict[tuple[int, int], int] = defaultdict(int)
    session_us: dict[tuple[int, int], int] = defaultdict(int)
    foreground: dict[tuple[int, int], int] = defaultdict(int)
    for session in sessions:
        started[_local_start_cell(session)] += 1
        session_cells, foreground_cells = _local_cells(session)
        for cell, us in session_cells.items():
            session_us[cell] += us
        for cell, us in foreground_cells.items():
            foreground[cell] += us
    total_us = sum(session_us.values())
    return [
        {
            "day_of_week": weekday,
            "hour_of_day": hour,
            "sessions_started": started.get((weekday, hour), 0),
            "session_seconds": _seconds(session_us.get((weekday, hour), 0)),
            "foreground_seconds": _seconds(foreground.get((weekday, hour), 0)),
            "share_of_time": session_us.get((weekday, hour), 0) / total_us if total_us else None,
        }
        for weekday in range(1, 8)
        for hour in range(24)
    ]


def _usual(seconds: dict[int, int], starts: dict[int, int]) -> int | None:
    """The number with the most session microseconds; ties: more sessions started, then the
    lowest number."""
    candidates = set(seconds) | set(starts)
    if not candidates:
        return None
    return min(candidates, key=lambda n: (-seconds.get(n, 0), -starts.get(n, 0), n))


def dim_users(sessions: list[_Session], config: Config) -> list[dict[str, Any]]:
    """``dim_users``: one row per ``user_key`` (docs/contract.md). Windows end at the as-of
    instant, the latest session end; "a session counts when it starts inside (as_of - N x 24
    hours, as_of]"."""
    if not sessions:
        return []
    as_of_us = max(session.end_us for session in sessions)
    by_user: dict[str, list[_Session]] = defaultdict(list)
    for session in sessions:
        by_user[session.row["user_key"]].append(session)
    rows = []
    for user_key, own in sorted(by_user.items()):
        latest = max(own, key=lambda s: (s.start_us, s.row["session_id"]))
        durations = [s.duration_us for s in own]
        in_window = {
            days: [s for s in own if s.start_us > as_of_us - days * 24 * US_PER_HOUR]
            for days in (7, 28)
        }
        hour_us: dict[int, int] = defaultdict(int)
        hour_starts: dict[int, int] = defaultdict(int)
        weekday_us: dict[int, int] = defaultdict(int)
        weekday_starts: dict[int, int] = defaultdict(int)
        for session in in_window[28]:
            weekday, hour = _local_start_cell(session)
            hour_starts[hour] += 1
            weekday_starts[weekday] += 1
            for (weekday, hour), us in _local_cells(session)[0].items():
                hour_us[hour] += us
                weekday_us[weekday] += us
        active_28 = len({s.row["session_date"] for s in in_window[28]})
        if active_28 >= config.engagement_daily_min_active_days:
            segment = "daily"
        elif active_28 >= config.engagement_weekly_min_active_days:
            segment = "weekly"
        elif active_28 >= config.engagement_monthly_min_active_days:
            segment = "monthly"
        else:
            segment = "dormant"
        rows.append(
            {
                "user_key": user_key,
                "user_id": latest.row["user_id"],
                "timezone": latest.row["session_timezone"],
                "first_session_at": to_datetime(min(s.start_us for s in own)),
                "last_session_at": to_datetime(latest.start_us),
                "sessions": len(own),
                "active_days": len({s.row["session_date"] for s in own}),
                "total_duration_seconds": _seconds(sum(durations)),
                "total_foreground_seconds": _seconds(sum(s.foreground_us for s in own)),
                "avg_duration_seconds": sum(durations) / len(own) / 1e6,
                "median_duration_seconds": statistics.median(_seconds(d) for d in durations),
                "sessions_last_7_days": len(in_window[7]),
                "sessions_last_28_days": len(in_window[28]),
                "active_days_last_28_days": active_28,
                "usual_local_hour": _usual(hour_us, hour_starts),
                "usual_local_weekday": _usual(weekday_us, weekday_starts),
                "engagement_segment": segment,
            }
        )
    return rows


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def run_reference(
    raw_rows: list[dict[str, Any]], config: Config = DEFAULT_CONFIG
) -> dict[str, list[dict[str, Any]]]:
    """Run the whole contract on raw rows and return every output table as a list of dicts.

    ``raw_rows`` are dicts keyed by the input column names (extra keys ignored, a missing key is
    null); values are ``str`` or ``None``, and ``event_timestamp``/``received_at`` may also be a
    ``datetime`` (naive = UTC, aware = converted to UTC) standing for a native timestamp column.
    """
    kept, rejected = clean_events(raw_rows, config)
    sessions = build_sessions(kept, config)
    return {
        "int_events_clean": [staged_row(row) for row in kept],
        "rejected_events": rejected,
        "fct_sessions": [session.row for session in sessions],
        "rpt_sessions_per_user": rpt_sessions_per_user(sessions),
        "rpt_session_duration": rpt_session_duration(sessions),
        "rpt_session_time_hourly": rpt_session_time_hourly(sessions, config),
        "rpt_active_users": rpt_active_users(sessions),
        "rpt_session_time_local_hourly": rpt_session_time_local_hourly(sessions),
        "dim_users": dim_users(sessions, config),
    }
