"""Small app event exports in each vendor's delivery shape, and the contract rows they stand for.

``generate_app_events`` makes the events of a few devices over three days (sessions ended by
inactivity and by the app going to the background, users logging in, a user on two devices,
server-side events without a device, upper-case iOS device ids, devices in several time zones,
copies of events delivered again, late events, identify calls and a few bad rows). ``write_export``
writes them as one vendor's files, in the layout that vendor documents (macros/formats/ cites
the pages), and returns the raw contract rows the format must read from them: what
tests/reference/contract.py takes. The writers encode; the models decode: the two are written
independently, so a test comparing the build with the reference checks the mapping.

Each event set is split into deliveries: ``first`` (two files) and ``late`` (one file of events
that arrived later: late events, and copies of delivered events).
"""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from tests.reference.contract import Config

EPOCH = datetime(1970, 1, 1)
START = datetime(2024, 3, 9, 6, 0, 0)  # over the US change to summer time (2024-03-10)
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "UTC")
GA4_OFFSETS = (3600, -18000, 19800, 34200, 0, 20700)  # +01:00 ... +05:45
SCREENS = ("Home", "Search", "Product", "Cart")
ACTIONS = ("Product Viewed", "Added To Cart", "Search Performed")


@dataclass
class AppEvent:
    """One event as the app sent it; None where the export has no value."""

    event_id: str | None
    device_id: str | None
    user_id: str | None
    name: str | None
    at: datetime | None  # naive UTC
    received: datetime | None
    platform: str | None
    version: str | None
    zone: int | str | None  # IANA name, or GA4's offset in seconds
    kind: str = "track"  # track, screen, identify
    bad_timestamp: str | None = None  # text written in place of the time
    delivery: str = "first"
    extra: dict[str, Any] = field(default_factory=dict)


VENDOR_DEFAULTS: dict[str, Config] = {
    "segment": Config(background_event_names=("Application Backgrounded",)),
    "amplitude": Config(background_event_names=("[Amplitude] Application Backgrounded",)),
    "mixpanel": Config(
        background_event_names=("$ae_session",),
        epoch_units=(("event_timestamp", "s"), ("received_at", "ms")),
    ),
    "ga4": Config(
        background_event_names=("app_background",), epoch_units=(("event_timestamp", "us"),)
    ),
    "posthog": Config(background_event_names=("Application Backgrounded",)),
}
"""The reference's configuration that each format's defaults amount to."""

IDENTIFY_NAMES = {"amplitude": "$identify", "mixpanel": "$identify", "posthog": "$identify"}


