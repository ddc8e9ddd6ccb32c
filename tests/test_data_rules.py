"""Each row of the data files (units, multipliers, qualifiers, indicator rules) has a one-line example;
each example is its own test."""
from __future__ import annotations

import pytest
from conftest import marked

from etl.claims.extract import extract_text
from etl.claims.indicators import rules
from etl.reading.numerals import parse_chinese
from etl.tables import rows


def claim_at(example: str) -> dict:
    text, start, end = marked(example)
    claims = [c for c in extract_text(text) if (c["start"], c["end"]) == (start, end)]
    assert claims, f"no claim at {text[start:end]!r} in {text!r}: {extract_text(text)}"
    return claims[0]


@pytest.mark.parametrize("row", rows("units"), ids=lambda r: r["surface"])
def test_unit(row):
    assert claim_at(row["example"])["unit"] == row["unit"]


@pytest.mark.parametrize("row", rows("multipliers"), ids=lambda r: r["surface"])
def test_multiplier(row):
    text, start, end = marked(row["example"])
    mention = text[start:end]
    number = mention[:mention.index(row["surface"])].rstrip("余多")
    base = float(number) if number[0].isdigit() else parse_chinese(number + row["surface"]) / float(row["factor"])
    assert claim_at(row["example"])["value"] == pytest.approx(base * float(row["factor"]))


@pytest.mark.parametrize("row", rows("qualifiers"), ids=lambda r: f"{r['position']}:{r['surface']}")
def test_qualifier(row):
    assert claim_at(row["example"])["qualifier"] == row["qualifier"]


@pytest.mark.parametrize("rule", rules(), ids=lambda r: f"{r.key}:{r.example[:12]}")
def test_indicator_rule(rule):
    expected = None if rule.key == "none" else rule.key
    assert claim_at(rule.example)["indicator"] == expected
