"""The usual export form of a timestamp, 'YYYY-MM-DDThh:mm:ss.ffffffZ', takes a fast path in
DuckDB (macros/parsing/iso_timestamp_fast.sql, `iso_timestamp_fast`): a shape check and one
strptime, where any other text goes through the general ISO-8601 parser. The fast path must accept
exactly what the contract accepts, with the same value.

Every one-character change of a valid timestamp (each position replaced by, or preceded by,
digits, signs, separators, letters, whitespace and non-ASCII digits), every value of each
two-digit field, and odd years, dates and fractions go through the pipeline as event
timestamps; each must come out as the reference parser (tests/reference/contract.py) says:
the same instant, or rejected as `invalid_timestamp`.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from pathlib import Path

import duckdb

from tests.dbt_runner import PROJECT_DIR, read_table, run_cleaning
from tests.reference.contract import clean_text, parse_timestamp, to_us

VALID = "2024-03-04T10:20:30.123456Z"
CHARACTERS = [
    *"0123456789 +-aT:.Zz,/",
    "\t",
    "\n",
    "\v",
    "",
    "\u0662",
    "\uff12",
    "\uff3a",
    "\u00a0",
]
TWO_DIGIT_FIELDS = {"month": 5, "day": 8, "hour": 11, "minute": 14, "second": 17}


def candidate_timestamps() -> list[str]:
    texts = {VALID}
    for position, character in itertools.product(range(len(VALID)), CHARACTERS):
        texts.add(VALID[:position] + character + VALID[position + 1 :])  # replaced
        texts.add(VALID[:position] + character + VALID[position:])  # inserted
    for start in TWO_DIGIT_FIELDS.values():
        for value in range(100):
            texts.add(f"{VALID[:start]}{value:02d}{VALID[start + 2 :]}")
        for value, sign in itertools.product(range(10), " +-"):
            texts.add(f"{VALID[:start]}{sign}{value}{VALID[start + 2 :]}")
    for year in ("0000", "0001", "9999", " 202", "+202", "-202", "202 "):
        texts.add(year + VALID[4:])
    for day in ("2024-02-29", "2023-02-29", "2024-04-31", "2024-12-31", "2024-00-10", "2024-13-01"):
        texts.add(day + VALID[10:])
    for fraction in ("12345", "1234567", " 23456", "+23456", "-23456", "12345 ", "1234 6"):
        texts.add(f"{VALID[:20]}{fraction}Z")
    # the first and last instants, and offsets that move a time past them
    texts.update([
        "0001-01-01T00:00:00.000000Z", "0001-01-01T00:00:00+01:00", "0001-01-01T00:30:00-00:30",
        "0000-12-31T23:00:00-02:00",
        "9999-12-31T23:59:59.999999Z", "9999-12-31T23:00:00-01:00", "9999-12-31T23:59:59.9999999Z",
        VALID[:-1] + "+00:00",
    ])  # fmt: skip
    return sorted(texts)


def test_usual_timestamp_form_parses_as_the_contract_says(tmp_path: Path) -> None:
    texts = candidate_timestamps()
    rows = [
        {"event_id": f"e{number}", "device_id": "d1", "event_name": "tap", "event_timestamp": text}
        for number, text in enumerate(texts)
    ]
    kept, rejected = run_cleaning(tmp_path, rows)
    parsed = {event_id: row["event_at"] for event_id, row in kept.items()}
    wrong = []
    for number, text in enumerate(texts):
        event_id = f"e{number}"
        expected = parse_timestamp(clean_text(text))
        if expected is None:
            if rejected.get(event_id) != "invalid_timestamp":
                wrong.append(f"{text!r}: kept as {parsed.get(event_id)}, the contract rejects it")
        elif event_id not in parsed or to_us(parsed[event_id]) != expected:
            got = parsed.get(event_id) or rejected.get(event_id)
            wrong.append(f"{text!r}: {got}, the contract says {expected} us")
    assert not wrong, f"{len(wrong)} of {len(texts)} parsed wrongly:\n" + "\n".join(wrong[:20])
    assert len(parsed) > 100 and len(rejected) > 1000, "both kinds must be exercised"


def usual_text(value: datetime) -> str:
    """The exporters' usual text of a UTC instant, 'YYYY-MM-DDThh:mm:ss.ffffffZ'."""
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:"
        f"{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}Z"
    )


def test_raw_timestamp_text_is_stored_where_it_is_not_the_usual_text(tmp_path: Path) -> None:
    """A clean row stores a raw timestamp only where the text differs from the usual text
    of its value (which rebuilds it); a rejected row stores it as delivered. Checked for
    event_timestamp and received_at over the same candidates, plus padded usual texts."""
    texts = [*candidate_timestamps(), f" {VALID}", f"{VALID} ", f"\t{VALID}\n", f"{VALID}\v"]
    rows = [
        {"event_id": f"e{number}", "device_id": "d1", "event_name": "tap", "event_timestamp": text}
        for number, text in enumerate(texts)
    ] + [
        {
            "event_id": f"r{number}",
            "device_id": "d1",
            "event_name": "tap",
            "event_timestamp": "0001-01-01T00:00:00.000000Z",
            "received_at": text,
        }
        for number, text in enumerate(texts)
    ]
    delivered = {row["event_id"]: row for row in rows}
    run_cleaning(tmp_path, rows)
    stored_rows = read_table(
        tmp_path / "warehouse.duckdb", "int_events_validated",
        ["clean_event_id", "raw_text ->> 'event_timestamp' as event_timestamp",
         "raw_text ->> 'received_at' as received_at", "event_at", "clean_received_at",
         "reject_reason"],
    )  # fmt: skip
    wrong = []
    for stored in stored_rows:
        row = delivered[stored["clean_event_id"]]
        for raw, value in (("event_timestamp", "event_at"), ("received_at", "clean_received_at")):
            text = row.get(raw)
            if stored["reject_reason"] is not None or text is None:
                expected = text
            else:
                usual = stored[value] is not None and text == usual_text(stored[value])
                expected = None if usual else text
            if stored[raw] != expected:
                wrong.append(f"{raw} {text!r} ({stored['reject_reason'] or 'clean'}):"
                             f" stored {stored[raw]!r}, expected {expected!r}")  # fmt: skip
    assert len(stored_rows) == len(rows)
    assert not wrong, f"{len(wrong)} raw texts stored wrongly:\n" + "\n".join(wrong[:20])
    # incremental runs rebuild a text that was not stored with the macro's strftime
    # (macros/parsing/iso_timestamp_text.sql): it must give back what was delivered
    macro = (PROJECT_DIR / "macros" / "parsing" / "iso_timestamp_text.sql").read_text()
    found = re.search(r"duckdb__iso_timestamp_text.*?strftime\([^,]+, ('[^']+')\)", macro, re.S)
    assert found, "macros/parsing/iso_timestamp_text.sql: no strftime format in its DuckDB version"
    usual_form = found.group(1)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as connection:
        rebuilt = connection.execute(f"""
            select
                clean_event_id,
                coalesce(raw_text ->> 'event_timestamp', strftime(event_at, {usual_form})),
                coalesce(raw_text ->> 'received_at', strftime(clean_received_at, {usual_form}))
            from int_events_validated
            where reject_reason is null
        """).fetchall()  # fmt: skip
    not_rebuilt = [
        (event_id, event_text, received_text)
        for event_id, event_text, received_text in rebuilt
        if (event_text, received_text)
        != (delivered[event_id]["event_timestamp"], delivered[event_id].get("received_at"))
    ]
    assert len(rebuilt) > 100 and not not_rebuilt, not_rebuilt[:20]
