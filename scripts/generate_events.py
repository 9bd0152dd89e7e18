"""Generate realistic, slightly messy raw app-event exports for the demo and benchmarks.

The output has the input columns of `docs/contract.md` (`event_id`, `device_id`, `user_id`,
`event_name`, `event_timestamp`, `received_at`, `platform`, `app_version`, `timezone`) and is
written as Parquet, CSV or NDJSON files named `events-00000.<ext>`, ... It is deterministic for a
seed and fast enough for 100M+ events: everything is vectorised with numpy, generated in blocks of
devices and written with pyarrow while the next block is being generated.

Model of user behaviour
-----------------------
Devices. Every device has a platform, a home time zone, an activity level, an active window and
an identity history; all of it is fixed per device, so a device looks the same in every file.

* Time zones: 40% UTC-5 (Americas), 35% UTC+1 (Europe), 25% UTC+5:30 (India); fixed offsets,
  no daylight saving, written in `timezone` as `-05:00`, `+01:00`, `+05:30` (server-side rows
  have none). The platform mix depends on the region (iOS-heavy in the Americas,
  Android-heavy in India, ~10-15% web everywhere).
* Activity is heavy-tailed: a device's share of the events is lognormal (sigma 1.4), 30% of the
  devices are "tourists" with a tenth of that, and the heaviest are capped at 150x the median. Every
  device has at least one event. Heavier users also have longer sessions.
* Active window: 60% of the devices are installed before the period starts, the rest install at a
  uniformly random moment in it; 25% churn at a random moment before the end.
* Identity: about half of the devices are logged in from the start (they always carry their
  `user_id`), a quarter are anonymous and log in at a random session of their history (a `login`
  event; from there on the rows carry the `user_id`), the rest never log in (web more often).
  About 4% of the accounts are shared by a second device (phone + web, a new phone). A few
  rows of logged-in users (0.05%) come from the backend: `user_id` but no `device_id`, platform or
  app version.
* App versions: 3.3.1 (12% stragglers), 3.4.0 (current when the period starts), 3.5.0, 3.5.1 (a
  hotfix) and 3.6.0, released at 15%, 30% and 62% of the period. Each device adopts a release
  after its own lag (iOS ~2.5 days, Android ~5 days, web at once; 10% of phones update very
  late), so newer versions take over as the period goes on; a new install gets the newest release.
  The version is fixed for a session.

Sessions. A device's events are cut into sessions of geometric length (mean 4-40 events, growing
with the device's activity). Each session gets a start: a day in the device's active window
(weekdays weighted Mon..Sun 0.97 0.95 0.96 0.98 1.04 1.15 1.12, so weekends are busier) and a
local time of day from a mixture: morning peak ~08:10 (weekends ~10:20, later and flatter), a
lunch bump, the main evening peak ~20:30-21:00, a daytime plateau and a low night floor. The local
time is converted to UTC with the device's offset, so the UTC hour-of-day histogram is a blend
with two peaks of about equal height, around 02 UTC (American evening) and 13-14 UTC (American
morning, European afternoon, Indian evening), and lows around 05 and 10 UTC. Session starts that
fall outside the UTC period are moved a week in. A device's sessions never overlap: a session
that would start before the previous one ended (plus 2 minutes) is pushed back.

Events within a session: `app_open` first; then `screen_view` (50%), `button_tap` (36%),
`search` (7%), `add_to_cart` (4.5%), `purchase` (1.5%); 72% of the sessions (45% on web) end
with `app_background`. Sometimes (1.2% of the middle events) the app goes to the background and
comes back with `app_foreground` 20 s to 25 min later, inside the session. Gaps between events are
lognormal: median 15 s, 0.2 s to 10 min; 6 s before a final `app_background`. No gap is longer
than 25 minutes, so with the default 30-minute timeouts a generated session is a pipeline session
unless two sessions of one device come within 30 minutes of each other (they are then merged).

Delivery. `received_at` is the event time plus a network latency (median 0.35 s). Web clients stamp
milliseconds. 4% of the devices have a clock a little off (tens of seconds) and 0.5% up to +-40
minutes, still within the default 60-minute skew tolerance. 1% of the sessions are delivered late
(the device was offline): received 1 hour to 10 days later (median ~5 hours).

Messiness, at small rates: 0.5% of the rows are duplicates (the same row, same `event_id`,
re-sent with a later `received_at`); 0.1% of the rows are malformed (blank `event_name`; neither
`device_id` nor `user_id`; an unparseable `event_timestamp` such as `2024-02-30T10:00:00Z` or
`not a time`; or an `event_timestamp` hours to a year after `received_at`); a few tenths of a
percent of the strings are padded with spaces.

Files. Devices are split into contiguous blocks, one block per file, so all events of a device
are in one file. A file's rows are generated together and ordered by `received_at`, as an
export would be; a file of more than 5M rows is made of several such sorted runs. Memory is
bounded by the run size: the next run is generated while the current one is written, and the
peak is about 100 MB + 300 bytes per row of a run (~1.5 GB for the default 5M-row files; pass
more files to use less). By default all columns are strings and timestamps are ISO-8601
`YYYY-MM-DDTHH:MM:SS.ffffffZ`; with `native_timestamps` Parquet gets native `timestamp[us]`
columns (UTC, no time zone) and the unparseable timestamps become nulls. Parquet is
zstd-compressed, in row groups of 250k rows.

Usage::

    python scripts/generate_events.py --events 1000000 --out data/demo
    python scripts/generate_events.py --events 100000000 --out /tmp/big --files 20 --quiet

or, from Python, ``generate(1_000_000, Path("data/demo"))``.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from tqdm import tqdm

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
U8 = npt.NDArray[np.uint8]
I8 = npt.NDArray[np.int8]
U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]
BoolA = npt.NDArray[np.bool_]

# ---------------------------------------------------------------------------------------------
# Parameters of the model (see the module docstring)
# ---------------------------------------------------------------------------------------------

US = 1_000_000  # microseconds per second
DAY_US = 86_400 * US
DEFAULT_START = date(2024, 3, 4)
DEFAULT_DAYS = 28
EVENTS_PER_DEVICE = 250  # default device count = events / this
EVENTS_PER_FILE = 5_000_000  # default file count = ceil(events / this)
MAX_RUN_ROWS = 5_000_000  # rows generated and sorted together (bounds memory)
PARTS = 2  # the first run is generated in this many parts (by device), in parallel threads
SLICE_ROWS = 250_000  # rows rendered and written at a time (= Parquet row group)
PROGRESS_MIN_EVENTS = 1_000_000
FORMATS = {"parquet": ".parquet", "csv": ".csv", "ndjson": ".ndjson"}
COLUMNS = (
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

# Time zones (minutes east of UTC) and their share of the devices.
TZ_OFFSET_MIN = np.array([-300, 60, 330])
TZ_SHARE = np.array([0.40, 0.35, 0.25])
TZ_TEXT = tuple(
    f"{'-' if m < 0 else '+'}{abs(m) // 60:02d}:{abs(m) % 60:02d}" for m in TZ_OFFSET_MIN
)

# Platforms; per time zone the platform mix.
IOS, ANDROID, WEB = 0, 1, 2
PLATFORMS = ("ios", "android", "web")
PLATFORM_MIX = np.array([[0.55, 0.30, 0.15], [0.42, 0.45, 0.13], [0.15, 0.75, 0.10]])

# Activity.
ACTIVITY_SIGMA = 1.4
TOURIST_SHARE = 0.30
TOURIST_FACTOR = 0.1
MAX_ACTIVITY_VS_MEDIAN = 150.0
SESSION_EVENTS_BASE = 4.0  # mean events per session of a median device ...
SESSION_EVENTS_EXPONENT = 0.3  # ... times (activity / median) ** this
SESSION_EVENTS_RANGE = (2.0, 40.0)
INSTALLED_BEFORE_SHARE = 0.60
CHURN_SHARE = 0.25

# Identity: states and their probabilities per platform.
FROM_START, LOGS_IN_LATER, ANONYMOUS = 0, 1, 2
IDENTITY_MIX = np.array([[0.48, 0.25, 0.27], [0.48, 0.25, 0.27], [0.30, 0.20, 0.50]])
SHARED_ACCOUNT_SHARE = 0.04
SERVER_ROW_RATE = 0.0005  # of the rows with a user_id

# App versions: name, release (fraction of the period; None = before it).
VERSIONS = ("3.3.1", "3.4.0", "3.5.0", "3.5.1", "3.6.0")
RELEASE_AT = (None, None, 0.15, 0.30, 0.62)
STRAGGLER_SHARE = 0.12  # devices still on 3.3.1 when the period starts
UPDATE_LAG_DAYS = np.array([2.5, 5.0, 0.05])  # mean adoption lag per platform
SLOW_UPDATER_SHARE = 0.10
SLOW_UPDATER_FACTOR = 8.0

# Weekly and daily rhythm (local time). Weekday weights Monday..Sunday.
WEEKDAY_WEIGHT = np.array([0.97, 0.95, 0.96, 0.98, 1.04, 1.15, 1.12])
# Time-of-day mixture components: (weight, kind, a, b): kind 0 = normal(mean a, sd b hours),
# kind 1 = uniform(a, b hours). Values wrap around midnight.
TOD_WEEKDAY = (
    (0.24, 0, 8.2, 1.1),
    (0.12, 0, 12.7, 1.2),
    (0.40, 0, 20.6, 1.7),
    (0.18, 1, 7.0, 23.0),
    (0.06, 1, 0.0, 24.0),
)
TOD_WEEKEND = (
    (0.20, 0, 10.3, 1.5),
    (0.18, 0, 14.5, 2.0),
    (0.40, 0, 21.0, 1.8),
    (0.17, 1, 8.0, 24.0),
    (0.05, 1, 0.0, 24.0),
)
MIN_SESSION_SEPARATION_US = 120 * US

# Event names. Codes index EVENT_NAMES; padded and blank variants follow the clean names.
EVENT_NAMES = (
    "app_open",
    "screen_view",
    "button_tap",
    "search",
    "add_to_cart",
    "purchase",
    "app_background",
    "app_foreground",
    "login",
)
APP_OPEN, APP_BACKGROUND, APP_FOREGROUND, LOGIN = 0, 6, 7, 8
MIDDLE_EVENTS = np.array([1, 2, 3, 4, 5], dtype=np.int8)
MIDDLE_P = np.array([0.50, 0.36, 0.07, 0.045, 0.015])
END_BACKGROUND_P = np.array([0.72, 0.72, 0.45])  # per platform
MID_BG_RATE = 0.012
N_NAMES = len(EVENT_NAMES)  # code + N_NAMES: " name", code + 2 * N_NAMES: "name  "
NAME_BLANK = (3 * N_NAMES, 3 * N_NAMES + 1)  # "" and "   "

# Gaps between events (seconds): lognormal median, sigma, clip range.
GAP = (15.0, 1.1, 0.2, 600.0)
GAP_AFTER_BACKGROUND = (150.0, 0.8, 20.0, 1500.0)
GAP_BEFORE_END_BACKGROUND = (6.0, 1.0, 0.3, 300.0)

# Delivery.
LATENCY = (0.35, 0.9, 0.02, 120.0)
LATE_SESSION_RATE = 0.01
LATE_DELAY_HOURS = (5.0, 1.2, 1.0, 240.0)
SKEWED_CLOCK_SHARE = 0.04
SKEWED_CLOCK_SD_S = 20.0
BAD_CLOCK_SHARE = 0.005
BAD_CLOCK_MAX_S = 40 * 60

# Messiness.
DUPLICATE_RATE = 0.005
RETRY_DELAY = (20.0, 1.5, 0.001, 3 * 86_400.0)
MALFORMED_RATE = 0.001
# blank name, no identity, unparseable event_timestamp, event_timestamp after received_at
MALFORMED_KIND_P = np.array([0.25, 0.20, 0.30, 0.25])
PAD_NAME_RATE = 0.003
PAD_ID_RATE = 0.002
PAD_PLATFORM_RATE = 0.001
PAD_LEFT = ("", " ", "", "  ")  # padding kinds 1..3
PAD_RIGHT = ("", "", "  ", " ")


# ---------------------------------------------------------------------------------------------
# Small vectorised helpers
# ---------------------------------------------------------------------------------------------

_HEX = b"0123456789abcdef"
# 16-bit value -> its 4 hex characters, as the bytes of a little-endian uint32
_HEX4 = np.array(
    [
        int.from_bytes(bytes(_HEX[(i >> s) & 15] for s in (12, 8, 4, 0)), "little")
        for i in range(65_536)
    ],
    dtype="<u4",
)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix64(x: U64) -> U64:
    """SplitMix64 finaliser: a bijection of uint64 that looks random."""
    x = x ^ (x >> np.uint64(30))
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


def _hex4(value: U64, shift: int) -> npt.NDArray[np.uint32]:
    """The 16-bit word of value at `shift` as 4 hex characters (bytes of a little-endian u32)."""
    word = ((value >> np.uint64(shift)) & np.uint64(0xFFFF)).astype(np.intp)
    return _HEX4[word]


def _hex16(value: U64) -> U8:
    """uint64 -> (n, 16) lower-case hex characters."""
    out = np.empty((len(value), 4), dtype="<u4")
    for k in range(4):
        out[:, k] = _hex4(value, 48 - 16 * k)
    return out.view(np.uint8)


def _uuid_chars(hi: U64, lo: U64) -> U8:
    """Two random uint64 per row -> (n, 36) characters of version-4 UUIDs.

    A row is nine little-endian u32 of 4 characters each; the dashes at 8, 13, 18 and 23 make
    slots 2-5 straddle the hex words, so those are assembled with shifts.
    """
    hi = (hi & np.uint64(0xFFFF_FFFF_FFFF_0FFF)) | np.uint64(0x4000)
    lo = (lo & np.uint64(0x3FFF_FFFF_FFFF_FFFF)) | np.uint64(0x8000_0000_0000_0000)
    dash = np.uint32(ord("-"))
    out = np.empty((len(hi), 9), dtype="<u4")
    out[:, 0] = _hex4(hi, 48)
    out[:, 1] = _hex4(hi, 32)
    w2, w3, w4 = _hex4(hi, 16), _hex4(hi, 0), _hex4(lo, 48)
    out[:, 2] = dash | (w2 << np.uint32(8))
    out[:, 3] = (w2 >> np.uint32(24)) | (dash << np.uint32(8)) | (w3 << np.uint32(16))
    out[:, 4] = (w3 >> np.uint32(16)) | (dash << np.uint32(16)) | (w4 << np.uint32(24))
    out[:, 5] = (w4 >> np.uint32(8)) | (dash << np.uint32(24))
    out[:, 6] = _hex4(lo, 32)
    out[:, 7] = _hex4(lo, 16)
    out[:, 8] = _hex4(lo, 0)
    return out.view(np.uint8)


def _strings(chars: U8, lengths: I64 | None = None) -> pa.StringArray:
    """(n, w) ASCII bytes -> n strings: all of width w, or the first lengths[i] bytes of row i."""
    n, w = chars.shape
    if lengths is None:
        offsets = np.arange(0, w * (n + 1), w, dtype=np.int32)
        data = np.ascontiguousarray(chars)
    else:
        offsets = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
        data = chars[np.arange(w) < lengths[:, None]]
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def _iso_strings(
    us: I64, replace_rows: I64 | None = None, replacements: Sequence[bytes] = ()
) -> pa.StringArray:
    """Microseconds since the epoch -> 'YYYY-MM-DDTHH:MM:SS.ffffffZ' strings.

    Rows `replace_rows` (ascending) get the strings `replacements` instead.
    """
    n = len(us)
    text = pc.cast(pa.array(us.view("datetime64[us]")), pa.string())
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32, count=n + 1)
    if n and (offsets[0] != 0 or offsets[-1] != 26 * n):  # a year outside 1000..9999
        raise ValueError("timestamps must be between the years 1000 and 9999")
    chars = np.empty((n, 27), dtype=np.uint8)
    chars[:, :26] = np.frombuffer(text.buffers()[2], dtype=np.uint8, count=26 * n).reshape(n, 26)
    chars[:, 10] = ord("T")
    chars[:, 26] = ord("Z")
    if replace_rows is None or len(replace_rows) == 0:
        return _strings(chars)
    flat = chars.reshape(-1)
    pieces: list[U8] = []
    lengths = np.full(n, 27, dtype=np.int64)
    prev = 0
    for row, value in zip(replace_rows.tolist(), replacements, strict=True):
        pieces += [flat[27 * prev : 27 * row], np.frombuffer(value, dtype=np.uint8)]
        lengths[row] = len(value)
        prev = row + 1
    pieces.append(flat[27 * prev :])
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(np.concatenate(pieces))
    )


def _epoch_us(day: date) -> int:
    """Microseconds since the Unix epoch of midnight UTC of `day`."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()) * US


