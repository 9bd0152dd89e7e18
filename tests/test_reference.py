"""Tests of the Python reference (tests/reference/contract.py) on small hand-written inputs.

Every expected value below was worked out by hand from docs/contract.md, not by running the
reference. One test (or parametrized case) per rule or boundary.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.reference.contract import (
    DEFAULT_CONFIG,
    Config,
    parse_timestamp,
    run_reference,
    session_id,
)

T = "2024-03-08T"  # a Friday


def ev(
    timestamp: Any,
    name: str | None = "click",
    *,
    event_id: str | None = None,
    device: str | None = "d-1",
    user: str | None = None,
    received: Any = None,
    platform: str | None = None,
    app_version: str | None = None,
) -> dict[str, Any]:
    """One raw row."""
    return {
        "event_id": event_id,
        "device_id": device,
        "user_id": user,
        "event_name": name,
        "event_timestamp": timestamp,
        "received_at": received,
        "platform": platform,
        "app_version": app_version,
    }


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def sessions_of(
    rows: list[dict[str, Any]], config: Config = DEFAULT_CONFIG
) -> list[dict[str, Any]]:
    return run_reference(rows, config)["fct_sessions"]


def spans(rows: list[dict[str, Any]], config: Config = DEFAULT_CONFIG) -> list[tuple[str, str]]:
    """(start, end) of each session as 'HH:MM:SS.ffffff' strings, in output order."""
    return [
        (s["session_start_at"].strftime("%H:%M:%S.%f"), s["session_end_at"].strftime("%H:%M:%S.%f"))
        for s in sessions_of(rows, config)
    ]


def reasons(rows: list[dict[str, Any]], config: Config = DEFAULT_CONFIG) -> list[str]:
    return [r["reject_reason"] for r in run_reference(rows, config)["rejected_events"]]


# ---- timestamps -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-08T10:00:00Z", "2024-03-08 10:00:00"),
        ("2024-03-08t10:00:00z", "2024-03-08 10:00:00"),
        ("2024-03-08 10:00:00", "2024-03-08 10:00:00"),
        ("2024-03-08 10:00", "2024-03-08 10:00:00"),
        ("2024-03-08T10:00Z", "2024-03-08 10:00:00"),
        ("2024-03-08T10:00+01", "2024-03-08 09:00:00"),
        ("2024-03-08T10:00:00+0130", "2024-03-08 08:30:00"),
        ("2024-03-08T10:00:00+01:30", "2024-03-08 08:30:00"),
        ("2024-03-08T10:00:00-01:30", "2024-03-08 11:30:00"),
        ("2024-03-08T10:00:00-00", "2024-03-08 10:00:00"),
        ("2024-03-08T23:30:00-01:00", "2024-03-09 00:30:00"),
        ("2024-03-08T00:30:00+01:00", "2024-03-07 23:30:00"),
        ("2024-03-08T10:00:00+23:59", "2024-03-07 10:01:00"),
        ("2024-03-08T10:00:00.5", "2024-03-08 10:00:00.500000"),
        ("2024-03-08T10:00:00.000001Z", "2024-03-08 10:00:00.000001"),
        ("2024-03-08T10:00:00.123456789", "2024-03-08 10:00:00.123456"),
        ("2024-03-08T10:00:00.999999999Z", "2024-03-08 10:00:00.999999"),
        ("2024-03-08T10:00:00.0000009+00:00", "2024-03-08 10:00:00"),
        ("2024-03-08T10:00:00.1234567-0930", "2024-03-08 19:30:00.123456"),
        ("2024-02-29 12:00:00", "2024-02-29 12:00:00"),
        ("2024-12-31T23:59:59.9-00:01", "2025-01-01 00:00:59.900000"),
    ],
)
def test_timestamp_grammar_accepts(text: str, expected: str) -> None:
    """Accepted forms, converted to UTC, fractions truncated to microseconds."""
    us = parse_timestamp(text)
    assert us is not None
    assert datetime(1970, 1, 1) + timedelta(microseconds=us) == dt(expected)


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-30 10:00:00",  # impossible date
        "2023-02-29 10:00:00",  # not a leap year
        "2024-13-01 00:00:00",
        "2024-00-10 00:00:00",
        "2024-03-00 00:00:00",
        "2024-03-08 24:00:00",
        "2024-03-08 24:00",
        "2024-03-08T23:59:60",  # leap second
        "2024-03-08T10:60:00",
        "2024-03-08T25:00:00",
        "2024-03-08",  # a date without a time
        "2024-03-08T10",
        "2024-03-08T10:00:00.1234567890",  # 10 fraction digits
        "2024-03-08T10:00:00.",
        "2024-03-08T10:00.5",  # a fraction needs seconds
        "2024-03-08T10:00:00+24:00",
        "2024-03-08T10:00:00+05:60",
        "2024-03-08T10:00:00+5",
        "2024-03-08T10:00:00+05:3",
        "2024-03-08T10:00:00+05:30:00",
        "2024-03-08T10:00:00 Z",
        "2024-03-08T10:00:00UTC",
        "2024-03-08T10:00:00\u221205:00",  # unicode minus sign
        "2024-3-8 10:00:00",
        "2024-03-08  10:00:00",
        "2024-03-08_10:00:00",
        "20240308T100000",
        "\uff12\uff10\uff12\uff14-03-08 10:00:00",  # fullwidth digits
        "1709892000",  # epoch seconds
        "1709892000000",
        "garbage",
        "",
    ],
)
def test_timestamp_grammar_rejects(text: str) -> None:
    assert parse_timestamp(text) is None
    assert reasons([ev(text)]) == ["invalid_timestamp"]


def test_timestamps_are_trimmed_before_parsing() -> None:
    out = run_reference([ev(" \t2024-03-08T10:00:00+01:00\n ", received="  2024-03-08 09:00:01 ")])
    (row,) = out["int_events_clean"]
    assert row["event_at"] == dt("2024-03-08 09:00:00")
    assert row["received_at"] == dt("2024-03-08 09:00:01")


def test_native_timestamps_naive_is_utc_and_aware_is_converted() -> None:
    plus_two = timezone(timedelta(hours=2))
    out = run_reference(
        [
            ev(datetime(2024, 3, 8, 10, 0, 0, 500000), event_id="a"),
            ev(datetime(2024, 3, 8, 12, 0, tzinfo=plus_two), event_id="b", device="d-2"),
        ]
    )
    events = {r["event_id"]: r["event_at"] for r in out["int_events_clean"]}
    assert events == {"a": dt("2024-03-08 10:00:00.5"), "b": dt("2024-03-08 10:00:00")}


def test_native_timestamps_shown_as_their_usual_utc_text_in_rejected_events() -> None:
    plus_two = timezone(timedelta(hours=2))
    out = run_reference(
        [
            ev(datetime(2024, 3, 8, 10, 0, 0, 500000), None, received=datetime(2024, 3, 8, 10)),
            ev(datetime(2024, 3, 8, 12, 0, 0, 120, tzinfo=plus_two), None),
        ]
    )
    rendered = [(r["event_timestamp"], r["received_at"]) for r in out["rejected_events"]]
    assert rendered == [
        ("2024-03-08T10:00:00.500000Z", "2024-03-08T10:00:00.000000Z"),
        ("2024-03-08T10:00:00.000120Z", None),
    ]


def test_unparseable_received_at_is_unknown_not_a_reject() -> None:
    # 5 hours "in the future" of a received_at that cannot be read: kept, received_at null
    out = run_reference([ev(T + "15:00:00Z", received="2024-02-30T10:00:00Z")])
    assert out["rejected_events"] == []
    assert out["int_events_clean"][0]["received_at"] is None


# ---- cleaning ---------------------------------------------------------------------------------


def test_strings_are_trimmed_and_blank_is_null() -> None:
    row = ev(T + "10:00:00Z", " click\t", event_id="  e-1 ", device=" d-1", user="\t\n")
    row.update(platform="   ", app_version=" 1.0 ", received="", timezone=" Europe/Berlin\t")
    (stg,) = run_reference([row])["int_events_clean"]
    assert stg == {
        "event_id": "e-1",
        "device_id": "d-1",
        "user_id": None,
        "event_name": "click",
        "event_at": dt("2024-03-08 10:00:00"),
        "received_at": None,
        "platform": None,
        "app_version": "1.0",
        "timezone": "Europe/Berlin",
    }


def test_non_ascii_space_is_not_trimmed() -> None:
    (stg,) = run_reference([ev(T + "10:00:00Z", device="\u00a0d-1")])["int_events_clean"]
    assert stg["device_id"] == "\u00a0d-1"


def test_missing_keys_read_as_null() -> None:
    out = run_reference([{"device_id": "d-1", "event_name": "x", "event_timestamp": T + "10:00"}])
    assert out["int_events_clean"][0]["event_id"] is None
    assert out["int_events_clean"][0]["platform"] is None


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        # rule 0 wins over every other: a row the export marks as no event
        ({**ev("garbage", None, device=None, user=None), "is_event": False}, "not_an_event"),
        ({**ev(T + "10:00:00Z"), "is_event": False}, "not_an_event"),
        (ev(T + "10:00:00Z", None), "missing_event_name"),
        (ev(T + "10:00:00Z", " \t "), "missing_event_name"),
        # rule 1 wins over rules 2 and 3
        (ev("garbage", "", device=None, user=None), "missing_event_name"),
        (ev(T + "10:00:00Z", device=None, user=None), "missing_identity"),
        (ev(T + "10:00:00Z", device=" ", user=""), "missing_identity"),
        # rule 2 wins over rule 3
        (ev("garbage", device=None, user=None), "missing_identity"),
        (ev(None), "invalid_timestamp"),
        (ev("   "), "invalid_timestamp"),
        # rule 3 wins over rule 4 (a received_at long before anything)
        (ev("2024-02-30T10:00:00Z", received="2000-01-01T00:00:00Z"), "invalid_timestamp"),
        (ev(T + "11:00:00.000001Z", received=T + "10:00:00Z"), "future_timestamp"),
    ],
)
def test_each_reject_reason_and_their_order(row: dict[str, Any], reason: str) -> None:
    out = run_reference([row])
    assert out["int_events_clean"] == []
    assert [r["reject_reason"] for r in out["rejected_events"]] == [reason]


def test_rejected_rows_keep_raw_text_untrimmed() -> None:
    row = ev(" 2024-03-08T10:00Z ", "  ", event_id=" e-1", device="d-1 ", received="\t")
    row.update(platform=" ios ", app_version="", timezone=" +05:30")
    (rejected,) = run_reference([row])["rejected_events"]
    assert rejected == {
        "event_id": " e-1",
        "device_id": "d-1 ",
        "user_id": None,
        "event_name": "  ",
        "event_timestamp": " 2024-03-08T10:00Z ",
        "received_at": "\t",
        "platform": " ios ",
        "app_version": "",
        "timezone": " +05:30",
        "reject_reason": "missing_event_name",
    }


@pytest.mark.parametrize(
    ("skew", "event_time", "kept"),
    [
        (60, "11:00:00Z", True),  # exactly received_at + skew: kept
        (60, "11:00:00.000001Z", False),  # 1 microsecond past: rejected
        (0, "10:00:00Z", True),
        (0, "10:00:00.000001Z", False),
        (0.5, "10:00:30Z", True),  # fractional minutes
        (0.5, "10:00:30.000001Z", False),
    ],
)
def test_future_timestamp_boundary(skew: float, event_time: str, kept: bool) -> None:
    rows = [ev(T + event_time, received=T + "10:00:00Z")]
    assert reasons(rows, Config(max_clock_skew_minutes=skew)) == (
        [] if kept else ["future_timestamp"]
    )


def test_future_check_needs_a_known_received_at() -> None:
    assert reasons([ev("2030-01-01T00:00:00Z", received=None)]) == []


def test_every_raw_row_ends_in_exactly_one_place() -> None:
    rows = [
        ev(T + "10:00Z", event_id="e-1"),
        ev(T + "10:00Z", event_id="e-1"),
        ev(T + "10:00Z", None),
        ev("x"),
        ev(T + "10:05Z", device=None, user="u"),
    ]
    out = run_reference(rows)
    assert len(out["int_events_clean"]) == 2
    assert sorted(reasons(rows)) == ["duplicate", "invalid_timestamp", "missing_event_name"]


# ---- dedupe -----------------------------------------------------------------------------------


def test_dedupe_keeps_earliest_received_at_nulls_last() -> None:
    rows = [
        ev(T + "10:00Z", event_id="e-1", received=None, platform="null-received"),
        ev(T + "10:00Z", event_id="e-1", received=T + "10:05Z", platform="late"),
        ev(T + "10:00Z", event_id="e-1", received=T + "10:01Z", platform="early"),
    ]
    out = run_reference(rows)
    assert [r["platform"] for r in out["int_events_clean"]] == ["early"]
    assert sorted(r["platform"] for r in out["rejected_events"]) == ["late", "null-received"]
    assert {r["reject_reason"] for r in out["rejected_events"]} == {"duplicate"}


def test_dedupe_then_earliest_event_time() -> None:
    # the earlier instant has the later raw text, so only the event time picks it
    rows = [
        ev(T + "10:00:01Z", event_id="e-1", received=T + "10:05Z"),
        ev(T + "11:00:00+01:00", event_id="e-1", received=T + "10:05Z"),
    ]
    (kept,) = run_reference(rows)["int_events_clean"]
    assert kept["event_at"] == dt("2024-03-08 10:00:00")


def test_dedupe_then_cleaned_columns_nulls_last() -> None:
    base = {"event_id": "e-1", "received": T + "10:05Z"}
    # device: 'd-1' < 'd-2'; a null device (user partition) sorts last
    rows = [ev(T + "10:00Z", device="d-2", **base), ev(T + "10:00Z", device=" d-1", **base)]
    rows.append(ev(T + "10:00Z", device=None, user="u", **base))
    assert [r["device_id"] for r in run_reference(rows)["int_events_clean"]] == ["d-1"]
    # same device, user: null last
    rows = [ev(T + "10:00Z", user=None, **base), ev(T + "10:00Z", user="u-9", **base)]
    assert [r["user_id"] for r in run_reference(rows)["int_events_clean"]] == ["u-9"]
    # same device and user, event_name
    rows = [ev(T + "10:00Z", "scroll", **base), ev(T + "10:00Z", "click", **base)]
    assert [r["event_name"] for r in run_reference(rows)["int_events_clean"]] == ["click"]
    # then platform, nulls last, then app_version
    rows = [ev(T + "10:00Z", platform=None, **base), ev(T + "10:00Z", platform="web", **base)]
    assert [r["platform"] for r in run_reference(rows)["int_events_clean"]] == ["web"]
    rows = [ev(T + "10:00Z", app_version="2", **base), ev(T + "10:00Z", app_version="10", **base)]
    assert [r["app_version"] for r in run_reference(rows)["int_events_clean"]] == ["10"]


def test_dedupe_then_raw_timestamp_text() -> None:
    # same instant, same received_at: raw '2024-03-08 10:00:00' < '2024-03-08T10:00:00Z'
    rows = [
        ev(T + "10:00:00Z", event_id="e-1", received=T + "10:05Z"),
        ev("2024-03-08 10:00:00", event_id="e-1", received=T + "10:05Z"),
    ]
    (rejected,) = run_reference(rows)["rejected_events"]
    assert rejected["event_timestamp"] == T + "10:00:00Z"
    # then raw received_at text (same instant): '2024-03-08 11:05+01' < '2024-03-08T10:05:00Z'
    rows = [
        ev(T + "10:00Z", event_id="e-2", received=T + "10:05:00Z"),
        ev(T + "10:00Z", event_id="e-2", received="2024-03-08 11:05+01"),
    ]
    (rejected,) = run_reference(rows)["rejected_events"]
    assert rejected["received_at"] == T + "10:05:00Z"


def test_dedupe_remaining_ties_broken_by_raw_text_of_other_columns() -> None:
    """Reference's reading: rows equal after cleaning are ordered by their raw text, so the
    rejected copy does not depend on input order (' e-1' sorts before 'e-1')."""
    rows = [ev(T + "10:00Z", event_id="e-1"), ev(T + "10:00Z", event_id=" e-1")]
    for ordered in (rows, rows[::-1]):
        (rejected,) = run_reference(ordered)["rejected_events"]
        assert rejected["event_id"] == "e-1"


def test_dedupe_without_event_id_uses_content_nulls_equal() -> None:
    rows = [
        ev(T + "10:00Z", user=None, received=T + "10:02Z"),
        ev("2024-03-08 11:00+01:00", user=None, received=T + "10:01Z"),  # same instant
        ev(T + "10:00Z", user="u-1"),  # other user: not a duplicate
        ev(T + "10:00Z", "scroll"),  # other name: not a duplicate
        ev(T + "10:00Z", event_id="e-1"),  # has an event_id: other group
    ]
    out = run_reference(rows)
    assert len(out["int_events_clean"]) == 4
    (rejected,) = out["rejected_events"]
    assert rejected["received_at"] == T + "10:02Z"


def test_dedupe_only_among_rows_that_passed_rules_1_to_4() -> None:
    rows = [
        # the copy with the earliest received_at is future: rejected as future, not keeper
        ev(T + "12:00Z", event_id="e-1", received=T + "10:00Z"),
        ev(T + "12:00Z", event_id="e-1", received=T + "12:00Z"),
        ev("2024-02-30T12:00Z", event_id="e-1", received=T + "09:00Z"),
    ]
    out = run_reference(rows)
    assert [r["received_at"] for r in out["int_events_clean"]] == [dt("2024-03-08 12:00")]
    assert reasons(rows) == ["future_timestamp", "invalid_timestamp"]


def test_dedupe_does_not_depend_on_input_order() -> None:
    rows = [
        ev(T + "10:00Z", event_id="e-1", received=T + "10:01Z", platform="a"),
        ev(T + "10:00Z", event_id="e-1", received=T + "10:01Z", platform="b"),
        ev(T + "10:00Z", event_id="e-1", received=None, platform="c"),
        ev(T + "10:00Z", received=None, platform="x"),
        ev(T + "10:00Z", received=None, platform="y"),
    ]
    expected = run_reference(rows)
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        out = run_reference(shuffled)
        assert sorted(map(repr, out["int_events_clean"])) == sorted(
            map(repr, expected["int_events_clean"])
        )
    assert sorted(r["platform"] for r in expected["int_events_clean"]) == ["a", "x"]


# ---- split ------------------------------------------------------------------------------------


def test_gap_equal_to_timeout_continues() -> None:
    assert spans([ev(T + "10:00Z"), ev(T + "10:30Z")]) == [("10:00:00.000000", "10:30:00.000000")]


@pytest.mark.parametrize("past", ["10:30:00.001Z", "10:30:00.000001Z"])
def test_gap_past_timeout_splits(past: str) -> None:
    assert len(spans([ev(T + "10:00Z"), ev(T + past)])) == 2


def test_fractional_timeout() -> None:
    config = Config(session_timeout_minutes=0.5)
    assert len(spans([ev(T + "10:00:00Z"), ev(T + "10:00:30Z")], config)) == 1
    assert len(spans([ev(T + "10:00:00Z"), ev(T + "10:00:30.000001Z")], config)) == 2


def test_background_timeout_applies_after_background_event() -> None:
    config = Config(session_timeout_minutes=30, background_timeout_minutes=5)
    rows = [
        ev(T + "10:00Z"),
        ev(T + "10:10Z", " App_Background "),
        ev(T + "10:15Z"),  # 5 min after background == threshold: continues
        ev(T + "10:35Z"),  # 20 min after a foreground event: continues (30 min threshold)
        ev(T + "10:40Z", "APP_BACKGROUND"),
        ev(T + "10:45:00.001Z"),  # 5 min + 1 ms after background: splits
    ]
    sessions = sessions_of(rows, config)
    assert [(s["event_count"], s["duration_seconds"]) for s in sessions] == [(5, 2400.0), (1, 0.0)]
    # foreground: 10:00-10:10 (600) + 10:15-10:35 (1200) + 10:35-10:40 (300); 10:10-10:15 left out
    assert sessions[0]["foreground_seconds"] == 2100.0


def test_background_timeout_longer_than_session_timeout() -> None:
    config = Config(session_timeout_minutes=5, background_timeout_minutes=60)
    rows = [
        ev(T + "10:00Z"),
        ev(T + "10:01Z", "app_background"),
        ev(T + "10:50Z"),
        ev(T + "10:56Z"),
    ]
    sessions = sessions_of(rows, config)
    assert [
        (s["event_count"], s["duration_seconds"], s["foreground_seconds"]) for s in sessions
    ] == [
        (3, 3000.0, 60.0),
        (1, 0.0, 0.0),
    ]


def test_background_event_names_from_config_case_insensitive() -> None:
    config = Config(
        background_event_names=("App_Background", "SLEEP"), background_timeout_minutes=1
    )
    rows = [ev(T + "10:00Z", "sleep"), ev(T + "10:02Z"), ev(T + "10:03Z", "app_background")]
    rows.append(ev(T + "10:10Z"))
    # after 'sleep' the 1-minute threshold splits; after 'app_background' too
    assert len(sessions_of(rows, config)) == 3


# ---- order (ties) -----------------------------------------------------------------------------


def test_ties_ordered_by_event_id_nulls_last() -> None:
    config = Config(session_timeout_minutes=30, background_timeout_minutes=5)
    rows = [
        ev(T + "10:00Z", "app_background", event_id="b"),
        ev(T + "10:00Z", "click", event_id=None),  # null id: last, so it is the previous event
        ev(T + "10:10Z"),
    ]
    (session,) = sessions_of(rows, config)  # 10 min after a foreground event: continues
    assert session["foreground_seconds"] == 600.0
    rows = [
        ev(T + "10:00Z", "app_background", event_id="b"),
        ev(T + "10:00Z", "click", event_id="a"),  # 'a' < 'b': background is last
        ev(T + "10:10Z"),
    ]
    assert len(sessions_of(rows, config)) == 2


def test_ties_then_event_name_then_user_id_nulls_last() -> None:
    rows = [
        ev(T + "10:00Z", "scroll", platform="scroll"),
        ev(T + "10:00Z", "click", user=None, platform="click-null"),
        ev(T + "10:00Z", "click", user="u-b", platform="click-b"),
        ev(T + "10:00Z", "click", user="u-a", platform="click-a"),
    ]
    (session,) = sessions_of(rows)
    # order: click/u-a, click/u-b, click/null, scroll: first event click/u-a, last user u-b
    assert session["platform"] == "click-a"
    assert session["user_id"] == "u-b"


def test_ties_event_name_before_user_id() -> None:
    config = Config(session_timeout_minutes=30, background_timeout_minutes=5)
    rows = [
        ev(T + "10:00Z", "scroll", user="u-a"),
        ev(T + "10:00Z", "click", user="u-b"),  # 'click' < 'scroll': click first
    ]
    (session,) = sessions_of(rows)
    assert session["user_id"] == "u-a"
    # null ids at the same instant: 'app_background' < 'click', so click is the previous event
    rows = [ev(T + "10:00Z", "click"), ev(T + "10:00Z", "app_background"), ev(T + "10:10Z")]
    (session,) = sessions_of(rows, config)
    assert session["foreground_seconds"] == 600.0


# ---- cap --------------------------------------------------------------------------------------


def test_session_of_exactly_the_cap_is_not_cut() -> None:
    config = Config(max_session_minutes=60)
    (session,) = sessions_of([ev(T + "10:00Z"), ev(T + "10:30Z"), ev(T + "11:00Z")], config)
    assert session["duration_seconds"] == 3600.0


def test_default_cap_of_1440_minutes_not_cut() -> None:
    rows = [ev((datetime(2024, 3, 8) + timedelta(minutes=30 * k)).isoformat()) for k in range(49)]
    (session,) = sessions_of(rows)
    assert session["duration_seconds"] == 86400.0
    rows.append(ev("2024-03-09T00:00:00.000001"))
    assert [s["event_count"] for s in sessions_of(rows)] == [48, 2]


def test_session_past_the_cap_is_cut_into_floor_pieces() -> None:
    config = Config(max_session_minutes=60)
    rows = [ev(T + "10:00Z"), ev(T + "10:30Z"), ev(T + "11:00Z"), ev(T + "11:00:00.000001Z")]
    sessions = sessions_of(rows, config)
    assert [
        (s["session_start_at"], s["event_count"], s["duration_seconds"], s["session_number"])
        for s in sessions
    ] == [(dt("2024-03-08 10:00"), 2, 1800.0, 1), (dt("2024-03-08 11:00"), 2, 0.000001, 2)]
    assert [s["foreground_seconds"] for s in sessions] == [1800.0, 0.000001]


def test_cap_pieces_are_counted_from_the_first_event_and_empty_pieces_vanish() -> None:
    config = Config(session_timeout_minutes=120, max_session_minutes=60)
    rows = [ev(T + "10:30Z"), ev(T + "10:40Z"), ev(T + "12:40Z"), ev(T + "13:20Z")]
    # pieces: floor(0/60)=0, floor(10/60)=0, floor(130/60)=2, floor(170/60)=2; piece 1 empty
    # (not clock hours: 12:40 and 13:20 share a piece)
    sessions = sessions_of(rows, config)
    assert [(s["session_start_at"].strftime("%H:%M"), s["event_count"]) for s in sessions] == [
        ("10:30", 2),
        ("12:40", 2),
    ]
    assert [s["session_number"] for s in sessions] == [1, 2]
    assert [s["foreground_seconds"] for s in sessions] == [600.0, 2400.0]


# ---- user and identity ------------------------------------------------------------------------


def test_user_is_last_non_null_in_session_then_latest_of_partition() -> None:
    rows = [
        # session 1: users null, u-1, u-2, null -> u-2
        ev(T + "10:00Z"),
        ev(T + "10:01Z", user="u-1"),
        ev(T + "10:02Z", user="u-2"),
        ev(T + "10:03Z"),
        # session 2: no user -> latest non-null user of the partition: u-3 (from session 3)
        ev(T + "12:00Z"),
        # session 3
        ev(T + "14:00Z", user="u-3"),
        ev(T + "14:01Z"),
    ]
    users = [(s["user_id"], s["user_key"]) for s in sessions_of(rows)]
    assert users == [("u-2", "u-2"), ("u-3", "u-3"), ("u-3", "u-3")]


def test_anonymous_device_user_key() -> None:
    (session,) = sessions_of([ev(T + "10:00Z", device="d-anon")])
    assert (session["user_id"], session["user_key"]) == (None, "device:d-anon")


def test_device_less_rows_are_partitioned_by_user_in_their_own_namespace() -> None:
    rows = [
        ev(T + "10:00Z", device="x", user=None),
        ev(T + "10:05Z", device="x", user=None),
        ev(T + "10:01Z", device=None, user="x"),
        ev(T + "10:02Z", device="  ", user="x"),
        ev(T + "10:03Z", device="d-1", user="x"),
    ]
    found = {
        (s["device_id"], s["user_id"], s["user_key"], s["event_count"]): s["session_id"]
        for s in sessions_of(rows)
    }
    start = int(datetime(2024, 3, 8, 10, tzinfo=UTC).timestamp()) * 1_000_000
    assert found == {
        ("x", None, "device:x", 2): hashlib.md5(f"device:x|{start}".encode()).hexdigest(),
        (None, "x", "x", 2): hashlib.md5(f"user:x|{start + 60_000_000}".encode()).hexdigest(),
        ("d-1", "x", "x", 1): hashlib.md5(f"device:d-1|{start + 180_000_000}".encode()).hexdigest(),
    }


def test_session_id_example_from_the_contract() -> None:
    expected = hashlib.md5(b"device:d-1|1704103200000000").hexdigest()
    assert session_id(("device", "d-1"), 1704103200000000) == expected
    (session,) = sessions_of([ev("2024-01-01T10:00:00Z", device="d-1")])
    assert session["session_id"] == expected


def test_session_number_and_first_event_platform() -> None:
    rows = [
        ev(T + "10:00Z", platform=None, app_version="1"),
        ev(T + "10:01Z", platform="ios", app_version="2"),
        ev(T + "12:00Z", platform="android", app_version="3"),
        ev(T + "09:00Z", device="d-2"),
    ]
    found = [
        (s["device_id"], s["session_number"], s["platform"], s["app_version"])
        for s in sessions_of(rows)
    ]
    assert found == [("d-1", 1, None, "1"), ("d-1", 2, "android", "3"), ("d-2", 1, None, None)]


# ---- session_date and calendars -------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "start", "expected"),
    [
        ("UTC", "2024-03-08T23:50:00Z", "2024-03-08"),  # session over midnight: start date
        ("America/New_York", "2024-03-10T04:59:59Z", "2024-03-09"),  # 23:59:59 EST
        ("America/New_York", "2024-03-10T05:00:00Z", "2024-03-10"),  # 00:00 EST
        ("America/New_York", "2024-03-11T03:59:59Z", "2024-03-10"),  # 23:59:59 EDT
        ("America/New_York", "2024-03-11T04:00:00Z", "2024-03-11"),  # 00:00 EDT
        ("Europe/Berlin", "2024-03-30T22:59:59Z", "2024-03-30"),  # 23:59:59 CET
        ("Europe/Berlin", "2024-03-30T23:00:00Z", "2024-03-31"),  # 00:00 CET
        ("Europe/Berlin", "2024-03-31T21:59:59Z", "2024-03-31"),  # 23:59:59 CEST
        ("Europe/Berlin", "2024-03-31T22:00:00Z", "2024-04-01"),  # 00:00 CEST
        ("Asia/Kolkata", "2024-03-08T18:29:00Z", "2024-03-08"),
        ("Asia/Kolkata", "2024-03-08T18:30:00Z", "2024-03-09"),
    ],
)
def test_session_date_in_reporting_timezone(zone: str, start: str, expected: str) -> None:
    rows = [ev(start), ev(start[:-1] + ".5Z")]  # and a second event 0.5 s later
    (session,) = sessions_of(rows, Config(reporting_timezone=zone))
    assert session["session_date"] == date.fromisoformat(expected)


def test_reports_per_period() -> None:
    rows = [
        # Wed 2024-02-28: u-1, 60 s
        ev("2024-02-28T10:00Z", user="u-1"),
        ev("2024-02-28T10:01Z", user="u-1"),
        # Sun 2024-03-03: u-1, 0 s (still week of Mon 2024-02-26)
        ev("2024-03-03T10:00Z", user="u-1"),
        # Mon 2024-03-04: u-2 (120 s, 300 s of which 60 s foreground), anonymous device 0 s
        ev("2024-03-04T08:00Z", user="u-2"),
        ev("2024-03-04T08:02Z", user="u-2"),
        ev("2024-03-04T10:00Z", user="u-2"),
        ev("2024-03-04T10:01Z", "app_background", user="u-2"),
        ev("2024-03-04T10:05Z", user="u-2"),
        ev("2024-03-04T10:00Z", device="d-anon"),
    ]
    out = run_reference(rows)
    per_user = {
        (r["period"], r["period_start"].isoformat()): (
            r["active_users"],
            r["sessions"],
            r["sessions_per_user"],
        )
        for r in out["rpt_sessions_per_user"]
    }
    assert per_user == {
        ("day", "2024-02-28"): (1, 1, 1.0),
        ("day", "2024-03-03"): (1, 1, 1.0),
        ("day", "2024-03-04"): (2, 3, 1.5),
        ("week", "2024-02-26"): (1, 2, 2.0),
        ("week", "2024-03-04"): (2, 3, 1.5),
        ("month", "2024-02-01"): (1, 1, 1.0),
        ("month", "2024-03-01"): (3, 4, 4 / 3),
    }
    duration = {
        (r["period"], r["period_start"].isoformat()): (
            r["sessions"],
            r["avg_duration_seconds"],
            r["median_duration_seconds"],
            r["avg_foreground_seconds"],
            r["total_duration_seconds"],
            r["total_foreground_seconds"],
        )
        for r in out["rpt_session_duration"]
    }
    assert duration == {
        ("day", "2024-02-28"): (1, 60.0, 60.0, 60.0, 60.0, 60.0),
        ("day", "2024-03-03"): (1, 0.0, 0.0, 0.0, 0.0, 0.0),
        ("day", "2024-03-04"): (3, 140.0, 120.0, 60.0, 420.0, 180.0),
        ("week", "2024-02-26"): (2, 30.0, 30.0, 30.0, 60.0, 60.0),
        ("week", "2024-03-04"): (3, 140.0, 120.0, 60.0, 420.0, 180.0),
        ("month", "2024-02-01"): (1, 60.0, 60.0, 60.0, 60.0, 60.0),
        # durations 0, 120, 300, 0 -> sorted 0, 0, 120, 300: interpolated median 60
        ("month", "2024-03-01"): (4, 105.0, 60.0, 45.0, 420.0, 180.0),
    }


# ---- hourly -----------------------------------------------------------------------------------


def test_hourly_includes_empty_hours_and_adds_up_to_fct_totals() -> None:
    rows = [
        # d-1: 10:30 -> 11:10, background at 10:45, so foreground is 10:30-10:45 only
        ev(T + "10:30Z", device="d-1"),
        ev(T + "10:45Z", "app_background", device="d-1"),
        ev(T + "11:10Z", device="d-1"),
        # d-2: 13:50 -> 14:10, foreground gap across the hour
        ev(T + "13:50Z", device="d-2"),
        ev(T + "14:10Z", device="d-2"),
        # d-3: 14:30 -> 15:00 exactly: counted active in hour 15 with 0 seconds
        ev(T + "14:30Z", device="d-3"),
        ev(T + "15:00Z", device="d-3"),
    ]
    out = run_reference(rows)
    hourly = [
        (
            r["hour_start_utc"].strftime("%H"),
            r["hour_of_day"],
            r["day_of_week"],
            r["active_sessions"],
            r["session_seconds"],
            r["foreground_seconds"],
        )
        for r in out["rpt_session_time_hourly"]
    ]
    assert hourly == [
        ("10", 10, 5, 1, 1800.0, 900.0),
        ("11", 11, 5, 1, 600.0, 0.0),
        ("12", 12, 5, 0, 0.0, 0.0),
        ("13", 13, 5, 1, 600.0, 600.0),
        ("14", 14, 5, 2, 2400.0, 2400.0),
        ("15", 15, 5, 1, 0.0, 0.0),
    ]
    fct = out["fct_sessions"]
    assert sum(h[4] for h in hourly) == sum(s["duration_seconds"] for s in fct) == 5400.0
    assert sum(h[5] for h in hourly) == sum(s["foreground_seconds"] for s in fct) == 3900.0


def test_hourly_local_hour_and_weekday_over_dst() -> None:
    rows = [ev("2024-03-10T04:30Z"), ev("2024-03-10T04:59Z"), ev("2024-03-10T05:20Z")]
    rows += [ev("2024-03-10T05:45Z"), ev("2024-03-10T06:10Z"), ev("2024-03-10T06:40Z")]
    rows += [ev("2024-03-10T07:05Z")]
    out = run_reference(rows, Config(reporting_timezone="America/New_York"))
    found = [
        (r["hour_start_utc"].strftime("%H"), r["hour_of_day"], r["day_of_week"])
        for r in out["rpt_session_time_hourly"]
    ]
    # 04Z = Sat 23:00 EST, 05Z = Sun 00:00 EST, 06Z = 01:00 EST, 07Z = 03:00 EDT
    assert found == [("04", 23, 6), ("05", 0, 7), ("06", 1, 7), ("07", 3, 7)]


def test_no_sessions_means_empty_reports() -> None:
    out = run_reference([ev(T + "10:00Z", None)])
    assert out["fct_sessions"] == out["rpt_session_time_hourly"] == []
    assert out["rpt_sessions_per_user"] == out["rpt_session_duration"] == []
    assert out["rpt_active_users"] == []
    empty_week = [
        {
            "day_of_week": day,
            "hour_of_day": hour,
            "sessions_started": 0,
            "session_seconds": 0.0,
            "foreground_seconds": 0.0,
            "share_of_time": None,
        }
        for day in range(1, 8)
        for hour in range(24)
    ]
    assert run_reference([]) == {
        "int_events_clean": [],
        "rejected_events": [],
        "fct_sessions": [],
        "rpt_sessions_per_user": [],
        "rpt_session_duration": [],
        "rpt_session_time_hourly": [],
        "rpt_active_users": [],
        "rpt_session_time_local_hourly": empty_week,
        "dim_users": [],
    }


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("Europe/Berlin", True),
        ("europe/berlin", False),
        ("Etc/GMT+5", True),
        ("PST", False),
        ("+14:00", True),
        ("-1400", True),
        ("+14:01", False),
        ("-13:59", True),
        ("+05:60", False),
        ("+5:30", False),
        ("0530", False),
        ("+05", False),
        ("Z", True),
        ("z", False),
        ("+0\u0665:00", False),
    ],
)
def test_a_zone_is_a_tz_name_as_written_or_an_offset_up_to_14_hours(text: str, valid: bool) -> None:
    rows = [{**ev(T + "10:00Z"), "timezone": f" {text} "}]
    (session,) = sessions_of(rows, Config(reporting_timezone="Asia/Tokyo"))
    assert session["session_timezone"] == (text if valid else "Asia/Tokyo")


def test_session_zone_is_its_own_then_the_devices_latest_then_the_reporting_zone() -> None:
    rows = [
        {**ev(T + "10:00Z"), "timezone": "+05:45"},  # session 1, its own zone
        {**ev(T + "12:00Z"), "timezone": "Mars/Base"},  # session 2: no valid zone of its own
        {**ev(T + "14:00Z"), "timezone": "America/St_Johns"},  # session 3
        {**ev(T + "14:10Z"), "timezone": None},
        {**ev(T + "10:00Z", device="d-2"), "timezone": "bad"},
    ]
    sessions = sessions_of(rows, Config(reporting_timezone="Asia/Kolkata"))
    zones = [
        (row["device_id"], row["session_timezone"], row["session_start_local"]) for row in sessions
    ]
    assert zones == [
        ("d-1", "+05:45", dt("2024-03-08 15:45")),
        ("d-1", "America/St_Johns", dt("2024-03-08 08:30")),  # NST, -03:30
        ("d-1", "America/St_Johns", dt("2024-03-08 10:30")),
        ("d-2", "Asia/Kolkata", dt("2024-03-08 15:30")),
    ]


def test_local_hours_split_where_chathams_offset_changes_at_03_45() -> None:
    # 6 April 2024 13:10-14:30 UTC: 02:55-03:45 at +13:45, then 02:45-03:15 at +12:45 (Sunday)
    rows = [
        {**ev("2024-04-06T13:10Z"), "timezone": "Pacific/Chatham"},
        {**ev("2024-04-06T13:40Z"), "timezone": None},
        {**ev("2024-04-06T14:10Z"), "timezone": None},
        {**ev("2024-04-06T14:30Z"), "timezone": None},
    ]
    cells = {
        (row["day_of_week"], row["hour_of_day"]): row["session_seconds"]
        for row in run_reference(rows)["rpt_session_time_local_hourly"]
        if row["session_seconds"]
    }
    assert cells == {(7, 2): 20 * 60.0, (7, 3): 60 * 60.0}


def test_user_windows_end_at_the_latest_session_end() -> None:
    as_of = "2024-03-29T12:00:00Z"
    rows = [
        ev("2024-03-29T11:00Z", user="u1"),
        ev("2024-03-29T11:30Z", user="u1"),  # a gap of exactly the timeout: one session
        ev(as_of, user="u1"),
        ev("2024-03-22T12:00:00Z", user="u1", device="d-2"),  # 7 days before: not in the 7
        ev("2024-03-01T12:00:00.000001Z", user="u1", device="d-3"),  # in the 28 days
        ev("2024-03-01T12:00:00Z", user="u1", device="d-4"),  # exactly 28 days before: out
    ]
    config = Config(engagement_daily_min_active_days=3, engagement_weekly_min_active_days=2)
    (user,) = run_reference(rows, config)["dim_users"]
    assert (user["sessions"], user["sessions_last_7_days"], user["sessions_last_28_days"]) == (
        4,
        1,
        3,
    )
    assert (user["active_days_last_28_days"], user["engagement_segment"]) == (3, "daily")
    assert (user["usual_local_hour"], user["usual_local_weekday"]) == (11, 5)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("1709287200", "s", "2024-03-01 10:00:00"),
        ("1709287200.1234567", "s", "2024-03-01 10:00:00.123456"),
        ("1709287200123", "ms", "2024-03-01 10:00:00.123"),
        ("1709287200123.9", "ms", "2024-03-01 10:00:00.123900"),
        ("1709287200123456", "us", "2024-03-01 10:00:00.123456"),
        ("1709287200123456.9", "us", "2024-03-01 10:00:00.123456"),
        ("1709287200123456789", "ns", "2024-03-01 10:00:00.123456"),
        ("253402300799999999999", "ns", "9999-12-31 23:59:59.999999"),
        ("253402300800000000000", "ns", None),
        ("-1709287200", "s", None),
        ("1.7e9", "s", None),
        ("1709287200", None, None),
        ("2024-03-01T10:00:00Z", "s", "2024-03-01 10:00:00"),
    ],
)
def test_epoch_numbers_in_a_declared_unit(
    text: str, unit: str | None, expected: str | None
) -> None:
    units = (("event_timestamp", unit),) if unit else ()
    out = run_reference([ev(text)], Config(epoch_units=units))
    if expected is None:
        assert [r["reject_reason"] for r in out["rejected_events"]] == ["invalid_timestamp"]
    else:
        assert [r["event_at"] for r in out["int_events_clean"]] == [dt(expected)]
