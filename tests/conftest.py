"""Shared fixtures. ETL section first; the dashboard's fixtures follow in their own section."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def marked(example: str) -> tuple[str, int, int]:
    """'共有【181个】' -> ('共有181个', 2, 6): the text and the span marked with 【】."""
    m = re.search("【(.+?)】", example)
    assert m, f"example without a 【marked】 mention: {example}"
    text = example[:m.start()] + m.group(1) + example[m.end():]
    return text, m.start(), m.start() + len(m.group(1))


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> Path:
    """The database built from the bundled seed documents, once per test session."""
    from etl.build import build

    db = tmp_path_factory.mktemp("db") / "poverty.duckdb"
    report = build(SEEDS, db)
    assert not report.problems, report.problems
    return db