def _lognormal(
    rng: np.random.Generator, spec: tuple[float, float, float, float], n: int
) -> npt.NDArray[np.float32]:
    median, sigma, lo, hi = spec
    x = rng.standard_normal(n, dtype=np.float32)
    x *= np.float32(sigma)
    x += np.float32(math.log(median))
    np.exp(x, out=x)
    return np.clip(x, np.float32(lo), np.float32(hi), out=x)


def _categorical(rng: np.random.Generator, p: npt.ArrayLike, n: int) -> I64:
    cdf = np.cumsum(np.asarray(p, dtype=np.float64))
    cdf = (cdf / cdf[-1]).astype(np.float32)
    u = rng.random(n, dtype=np.float32)
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


def _time_of_day_hours(rng: np.random.Generator, weekend: BoolA) -> F64:
    """Local time of day (hours, [0, 24)) of session starts, from the daily rhythm."""
    out = np.empty(len(weekend))
    for flag, mixture in ((False, TOD_WEEKDAY), (True, TOD_WEEKEND)):
        idx = np.flatnonzero(weekend == flag)
        weight, kind, a, b = (np.array(col, dtype=np.float64) for col in zip(*mixture, strict=True))
        comp = _categorical(rng, weight, len(idx))
        normal = a[comp] + b[comp] * rng.standard_normal(len(idx))
        uniform = a[comp] + (b[comp] - a[comp]) * rng.random(len(idx))
        out[idx] = np.where(kind[comp] == 0, normal, uniform)
    return np.mod(out, 24.0)