def generate_app_events(seed: int, vendor: str) -> list[AppEvent]:
    """The events of eight devices and one server over three days, for `vendor`."""
    rng = random.Random(seed)
    background = VENDOR_DEFAULTS[vendor].background_event_names[0]
    whole_seconds = vendor == "mixpanel"  # the export's time is in seconds
    has_ids = vendor != "ga4"
    events: list[AppEvent] = []
    counter = 0

    def new_id() -> str | None:
        nonlocal counter
        counter += 1
        return f"{rng.getrandbits(128):032x}-{counter}" if has_ids else None

    for device_no in range(8):
        ios = device_no % 2 == 0
        device = (
            f"{rng.getrandbits(128):032X}"  # an iOS identifierForVendor: upper-case hex
            if ios
            else f"android-{rng.getrandbits(48):012x}"
        )
        if vendor in ("segment", "posthog", "mixpanel") and ios:
            device = "-".join((device[:8], device[8:12], device[12:16], device[16:20], device[20:]))
        platform = "iOS" if ios else "Android"
        zone: int | str = (
            GA4_OFFSETS[device_no % len(GA4_OFFSETS)]
            if vendor == "ga4"
            else ZONES[device_no % len(ZONES)]
        )
        user = {5: "u-shared", 6: "u-shared", 7: None}.get(device_no, f"u-{device_no}")
        login_after = rng.randint(0, 3)
        at = START + timedelta(minutes=rng.randint(0, 300), microseconds=rng.randint(0, 999999))
        for session_no in range(rng.randint(3, 5)):
            logged_in = user if session_no >= login_after else None
            if (
                logged_in
                and session_no == login_after
                and vendor in IDENTIFY_NAMES | {"segment": 1}
            ):
                events.append(
                    AppEvent(new_id(), device, logged_in, IDENTIFY_NAMES.get(vendor), at,
                             at + timedelta(seconds=2), platform, "3.4.1", zone, kind="identify")
                )  # fmt: skip
            for step in range(rng.randint(2, 7)):
                kind = "screen" if vendor == "segment" and step % 3 == 1 else "track"
                name = (
                    "Application Opened"
                    if step == 0
                    else rng.choice(SCREENS if kind == "screen" else ACTIONS)
                )
                events.append(
                    AppEvent(new_id(), device, logged_in, name, at,
                             at + timedelta(seconds=rng.randint(1, 90)), platform,
                             "3.4.1" if session_no < 3 else "3.5.0", zone, kind=kind)
                )  # fmt: skip
                at += timedelta(seconds=rng.randint(5, 600), microseconds=rng.randint(0, 999999))
            events.append(
                AppEvent(new_id(), device, logged_in, background, at,
                         at + timedelta(seconds=3), platform, "3.4.1", zone)
            )  # fmt: skip
            # back within the background timeout (the session goes on), or much later
            pause = rng.choice((rng.randint(60, 1500), rng.randint(2400, 30000)))
            at += timedelta(seconds=pause, microseconds=rng.randint(0, 999999))
    for minute in (0, 7, 50):  # server-side events of a user, without a device
        at = START + timedelta(hours=30, minutes=minute)
        events.append(AppEvent(new_id(), None, "u-3", "Order Completed", at, at, None, None, None))
    if whole_seconds:
        for event in events:
            event.at = event.at.replace(microsecond=0)

    # Deliveries: a tenth of the events arrive late; copies of some events arrive again.
    for event in rng.sample(events, len(events) // 10):
        event.delivery = "late"
    copies = []
    for event in rng.sample(events, 6):
        if event.kind == "identify":
            continue
        copy = AppEvent(**{**event.__dict__, "delivery": "late", "extra": {}})
        copy.received = event.received + timedelta(minutes=5)
        copies.append(copy)
    events += copies
    # Rows that must be quarantined, one of each.
    at = START + timedelta(hours=10)
    events += [
        AppEvent(new_id(), "BAD-DEVICE-1", None, None, at, at, "iOS", "3.4.1", None),
        AppEvent(new_id(), None, None, "Product Viewed", at, at, "iOS", "3.4.1", None),
        AppEvent(new_id(), "BAD-DEVICE-2", None, "Product Viewed", None, at, "iOS", "3.4.1", None,
                 bad_timestamp=None if vendor == "ga4" else "yesterday"),
    ]  # fmt: skip
    return events


# --------------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------------


def _iso_z(value: datetime, digits: int = 3) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")[: 20 + digits] + "Z"


def _epoch(value: datetime, per_second: int) -> int:
    return (value - EPOCH) // timedelta(microseconds=1_000_000 // per_second)


def _us(value: datetime) -> int:
    return (value - EPOCH) // timedelta(microseconds=1)


def _drop_nulls(document: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _drop_nulls(value) if isinstance(value, dict) else value
        for key, value in document.items()
        if value is not None
    }


def _json_timestamp_text(value: datetime | None) -> str | None:
    """A Parquet TIMESTAMP as a vendor format reads it: the text DuckDB's to_json gives the
    (naive, UTC) value, `YYYY-MM-DD hh:mm:ss[.ffffff]` with the fraction's trailing zeros
    dropped."""
    if value is None:
        return None
    text = value.strftime("%Y-%m-%d %H:%M:%S")
    return text + ("." + f"{value.microsecond:06d}".rstrip("0") if value.microsecond else "")


def _offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    return f"{sign}{abs(seconds) // 3600:02d}:{abs(seconds) % 3600 // 60:02d}"


def _contract_row(event: AppEvent, timestamp: Any, received: Any, **overrides: Any) -> dict:
    """The contract row a format should read from the event: every value as text."""
    return {
        "event_id": event.event_id,
        "device_id": event.device_id,
        "user_id": event.user_id,
        "event_name": event.name,
        "event_timestamp": timestamp,
        "received_at": received,
        "platform": event.platform,
        "app_version": event.version,
        "timezone": event.zone if isinstance(event.zone, str) or event.zone is None else None,
        "is_event": event.kind != "identify",
        **overrides,
    }


def segment_document(event: AppEvent) -> tuple[dict, dict]:
    """A call as the S3 destination writes it (https://segment.com/docs/connections/spec/common/)."""
    timestamp = event.bad_timestamp or (_iso_z(event.at) if event.at else None)
    received = _iso_z(event.received)
    call = {
        "type": event.kind,
        "messageId": event.event_id,
        "anonymousId": f"anon-{event.device_id}" if event.device_id else None,
        "userId": event.user_id,
        "timestamp": timestamp,
        "originalTimestamp": timestamp,
        "receivedAt": received,
        "sentAt": received,
        "context": {
            "device": {"id": event.device_id, "type": (event.platform or "").lower() or None},
            "os": {"name": event.platform},
            "app": {"version": event.version, "build": "412"},
            "timezone": event.zone,
            "library": {"name": "analytics-swift", "version": "1.5.0"},
        },
        "properties": {},
        "integrations": {},
        "version": 2,
    }
    if event.kind == "track":
        call["event"] = event.name
    elif event.kind == "screen":
        call["name"] = event.name
    else:
        call["traits"] = {"plan": "pro"}
    name = None if event.kind == "identify" else event.name
    return _drop_nulls(call), _contract_row(event, timestamp, received, event_name=name)


_AMPLITUDE_COUNTERS: dict[str | None, int] = {}


def _next_count(device: str | None) -> int:
    _AMPLITUDE_COUNTERS[device] = _AMPLITUDE_COUNTERS.get(device, 0) + 1
    return _AMPLITUDE_COUNTERS[device]


def amplitude_document(event: AppEvent) -> tuple[dict, dict]:
    """An event of the Export API / S3 export (https://amplitude.com/docs/apis/analytics/export).
    Its `event_id` counts the device's events: 1, 2, 3, ... on every device."""
    timestamp = event.bad_timestamp or (
        event.at.strftime("%Y-%m-%d %H:%M:%S.%f") if event.at else None
    )
    received = event.received.strftime("%Y-%m-%d %H:%M:%S.%f")
    document = {
        "$insert_id": event.event_id,
        "uuid": f"uuid-{event.event_id}",
        "event_id": _next_count(event.device_id),  # a counter per device, not an id
        "amplitude_id": 123456789,
        "device_id": event.device_id,
        "user_id": event.user_id,
        "event_type": event.name,
        "event_time": timestamp,
        "client_event_time": timestamp,
        "server_received_time": received,
        "server_upload_time": received,
        "platform": event.platform,
        "os_name": (event.platform or "").lower() or None,
        "version_name": event.version,
        "event_properties": {},
        "user_properties": {},
    }
    return _drop_nulls(document), _contract_row(event, timestamp, received, timezone=None)


def mixpanel_document(event: AppEvent) -> tuple[dict, dict]:
    """An event of the raw export (https://docs.mixpanel.com/reference/raw-event-export)."""
    time = event.bad_timestamp or (_epoch(event.at, 1) if event.at else None)
    received = _epoch(event.received, 1000)
    properties = {
        "time": time,
        "distinct_id": event.user_id or event.device_id,
        "$device_id": event.device_id,
        "$user_id": event.user_id,
        "$insert_id": event.event_id,
        "mp_processing_time_ms": received + 350,
        "$mp_api_timestamp_ms": received,
        "$os": event.platform,
        "$app_version_string": event.version,
        "mp_lib": "swift",
    }
    document = {"event": event.name, "properties": _drop_nulls(properties)}
    return document, _contract_row(
        event, None if time is None else str(time), str(received + 350), timezone=None
    )


def ga4_document(event: AppEvent) -> tuple[dict, dict]:
    """A row of the BigQuery export (https://support.google.com/analytics/answer/7029846)."""
    timestamp = _us(event.at) if event.at else None
    document = {
        "event_date": (event.at or event.received).strftime("%Y%m%d"),
        "event_timestamp": timestamp,
        "event_name": event.name,
        "event_params": [
            {"key": "ga_session_id", "value": {"int_value": 1710496800}},
            {"key": "firebase_screen", "value": {"string_value": "Home"}},
        ],
        "event_bundle_sequence_id": 17,
        "user_id": event.user_id,
        "user_pseudo_id": event.device_id,
        "device": {
            "category": "mobile",
            "operating_system": event.platform,
            "time_zone_offset_seconds": event.zone,
        },
        "app_info": {"id": "com.acme.app", "version": event.version},
        "platform": (event.platform or "").upper() or None,
    }
    zone = None if event.zone is None else _offset_text(int(event.zone))
    return document, _contract_row(
        event,
        None if timestamp is None else str(timestamp),
        None,
        event_id=None,
        platform=document["platform"],
        timezone=zone,
    )


def posthog_document(event: AppEvent, parquet: bool) -> tuple[dict, dict]:
    """An event of the S3 batch export (https://posthog.com/docs/cdp/batch-exports/s3)."""
    web = event.platform == "Android"  # posthog-js sends $device_id; the mobile SDKs don't
    device = event.device_id if web else None
    distinct = event.user_id or event.device_id
    properties = _drop_nulls(
        {
            "$device_id": device,
            "$os_name": event.platform,
            "$app_version": event.version,
            "$timezone": event.zone,
            "$lib": "posthog-ios",
        }
    )
    if parquet:
        timestamp = event.at if event.at else None
        received = event.received
    else:
        timestamp = event.bad_timestamp or (
            event.at.replace(tzinfo=UTC).isoformat() if event.at else None
        )
        received = event.received.replace(tzinfo=UTC).isoformat()
    document = {
        "uuid": event.event_id,
        "event": event.name,
        "distinct_id": distinct,
        "person_id": f"person-{distinct}" if distinct else None,
        "properties": json.dumps(properties) if parquet else properties,
        "elements_chain": "",
        "timestamp": timestamp,
        "created_at": received,
        "_inserted_at": received,
    }
    user = distinct if device is None or distinct != device else None
    if parquet:
        timestamp, received = _json_timestamp_text(timestamp), _json_timestamp_text(received)
    return document, _contract_row(event, timestamp, received, device_id=device, user_id=user)


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def _ndjson(path: Path, documents: list[dict], compress: bool) -> None:
    text = "".join(json.dumps(document) + "\n" for document in documents)
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress:
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)


