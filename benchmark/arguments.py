"""Checks of the benchmark scripts' command-line values, so that a bad value stops a run
before it generates data or starts a build, with what to give instead.

The memory limit follows the rule the dbt profile applies to `APP_SESSIONS_MEMORY_LIMIT`
(profiles/profiles.yml): the benchmark hands the same value to dbt and to DuckDB directly,
and one rule keeps a value from passing here and failing in the dbt variant.
"""

from __future__ import annotations

import argparse
import re

MEMORY_LIMIT_PATTERN = "(?=[^1-9]*[1-9])([0-9]+([.][0-9]*)?|[.][0-9]+) *([kmgt]i?b|[kmgt]|b|%)"
"""A DuckDB memory_limit as the profile accepts it, case-insensitive: a size above zero (8GB,
512MB, 1.5GiB) or a share of the machine's memory (80%). DuckDB's "no limit" spellings
(-1, none) are refused: the project always sets one. tests/test_settings.py checks that the
profile uses this same pattern and that DuckDB reads every form it lets through."""


def memory_limit(value: str) -> str:
    """`value` without surrounding blanks, if it is a memory limit the profile accepts."""
    text = value.strip()
    if not re.fullmatch(MEMORY_LIMIT_PATTERN, text, re.IGNORECASE):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a memory limit: give a size like 8GB, 512MB or 1.5GiB, or a"
            " share of the memory like 80%"
        )
    return text


def positive_int(value: str) -> int:
    """`value` as a whole number from 1 (events, repeats, threads, rounds)."""
    text = value.strip()
    if not re.fullmatch("[1-9][0-9]*", text):
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number from 1")
    return int(text)