def _segmented_cummax(values: I64, segment: I64, n_segments: int) -> I64:
    """Running maximum of values that restarts where the (non-decreasing) segment changes."""
    if len(values) == 0:
        return values.copy()
    base = int(values.min())
    rel = values - base
    span = int(rel.max()) + 1
    out = np.empty_like(values)
    per_block = max(1, (1 << 62) // span)  # segments that fit in int64 with offsets
    for first in range(0, n_segments, per_block):
        lo, hi = np.searchsorted(segment, [first, first + per_block])
        shift = (segment[lo:hi] - first) * span
        out[lo:hi] = np.maximum.accumulate(rel[lo:hi] + shift) - shift + base
    return out


# ---------------------------------------------------------------------------------------------
# Devices
# ---------------------------------------------------------------------------------------------


@dataclass
class Devices:
    """Per-device attributes, indexed by global device number."""

    platform: U8
    tz_offset_min: I64
    weight: F64
    session_events: F64
    first_day: F64
    last_day: F64
    identity: U8
    user: I32  # global user number, -1 = never logs in
    skew_us: I64
    upgrade_us: I64  # (devices, versions - 1): when the device has version >= v + 1
    device_ids: pa.StringArray
    user_ids: pa.StringArray
    days: int  # length of the period


def _make_devices(rng: np.random.Generator, m: int, start_us: int, days: int) -> Devices:
    tz = _categorical(rng, TZ_SHARE, m)
    platform = np.empty(m, dtype=np.uint8)
    for z in range(len(TZ_SHARE)):
        idx = np.flatnonzero(tz == z)
        platform[idx] = _categorical(rng, PLATFORM_MIX[z], len(idx))

    weight = rng.lognormal(0.0, ACTIVITY_SIGMA, m)
    weight[rng.random(m) < TOURIST_SHARE] *= TOURIST_FACTOR
    median = float(np.median(weight))
    weight = np.minimum(weight, MAX_ACTIVITY_VS_MEDIAN * median)
    session_events = np.clip(
        SESSION_EVENTS_BASE * (weight / median) ** SESSION_EVENTS_EXPONENT, *SESSION_EVENTS_RANGE
    )

    installed_before = rng.random(m) < INSTALLED_BEFORE_SHARE
    first_day = np.where(installed_before, 0.0, rng.uniform(0.0, max(days - 1, 0), m))
    churned = rng.random(m) < CHURN_SHARE
    last_day = np.where(churned, rng.uniform(first_day, days), float(days))
    last_day = np.minimum(np.maximum(last_day, first_day + 1.0), float(days))

    identity = np.empty(m, dtype=np.uint8)
    for p in range(len(PLATFORMS)):
        idx = np.flatnonzero(platform == p)
        identity[idx] = _categorical(rng, IDENTITY_MIX[p], len(idx))
    has_account = np.flatnonzero(identity != ANONYMOUS)
    user = np.full(m, -1, dtype=np.int32)
    user[has_account] = np.arange(len(has_account), dtype=np.int32)
    if len(has_account) > 1:
        second = has_account[rng.random(len(has_account)) < SHARED_ACCOUNT_SHARE]
        user[second] = user[rng.choice(has_account, len(second))]

    skew_s = np.zeros(m)
    u = rng.random(m)
    small = u < SKEWED_CLOCK_SHARE
    skew_s[small] = rng.normal(0.0, SKEWED_CLOCK_SD_S, int(small.sum()))
    bad = (u >= SKEWED_CLOCK_SHARE) & (u < SKEWED_CLOCK_SHARE + BAD_CLOCK_SHARE)
    skew_s[bad] = rng.uniform(-BAD_CLOCK_MAX_S, BAD_CLOCK_MAX_S, int(bad.sum()))
    skew_us = (np.clip(skew_s, -BAD_CLOCK_MAX_S, BAD_CLOCK_MAX_S) * US).astype(np.int64)

    # Version adoption: upgrade_us[:, v - 1] = when the device runs VERSIONS[v] or newer.
    lag_days = rng.exponential(1.0, (m, len(VERSIONS) - 1)) * UPDATE_LAG_DAYS[platform][:, None]
    lag_days[(rng.random(m) < SLOW_UPDATER_SHARE) & (platform != WEB)] *= SLOW_UPDATER_FACTOR
    release_day = np.array(
        [-60.0 if r is None else r * days for r in RELEASE_AT[1:]], dtype=np.float64
    )
    upgrade_day = release_day[None, :] + lag_days
    straggler = (rng.random(m) < STRAGGLER_SHARE) & (platform != WEB)
    upgrade_day[:, 0] = np.where(straggler, rng.uniform(0.0, 1.5 * days, m), -np.inf)
    install_day = np.where(installed_before, -np.inf, first_day)
    available = release_day[None, :] <= install_day[:, None]
    upgrade_day = np.where(available, np.minimum(upgrade_day, install_day[:, None]), upgrade_day)
    upgrade_day = np.maximum.accumulate(upgrade_day, axis=1)
    upgrade_us = np.full(upgrade_day.shape, np.iinfo(np.int64).min, dtype=np.int64)
    finite = np.isfinite(upgrade_day)
    upgrade_us[finite] = start_us + (upgrade_day[finite] * DAY_US).astype(np.int64)

    # Identifiers: iOS upper-case UUIDs (IDFV), Android 16 hex digits, web lower-case UUIDs.
    words = rng.integers(0, np.iinfo(np.uint64).max, (2, m), dtype=np.uint64, endpoint=True)
    chars = _uuid_chars(words[0], words[1])
    ios = platform == IOS
    chars[ios] -= ((chars[ios] >= ord("a")) * 32).astype(np.uint8)
    android = platform == ANDROID
    chars[android, :16] = _hex16(words[0][android])
    device_ids = _strings(chars, np.where(android, 16, 36).astype(np.int64))

    n_users = len(has_account)
    prime = 89_999_999  # a bijection of 0..prime-1, so user numbers are unique
    if n_users > prime:
        raise ValueError("too many devices: user ids would not be unique")
    a, b = int(rng.integers(1, prime)), int(rng.integers(0, prime))
    numbers = (np.arange(n_users, dtype=np.int64) * a + b) % prime + 10_000_000
    user_chars = np.empty((n_users, 9), dtype=np.uint8)
    user_chars[:, 0] = ord("u")
    for k in range(8, 0, -1):
        numbers, digit = np.divmod(numbers, 10)
        user_chars[:, k] = digit + ord("0")
    user_ids = _strings(user_chars)

    return Devices(
        platform=platform,
        tz_offset_min=TZ_OFFSET_MIN[tz].astype(np.int64),
        weight=weight,
        session_events=session_events,
        first_day=first_day,
        last_day=last_day,
        identity=identity,
        user=user,
        skew_us=skew_us,
        upgrade_us=upgrade_us,
        device_ids=device_ids,
        user_ids=user_ids,
        days=days,
    )


# ---------------------------------------------------------------------------------------------
# One run: a block of devices with an exact number of rows, generated and sorted together
# ---------------------------------------------------------------------------------------------


@dataclass
class Run:
    """Rows of a run as numbers and codes; `order` sorts them by received_at."""

    device: I32  # code into device_dictionary, -1 = null
    user: I32  # code into user_dictionary, -1 = null
    name: I8  # code into the event name dictionary
    platform: I8  # code into the platform dictionary, -1 = null
    version: I8  # code into VERSIONS, -1 = null
    zone: I8  # code into TZ_TEXT, -1 = null
    event_us: I64
    received_us: I64
    id_key: U64  # event_id = UUID from mixing this with the salts; duplicates share it
    bad_timestamp: U8  # 0 = fine, else 1 + index into the unparseable strings
    order: I64
    device_dictionary: pa.StringArray
    user_dictionary: pa.StringArray
    salt: tuple[int, int]
    duplicates: int = 0
    malformed: int = 0

    def __len__(self) -> int:
        return len(self.order)


def _place_sessions(
    rng: np.random.Generator,
    dv: Devices,
    lo: int,
    sess_dev: I32,
    sess_dur_us: I64,
    n_devices: int,
    start_us: int,
    days: int,
    start_weekday: int,
) -> I64:
    """Start times (µs) of sessions of devices lo + sess_dev (non-decreasing, local numbers)."""
    s = len(sess_dev)
    first, last = dv.first_day[lo + sess_dev], dv.last_day[lo + sess_dev]
    day = np.zeros(s, dtype=np.int64)
    todo = np.arange(s)
    for attempt in range(10):  # rejection sampling for the weekly rhythm
        d = np.floor(first[todo] + rng.random(len(todo)) * (last[todo] - first[todo]))
        d = d.astype(np.int64)
        accept = (
            rng.random(len(todo)) * WEEKDAY_WEIGHT.max() < WEEKDAY_WEIGHT[(start_weekday + d) % 7]
        )
        if attempt == 9:
            accept[:] = True
        day[todo[accept]] = d[accept]
        todo = todo[~accept]
        if len(todo) == 0:
            break
    weekend = (start_weekday + day) % 7 >= 5
    tod_us = (_time_of_day_hours(rng, weekend) * 3600 * US).astype(np.int64)
    start = start_us + day * DAY_US + tod_us - dv.tz_offset_min[lo + sess_dev] * 60 * US
    # Local days stick out of the UTC period by the time zone offset; move those starts a week
    # in (same weekday and time of day), or a day for periods shorter than a week.
    end_us = start_us + days * DAY_US
    shift = (7 if days >= 7 else 1) * DAY_US
    start += np.where(start < start_us, shift, 0) - np.where(start >= end_us, shift, 0)

    # The k-th session of a device gets the device's k-th earliest start ...
    start = start[np.lexsort((start, sess_dev))]
    # ... and is pushed back until it starts after the previous one ended:
    # s'_i = max(s_i, s'_{i-1} + step_{i-1}) = C_{i-1} + max_{j<=i}(s_j - C_{j-1}).
    step = sess_dur_us + MIN_SESSION_SEPARATION_US
    before = np.cumsum(step) - step
    first_of_dev = np.r_[0, np.flatnonzero(np.diff(sess_dev)) + 1]
    dev_base = np.zeros(n_devices, dtype=np.int64)
    dev_base[sess_dev[first_of_dev]] = before[first_of_dev]
    before -= dev_base[sess_dev]
    return before + _segmented_cummax(start - before, sess_dev.astype(np.int64), n_devices)


def _rate_rows(rng: np.random.Generator, eligible: BoolA, rate: float) -> I64:
    """A random `rate` share of the eligible rows (row numbers)."""
    rows = np.flatnonzero(eligible)
    k = int(rng.binomial(len(rows), rate)) if len(rows) else 0
    return np.sort(rng.choice(rows, k, replace=False)) if k else rows[:0]


def _padded_dictionary(
    values: pa.StringArray, codes: I32, rows: I64, rng: np.random.Generator
) -> pa.StringArray:
    """Append padded copies of values[codes[rows]] to values; point codes[rows] at them."""
    kinds = rng.integers(1, len(PAD_LEFT), len(rows))
    padded = pc.binary_join_element_wise(
        pa.array(PAD_LEFT).take(pa.array(kinds)),
        values.take(pa.array(codes[rows])),
        pa.array(PAD_RIGHT).take(pa.array(kinds)),
        "",
    )
    codes[rows] = len(values) + np.arange(len(rows), dtype=np.int32)
    return pa.concat_arrays([values, padded.cast(pa.string()), pa.array(["  "])])


def _generate_part(
    rng: np.random.Generator, dv: Devices, lo: int, hi: int, rows: int, start: date
) -> Run:
    """Exactly `rows` rows for devices lo..hi-1."""
    start_us = _epoch_us(start)
    nd = hi - lo
    n_dup = min(int(rng.binomial(rows, DUPLICATE_RATE)), rows - 1)
    n = rows - n_dup

    # Events per device: at least one each, the rest by activity.
    w = dv.weight[lo:hi] / dv.weight[lo:hi].sum()
    counts = rng.multinomial(n - nd, w) + 1 if n >= nd else rng.multinomial(n, w)
    dev = np.repeat(np.arange(nd, dtype=np.int32), counts)  # local device number

    # Sessions: geometric lengths.
    new = rng.random(n, dtype=np.float32) * dv.session_events[lo:hi].astype(np.float32)[dev] < 1
    new[(np.cumsum(counts) - counts)[counts > 0]] = True
    sess_first = np.flatnonzero(new).astype(np.int32)
    del new
    s = len(sess_first)
    sess_len = np.diff(np.r_[sess_first, np.int32(n)]).astype(np.int32)
    sess_dev = dev[sess_first]
    ev_sess = np.repeat(np.arange(s, dtype=np.int32), sess_len)
    pos = np.arange(n, dtype=np.int32) - sess_first[ev_sess]
    ev_len = sess_len[ev_sess]
    plat_dev = dv.platform[lo:hi]

    # Event names.
    name = MIDDLE_EVENTS[_categorical(rng, MIDDLE_P, n)]
    name[sess_first] = APP_OPEN
    end_bg = (sess_len >= 2) & (rng.random(s) < END_BACKGROUND_P[plat_dev[sess_dev]])
    end_bg_ev = (sess_first + sess_len - 1)[end_bg]
    name[end_bg_ev] = APP_BACKGROUND
    mid_bg = (pos >= 2) & (pos <= ev_len - 3) & (rng.random(n, dtype=np.float32) < MID_BG_RATE)
    mid_bg[1:] &= ~mid_bg[:-1]
    mid_bg = np.flatnonzero(mid_bg)
    name[mid_bg] = APP_BACKGROUND
    name[mid_bg + 1] = APP_FOREGROUND

    # Gaps and offsets within the session.
    gap = _lognormal(rng, GAP, n)
    gap[mid_bg + 1] = _lognormal(rng, GAP_AFTER_BACKGROUND, len(mid_bg))
    gap[end_bg_ev] = _lognormal(rng, GAP_BEFORE_END_BACKGROUND, len(end_bg_ev))
    gap[sess_first] = 0.0
    gap *= np.float32(US)
    offset = np.cumsum(gap.astype(np.int64))
    del gap, mid_bg, end_bg_ev
    offset -= offset[sess_first][ev_sess]
    sess_dur = offset[sess_first + sess_len - 1]
    sess_start = _place_sessions(
        rng, dv, lo, sess_dev, sess_dur, nd, start_us, dv.days, start.weekday()
    )

    # Identity: from the login session on (from its second event), rows carry the user_id.
    sess_count = np.bincount(sess_dev, minlength=nd)
    rank = (
        np.arange(s, dtype=np.int32)
        - (np.cumsum(sess_count) - sess_count).astype(np.int32)[sess_dev]
    )
    identity = dv.identity[lo:hi]
    login_sess = np.floor(rng.random(nd) * sess_count).astype(np.int32)
    login_sess[identity == FROM_START] = -1
    login_sess[identity == ANONYMOUS] = np.iinfo(np.int32).max
    login_first = np.where(sess_len >= 2, 1, 0).astype(np.int32)
    is_login = rank == login_sess[sess_dev]
    name[(sess_first + 1)[is_login & (sess_len >= 3)]] = LOGIN
    ev_rank, ev_login = rank[ev_sess], login_sess[dev]
    has_user = (ev_rank > ev_login) | ((ev_rank == ev_login) & (pos >= login_first[ev_sess]))
    del ev_rank, ev_login, pos, ev_len, rank
    # Users are coded per run: run_users[code] is the global user number.
    dev_user = dv.user[lo:hi]
    run_users = np.unique(dev_user[dev_user >= 0])
    dev_user_code = np.where(dev_user >= 0, np.searchsorted(run_users, dev_user), -1)
    user = np.where(has_user, dev_user_code.astype(np.int32)[dev], np.int32(-1))
    del has_user

    # Times: event time (with the device's clock error), received_at (latency, late delivery).
    true_us = sess_start[ev_sess] + offset
    del offset
    event_us = true_us + dv.skew_us[lo:hi][dev]
    web = np.flatnonzero(plat_dev[dev] == WEB)
    event_us[web] -= event_us[web] % 1000
    del web
    latency = _lognormal(rng, LATENCY, n)
    latency *= np.float32(US)
    received_us = true_us + latency.astype(np.int64)
    del true_us, latency
    late = np.flatnonzero(rng.random(s) < LATE_SESSION_RATE)
    if len(late):
        delay_us = np.zeros(s, dtype=np.int64)
        hours = _lognormal(rng, LATE_DELAY_HOURS, len(late)).astype(np.float64)
        delay_us[late] = (hours * 3600 * US).astype(np.int64)
        received_us += delay_us[ev_sess]

    # Version per session, platform per device.
    upgrades = dv.upgrade_us[lo + sess_dev]
    sess_version = (upgrades <= sess_start[:, None]).sum(axis=1).astype(np.int8)
    version = sess_version[ev_sess]
    platform = plat_dev.astype(np.int8)[dev]
    zone = np.searchsorted(TZ_OFFSET_MIN, dv.tz_offset_min[lo:hi]).astype(np.int8)[dev]
    device = dev
    del ev_sess

    server = _rate_rows(rng, user >= 0, SERVER_ROW_RATE)
    device[server] = -1
    platform[server] = -1
    version[server] = -1
    zone[server] = -1

    # Duplicates: the same row re-sent later.
    id_key = np.arange(rows, dtype=np.uint64)
    if n_dup:
        src = np.sort(rng.integers(0, n, n_dup))
        retry = _lognormal(rng, RETRY_DELAY, n_dup).astype(np.float64)
        retry_us = np.maximum((retry * US).astype(np.int64), 1000)
        device = np.r_[device, device[src]]
        user = np.r_[user, user[src]]
        name = np.r_[name, name[src]]
        platform = np.r_[platform, platform[src]]
        version = np.r_[version, version[src]]
        zone = np.r_[zone, zone[src]]
        event_us = np.r_[event_us, event_us[src]]
        received_us = np.r_[received_us, received_us[src] + retry_us]
        id_key[n:] = src

    # Malformed rows.
    bad_timestamp = np.zeros(rows, dtype=np.uint8)
    bad = _rate_rows(rng, np.ones(rows, dtype=bool), MALFORMED_RATE)
    kind = _categorical(rng, MALFORMED_KIND_P, len(bad))
    blank_name = bad[kind == 0]
    name[blank_name] = np.array(NAME_BLANK, dtype=np.int8)[rng.integers(0, 2, len(blank_name))]
    no_identity = bad[kind == 1]
    device[no_identity] = -1
    user[no_identity] = -1
    blank_device = no_identity[rng.random(len(no_identity)) < 0.3]
    unparseable = bad[kind == 2]
    bad_timestamp[unparseable] = rng.integers(1, len(_unparseable(start)) + 1, len(unparseable))
    future = bad[kind == 3]
    ahead_s = np.where(
        rng.random(len(future)) < 0.5,
        rng.uniform(2 * 3600, 10 * 86_400, len(future)),
        rng.uniform(360 * 86_400, 370 * 86_400, len(future)),
    )
    event_us[future] = received_us[future] + (ahead_s * US).astype(np.int64)

    # Whitespace padding: padded variants are extra dictionary entries.
    pad = _rate_rows(rng, name < N_NAMES, PAD_NAME_RATE)
    name[pad] += (N_NAMES * rng.integers(1, 3, len(pad))).astype(np.int8)
    pad = _rate_rows(rng, platform >= 0, PAD_PLATFORM_RATE)
    platform[pad] += len(PLATFORMS)
    device_dictionary = _padded_dictionary(
        dv.device_ids.slice(lo, nd), device, _rate_rows(rng, device >= 0, PAD_ID_RATE), rng
    )
    device[blank_device] = len(device_dictionary) - 1
    user_dictionary = _padded_dictionary(
        dv.user_ids.take(pa.array(run_users)), user, _rate_rows(rng, user >= 0, PAD_ID_RATE), rng
    )

    salt = rng.integers(0, np.iinfo(np.uint64).max, 2, dtype=np.uint64, endpoint=True)
    return Run(
        device=device,
        user=user,
        name=name,
        platform=platform,
        version=version,
        zone=zone,
        event_us=event_us,
        received_us=received_us,
        id_key=id_key,
        bad_timestamp=bad_timestamp,
        order=np.argsort(received_us, kind="stable"),
        device_dictionary=device_dictionary,
        user_dictionary=user_dictionary,
        salt=(int(salt[0]), int(salt[1])),
        duplicates=n_dup,
        malformed=len(bad),
    )


def _merge(parts: Sequence[Run]) -> Run:
    """One run from parts (of disjoint devices), ordered by received_at."""
    if len(parts) == 1:
        return parts[0]

    def offsets(sizes: Sequence[int]) -> list[int]:
        return [int(x) for x in np.cumsum([0, *sizes[:-1]])]

    rows = offsets([len(p) for p in parts])
    devs = offsets([len(p.device_dictionary) for p in parts])
    users = offsets([len(p.user_dictionary) for p in parts])
    received_sorted = np.concatenate([p.received_us[p.order] for p in parts])
    order = np.concatenate([p.order + off for p, off in zip(parts, rows, strict=True)])
    return Run(
        device=np.concatenate(
            [
                np.where(p.device >= 0, p.device + off, -1)
                for p, off in zip(parts, devs, strict=True)
            ]
        ).astype(np.int32),
        user=np.concatenate(
            [np.where(p.user >= 0, p.user + off, -1) for p, off in zip(parts, users, strict=True)]
        ).astype(np.int32),
        name=np.concatenate([p.name for p in parts]),
        platform=np.concatenate([p.platform for p in parts]),
        version=np.concatenate([p.version for p in parts]),
        zone=np.concatenate([p.zone for p in parts]),
        event_us=np.concatenate([p.event_us for p in parts]),
        received_us=np.concatenate([p.received_us for p in parts]),
        id_key=np.concatenate(
            [p.id_key + np.uint64(off) for p, off in zip(parts, rows, strict=True)]
        ),
        bad_timestamp=np.concatenate([p.bad_timestamp for p in parts]),
        # the parts are sorted runs: a stable sort merges them in linear time
        order=order[np.argsort(received_sorted, kind="stable")],
        device_dictionary=pa.concat_arrays([p.device_dictionary for p in parts]),
        user_dictionary=pa.concat_arrays([p.user_dictionary for p in parts]),
        salt=parts[0].salt,
        duplicates=sum(p.duplicates for p in parts),
        malformed=sum(p.malformed for p in parts),
    )


def _submit_run(
    pool: ThreadPoolExecutor,
    seed: int,
    key: tuple[int, int],
    dv: Devices,
    lo: int,
    hi: int,
    rows: int,
    start: date,
    parts: int,
) -> list[Future[Run]]:
    """Start generating a run on the pool, in `parts` parts (split by device)."""
    n_parts = max(1, min(parts, hi - lo, rows))
    dev_edges = np.cumsum([lo, *_split(hi - lo, n_parts)])
    futures = []
    for p, part_rows in enumerate(_split(rows, n_parts)):
        rng = np.random.default_rng(np.random.SeedSequence([seed, 1, *key, p]))
        a, b = int(dev_edges[p]), int(dev_edges[p + 1])
        futures.append(pool.submit(_generate_part, rng, dv, a, b, part_rows, start))
    return futures


# ---------------------------------------------------------------------------------------------
# Rendering rows to Arrow
# ---------------------------------------------------------------------------------------------


def _unparseable(start: date) -> tuple[str, ...]:
    y = start.year
    return (
        f"{y}-02-30T10:00:00Z",
        "not a time",
        start.isoformat(),
        f"{start.isoformat()}T24:00:00Z",
        f"{y}-06-30T23:59:60Z",
        str(_epoch_us(start) // US + 36_000),
        "",
        f"{start.day:02d}/{start.month:02d}/{y} 10:00",
    )


NAME_DICTIONARY = pa.array(
    list(EVENT_NAMES)
    + [" " + x for x in EVENT_NAMES]
    + [x + "  " for x in EVENT_NAMES]
    + ["", "   "]
)
PLATFORM_DICTIONARY = pa.array(list(PLATFORMS) + [p + " " for p in PLATFORMS])
VERSION_DICTIONARY = pa.array(list(VERSIONS))
ZONE_DICTIONARY = pa.array(list(TZ_TEXT))
_DICT8 = pa.dictionary(pa.int8(), pa.string())


def _schema(native_timestamps: bool, dictionaries: bool) -> pa.Schema:
    """The written schema; `dictionaries`: the low-cardinality columns as dictionary arrays."""
    ts = pa.timestamp("us") if native_timestamps else pa.string()
    types = {"event_timestamp": ts, "received_at": ts}
    if dictionaries:
        types |= {
            "event_name": _DICT8, "platform": _DICT8, "app_version": _DICT8, "timezone": _DICT8
        }  # fmt: skip
    return pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])