def _parquet(path: Path, documents: list[dict], columns: dict[str, str], codec: str) -> None:
    """Parquet with the given column types, via a scratch NDJSON file read with those types."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".scratch.ndjson")
    scratch.write_text("".join(json.dumps(document, default=str) + "\n" for document in documents))
    types = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select * from read_json('{scratch}', columns = {{{types}}})) "
            f"to '{path}' (format parquet, compression {codec})"
        )
    scratch.unlink()


def _segment_warehouse_row(document: dict, event: AppEvent) -> dict:
    context = document.get("context", {})
    return {
        "id": document.get("messageId"),
        "anonymous_id": document.get("anonymousId"),
        "user_id": document.get("userId"),
        "event": event.name.lower().replace(" ", "_")
        if event.kind == "track" and event.name
        else None,
        "event_text": document.get("event"),
        "name": document.get("name"),
        "timestamp": event.at,
        "received_at": event.received,
        "context_device_id": context.get("device", {}).get("id"),
        "context_os_name": context.get("os", {}).get("name"),
        "context_app_version": context.get("app", {}).get("version"),
        "context_timezone": context.get("timezone"),
        "context_library_name": "analytics-swift",
    }


def _write_segment(batch: list[AppEvent], directory: Path, number: int) -> list[dict]:
    pairs = [segment_document(event) for event in batch]
    path = directory / f"segment-logs/src1/1710028800000/{1710028800 + number}.6a2b4c.gz"
    _ndjson(path, [document for document, _ in pairs], compress=True)
    return [row for _, row in pairs]


SEGMENT_WAREHOUSE_COLUMNS = {
    "id": "VARCHAR", "anonymous_id": "VARCHAR", "user_id": "VARCHAR", "event": "VARCHAR",
    "event_text": "VARCHAR", "name": "VARCHAR", "timestamp": "TIMESTAMP",
    "received_at": "TIMESTAMP", "context_device_id": "VARCHAR", "context_os_name": "VARCHAR",
    "context_app_version": "VARCHAR", "context_timezone": "VARCHAR",
    "context_library_name": "VARCHAR",
}  # fmt: skip


def _write_segment_warehouse(batch: list[AppEvent], directory: Path, number: int) -> list[dict]:
    """The tracks and screens tables exported to Parquet: identify calls are in another
    table, and a TIMESTAMP column holds no bad text."""
    pairs = []
    for event in batch:
        if event.kind == "identify" or event.bad_timestamp:
            continue
        document, row = segment_document(event)
        warehouse = _segment_warehouse_row(document, event)
        row.update(
            device_id=event.device_id or warehouse["anonymous_id"],
            event_timestamp=_json_timestamp_text(event.at),
            received_at=_json_timestamp_text(event.received),
        )
        pairs.append((warehouse, row))
    path = directory / f"tracks-{number}.parquet"
    _parquet(path, [d for d, _ in pairs], SEGMENT_WAREHOUSE_COLUMNS, "snappy")
    return [row for _, row in pairs]


def _write_amplitude(batch: list[AppEvent], directory: Path, number: int) -> list[dict]:
    pairs = [amplitude_document(event) for event in batch]
    path = directory / f"187520/187520_2024-03-{8 + number:02d}_{4 + number}#1.json.gz"
    _ndjson(path, [document for document, _ in pairs], compress=True)
    return [row for _, row in pairs]


def _write_mixpanel(batch: list[AppEvent], directory: Path, number: int) -> list[dict]:
    pairs = [mixpanel_document(event) for event in batch]
    _ndjson(directory / f"export-{number}.jsonl", [d for d, _ in pairs], compress=False)
    return [row for _, row in pairs]


def _write_ga4_ndjson(batch: list[AppEvent], directory: Path, number: int) -> list[dict]:
    pairs = [ga4_document(event) for event in batch]
    documents = [document for document, _ in pairs]
    if number % 2 == 0:  # BigQuery's JSON export writes INT64 as a string
        for document in documents:
            if document["event_timestamp"] is not None:
                document["event_timestamp"] = str(document["event_timestamp"])
    _ndjson(directory / f"events_2024031{number}.json", documents, compress=False)
    return [row for _, row in pairs]


GA4_COLUMNS = {
    "event_date": "VARCHAR", "event_timestamp": "BIGINT", "event_name": "VARCHAR",
    "event_params": "STRUCT(key VARCHAR, value STRUCT(string_value VARCHAR, int_value BIGINT,"
    " float_value DOUBLE, double_value DOUBLE))[]",
    "event_bundle_sequence_id": "BIGINT", "user_id": "VARCHAR", "user_pseudo_id": "VARCHAR",
    "device": "STRUCT(category VARCHAR, operating_system VARCHAR, time_zone_offset_seconds BIGINT)",
    "app_info": "STRUCT(id VARCHAR, version VARCHAR)", "platform": "VARCHAR",
}  # fmt: skip


def _write_ga4_parquet(batch: list[AppEvent], directory: Path, number: int) -> list[dict]:
    pairs = [ga4_document(event) for event in batch]
    path = directory / f"events_2024031{number}.parquet"
    _parquet(path, [document for document, _ in pairs], GA4_COLUMNS, "snappy")
    return [row for _, row in pairs]


POSTHOG_COLUMNS = {
    "uuid": "VARCHAR", "event": "VARCHAR", "distinct_id": "VARCHAR", "person_id": "VARCHAR",
    "properties": "VARCHAR", "elements_chain": "VARCHAR", "timestamp": "TIMESTAMP",
    "created_at": "TIMESTAMP", "_inserted_at": "TIMESTAMP",
}  # fmt: skip


def _posthog_name(number: int) -> str:
    return f"2024-03-09T00:00:00-2024-03-12T00:00:00-{number}"


def _write_posthog_parquet(batch: list[AppEvent], directory: Path, number: int) -> list[dict]:
    """Parquet with zstd, named as the export names it (`.parquet.zst`); native timestamps."""
    pairs = [
        posthog_document(AppEvent(**{**event.__dict__, "bad_timestamp": None}), parquet=True)
        for event in batch
    ]
    path = directory / f"{_posthog_name(number)}.parquet.zst"
    _parquet(path, [document for document, _ in pairs], POSTHOG_COLUMNS, "zstd")
    return [row for _, row in pairs]


def _write_posthog_jsonl(batch: list[AppEvent], directory: Path, number: int) -> list[dict]:
    pairs = [posthog_document(event, parquet=False) for event in batch]
    _ndjson(directory / f"{_posthog_name(number)}.jsonl", [d for d, _ in pairs], compress=False)
    return [row for _, row in pairs]


SHAPES: dict[str, tuple[str, str, Any]] = {
    "segment": ("segment", "segment-logs/*/*/*.gz", _write_segment),
    "segment-warehouse-parquet": ("segment", "*.parquet", _write_segment_warehouse),
    "amplitude": ("amplitude", "187520/*.json.gz", _write_amplitude),
    "mixpanel": ("mixpanel", "*.jsonl", _write_mixpanel),
    "ga4-parquet": ("ga4", "*.parquet", _write_ga4_parquet),
    "ga4-ndjson": ("ga4", "*.json", _write_ga4_ndjson),
    "posthog-parquet-zst": ("posthog", "*.parquet.zst", _write_posthog_parquet),
    "posthog-jsonl": ("posthog", "*.jsonl", _write_posthog_jsonl),
}
"""Each export shape the tests write: the events_format that reads it, the glob of its files,
and its writer."""


def write_export(
    events: list[AppEvent], shape: str, directory: Path, delivery: str
) -> tuple[str, list[dict]]:
    """Write the events of one delivery (`first`: two files, `late`: one) in `shape` under
    `directory`; return the glob of every delivery written there, and this one's contract
    rows."""
    _, pattern, writer = SHAPES[shape]
    chosen = [event for event in events if event.delivery == delivery]
    files = {"first": {1: chosen[::2], 2: chosen[1::2]}, "late": {3: chosen}}[delivery]
    rows: list[dict] = []
    for number, batch in files.items():
        rows += writer(batch, directory, number)
    return str(directory / pattern), rows
