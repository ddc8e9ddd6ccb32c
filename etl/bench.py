"""Benchmarks: ``python -m etl.bench`` prints extraction throughput (one core) on the seeds
repeated to at least 5 MB of text. Figures only; nothing here asserts a time."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from etl.decode import read_document
from etl.extract import extract_text
from etl.metadata import infer_date
from etl.regions import document_region

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
TARGET_CHARS = 5_000_000


def extraction_throughput(docs: list[str], repeats: int = 3) -> tuple[float, int, int]:
    """(characters per second (median of runs), characters, claims) for extracting ``docs`` in turn."""
    metas = [(document_region(t), infer_date(t)) for t in docs]
    chars = sum(len(t) for t in docs)
    rates, claims = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        claims = sum(len(extract_text(t, region=r, date=d)) for t, (r, d) in zip(docs, metas, strict=True))
        rates.append(chars / (time.perf_counter() - t0))
    return statistics.median(rates), chars, claims


def main() -> None:
    seeds = [read_document(p) for p in sorted(SEEDS.glob("*.txt"))]
    per_round = sum(len(t) for t in seeds)
    docs = seeds * -(-TARGET_CHARS // per_round)
    rate, chars, claims = extraction_throughput(docs)
    print(f"extraction: {rate:,.0f} characters/s on one core "
          f"({chars:,} characters, {len(docs)} documents, {claims:,} claims; median of 3 runs; "
          f"target >= 1,000,000)")
    print("  metadata inference (region, date) is done once per document, outside the timed loop")


if __name__ == "__main__":
    main()