def _dictionary_array(codes: npt.NDArray[Any], dictionary: pa.Array) -> pa.DictionaryArray:
    null = codes < 0
    indices = pa.array(codes, mask=null) if null.any() else pa.array(codes)
    return pa.DictionaryArray.from_arrays(indices, dictionary)


def _render(run: Run, lo: int, hi: int, unparseable: Sequence[bytes], native: bool) -> pa.Table:
    idx = run.order[lo:hi]
    key = run.id_key[idx] * _GOLDEN
    event_id = _uuid_chars(
        _mix64(key + np.uint64(run.salt[0])), _mix64(key ^ np.uint64(run.salt[1]))
    )
    del key
    bad = run.bad_timestamp[idx]
    bad_rows = np.flatnonzero(bad)
    if native:
        event_ts: pa.Array = pa.array(
            run.event_us[idx].view("datetime64[us]"), mask=bad > 0 if len(bad_rows) else None
        )
        received: pa.Array = pa.array(run.received_us[idx].view("datetime64[us]"))
    else:
        event_ts = _iso_strings(
            run.event_us[idx], bad_rows, [unparseable[b - 1] for b in bad[bad_rows]]
        )
        received = _iso_strings(run.received_us[idx])
    columns = [
        _strings(event_id),
        _dictionary_array(run.device[idx], run.device_dictionary).cast(pa.string()),
        _dictionary_array(run.user[idx], run.user_dictionary).cast(pa.string()),
        _dictionary_array(run.name[idx], NAME_DICTIONARY),
        event_ts,
        received,
        _dictionary_array(run.platform[idx], PLATFORM_DICTIONARY),
        _dictionary_array(run.version[idx], VERSION_DICTIONARY),
        _dictionary_array(run.zone[idx], ZONE_DICTIONARY),
    ]
    return pa.Table.from_arrays(columns, schema=_schema(native, dictionaries=True))


