"""Shared configuration and command line of the Polars and pandas benchmark variants.

``Config`` mirrors the contract's dbt vars (docs/contract.md), with the contract defaults. The
helpers turn minute settings into the microsecond thresholds both implementations compare
integer microseconds with, and give both modules the same small command line.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR
WHITESPACE = " \t\n\r\v\f"
"""Characters trimmed from both ends of every string (ASCII whitespace only)."""

INPUT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "device_id",
    "user_id",
    "event_name",
    "event_timestamp",
    "received_at",
    "platform",
    "app_version",
)
REJECT_REASONS: tuple[str, ...] = (
    "missing_event_name",
    "missing_identity",
    "invalid_timestamp",
    "future_timestamp",
    "duplicate",
)
PERIODS: tuple[str, ...] = ("day", "week", "month")

# The contract's timestamp grammar, YYYY-MM-DD[T| ]hh:mm[:ss[.f{1,9}]][Z|+-hh|+-hhmm|+-hh:mm],
# with the field ranges checked by the pattern (the calendar date is checked when parsed).
TIMESTAMP_PATTERN = (
    r"^(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ](?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9])"
    r"(?::(?P<second>[0-5][0-9])(?:\.(?P<fraction>[0-9]{1,9}))?)?"
    r"(?:(?P<zulu>[Zz])|(?P<sign>[+-])(?P<offset_hour>[01][0-9]|2[0-3])"
    r"(?::?(?P<offset_minute>[0-5][0-9]))?)?$"
)
# The common export form 'YYYY-MM-DDThh:mm:ss.ffffffZ', parsed by position.
FAST_TIMESTAMP_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{6}Z$"
)
# Instants a timestamp may have: 0001-01-01 00:00:00 .. 9999-12-31 23:59:59.999999 UTC.
MIN_US = -62_135_596_800_000_000
MAX_US = 253_402_300_799_999_999


@dataclass(frozen=True)
class Config:
    """The contract's dbt vars (``events_path`` excepted), with the contract defaults."""

    session_timeout_minutes: float = 30
    background_timeout_minutes: float = 30
    background_event_names: tuple[str, ...] = ("app_background",)
    max_session_minutes: float = 1440
    max_clock_skew_minutes: float = 60
    reporting_timezone: str = "UTC"

    def __post_init__(self) -> None:
        for name in ("session_timeout_minutes", "background_timeout_minutes"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be greater than zero, got {getattr(self, name)}")
        if not self.max_session_minutes > 0:
            raise ValueError(f"max_session_minutes must be > 0, got {self.max_session_minutes}")
        if not self.max_clock_skew_minutes >= 0:
            raise ValueError(
                f"max_clock_skew_minutes must be >= 0, got {self.max_clock_skew_minutes}"
            )
        if not self.background_names():
            raise ValueError("background_event_names must list at least one event name")

    def background_names(self) -> list[str]:
        """The background event names, trimmed and lower-cased (blank ones dropped)."""
        names = (name.strip(WHITESPACE).lower() for name in self.background_event_names)
        return sorted({name for name in names if name})


def threshold_us(minutes: float) -> int | float:
    """A minute setting in microseconds: an ``int`` when whole (exact integer comparisons and
    divisions), else the ``float`` (compared with integer gaps as doubles)."""
    value = minutes * US_PER_MINUTE
    return int(value) if float(value).is_integer() else float(value)


def session_id_text(kind_is_device: bool, key: str, start_us: int) -> str:
    """The text whose md5 is the session id: 'device:<id>|<start us>' or 'user:<id>|...'."""
    return f"{'device' if kind_is_device else 'user'}:{key}|{start_us}"


def parse_cli(argv: Sequence[str] | None, description: str) -> tuple[str, Config]:
    """``GLOB [--session-timeout-minutes N ...]`` -> (glob, Config)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("events_glob", help="glob of the raw event files (.parquet/.csv/.ndjson)")
    defaults = Config()
    for field in fields(Config):
        option = "--" + field.name.replace("_", "-")
        if field.name == "background_event_names":
            parser.add_argument(option, default=",".join(defaults.background_event_names))
        elif field.name == "reporting_timezone":
            parser.add_argument(option, default=defaults.reporting_timezone)
        else:
            parser.add_argument(option, type=float, default=getattr(defaults, field.name))
    args = vars(parser.parse_args(argv))
    glob = args.pop("events_glob")
    args["background_event_names"] = tuple(args["background_event_names"].split(","))
    return glob, Config(**args)


def print_summary(sessions: int, duration_seconds: float, foreground_seconds: float) -> None:
    """One JSON line for the benchmark harness."""
    summary = {
        "sessions": int(sessions),
        "duration_seconds": float(duration_seconds),
        "foreground_seconds": float(foreground_seconds),
    }
    assert all(math.isfinite(value) for value in summary.values())
    print(json.dumps(summary))
