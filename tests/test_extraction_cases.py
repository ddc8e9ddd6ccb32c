"""Table-driven extraction cases: each row of ``tests/cases/*.csv`` is its own test.

A positive row names its mention (``mention``, or ``mention#k`` for the k-th occurrence in ``text``): a claim
with exactly that span must exist, and every non-empty expected column must match (``NULL`` = None, value
and value_high with a relative tolerance of 1e-9, cumulative as 0/1). A trap row (``traps.csv``, or any row
whose ``unit`` is ``NOT_A_CLAIM``) names a substring that no claim may overlap.
"""
from __future__ import annotations

import csv
import math
from functools import cache
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
COLUMNS = ["id", "text", "mention", "value", "value_high", "unit", "qualifier", "rate", "region", "year",
           "period_start", "cumulative", "indicator", "doc_region", "doc_date", "note"]
CHECKED = ["value", "value_high", "unit", "qualifier", "rate", "region", "year", "period_start", "cumulative",
           "indicator"]
NOT_A_CLAIM = "NOT_A_CLAIM"


def _load() -> tuple[list, list]:
    positives: list = []
    traps: list = []
    for path in sorted(CASES.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames != COLUMNS:
                raise ValueError(f"{path.name}: columns {reader.fieldnames}, expected {COLUMNS}")
            for row in reader:
                param = pytest.param(row, id=f"{path.stem}:{row['id']}")
                is_trap = path.stem == "traps" or row["unit"] == NOT_A_CLAIM
                (traps if is_trap else positives).append(param)
    return positives, traps


POSITIVES, TRAPS = _load()


@cache
def _claims(text: str, region: str | None, date: str | None) -> tuple[dict, ...]:
    from etl.claims.extract import extract_text  # lazy: collection works before the extractor exists

    return tuple(extract_text(text, region=region, date=date))


def _run(row: dict[str, str]) -> tuple[dict, ...]:
    return _claims(row["text"], row["doc_region"] or None, row["doc_date"] or None)


def _span(row: dict[str, str]) -> tuple[int, int]:
    """Offsets of ``mention`` (or the k-th occurrence for ``mention#k``) in ``text``."""
    needle, _, nth = row["mention"].rpartition("#")
    if not (needle and nth.isdigit()):
        needle, nth = row["mention"], "1"
    start = -1
    for _ in range(int(nth)):
        start = row["text"].find(needle, start + 1)
        assert start >= 0, f"case error: {row['mention']!r} not found in {row['text']!r}"
    return start, start + len(needle)


def _matches(actual: object, expected: str, column: str) -> bool:
    if expected == "NULL":
        return actual is None
    if actual is None:
        return False
    if column in ("value", "value_high"):
        return math.isclose(float(actual), float(expected), rel_tol=1e-9)
    if column in ("year", "period_start"):
        return actual == int(expected)
    if column == "cumulative":
        return bool(actual) == (expected == "1")
    return actual == expected


def _show(claims: tuple[dict, ...]) -> list[tuple]:
    return [(c["start"], c["text"], c["value"], c["unit"]) for c in claims]


@pytest.mark.parametrize("row", POSITIVES)
def test_claim(row: dict[str, str]) -> None:
    start, end = _span(row)
    claims = _run(row)
    found = [c for c in claims if (c["start"], c["end"]) == (start, end)]
    assert found, f"no claim spans {row['text'][start:end]!r} ({row['note']}); claims: {_show(claims)}"
    claim = found[0]
    assert claim["text"] == row["text"][start:end]
    wrong = {col: (claim.get(col), row[col]) for col in CHECKED
             if row[col] and not _matches(claim.get(col), row[col], col)}
    assert not wrong, f"{row['note']}: (got, expected) {wrong}"


@pytest.mark.parametrize("row", TRAPS)
def test_not_a_claim(row: dict[str, str]) -> None:
    start, end = _span(row)
    hits = [c for c in _run(row) if c["start"] < end and c["end"] > start]
    assert not hits, f"{row['mention']!r} is not a claim ({row['note']}); got {_show(tuple(hits))}"