def _decoded(table: pa.Table) -> pa.Table:
    """Dictionary columns as plain strings."""
    return pa.Table.from_arrays(
        [
            col.cast(pa.string()) if pa.types.is_dictionary(col.type) else col
            for col in table.columns
        ],
        names=table.column_names,
    )


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------


class _Sink:
    """Writes tables to `path` through a temporary file, renamed when closed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp")

    def write(self, table: pa.Table) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self._close()
        os.replace(self.tmp, self.path)


class _ParquetSink(_Sink):
    def __init__(self, path: Path, schema: pa.Schema, metadata: dict[str, str]) -> None:
        super().__init__(path)
        encoding = {"event_id": "DELTA_LENGTH_BYTE_ARRAY"}
        if schema.field("event_timestamp").type == pa.string():
            encoding |= {c: "DELTA_BYTE_ARRAY" for c in ("event_timestamp", "received_at")}
        self.writer = pq.ParquetWriter(
            self.tmp,
            schema.with_metadata(metadata),
            compression="zstd",
            use_dictionary=[
                "device_id",
                "user_id",
                "event_name",
                "platform",
                "app_version",
                "timezone",
            ],
            column_encoding=encoding,
            write_statistics=["event_timestamp", "received_at"],
            store_schema=False,  # readers see plain string columns, not dictionaries
        )

    def write(self, table: pa.Table) -> None:
        self.writer.write_table(table, row_group_size=len(table))

    def _close(self) -> None:
        self.writer.close()


class _CsvSink(_Sink):
    def __init__(self, path: Path, schema: pa.Schema) -> None:
        super().__init__(path)
        self.writer = pacsv.CSVWriter(self.tmp, schema)

    def write(self, table: pa.Table) -> None:
        self.writer.write_table(_decoded(table))

    def _close(self) -> None:
        self.writer.close()


class _NdjsonSink(_Sink):
    """Newline-delimited JSON built with Arrow string kernels (no value needs escaping)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.file = open(self.tmp, "wb")  # noqa: SIM115 - closed in _close

    def write(self, table: pa.Table) -> None:
        # Separators carry the keys and the quotes of columns without nulls; a column with
        # nulls is quoted per value and its nulls become a bare null.
        parts: list[Any] = []
        sep = ""
        for i, name in enumerate(table.column_names):
            values = table.column(name).combine_chunks().cast(pa.string())
            sep += ("{" if i == 0 else ",") + f'"{name}":'
            if values.null_count == 0:
                parts += [sep + '"', values]
                sep = '"'
            else:
                quoted = pc.binary_join_element_wise('"', values, '"', "")
                parts += [sep, pc.fill_null(quoted, "null")]
                sep = ""
        lines = pc.binary_join_element_wise(*parts, sep + "}\n", "")
        assert lines.null_count == 0
        offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1)
        self.file.write(memoryview(lines.buffers()[2])[offsets[0] : offsets[-1]])

    def _close(self) -> None:
        self.file.close()


