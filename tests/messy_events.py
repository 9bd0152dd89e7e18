"""Messy random raw app events, and writers for the three input file formats.

``generate_messy_events`` returns raw rows (every value ``str`` or ``None``) that exercise every
rule and boundary of docs/contract.md: gaps exactly at and just past both timeouts, ties in time,
background events in varied case and padding, sessions longer than the cap and exactly the cap
(with ties exactly one cap after the start), sessions over midnight and over DST changes,
user stitching, device-less rows, duplicates of all kinds, padding and blank strings in every
column, every accepted timestamp form and many rejected ones, future timestamps at the skew
boundary, non-ASCII text.

``write_events`` writes rows as CSV, NDJSON or Parquet files; ``read_events`` reads them back
with DuckDB the way the pipeline does, to check the round trip. Round trip (checked in
tests/test_messy_events.py): NDJSON and Parquet give back every value exactly (a key left out
of an NDJSON line, or a column missing from a file, reads as null). CSV gives back every value
exactly (edge whitespace, quotes, commas, line breaks, non-ASCII) except the empty string: it is
written as a quoted ``""`` but ``read_csv`` reads it as NULL, because ``allow_quoted_nulls``
defaults to true (with ``allow_quoted_nulls=false`` it reads back as ``''``). So for CSV, give
the reference what DuckDB reads (``read_events``), or map ``''`` to ``None`` first.

Only the standard library is used for generation; DuckDB only for Parquet and reading back.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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
EXTRA_COLUMN = "extra_payload"
COLUMNS: tuple[str, ...] = (*INPUT_COLUMNS, EXTRA_COLUMN)
"""Columns of every generated row: the contract's input columns plus one ignored extra."""

OPTIONAL_COLUMN = "platform"
"""The column that one written file leaves out entirely (it must read back as null)."""

FORMATS: tuple[str, ...] = ("csv", "ndjson", "parquet")

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR
_EPOCH = datetime(1970, 1, 1)

# Time zones whose DST changes and local midnights get dedicated sessions.
DST_ZONES: tuple[str, ...] = ("America/New_York", "Europe/Berlin")

# Device time zones (the `timezone` column): tz database names with daylight saving time
# (Lord Howe's is 30 minutes), names with 30- and 45-minute offsets, fixed offsets in every
# accepted form up to the 14:00 limit, and none.
DEVICE_ZONES: tuple[str | None, ...] = (
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Pacific/Chatham",
    "UTC",
    "+05:30",
    "-0800",
    "+0545",
    "-09:30",
    "+14:00",
    "-1400",
    "Z",
    None,
)
# Zones that change offset in the weeks after the default start, each with a session across it.
TRANSITION_ZONES: tuple[str, ...] = (
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Pacific/Chatham",
)
# Text that names no zone: treated as absent (a name in the wrong case, a name only some
# engines know, offsets out of range or in another form).
INVALID_ZONES: tuple[str, ...] = (
    "europe/berlin",
    "Mars/Olympus_Mons",
    "PST",
    "+14:01",
    "-15:00",
    "+05:60",
    "+5:30",
    "05:30",
    "+05",
    "z",
    "GMT+5",
)

_PADDING = (" ", "  ", " ", "\t", " \t", "\n", "   ")
_BLANKS = ("", " ", "   ", "\t", " \t ", "\n")
_FOREGROUND_NAMES = (
    "app_open",
    "screen_view",
    "screen_view",
    "click",
    "click",
    "scroll",
    "purchase",
    "app_foreground",
    "app_backgrounded",
    "app background",
    "achat_✓",
    "画面表示",
)
_PLATFORMS = ("ios", "android", "web", "iOS", "Android ✓")
_APP_VERSIONS = ("1.0.0", "1.2.3", "2.0.0-β", "2.1", "3.0.0-rc.1")
_PAYLOADS = (
    None,
    "",
    "{}",
    '{"screen": "home", "n": 1}',
    "a, b, c",
    'quote " inside',
    "line one\nline two",
    "ünïcödé ✓ 日本",
    "  padded  ",
)


@dataclass(frozen=True)
class _Settings:
    """The contract knobs the generator aims its boundaries at (contract defaults)."""

    session_timeout_minutes: float = 30
    background_timeout_minutes: float = 30
    background_event_names: tuple[str, ...] = ("app_background",)
    max_session_minutes: float = 1440
    max_clock_skew_minutes: float = 60


def _to_dt(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def _to_us(value: datetime) -> int:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return (value - _EPOCH) // timedelta(microseconds=1)


def _threshold_us(minutes: float) -> int:
    """The largest whole number of microseconds that is not past ``minutes`` (gap == timeout
    when the timeout is a whole number of microseconds)."""
    return math.floor(minutes * US_PER_MINUTE)


def dst_transitions(zone_name: str, after_us: int, count: int = 1) -> list[int]:
    """The next ``count`` UTC instants (microseconds) at which ``zone_name`` changes offset."""
    zone = ZoneInfo(zone_name)
    hour = after_us // US_PER_HOUR * US_PER_HOUR

    def offset(us: int) -> timedelta | None:
        return _to_dt(us).replace(tzinfo=UTC).astimezone(zone).utcoffset()

    found: list[int] = []
    previous = offset(hour)
    for _ in range(24 * 400):
        hour += US_PER_HOUR
        current = offset(hour)
        if current != previous:
            found.append(hour)
            if len(found) == count:
                break
        previous = current
    return found


def local_midnight_us(zone_name: str, day: date) -> int:
    """The UTC instant (microseconds) of 00:00 on ``day`` in ``zone_name``."""
    return _to_us(datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone_name)))


