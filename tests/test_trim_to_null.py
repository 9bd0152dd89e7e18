"""Text values are trimmed of ASCII whitespace (space, tab, LF, VT, FF, CR) at both ends, and a
blank value is null (docs/contract.md). DuckDB checks a value's end characters before trimming
it (macros/parsing/trim_to_null.sql: the first byte by `< '!'`, the last character by `<= ' '`), so
the check must send every value with whitespace at either end to the trim, and leave every
other value as it is.

Every ASCII character, and non-ASCII spaces and letters, at the start, at the end, at both
ends, alone and doubled, go through the pipeline as device ids and event names; each must
come out as the reference (tests/reference/contract.py, `clean_text`) says.
"""

from __future__ import annotations

from pathlib import Path

from tests.dbt_runner import run_cleaning
from tests.reference.contract import clean_text

CHARACTERS = [
    *(chr(code) for code in range(1, 128)),
    "\u0085",  # next line: whitespace to Unicode, not to the contract
    "\u00a0",  # no-break space
    "\u2003",  # em space
    "\u3000",  # ideographic space
    "\ufeff",  # byte order mark
    "\u00e9",  # é, two bytes
    "\U0001f600",  # four bytes
]


def candidate_values() -> list[str]:
    values = {" \t\n\v\f\rd\r\f\v\n\t ", "d", "\t", " \r\n"}
    for character in CHARACTERS:
        values.update(
            [character + "d", "d" + character, character + "d" + character,
             character, character * 2, " " + character, character + " "]
        )  # fmt: skip
    return sorted(values)


def test_text_is_trimmed_of_ascii_whitespace_only(tmp_path: Path) -> None:
    values = candidate_values()
    row = {"user_id": "u1", "event_timestamp": "2024-03-04T10:20:30Z"}
    rows = [
        *({**row, "event_id": f"d{n}", "device_id": v, "event_name": "tap"}
          for n, v in enumerate(values)),
        *({**row, "event_id": f"n{n}", "device_id": "d1", "event_name": v}
          for n, v in enumerate(values)),
    ]  # fmt: skip
    kept, rejected = run_cleaning(tmp_path, rows)
    wrong = []
    for number, value in enumerate(values):
        expected = clean_text(value)
        device = kept[f"d{number}"]["device_id"]
        if device != expected:
            wrong.append(f"device_id {value!r}: {device!r}, the contract says {expected!r}")
        if expected is None:
            if rejected.get(f"n{number}") != "missing_event_name":
                wrong.append(f"event_name {value!r}: kept, the contract says missing")
        elif kept.get(f"n{number}", {}).get("event_name") != expected:
            got = kept.get(f"n{number}", {}).get("event_name", rejected.get(f"n{number}"))
            wrong.append(f"event_name {value!r}: {got!r}, the contract says {expected!r}")
    assert not wrong, f"{len(wrong)} of {2 * len(values)} wrong:\n" + "\n".join(wrong[:20])
    blank = [value for value in values if clean_text(value) is None]
    padded = [value for value in values if clean_text(value) not in (None, value)]
    assert len(blank) >= 6 and len(padded) >= 50, "blank and padded values must be exercised"