def _open_sink(fmt: str, path: Path, native: bool, metadata: dict[str, str]) -> _Sink:
    if fmt == "parquet":
        return _ParquetSink(path, _schema(native, dictionaries=True), metadata)
    if fmt == "csv":
        return _CsvSink(path, _schema(native, dictionaries=False))
    return _NdjsonSink(path)


class _Pipeline:
    """Runs writes on one background thread, at most `depth` tables in flight, in order."""

    def __init__(self, on_done: Callable[[int], None], depth: int = 2) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="writer")
        self.pending: deque[tuple[Future[None], int]] = deque()
        self.on_done = on_done
        self.depth = depth

    def submit(self, fn: Callable[..., None], *args: object, rows: int = 0) -> None:
        while len(self.pending) >= self.depth:
            self._finish_one()
        self.pending.append((self.pool.submit(fn, *args), rows))

    def _finish_one(self) -> None:
        future, rows = self.pending.popleft()
        future.result()
        if rows:
            self.on_done(rows)

    def drain(self) -> None:
        while self.pending:
            self._finish_one()

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------------------------
# Planning and the public API
# ---------------------------------------------------------------------------------------------


@dataclass
class Result:
    paths: list[Path]
    events: int
    duplicates: int
    malformed: int
    devices: int
    seconds: float


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _plan(events: int, files: int, devices: int) -> list[list[tuple[int, int, int]]]:
    """Per file, its runs as (first device, end device, rows)."""
    plan: list[list[tuple[int, int, int]]] = []
    dev_edges = np.cumsum([0, *_split(devices, files)])
    for f, rows in enumerate(_split(events, files)):
        lo, hi = int(dev_edges[f]), int(dev_edges[f + 1])
        n_runs = max(1, min(math.ceil(rows / MAX_RUN_ROWS), hi - lo))
        run_edges = np.cumsum([lo, *_split(hi - lo, n_runs)])
        plan.append(
            [
                (int(run_edges[r]), int(run_edges[r + 1]), run_rows)
                for r, run_rows in enumerate(_split(rows, n_runs))
            ]
        )
    return plan


