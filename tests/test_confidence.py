"""Confidence that means something: on the shared real documents (../shared/dev, with their manifest), the
indicators of the claims the extractor marks ``high`` are right at least 97 times in 100, matched to the gold
as the shared scorer matches them (its ``match_doc``)."""
from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED

from etl.claims.document import resolve
from etl.claims.extract import extract_text
from etl.reading.decode import read_document
from etl.reading.metadata import read_manifest

SHARED_DIR = next((p for p in (SHARED, Path("/work/shared")) if (p / "dev" / "gold.csv").exists()), SHARED)
DEV = SHARED_DIR / "dev"
SCORER = SHARED_DIR / "tools" / "score_extraction.py"
MIN_HIGH_PRECISION = 0.97

pytestmark = pytest.mark.skipif(not (DEV / "gold.csv").exists() or not SCORER.exists(),
                                reason="../shared/dev and its scorer are not beside")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def judged() -> Counter:
    """Counts over the dev documents: high-confidence indicators right and wrong, low ones, abstentions."""
    se = _scorer()
    gold = se.load_gold(DEV / "gold.csv")
    docs = DEV / "docs"
    manifest = read_manifest(docs)
    counts: Counter = Counter()
    for name, rows in gold.items():
        text = read_document(docs / name)
        meta = resolve(name, text, manifest)
        preds = extract_text(text, region=meta.region, date=meta.date)
        pairs, unmatched = se.match_doc(rows, preds)
        for g, p in pairs:
            if p["confidence"] == "high" and p["indicator"]:
                counts["high_right" if p["indicator"] == g["indicator"] else "high_wrong"] += 1
            elif p["confidence"] == "low":
                counts["low_right" if p["indicator_candidate"] == g["indicator"] else "low_wrong"] += 1
        counts["high_wrong"] += sum(1 for p in unmatched if p["confidence"] == "high" and p["indicator"])
    return counts


def test_high_confidence_indicators_are_right(judged):
    named = judged["high_right"] + judged["high_wrong"]
    assert named >= 80, f"too few sure indicators to judge: {dict(judged)}"
    precision = judged["high_right"] / named
    assert precision >= MIN_HIGH_PRECISION, f"high-confidence precision {precision:.3f}: {dict(judged)}"


def test_low_confidence_claims_abstain(judged):
    """The extractor abstains on some claims, and a guess it is unsure of is right less often than a sure one."""
    low = judged["low_right"] + judged["low_wrong"]
    assert low > 0
    assert judged["low_right"] / low < judged["high_right"] / (judged["high_right"] + judged["high_wrong"])
