"""Add received documents to the corpus and the database: one code path for the command line and the
dashboard's upload.

Each new document's text goes into the documents folder (``<name>.txt``), its original into
``originals/``, its metadata into the folder's ``manifest.csv``; its claims are added to the database
without re-extracting anything else. A document whose text is already stored is reported, not added.
A bad file is reported with its reason; nothing stored changes because of it.
"""
from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.reading.decode import DocumentError
from etl.reading.formats import to_text
from etl.reading.metadata import MANIFEST, DocMeta
from etl.storage.build import BuildReport, add_documents, build, extract_document, text_id
from etl.storage.locking import write_lock

MANIFEST_COLUMNS = ["file", "title", "issuer", "region", "date", "source", "sha256", "original", "added"]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    claims: int = 0


def _safe_stem(name: str) -> str:
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", Path(name).stem).strip("._") or "document"
    return stem[:80]


def _stored_ids(store: Path, db_path: Path) -> set[str]:
    ids = {r.get("sha256") for r in _manifest_rows(store)} - {None, ""}
    if db_path.exists():
        with duckdb.connect(str(db_path), read_only=True) as con:
            ids |= {r[0] for r in con.execute("SELECT id FROM documents").fetchall()}
    return ids


def _manifest_rows(store: Path) -> list[dict]:
    path = store / MANIFEST
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _append_manifest(store: Path, row: dict) -> None:
    path = store / MANIFEST
    new = not path.exists()
    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=MANIFEST_COLUMNS)
        if new:
            w.writeheader()
        w.writerow({k: row.get(k) or "" for k in MANIFEST_COLUMNS})
        f.flush()
        os.fsync(f.fileno())


def ingest(files: list[Path], store: Path, db_path: Path, region: str | None = None, date: str | None = None,
           title: str | None = None, seeds: Path | None = None,
           progress: Callable[[int, int, int], None] | None = None, names: list[str] | None = None) -> IngestReport:
    """Add ``files`` to the documents folder ``store`` and the database ``db_path``. ``names`` are the
    files' original names when they were uploaded under temporary ones. When there is no database yet it
    is built from ``seeds`` and ``store``."""
    with write_lock(db_path):
        report = IngestReport()
        store.mkdir(parents=True, exist_ok=True)
        (store / "originals").mkdir(exist_ok=True)
        known = _stored_ids(store, db_path)
        batch, rows = [], []
        for i, path in enumerate(files):
            name = (names or [])[i] if names and i < len(names) else path.name
            try:
                converted = to_text(path)
            except (OSError, DocumentError) as e:
                report.problems.append(f"{name}: {getattr(e, 'strerror', None) or e}")
                continue
            if not converted.text.strip():
                report.problems.append(f"{name}: no text in the document")
                continue
            doc_id = text_id(converted.text)
            if doc_id in known:
                report.duplicates.append(f"{name}: already stored (same text); not added again")
                continue
            known.add(doc_id)
            stem = _safe_stem(name)
            text_name = f"{stem}_{doc_id[:8]}.txt"
            given = DocMeta(text_name, title or converted.title, None, region, date or converted.date, None)
            extracted = extract_document(text_name, converted.text, given)
            original = f"originals/{doc_id[:12]}_{stem}{Path(name).suffix.lower()}"
            rows.append((path, text_name, original, converted.text, extracted.doc))
            batch.append(extracted)
            report.added.append(name)
            report.claims += len(extracted.claims)
            if progress:
                progress(i + 1, len(files), report.claims)
        if not batch:
            return report
        if db_path.exists():
            add_documents(db_path, batch)
        for path, text_name, original, text, doc in rows:  # the database has them: now store the files
            (store / text_name).write_text(text, encoding="utf-8")
            (store / original).write_bytes(path.read_bytes())
            _append_manifest(store, {**doc, "file": text_name, "sha256": doc["id"], "original": original,
                                     "source": doc.get("source") or f"上传: {path.name}",
                                     "added": datetime.now(UTC).isoformat(timespec="seconds")})
        if not db_path.exists():
            built: BuildReport = build([p for p in (seeds, store) if p and p.is_dir()], db_path)
            report.problems += built.problems
        return report