_OUR_FILES = re.compile(r"^\.?events-\d{5}\.(parquet|csv|ndjson)(\.tmp)?$")


def run_generation(
    events: int,
    out_dir: Path,
    fmt: str = "parquet",
    files: int | None = None,
    seed: int = 42,
    start: date = DEFAULT_START,
    days: int | None = None,
    devices: int | None = None,
    progress: bool = True,
    native_timestamps: bool = False,
) -> Result:
    """Like `generate`, but returns counts and timing too."""
    t0 = time.perf_counter()
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if events < 1:
        raise ValueError(f"events must be at least 1, got {events}")
    files = files if files is not None else max(1, math.ceil(events / EVENTS_PER_FILE))
    days = days if days is not None else DEFAULT_DAYS
    devices = devices if devices is not None else max(files, round(events / EVENTS_PER_DEVICE))
    if not 1 <= files <= min(events, devices):
        raise ValueError(f"files must be between 1 and min(events, devices), got {files}")
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if native_timestamps and fmt != "parquet":
        raise ValueError("native timestamps are only for parquet")

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():  # stale output of an earlier run would join the glob
        if _OUR_FILES.match(old.name) and old.is_file():
            old.unlink()

    dv = _make_devices(
        np.random.default_rng(np.random.SeedSequence([seed, 0])), devices, _epoch_us(start), days
    )
    unparseable = [x.encode() for x in _unparseable(start)]
    metadata = {
        "generator": "scripts/generate_events.py",
        "seed": str(seed),
        "start": start.isoformat(),
        "days": str(days),
        "devices": str(devices),
    }

    show = progress and events >= PROGRESS_MIN_EVENTS
    bar = tqdm(
        total=events, unit="ev", unit_scale=True, desc="events", disable=True if not show else None
    )
    pipeline = _Pipeline(bar.update)
    generators = ThreadPoolExecutor(max_workers=PARTS, thread_name_prefix="generate")
    jobs = [
        (f, r, lo, hi, rows, r == len(runs) - 1)
        for f, runs in enumerate(_plan(events, files, devices))
        for r, (lo, hi, rows) in enumerate(runs)
    ]
    paths: list[Path] = []
    duplicates = malformed = 0
    try:
        # The first run is generated in parallel parts (there is nothing else to do meanwhile);
        # each later run in one piece, in the background while the previous one is written.
        upcoming = _submit_run(generators, seed, jobs[0][:2], dv, *jobs[0][2:5], start, PARTS)
        for k, (f, r, _, _, _, last_of_file) in enumerate(jobs):
            run = _merge([future.result() for future in upcoming])
            if k + 1 < len(jobs):
                nxt = jobs[k + 1]
                upcoming = _submit_run(generators, seed, nxt[:2], dv, *nxt[2:5], start, 1)
            if r == 0:
                path = out_dir / f"events-{f:05d}{FORMATS[fmt]}"
                sink = _open_sink(fmt, path, native_timestamps, metadata)
                paths.append(path)
            duplicates += run.duplicates
            malformed += run.malformed
            for i in range(0, len(run), SLICE_ROWS):
                j = min(i + SLICE_ROWS, len(run))
                table = _render(run, i, j, unparseable, native_timestamps)
                pipeline.submit(sink.write, table, rows=j - i)
            del run
            if last_of_file:
                pipeline.submit(sink.close)
        pipeline.drain()
    finally:
        generators.shutdown(wait=True, cancel_futures=True)
        pipeline.shutdown()
        bar.close()
    return Result(paths, events, duplicates, malformed, devices, time.perf_counter() - t0)


