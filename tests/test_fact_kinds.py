"""A database built from the shared real documents (../shared/dev with its manifest) holds no remaining, average,
target, survey or running-total figure under a stock or annual key: each fact under such a key is, by the gold
(matched as the shared scorer matches), a figure of that very indicator, and no annual fact is a running total."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import SHARED

from etl.storage.build import build
from etl.tables import rows

SHARED_DIR = next((p for p in (SHARED, Path("/work/shared")) if (p / "dev" / "gold.csv").exists()), SHARED)
DEV = SHARED_DIR / "dev"
SCORER = SHARED_DIR / "tools" / "score_extraction.py"
# Counts of households, people and things at a date or over a year: the keys a stray figure would falsify.
STOCK_OR_ANNUAL = {r["key"] for r in rows("indicators") if r["unit"] in ("household", "person", "count")
                   and not r["key"].startswith(("remaining_", "survey_"))}

pytestmark = pytest.mark.skipif(not (DEV / "gold.csv").exists() or not SCORER.exists(),
                                reason="../shared/dev and its scorer are not beside")


def _kind(gold: dict | None, key: str) -> str | None:
    """What a fact under ``key`` wrongly holds according to its gold claim, or None when it is right."""
    if gold is None:
        return "not a claim"
    if key.endswith("_annual") and str(gold["cumulative"]) == "1":
        return "running total as a year's flow"
    if gold["indicator"] == key:
        return None
    if gold["indicator"].startswith("remaining_"):
        return "remaining"
    if gold["indicator"] == "survey_poor_population":
        return "survey"
    if not gold["indicator"]:
        return "no indicator (a target, an average, a part, a running total of something else)"
    return f"another indicator ({gold['indicator']})"


def test_no_stock_or_annual_fact_holds_another_kind_of_figure(tmp_path):
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    se = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(se)
    gold = se.load_gold(DEV / "gold.csv")
    docs = tmp_path / "docs"
    shutil.copytree(DEV / "docs", docs)
    db = tmp_path / "dev.duckdb"
    assert not build(docs, db).problems
    with duckdb.connect(str(db), read_only=True) as con:
        claims = con.execute("""
            SELECT d.file, c.char_start, c.char_end, c.text, f.indicator, f.region, f.year
            FROM claims c JOIN documents d ON d.id = c.doc_id LEFT JOIN facts f ON f.claim_id = c.id""").fetchall()
    by_doc: dict[str, list[dict]] = {}
    for file, start, end, text, key, region, year in claims:
        by_doc.setdefault(file, []).append(dict(start=start, end=end, text=text, key=key, where=(region, year)))
    checked, wrong = 0, []
    for file, preds in by_doc.items():
        pairs, unmatched = se.match_doc(gold.get(file, []), preds)
        for g, p in [*pairs, *((None, p) for p in unmatched)]:
            if p["key"] in STOCK_OR_ANNUAL:
                checked += 1
                if kind := _kind(g, p["key"]):
                    wrong.append((file, p["text"], p["key"], *p["where"], kind))
    assert checked >= 40, f"only {checked} stock or annual facts: the build read too little to judge"
    assert not wrong, "\n".join(map(str, wrong))