class _Generator:
    """Builds the rows; every random choice goes through one ``random.Random``."""

    def __init__(self, rng: random.Random, settings: Any, start: datetime, days: int) -> None:
        self.rng = rng
        self.start_us = _to_us(start)
        self.end_us = self.start_us + days * US_PER_DAY
        self.fg_us = _threshold_us(settings.session_timeout_minutes)
        self.bg_us = _threshold_us(settings.background_timeout_minutes)
        self.cap_us = _threshold_us(settings.max_session_minutes)
        self.skew_us = _threshold_us(settings.max_clock_skew_minutes)
        self.background_names = tuple(settings.background_event_names) or ("app_background",)
        self.rows: list[dict[str, str | None]] = []
        # (row, event time, received time or None) of every row meant to be a clean event.
        self.valid: list[tuple[dict[str, str | None], int, int | None]] = []
        self.next_id = 0
        self.next_user = 0

    # ---- small random pieces -------------------------------------------------------------

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def pad(self, value: str | None, probability: float = 0.1) -> str | None:
        """Maybe surround a value with whitespace; maybe turn a null into a blank string."""
        if value is None:
            return self.rng.choice(_BLANKS) if self.chance(0.05) else None
        if self.chance(probability):
            left = self.rng.choice(_PADDING) if self.chance(0.7) else ""
            right = self.rng.choice(_PADDING) if self.chance(0.7) else " "
            return left + value + right
        return value

    def blank_or_null(self) -> str | None:
        return None if self.chance(0.4) else self.rng.choice(_BLANKS)

    def event_id(self) -> str:
        self.next_id += 1
        style = self.rng.random()
        if style < 0.6:
            return f"evt-{self.next_id:06d}"
        if style < 0.95:
            bits = f"{self.rng.getrandbits(128):032x}"
            return f"{bits[:8]}-{bits[8:12]}-{bits[12:16]}-{bits[16:20]}-{bits[20:]}"
        return f"événement-{self.next_id}"

    def user_id(self) -> str:
        self.next_user += 1
        template = self.rng.choice(("u-{}", "user_{}", "josé-{}", "用户{}", "U-{}"))
        return template.format(self.next_user)

    def background_name(self) -> str:
        name = self.rng.choice(self.background_names)
        style = self.rng.random()
        if style < 0.4:
            return name
        if style < 0.6:
            return name.upper()
        if style < 0.8:
            return "_".join(part.capitalize() for part in name.split("_"))
        return "".join(c.upper() if self.chance(0.5) else c.lower() for c in name)

    def foreground_name(self) -> str:
        return self.rng.choice(_FOREGROUND_NAMES)

    def render_timestamp(self, us: int) -> str:
        """Render an instant in a random accepted form (same instant once truncated)."""
        rng = self.rng
        if self.chance(0.5):
            offset_minutes = 0
            suffix = rng.choice(("Z", "z", "", "", "+00", "+0000", "+00:00", "-00", "-00:00"))
        else:
            offset_minutes = rng.choice(
                (60, 120, -300, -240, 330, -210, 345, -570, 840, -720, 1439, -1439, 30, -30)
            )
            sign = "+" if offset_minutes > 0 else "-"
            hours, minutes = divmod(abs(offset_minutes), 60)
            forms = [f"{sign}{hours:02d}{minutes:02d}", f"{sign}{hours:02d}:{minutes:02d}"]
            if minutes == 0:
                forms.append(f"{sign}{hours:02d}")
            suffix = rng.choice(forms)
        local = _to_dt(us + offset_minutes * US_PER_MINUTE)
        text = f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
        text += rng.choice(("T", "T", " ", "t"))
        text += f"{local.hour:02d}:{local.minute:02d}"
        if local.second or local.microsecond or self.chance(0.6):
            text += f":{local.second:02d}"
            micros = f"{local.microsecond:06d}"
            noise = "".join(rng.choice("0123456789") for _ in range(3))
            if local.microsecond:
                needed = len(micros.rstrip("0"))
                text += "." + (micros + noise)[: rng.randint(needed, 9)]
            elif self.chance(0.3):
                digits = rng.randint(1, 9)
                text += "." + ("000000" + noise)[:digits]
        return text + suffix

    def invalid_timestamp(self, us: int) -> str:
        """Text that looks like a timestamp (or not) but is not one under the contract."""
        when = _to_dt(us)
        day = f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
        clock = f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}"
        return self.rng.choice(
            (
                f"{when.year:04d}-02-30 10:00:00",
                f"{when.year:04d}-02-30T10:00:00Z",
                "2023-02-29 12:00:00",
                f"{when.year:04d}-13-01 00:00:00",
                f"{when.year:04d}-00-10 00:00:00",
                f"{when.year:04d}-{when.month:02d}-00 00:00:00",
                f"{day} 24:00:00",
                f"{day}T24:00Z",
                f"{day} 23:59:60",
                f"{day}T23:59:60Z",
                f"{day}T{when.hour:02d}:60:00",
                f"{day}T25:00:00",
                day,
                f"{day}Z",
                "garbage",
                "not a timestamp",
                "null",
                "NaN",
                "ñ—∞",
                str(us // US_PER_SECOND),
                str(us // 1000),
                str(us),
                f"{us / 1e6:.3f}",
                f"{day}T{clock}.1234567890",
                f"{day}T{clock}.",
                f"{day}T{clock}+24:00",
                f"{day}T{clock}+05:60",
                f"{day}T{clock}+5",
                f"{day}T{clock}+05:3",
                f"{day}T{clock}+05:30:00",
                f"{day}T{clock} Z",
                f"{day}T{clock}UTC",
                f"{day}T{clock}−05:00",  # noqa: RUF001 (unicode minus sign)
                f"{day}  {clock}",
                f"{day}T{when.hour:02d}",
                f"{day}T{when.hour:02d}{when.minute:02d}{when.second:02d}",
                f"{when.year}{when.month:02d}{when.day:02d}T{clock}",
                f"{when.year}-{when.month}-{when.day} {when.hour}:{when.minute:02d}:00",
                f"{when.day:02d}/{when.month:02d}/{when.year} {when.hour:02d}:{when.minute:02d}",
                "２０２４-03-08 10:00:00",  # noqa: RUF001 (fullwidth digits)
                f"{day}T{clock}.5.5",
            )
        )

    def received_text(self, event_us: int) -> tuple[str | None, int | None]:
        """A random ``received_at`` for an event: usual, late, early (within skew), null,
        blank or unparseable. Returns (text, parsed instant or None)."""
        style = self.rng.random()
        if style < 0.05:
            return None, None
        if style < 0.07:
            return self.rng.choice(_BLANKS), None
        if style < 0.09:
            return self.invalid_timestamp(event_us), None
        if style < 0.75:
            received = event_us + self.rng.randint(0, 120 * US_PER_SECOND)
        elif style < 0.92:
            received = event_us + self.rng.randint(2 * US_PER_MINUTE, 12 * US_PER_HOUR)
        else:  # device clock ahead of the server, still within the allowed skew
            received = event_us - self.rng.randint(0, self.skew_us)
        return self.render_timestamp(received), received

    # ---- rows ------------------------------------------------------------------------------

    def add_row(
        self,
        *,
        event_id: str | None,
        device_id: str | None,
        user_id: str | None,
        event_name: str | None,
        event_timestamp: str | None,
        received_at: str | None,
        platform: str | None,
        app_version: str | None,
        timezone: str | None = None,
    ) -> dict[str, str | None]:
        """Append one raw row, padding every column at random."""
        row = {
            "event_id": self.pad(event_id),
            "device_id": self.pad(device_id),
            "user_id": self.pad(user_id),
            "event_name": self.pad(event_name),
            "event_timestamp": self.pad(event_timestamp, 0.05),
            "received_at": self.pad(received_at, 0.05),
            "platform": self.pad(platform),
            "app_version": self.pad(app_version),
            "timezone": self.pad(timezone),
            EXTRA_COLUMN: self.rng.choice(_PAYLOADS),
        }
        self.rows.append(row)
        return row

    def event(
        self,
        device: dict[str, Any],
        event_us: int,
        event_name: str,
        user_id: str | None,
        *,
        event_id: str | None | bool = True,
        received: tuple[str | None, int | None] | None = None,
        timezone: str | None | bool = True,
    ) -> dict[str, str | None]:
        """Append a clean event of ``device`` (``event_id=True``: random id or null;
        ``timezone=True``: mostly the device's zone, else none or text naming no zone)."""
        if event_id is True:
            event_id = self.event_id() if self.chance(0.92) else None
        if timezone is True:
            style = self.rng.random()
            if style < 0.85:
                timezone = device.get("timezone")
            elif style < 0.93:
                timezone = None
            else:
                timezone = self.rng.choice(INVALID_ZONES)
        received_at, received_us = received or self.received_text(event_us)
        platform = device["platform"] if self.chance(0.93) else None
        row = self.add_row(
            event_id=event_id or None,
            device_id=device["device_id"],
            user_id=user_id,
            event_name=event_name,
            event_timestamp=self.render_timestamp(event_us),
            received_at=received_at,
            platform=platform,
            app_version=device["app_version"],
            timezone=timezone or None,
        )
        self.valid.append((row, event_us, received_us))
        return row

    def device(self, device_id: str | None) -> dict[str, Any]:
        return {
            "device_id": device_id,
            "platform": self.rng.choice(_PLATFORMS),
            "app_version": self.rng.choice(_APP_VERSIONS),
            "timezone": self.rng.choice(DEVICE_ZONES),
        }

    # ---- random devices --------------------------------------------------------------------

    def gap_after(self, previous_is_background: bool) -> int:
        """A within-session gap, often exactly at or just past the threshold in force."""
        threshold = self.bg_us if previous_is_background else self.fg_us
        style = self.rng.random()
        if style < 0.04:
            return 0  # a tie in time
        if style < 0.07:
            return threshold  # exactly the timeout: continues
        if style < 0.09:
            return threshold + 1000  # 1 ms past: splits
        if style < 0.10:
            return threshold + 1  # 1 microsecond past: splits
        if style < 0.11:
            return max(threshold - 1, 0)
        if previous_is_background and style < 0.4:
            return self.rng.randint(US_PER_MINUTE, max(threshold, US_PER_MINUTE))
        if style < 0.2:
            return self.rng.randint(5 * US_PER_MINUTE, max(threshold, 5 * US_PER_MINUTE))
        return self.rng.randint(1000, 5 * US_PER_MINUTE)

    def random_device(self, index: int, user_pool: list[str]) -> None:
        """A device (or a device-less user) with several sessions over the window."""
        kind = self.rng.choices(
            ("anonymous", "login_later", "single", "multi", "user_only"),
            weights=(15, 20, 30, 20, 15),
        )[0]
        if kind == "user_only":
            device_id = None
        elif self.chance(0.1):
            device_id = self.rng.choice(("appareil-é{}", "устройство-{}", "端末{}")).format(index)
        else:
            device_id = f"d-{index:03d}"
        device = self.device(device_id)
        shared = bool(user_pool) and self.chance(0.3)
        users = [self.rng.choice(user_pool) if shared else self.user_id()]
        if kind == "multi":
            users += [self.user_id() for _ in range(self.rng.randint(1, 2))]
        user_pool.extend(users)
        coarse_clock = self.chance(0.15)  # whole-minute clock: exercises the no-seconds form
        event_us = self.start_us + self.rng.randint(0, self.end_us - self.start_us)
        login_session = self.rng.randint(1, 3)
        current_user = users[0]
        session_index = 0
        while event_us < self.end_us:
            anonymous_session = kind == "multi" and self.chance(0.2)
            if self.chance(0.1):
                device["timezone"] = self.rng.choice(DEVICE_ZONES)  # travels
            if kind == "multi" and self.chance(0.5):
                current_user = self.rng.choice(users)
            for position in range(self.rng.randint(5, 30)):
                if kind == "multi" and self.chance(0.03):
                    current_user = self.rng.choice(users)  # user switch mid-session
                if kind == "anonymous" or anonymous_session:
                    user = None
                elif kind == "login_later":
                    logged_in = session_index > login_session or (
                        session_index == login_session and position >= 3
                    )
                    user = current_user if logged_in and self.chance(0.9) else None
                elif kind == "user_only":
                    user = current_user
                else:
                    user = current_user if self.chance(0.85) else None
                background = position > 0 and self.chance(0.12)
                name = (
                    self.background_name()
                    if background
                    else ("app_open" if position == 0 else self.foreground_name())
                )
                if coarse_clock:
                    event_us = event_us // US_PER_MINUTE * US_PER_MINUTE
                self.event(device, event_us, name, user)
                event_us += self.gap_after(background)
            event_us += max(self.fg_us, self.bg_us) + self.rng.randint(
                US_PER_MINUTE, 20 * US_PER_HOUR
            )
            session_index += 1

    # ---- dedicated scenarios ---------------------------------------------------------------

    def chain(self, device: dict[str, Any], start_us: int, total_us: int, user: str | None) -> None:
        """Foreground events from ``start_us`` to exactly ``start_us + total_us`` whose gaps
        never exceed the session timeout (mostly equal to it)."""
        step = max(min(self.fg_us, self.bg_us), 1)
        offset = 0
        while True:
            self.event(device, start_us + offset, self.foreground_name(), user)
            if offset == total_us:
                return
            offset = min(
                offset + (step if self.chance(0.7) else self.rng.randint(1, step)), total_us
            )

    def cap_scenarios(self) -> None:
        """Sessions exactly the cap long (not cut), cap + 1 microsecond (cut), and dense
        streams over more than one and two caps, with events exactly on piece boundaries."""
        base = self.start_us + self.rng.randint(0, US_PER_DAY)
        device = self.device("scn-cap-exact")
        self.chain(device, base, self.cap_us, "u-cap")
        device = self.device("scn-cap-plus-1us")
        self.chain(device, base + 3 * US_PER_HOUR, self.cap_us + 1, None)
        for name, total in (("scn-cap-dense", 30 * US_PER_HOUR), ("scn-cap-twice", None)):
            device = self.device(name)
            total_us = total if total is not None else 2 * self.cap_us + 7 * US_PER_HOUR
            first = base + self.rng.randint(0, 6 * US_PER_HOUR)
            offset = 0
            boundaries = {k * self.cap_us for k in range(1, 4)}
            while offset <= total_us:
                background = self.chance(0.1)
                name_ = self.background_name() if background else self.foreground_name()
                self.event(device, first + offset, name_, self.rng.choice(("u-dense", None)))
                threshold = self.bg_us if background else self.fg_us
                step = self.rng.randint(1, max(threshold, 1))
                upcoming = [b for b in boundaries if offset < b <= offset + step]
                offset = upcoming[0] if upcoming else offset + step

    def timeout_scenarios(self) -> None:
        """Explicit gaps at the thresholds: foreground == timeout continues, + 1 ms and + 1 us
        split; after a background event the background timeout applies the same way."""
        device = self.device("scn-gaps")
        t = self.start_us + self.rng.randint(0, 2 * US_PER_DAY)
        steps = (
            ("app_open", self.fg_us),  # equal: continues
            ("click", self.fg_us + 1000),  # 1 ms past: new session
            ("click", self.fg_us + 1),  # 1 us past: new session
            ("click", 10 * US_PER_SECOND),
            ("BG", self.bg_us),  # equal after background: continues, not foreground time
            ("click", 0),
            ("bg", self.bg_us + 1000),  # 1 ms past after background: new session
            ("click", 60 * US_PER_SECOND),
            ("bg", self.bg_us + 1),
            ("click", 60 * US_PER_SECOND),
            ("click", 0),
        )
        for name, gap in steps:
            real_name = self.background_name() if name.lower() == "bg" else name
            self.event(device, t, real_name, "u-gaps")
            t += gap

    def tie_scenarios(self) -> None:
        """Events at the same instant with and without event_id: order is event time, then
        event_id (nulls last), then event_name, then user_id (nulls last)."""
        for index in range(3):
            device = self.device(f"scn-ties-{index}")
            t = self.start_us + self.rng.randint(0, (self.end_us - self.start_us) // 2)
            self.event(
                device, t - 5 * US_PER_MINUTE, "app_open", "u-tie-0", event_id=f"tie-0-{index}"
            )
            background = self.background_name()
            tied = [
                ("tie-b" + str(index), background, None),
                (None, "click", "u-tie-1"),
                (None, "click", None),
                ("tie-a" + str(index), "scroll", None),
                (None, "app_open", "u-tie-2"),
            ]
            if index == 1:  # background without id: sorts last, so the next gap is excluded
                tied = [(None, background, None), ("tie-c1", "click", "u-tie-3")]
            if index == 2:  # same name and time, different users: ordered by user_id
                tied = [
                    (None, "click", "u-tie-9"),
                    (None, "click", "u-tie-1"),
                    (None, "click", None),
                ]
            for event_id, name, user in tied:
                self.event(device, t, name, user, event_id=event_id)
            self.event(device, t + self.fg_us, "click", None, event_id=f"tie-next-{index}")
            self.event(device, t + self.fg_us + 7 * US_PER_MINUTE, "click", None)

    def identity_scenarios(self) -> None:
        """Device-less rows (partitioned by user), device ``x`` next to user ``x``, anonymous
        devices that log in later, devices with several users."""
        t = self.start_us + self.rng.randint(0, US_PER_DAY)
        shared = "x"
        device_x = self.device(shared)
        no_device = self.device(None)
        for k in range(4):
            self.event(device_x, t + k * US_PER_MINUTE, "click", None)
            self.event(no_device, t + k * US_PER_MINUTE, "click", shared)
        no_device_blank = {**no_device, "device_id": self.rng.choice(_BLANKS)}
        for k in range(3):
            self.event(no_device_blank, t + 2 * US_PER_HOUR + k * US_PER_MINUTE, "view", "u-web")
        later = self.device("scn-login-later")
        for session in range(3):
            base = t + session * 3 * US_PER_HOUR
            for k in range(5):
                user = "u-late" if session == 2 and k >= 2 else None
                self.event(later, base + k * US_PER_MINUTE, "click", user)
        multi = self.device("scn-multi-user")
        users = ("u-alice", None, "u-bob", None, "u-alice")
        for session, user in enumerate(users):
            base = t + session * 2 * US_PER_HOUR
            for k in range(4):
                switched = "u-carol" if session == 0 and k == 3 else user
                self.event(multi, base + k * US_PER_MINUTE, "click", switched)

    def calendar_scenarios(self) -> None:
        """Sessions over UTC and local midnights and over the next DST change of each zone."""
        day = _to_dt(self.start_us).date() + timedelta(days=1)
        midnights = [(_to_us(datetime(day.year, day.month, day.day)), "utc")]
        for zone in DST_ZONES:
            midnights.append((local_midnight_us(zone, day), zone))
        for zone in DST_ZONES:
            (transition,) = dst_transitions(zone, self.start_us)
            local_day = _to_dt(transition).replace(tzinfo=UTC)
            local_day = local_day.astimezone(ZoneInfo(zone)).date()
            midnights.append((transition, zone + " dst"))
            midnights.append((transition - 1, zone + " dst-1us"))
            midnights.append((local_midnight_us(zone, local_day), zone + " midnight"))
            next_day = local_day + timedelta(days=1)
            midnights.append((local_midnight_us(zone, next_day), zone + " next midnight"))
        for index, (instant, _label) in enumerate(midnights):
            # one session across the instant, one starting exactly at it, one ending at it
            across = self.device(f"scn-calendar-{index:02d}-across")
            self.event(across, instant - 10 * US_PER_MINUTE, "app_open", None)
            self.event(across, instant + 10 * US_PER_MINUTE, "click", "u-calendar")
            self.event(across, instant + 6 * US_PER_HOUR, "app_open", "u-calendar")
            starting = self.device(f"scn-calendar-{index:02d}-start")
            self.event(starting, instant, "app_open", None)
            self.event(starting, instant + US_PER_MINUTE, "click", None)
            ending = self.device(f"scn-calendar-{index:02d}-end")
            self.event(ending, instant - 5 * US_PER_MINUTE, "app_open", "u-calendar-end")
            self.event(ending, instant, "click", None)

    def engagement_scenarios(self) -> None:
        """A user back after a month in which nobody had a session (days whose 28-day window
        is empty: MAU 0, no stickiness), then again exactly 7 and 28 days later: the last day
        of each trailing window, for this user and for everyone last seen before the month."""
        device = self.device("scn-engagement")
        day = _to_dt(self.start_us).date() + timedelta(days=60)
        noon = _to_us(datetime(day.year, day.month, day.day, 12))  # the same date in any zone
        for days_later in (0, 7, 28):
            t = noon + days_later * US_PER_DAY
            self.event(device, t, "app_open", "u-engagement")
            self.event(device, t + US_PER_MINUTE, "click", "u-engagement")

    def timezone_scenarios(self) -> None:
        """Sessions across each zone's next change of offset (one with a background gap over
        it), at local hour boundaries of 30- and 45-minute offsets, a trip inside a session
        (its last zone counts), a device whose only zone comes late (its earlier sessions take
        it) and one whose zones all name none (the reporting zone)."""
        for index, zone in enumerate(TRANSITION_ZONES):
            (transition,) = dst_transitions(zone, self.start_us)
            device = self.device(f"scn-tz-dst-{index}")
            for minutes, name in ((-50, "app_open"), (-20, self.background_name()), (5, "click")):
                self.event(device, transition + minutes * US_PER_MINUTE, name, None, timezone=zone)
            self.event(device, transition + 30 * US_PER_MINUTE, "click", None, timezone=zone)
        day = _to_dt(self.start_us).date() + timedelta(days=2)
        hour_zones = (("+05:45", 15), ("Asia/Kolkata", 30), ("-0930", 30))
        for index, (zone, minute) in enumerate(hour_zones):
            # a session from 1 us before the zone's local hour to 1 us after the next one
            device = self.device(f"scn-tz-hour-{index}")
            boundary = _to_us(datetime(day.year, day.month, day.day, 9, minute))
            for offset in (-1, 20 * US_PER_MINUTE, 40 * US_PER_MINUTE, US_PER_HOUR + 1):
                self.event(device, boundary + offset, "click", "u-tz-hour", timezone=zone)
        trip = self.device("scn-tz-trip")
        start = self.start_us + 3 * US_PER_DAY
        for minutes, zone in ((0, "Europe/Berlin"), (10, None), (20, "Asia/Kolkata"), (30, "bad")):
            self.event(trip, start + minutes * US_PER_MINUTE, "click", "u-trip", timezone=zone)
        late = self.device("scn-tz-late")
        for days, zone in ((0, None), (1, "not/a_zone"), (2, "Pacific/Chatham")):
            t = start + days * US_PER_DAY
            self.event(late, t, "app_open", None, timezone=zone)
            self.event(late, t + US_PER_MINUTE, "click", None, timezone=None)
        nowhere = self.device("scn-tz-none")
        for minutes in (0, 5):
            self.event(nowhere, start + minutes * US_PER_MINUTE, "click", None, timezone="PST")

    def segment_scenarios(self) -> None:
        """Users at each engagement threshold and one below it (20/19 active days, 4/3, 1),
        and sessions starting exactly 7 and 28 days before the data's as-of instant (the end
        of the last engagement session, which ends last: not counted) and 1 us after."""
        day = _to_dt(self.start_us).date() + timedelta(days=60)
        as_of = _to_us(datetime(day.year, day.month, day.day, 12)) + 28 * US_PER_DAY + US_PER_MINUTE
        for user, active_days in (("daily", 20), ("almost-daily", 19), ("weekly", 4), ("rare", 3)):
            device = self.device(f"scn-segment-{user}")
            for back in range(active_days):
                t = as_of - (back + 1) * US_PER_DAY - 3 * US_PER_HOUR
                self.event(device, t, "app_open", f"u-segment-{user}", timezone="UTC")
                self.event(device, t + 2 * US_PER_MINUTE, "click", f"u-segment-{user}")
        for days in (7, 28):
            for offset in (0, 1):
                device = self.device(f"scn-segment-edge-{days}-{offset}")
                t = as_of - days * US_PER_DAY + offset
                self.event(device, t, "app_open", None)
                self.event(device, t + US_PER_MINUTE, "click", None)

    def future_scenarios(self) -> None:
        """event_timestamp exactly ``received_at + skew`` (kept) and 1 us / 1 ms past it
        (rejected); far-future events whose received_at is unknown are kept."""
        device = self.device("scn-future")
        t = self.start_us + self.rng.randint(US_PER_DAY, 2 * US_PER_DAY)
        for k, extra in enumerate((0, 1, 1000, 0, 1)):
            event_us = t + k * US_PER_MINUTE
            received_us = event_us - self.skew_us - extra
            received = (self.render_timestamp(received_us), received_us)
            if extra:
                self.add_row(
                    event_id=self.event_id(),
                    device_id="scn-future",
                    user_id=None,
                    event_name="click",
                    event_timestamp=self.render_timestamp(event_us),
                    received_at=received[0],
                    platform="ios",
                    app_version="1.0.0",
                )
            else:
                self.event(device, event_us, "click", None, received=received)
        for received in ((None, None), ("later", None), (" ", None)):
            self.event(device, t + 3 * US_PER_HOUR, "click", None, received=received)
        self.add_row(
            event_id=self.event_id(),
            device_id="scn-future",
            user_id="u-future",
            event_name="click",
            event_timestamp=self.render_timestamp(t + 30 * US_PER_DAY),
            received_at=self.render_timestamp(t),
            platform=None,
            app_version=None,
        )

    def instant_range_scenarios(self) -> None:
        """The ends of the instants a timestamp may have (0001-01-01 .. 9999-12-31 UTC): year
        0000 in the usual export form, and offsets that move a time past either end, as
        event_timestamp (rejected) and as received_at (unknown, the event kept); the last
        instant itself as a received_at. Fixed rows, no randomness: the rest of the data
        stays as it is for a seed."""
        day = _to_dt(self.start_us + US_PER_DAY).strftime("%Y-%m-%d")
        out_of_range = (
            "0000-03-08T10:00:00.123456Z",
            "0000-12-31T23:00:00-02:00",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:00:00-01:00",
        )
        received_values = (*out_of_range, "9999-12-31T23:59:59.999999Z")
        for index, text in enumerate(out_of_range):
            self.rows.append(self.fixed_row(f"scn-range-bad-{index}", text, None))
        for index, received in enumerate(received_values):
            clock = f"{day}T10:{index:02d}:00Z"
            self.rows.append(self.fixed_row(f"scn-range-received-{index}", clock, received))

    def fixed_row(self, event_id: str, event_timestamp: str, received_at: str | None) -> dict:
        """A row of device ``scn-range`` with no padding (and no draw from the generator)."""
        return {
            "event_id": event_id,
            "device_id": "scn-range",
            "user_id": None,
            "event_name": "click",
            "event_timestamp": event_timestamp,
            "received_at": received_at,
            "platform": "ios",
            "app_version": "1.0.0",
            "timezone": None,
            EXTRA_COLUMN: None,
        }

    def cap_tie_scenarios(self) -> None:
        """Events tied in time exactly one cap after a session's first event: at the end of
        a session exactly the cap long (one piece), followed 1 us later (the tie starts the
        second piece), and with a background and a foreground event in either order,
        followed by a gap at and just past each timeout: the tie's last event sets the
        timeout. Fixed rows, no randomness: the rest of the data stays as it is for a seed."""
        base = self.start_us + US_PER_DAY + 7 * US_PER_HOUR
        step = max(self.fg_us, 1)
        background = self.background_names[0]
        cases: list[tuple[str, tuple[str, str], int | None]] = [
            ("end", ("click", "click"), None),
            ("goes-on", ("click", "click"), 1),
        ]
        for gap in sorted({self.bg_us, self.bg_us + 1, self.fg_us, self.fg_us + 1}):
            cases.append((f"bg-last-{gap}", ("click", background), gap))
            cases.append((f"fg-last-{gap}", (background, "click"), gap))
        for case, (first_tied, last_tied), gap_after in cases:
            device = f"scn-captie-{case}"
            offsets = [*range(0, self.cap_us, step), self.cap_us]
            names = ["app_open"] + ["click"] * (len(offsets) - 2) + [first_tied]
            events = [*zip(offsets, names, strict=True), (self.cap_us, last_tied)]
            if gap_after is not None:
                events.append((self.cap_us + gap_after, "click"))
            for index, (offset, name) in enumerate(events):
                text = _to_dt(base + offset).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                row = self.fixed_row(f"{device}-{index:03d}", text, None)
                self.rows.append({**row, "device_id": device, "event_name": name})

    # ---- duplicates and rejects ------------------------------------------------------------

    def duplicates(self) -> None:
        """Re-sent copies of clean events: identical, later or null received_at, earlier
        received_at with different content, other text for the same instant, other padding,
        null-event_id copies, and copies that fail an earlier rule."""
        for row, event_us, received_us in list(self.valid):
            if not self.chance(0.06):
                continue
            copy = dict(row)
            style = self.rng.randrange(9)
            if style == 0:
                pass  # identical copy
            elif style == 1:  # re-sent later, same instant written differently
                copy["event_timestamp"] = self.render_timestamp(event_us)
                base = received_us if received_us is not None else event_us
                copy["received_at"] = self.render_timestamp(base + self.rng.randint(1, 10**9))
            elif style == 2:
                copy["received_at"] = None if self.chance(0.5) else self.rng.choice(_BLANKS)
            elif style == 3:  # received earlier, other content: the copy is kept
                copy["received_at"] = self.render_timestamp(event_us - 1)
                copy["platform"] = self.pad(self.rng.choice((*_PLATFORMS, None)))
                copy["user_id"] = self.pad(self.rng.choice((None, "u-dup")))
            elif style == 4:  # same id, other padding (and the same received_at)
                for column in ("event_id", "device_id", "user_id", "event_name"):
                    value = copy[column]
                    if value is not None and value.strip():
                        copy[column] = " " + value.strip() + "\t"
            elif style == 5:  # same id, other event time, received later
                copy["event_timestamp"] = self.render_timestamp(event_us + US_PER_SECOND)
                copy["received_at"] = self.render_timestamp(event_us + US_PER_HOUR)
            elif style == 6:  # copy rejected earlier: invalid time, so not a duplicate
                copy["event_timestamp"] = self.invalid_timestamp(event_us)
            elif style == 7:  # copy stamped in the future of its received_at
                copy["received_at"] = self.render_timestamp(event_us - self.skew_us - 1)
            else:  # same event_id on another device
                copy["device_id"] = self.pad(f"d-other-{self.rng.randrange(5)}")
            self.rows.append(copy)
        # content duplicates of events without event_id
        for row, event_us, _received_us in list(self.valid):
            if (row["event_id"] or "").strip() or not self.chance(0.3):
                continue
            copy = dict(row)
            copy["event_id"] = self.rng.choice((None, "", "  "))
            copy["event_timestamp"] = self.render_timestamp(event_us)
            copy["received_at"] = self.rng.choice((None, self.render_timestamp(event_us)))
            copy["app_version"] = self.rng.choice((copy["app_version"], None, "9.9.9"))
            self.rows.append(copy)

    def rejects(self) -> None:
        """Rows failing rules 1-4, alone and together (the first failing rule wins)."""
        for row, event_us, _received_us in list(self.valid):
            if not self.chance(0.04):
                continue
            bad = dict(row)
            bad["event_id"] = self.event_id() if self.chance(0.8) else None
            style = self.rng.randrange(7)
            if style == 0:
                bad["event_name"] = self.blank_or_null()
            elif style == 1:
                bad["device_id"] = self.blank_or_null()
                bad["user_id"] = self.blank_or_null()
            elif style == 2:  # missing name and identity: missing_event_name
                bad["event_name"] = self.blank_or_null()
                bad["device_id"] = bad["user_id"] = None
            elif style == 3:  # missing identity and bad time: missing_identity
                bad["device_id"] = bad["user_id"] = self.blank_or_null()
                bad["event_timestamp"] = self.invalid_timestamp(event_us)
            elif style == 4:
                bad["event_timestamp"] = self.invalid_timestamp(event_us)
            elif style == 5:
                bad["event_timestamp"] = self.blank_or_null()
            else:  # far in the future of its received_at
                later = event_us + self.skew_us + self.rng.randint(1, 3 * US_PER_HOUR)
                bad["event_timestamp"] = self.render_timestamp(later)
                bad["received_at"] = self.render_timestamp(event_us)
            self.rows.append(bad)


def generate_messy_events(
    seed: int,
    n_devices: int = 60,
    start: datetime = datetime(2024, 3, 8),
    days: int = 5,
    *,
    config: Any = None,
) -> list[dict[str, str | None]]:
    """Messy raw rows (keys: the 8 input columns plus ``extra_payload``; values str or None).

    Deterministic for a seed. ``n_devices`` random devices (and device-less users) produce
    sessions of 5-30 events over ``days`` days from ``start``; dedicated scenario devices add
    the contract's boundaries, including sessions over the next DST change after ``start`` of
    America/New_York and Europe/Berlin (2024-03-10 and 2024-03-31 for the defaults), and a
    user back after a month without sessions (2024-05-07, 05-14 and 06-04 for the defaults).
    ``config`` (anything with the attributes of ``reference.contract.Config``) moves the
    boundary gaps, cap and skew to its values; by default they are aimed at the contract
    defaults.
    """
    settings = config if config is not None else _Settings()
    generator = _Generator(random.Random(seed), settings, start, days)
    user_pool: list[str] = []
    for index in range(n_devices):
        generator.random_device(index, user_pool)
    generator.cap_scenarios()
    generator.timeout_scenarios()
    generator.tie_scenarios()
    generator.identity_scenarios()
    generator.calendar_scenarios()
    generator.engagement_scenarios()
    generator.timezone_scenarios()
    generator.segment_scenarios()
    generator.future_scenarios()
    generator.duplicates()
    generator.rejects()
    generator.instant_range_scenarios()
    generator.cap_tie_scenarios()
    rows = generator.rows
    generator.rng.shuffle(rows)
    return rows


# --------------------------------------------------------------------------------------------
# Writing and reading files
# --------------------------------------------------------------------------------------------


def _split_rows(rows: list[dict[str, Any]], n_files: int) -> list[list[dict[str, Any]]]:
    """Deal rows over files. With two files or more, file 0 only gets rows whose platform is
    null (or absent), so that it can leave the platform column out entirely."""
    files: list[list[dict[str, Any]]] = [[] for _ in range(n_files)]
    if n_files == 1:
        files[0] = list(rows)
        return files
    others = 0
    for index, row in enumerate(rows):
        if row.get(OPTIONAL_COLUMN) is None and index % 2 == 0:
            files[0].append(row)
        else:
            files[1 + others % (n_files - 1)].append(row)
            others += 1
    return files


def _file_columns(rows: list[dict[str, Any]], index: int, n_files: int) -> list[str]:
    """Columns of file ``index``: all known ones (file 0 without platform; file 1 reversed)."""
    columns = list(COLUMNS)
    for row in rows:
        columns += [key for key in row if key not in columns]
    if index == 0 and n_files > 1:
        columns.remove(OPTIONAL_COLUMN)
    if index == 1:
        columns.reverse()
    return columns


def _csv_field(value: str | None) -> str:
    """A CSV field: null is an empty unquoted field, an empty string is a quoted ``""``, and
    values with delimiter, quote, line breaks or edge whitespace are quoted."""
    if value is None:
        return ""
    needs_quotes = (
        value == "" or value != value.strip() or any(character in value for character in ',"\r\n')
    )
    if needs_quotes:
        return '"' + value.replace('"', '""') + '"'
    return value


def _write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    lines = [",".join(_csv_field(column) for column in columns)]
    lines += [",".join(_csv_field(row.get(column)) for column in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_ndjson(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """One JSON object per line; every other line leaves out keys whose value is null."""
    lines = []
    for position, row in enumerate(rows):
        record = {column: row.get(column) for column in columns}
        if position % 2:
            record = {key: value for key, value in record.items() if value is not None}
        lines.append(json.dumps(record, ensure_ascii=position % 3 == 0))
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _varchar_columns(columns: list[str]) -> str:
    return "{" + ", ".join(f"{_sql_string(c)}: 'VARCHAR'" for c in columns) + "}"


def _write_parquet(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Parquet through DuckDB: a temporary NDJSON file read with every column VARCHAR."""
    import duckdb

    with tempfile.TemporaryDirectory() as temporary:
        source = Path(temporary) / "rows.ndjson"
        _write_ndjson(source, rows, columns)
        select = ", ".join(f'"{column}"' for column in columns)
        query = (
            f"COPY (SELECT {select} FROM read_json({_sql_string(str(source))}, "
            f"format='newline_delimited', columns={_varchar_columns(columns)})) "
            f"TO {_sql_string(str(path))} (FORMAT parquet)"
        )
        with duckdb.connect() as connection:
            connection.execute(query)


def write_events(rows: list[dict[str, Any]], directory: Path, fmt: str, n_files: int = 3) -> str:
    """Write ``rows`` over ``n_files`` files of format ``fmt`` (csv, ndjson, parquet) in
    ``directory`` and return the glob that matches them.

    With two files or more, ``events-0`` has no ``platform`` column at all (it only gets rows
    whose platform is null) and ``events-1`` has its columns in reverse order, so readers must
    match columns by name. Empty files are still written (header only / no lines / no rows).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    if n_files < 1:
        raise ValueError("n_files must be at least 1")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob(f"events-*.{fmt}"):  # the glob must match only these files
        stale.unlink()
    writer = {"csv": _write_csv, "ndjson": _write_ndjson, "parquet": _write_parquet}[fmt]
    for index, file_rows in enumerate(_split_rows(rows, n_files)):
        columns = _file_columns(rows, index, n_files)
        writer(directory / f"events-{index}.{fmt}", file_rows, columns)
    return str(directory / f"*.{fmt}")


def read_events(glob: str, fmt: str, columns: tuple[str, ...] = COLUMNS) -> list[dict[str, Any]]:
    """Read files back with DuckDB the way the pipeline reads them (every column as text,
    columns matched by name) and return rows keyed by ``columns``; a column absent from a
    file reads as null."""
    import duckdb

    source = _sql_string(glob)
    if fmt == "csv":
        relation = f"read_csv({source}, all_varchar=true, union_by_name=true)"
    elif fmt == "ndjson":
        relation = (
            f"read_json({source}, format='newline_delimited', union_by_name=true, "
            f"columns={_varchar_columns(list(columns))})"
        )
    elif fmt == "parquet":
        relation = f"read_parquet({source}, union_by_name=true)"
    else:
        raise ValueError(f"unknown format {fmt!r}")
    with duckdb.connect() as connection:
        cursor = connection.execute(f"SELECT * FROM {relation}")
        names = [description[0] for description in cursor.description]
        records = cursor.fetchall()
    return [
        {column: dict(zip(names, record, strict=True)).get(column) for column in columns}
        for record in records
    ]


def main(argv: list[str] | None = None) -> None:
    """Command line: write a messy event set, e.g. for ``dbt build``.

    ``python -m tests.messy_events --seed 1 --format ndjson --out target/test-data`` prints
    the glob of the written files.
    """
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=FORMATS, default="ndjson")
    parser.add_argument("--out", type=Path, required=True, help="directory for the files")
    parser.add_argument("--devices", type=int, default=60)
    parser.add_argument("--files", type=int, default=3)
    parser.add_argument("--start", type=datetime.fromisoformat, default=datetime(2024, 3, 8))
    parser.add_argument("--days", type=int, default=5)
    args = parser.parse_args(argv)
    rows = generate_messy_events(args.seed, args.devices, args.start, args.days)
    print(write_events(rows, args.out, args.format, args.files))


if __name__ == "__main__":
    main()
