"""Build the DuckDB database from a folder of documents, atomically (temporary file, then rename).

Same documents in, same rows out: files are read in name order and every table is written sorted.
A document that cannot be read is reported and skipped; the others are still built.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl.checks import run_checks
from etl.decode import DocumentError, read_document
from etl.extract import extract_text
from etl.facts import choose_facts
from etl.indicators import taxonomy
from etl.metadata import MANIFEST, read_manifest, resolve
from etl.regions import GAZETTEER
from etl.tables import DATA

CLAIM_COLUMNS = ["id", "doc_id", "char_start", "char_end", "text", "value", "value_high", "unit", "rate",
                 "qualifier", "region", "year", "period_start", "cumulative", "indicator", "year_source",
                 "sentence", "sentence_start"]


@dataclass
class BuildReport:
    documents: int = 0
    claims: int = 0
    facts: int = 0
    problems: list[str] = field(default_factory=list)


def document_files(folder: Path) -> list[Path]:
    """The documents in a folder: every regular file but the manifest and hidden files, by name."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name != MANIFEST and not p.name.startswith("."))


def claim_id(doc_id: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


def read_corpus(folder: Path, report: BuildReport) -> tuple[list[dict], list[dict]]:
    """(documents, claims) rows of every readable document in ``folder``."""
    manifest = read_manifest(folder)
    docs, claims, seen = [], [], set()
    for path in document_files(folder):
        try:
            text = read_document(path)
        except (OSError, DocumentError) as e:
            report.problems.append(f"{path}: {e}")
            continue
        doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if doc_id in seen:
            report.problems.append(f"{path}: same text as a document already read; skipped")
            continue
        seen.add(doc_id)
        meta = resolve(path.name, text, manifest)
        docs.append({"id": doc_id, "file": path.name, "title": meta.title, "issuer": meta.issuer,
                     "region": meta.region, "date": meta.date, "year": meta.year, "source": meta.source,
                     "n_chars": len(text), "text": text})
        for c in extract_text(text, region=meta.region, date=meta.date):
            claims.append({**{k: c.get(k) for k in CLAIM_COLUMNS}, "id": claim_id(doc_id, c["start"], c["end"]),
                           "doc_id": doc_id, "char_start": c["start"], "char_end": c["end"],
                           "doc_date": meta.date})
    return docs, claims


def reference_tables(claims: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicators, regions) tables; regions named by claims but unknown to the gazetteer are added."""
    indicators = pd.DataFrame(
        [{**{k: r[k] for k in ("key", "theme", "theme_zh", "name_zh", "name_en", "unit", "definition")},
          "sort_order": i} for i, r in enumerate(taxonomy().values())])
    places = list(GAZETTEER.places.values())
    known = {p.name for p in places}
    extra = sorted({c["region"] for c in claims if c["region"] and c["region"] not in known})
    regions = pd.DataFrame(
        [{"name": p.name, "level": p.level, "parent": p.parent, "aliases": "|".join(p.aliases), "sort_order": i}
         for i, p in enumerate(places)]
        + [{"name": n, "level": "other", "parent": None, "aliases": "", "sort_order": len(places) + i}
           for i, n in enumerate(extra)])
    return indicators, regions


def write_database(path: Path, docs: list[dict], claims: list[dict]) -> int:
    """Write all tables into a new DuckDB file at ``path``; returns the number of facts."""
    facts = choose_facts(claims)
    indicators, regions = reference_tables(claims)
    frames = {
        "documents": pd.DataFrame(docs, columns=["id", "file", "title", "issuer", "region", "date", "year",
                                                 "source", "n_chars", "text"]).sort_values("id"),
        "indicators": indicators,
        "regions": regions,
        "claims": pd.DataFrame(claims, columns=CLAIM_COLUMNS).sort_values(["doc_id", "char_start", "char_end"]),
        "facts": pd.DataFrame(facts, columns=["region", "year", "indicator", "value", "value_high", "unit",
                                              "qualifier", "n_claims", "conflict", "claim_id", "doc_id"]),
    }
    con = duckdb.connect(str(path))
    try:
        con.execute((DATA / "schema.sql").read_text(encoding="utf-8"))
        for table, frame in frames.items():
            con.register("frame", frame)
            con.execute(f"INSERT INTO {table} SELECT * FROM frame")
            con.unregister("frame")
        con.execute("CREATE INDEX facts_indicator ON facts (indicator, region, year)")
        failures = run_checks(con)
        if failures:
            raise RuntimeError("database checks failed: " + "; ".join(failures))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return len(facts)


def build(docs_dir: Path, db_path: Path) -> BuildReport:
    """Build ``db_path`` from ``docs_dir``; the old database stays in place until the new one is complete."""
    report = BuildReport()
    if not docs_dir.is_dir():
        report.problems.append(f"{docs_dir}: not a folder of documents")
        return report
    docs, claims = read_corpus(docs_dir, report)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    os.unlink(tmp)  # DuckDB creates the file itself
    try:
        report.facts = write_database(Path(tmp), docs, claims)
        os.replace(tmp, db_path)
    finally:
        for leftover in (tmp, tmp + ".wal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    report.documents, report.claims = len(docs), len(claims)
    return report