def generate(
    events: int,
    out_dir: Path,
    fmt: str = "parquet",
    files: int | None = None,
    seed: int = 42,
    start: date = DEFAULT_START,
    days: int | None = None,
    devices: int | None = None,
    progress: bool = True,
    native_timestamps: bool = False,
) -> list[Path]:
    """Write `events` rows of raw app events into `out_dir` and return the file paths.

    fmt: "parquet", "csv" or "ndjson". files: number of files (default: one per ~5M events).
    days: length of the period starting at `start` (default 28). devices: number of devices
    (default: one per 250 events). progress: a tqdm bar for runs of 1M+ events (on a terminal).
    native_timestamps: Parquet timestamp columns instead of ISO strings. The same arguments
    always give the same rows. Files named events-NNNNN.<ext> already in `out_dir` (of any
    format) are deleted first, so that a glob over the directory sees only this run.
    """
    return run_generation(
        events,
        out_dir,
        fmt=fmt,
        files=files,
        seed=seed,
        start=start,
        days=days,
        devices=devices,
        progress=progress,
        native_timestamps=native_timestamps,
    ).paths


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Generate raw app-event export files (see docs/contract.md).",
    )
    parser.add_argument("--events", type=int, required=True, help="rows to write, in total")
    parser.add_argument("--out", type=Path, required=True, help="output directory (created)")
    parser.add_argument("--format", choices=list(FORMATS), default="parquet")
    parser.add_argument("--files", type=int, help="number of files (default: one per ~5M)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--start", type=date.fromisoformat, default=DEFAULT_START, help="first day (UTC)"
    )
    parser.add_argument("--days", type=int, help=f"length of the period (default {DEFAULT_DAYS})")
    parser.add_argument(
        "--devices", type=int, help=f"number of devices (default events/{EVENTS_PER_DEVICE})"
    )
    parser.add_argument(
        "--native-timestamps",
        action="store_true",
        help="parquet only: timestamp[us] columns; unparseable timestamps become null",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bar (the summary line is still printed)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        result = run_generation(
            args.events,
            args.out,
            fmt=args.format,
            files=args.files,
            seed=args.seed,
            start=args.start,
            days=args.days,
            devices=args.devices,
            progress=not args.quiet,
            native_timestamps=args.native_timestamps,
        )
    except ValueError as exc:
        print(f"generate_events.py: error: {exc}", file=sys.stderr)
        return 2
    rate = result.events / result.seconds if result.seconds > 0 else float("inf")
    print(
        f"wrote {result.events:,} events ({result.duplicates:,} duplicates, "
        f"{result.malformed:,} malformed, {result.devices:,} devices) to {len(result.paths)} "
        f"{args.format} file(s) in {args.out} in {result.seconds:.2f}s "
        f"({rate / 1e6:.2f}M events/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
