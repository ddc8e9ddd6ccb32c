"""Add received documents to the corpus and the database: one code path for the command line and the
dashboard's upload.

Each new document's text goes into the documents folder (``<name>.txt``), its original into
``originals/``, its metadata into the folder's ``manifest.csv``; its claims are added to the database
without re-extracting anything else. A document whose text is already stored is reported, not added.
A bad file is reported with its reason; nothing stored changes because of it.
"""
from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.reading.budget import OverBudget, budget
from etl.reading.decode import DocumentError
from etl.reading.formats import Converted, to_text
from etl.reading.metadata import MANIFEST, DocMeta, manifest_row
from etl.storage.build import (
    BuildReport,
    Extracted,
    Writer,
    add_documents,
    build,
    extract_document,
    refresh_derived,
    swapped,
    text_id,
)
from etl.storage.locking import write_lock
from etl.storage.reviews import log_path, read_log

MANIFEST_COLUMNS = ["file", "title", "issuer", "region", "date", "source", "report_year", "provenance", "sha256",
                    "original", "added"]
CORRECTABLE = ("title", "issuer", "region", "date", "report_year")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    claims: int = 0
    ids: list[str] = field(default_factory=list)  # of the documents added


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
    if not new:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), [])
        if header != MANIFEST_COLUMNS:  # written by an older version: rewrite it with every column
            _write_manifest(store, [*_manifest_rows(store), row])
            return
    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=MANIFEST_COLUMNS)
        if new:
            w.writeheader()
        w.writerow({k: row.get(k) or "" for k in MANIFEST_COLUMNS})
        f.flush()
        os.fsync(f.fileno())


def _given(name: str, converted: Converted, region: str | None, date: str | None, title: str | None) -> DocMeta:
    """What the command line or the upload form gave, then what the file's own metadata says."""
    values: dict = {}
    prov: dict[str, str] = {}
    for key, given, found in (("title", title, converted.title), ("date", date, converted.date),
                              ("region", region, None), ("issuer", None, converted.issuer)):
        if given or found:
            values[key], prov[key] = (given, "given") if given else (found, "file")
        else:
            prov[key] = "text"  # to be inferred (not a manifest row without it: that one stays unplaced)
    return DocMeta(name, **values, provenance=prov)


def ingest(files: list[Path], store: Path, db_path: Path, region: str | None = None, date: str | None = None,
           title: str | None = None, seeds: Path | None = None,
           progress: Callable[[int, int, int], None] | None = None, names: list[str] | None = None) -> IngestReport:
    """Add ``files`` to the documents folder ``store`` and the database ``db_path``. ``names`` are the
    files' original names when they were uploaded under temporary ones. When there is no database yet it
    is built from ``seeds`` and ``store``. Each file is read and extracted within its budget
    (``etl.reading.budget``) before the write lock is taken: the lock is held only to write, so that reviews and
    other uploads do not wait behind an extraction."""
    report = IngestReport()
    known = _stored_ids(store, db_path)  # a first look; checked again under the lock
    ready: list[tuple[str, Path, str, str, Extracted]] = []
    for i, path in enumerate(files):
        name = (names or [])[i] if names and i < len(names) else path.name
        try:
            with budget():
                converted = to_text(path)
                if not converted.text.strip():
                    report.problems.append(f"{name}: no text in the document")
                    continue
                doc_id = text_id(converted.text)
                if doc_id in known:
                    report.duplicates.append(f"{name}: already stored (same text); not added again")
                    continue
                stem = _safe_stem(name)
                text_name = f"{stem}_{doc_id[:8]}.txt"
                extracted = extract_document(text_name, converted.text,
                                             _given(text_name, converted, region, date, title))
        except (OSError, DocumentError) as e:
            report.problems.append(f"{name}: {getattr(e, 'strerror', None) or e}")
            continue
        except OverBudget as e:
            report.problems.append(f"{name}: {e}; not added")
            continue
        known.add(doc_id)
        ready.append((name, path, text_name, f"originals/{doc_id[:12]}_{stem}{Path(name).suffix.lower()}",
                      extracted))
    if not ready:
        return report
    with write_lock(db_path):
        _store(ready, store, db_path, seeds, report, progress)
    return report


def _store(ready: list[tuple[str, Path, str, str, Extracted]], store: Path, db_path: Path, seeds: Path | None,
           report: IngestReport, progress: Callable[[int, int, int], None] | None) -> None:
    """Write extracted documents (under the write lock): the database first, then their files."""
    store.mkdir(parents=True, exist_ok=True)
    (store / "originals").mkdir(exist_ok=True)
    stored = _stored_ids(store, db_path)
    batch = []
    for name, path, text_name, original, extracted in ready:
        if extracted.doc["id"] in stored:  # another writer stored the same text meanwhile
            report.duplicates.append(f"{name}: already stored (same text); not added again")
            continue
        batch.append((path, text_name, original, extracted))
        report.added.append(name)
        report.ids.append(extracted.doc["id"])
        report.claims += len(extracted.claims)
        if progress:
            progress(len(batch), len(ready), report.claims)
    if not batch:
        return
    if db_path.exists():
        add_documents(db_path, [e for *_, e in batch])
    for path, text_name, original, extracted in batch:  # the database has them: now store the files
        doc = extracted.doc
        (store / text_name).write_text(doc["text"], encoding="utf-8")
        (store / original).write_bytes(path.read_bytes())
        _append_manifest(store, {**doc, "report_year": doc.get("report_year") or "",
                                 "file": text_name, "sha256": doc["id"], "original": original,
                                 "source": doc.get("source") or f"上传: {path.name}",
                                 "added": datetime.now(UTC).isoformat(timespec="seconds")})
    if not db_path.exists():
        built: BuildReport = build([p for p in (seeds, store) if p and p.is_dir()], db_path)
        report.problems += built.problems


class CorrectionError(ValueError):
    """A correction that cannot be made (unknown document, bad value); the message says why."""


def correct_document(store: Path, db_path: Path, file: str, changes: dict[str, str | None]) -> DocMeta:
    """A reviewer's correction of a stored document's title, issuer, region, date or reporting year: the
    documents folder's manifest row is rewritten (the values marked ``manifest``; an emptied field goes
    back to inference), then that document is extracted again and replaced in the database."""
    bad = [k for k in changes if k not in CORRECTABLE]
    if bad:
        raise CorrectionError(f"cannot correct {', '.join(bad)}; only {', '.join(CORRECTABLE)}")
    for key, value in changes.items():
        value = (value or "").strip()
        if key == "date" and value and not DATE.match(value):
            raise CorrectionError(f"date {value!r}: write 2021-12-31, 2021-12 or 2021")
        if key == "report_year" and value and not (value.isdigit() and len(value) == 4):
            raise CorrectionError(f"reporting year {value!r}: write a year such as 2021")
    with write_lock(db_path):
        rows = _manifest_rows(store)
        row = next((r for r in rows if r.get("file") == file), None)
        if row is None or not (store / file).exists():
            raise CorrectionError(f"{file}: not a document of {store} (only added documents can be corrected)")
        try:
            prov = json.loads(row.get("provenance") or "{}")
        except json.JSONDecodeError:
            prov = {}
        for key, value in changes.items():
            value = (value or "").strip()
            row[key] = value
            if value:
                prov[key] = "manifest"
            else:
                prov[key] = "text"  # back to what the text says
        row["provenance"] = json.dumps(prov, ensure_ascii=False)
        listed = manifest_row(row)
        try:
            with budget():
                extracted = extract_document(file, (store / file).read_text(encoding="utf-8"), listed)
        except OverBudget as e:
            raise CorrectionError(f"{file}: {e}; not changed") from None
        _write_manifest(store, rows)
        if db_path.exists():
            _replace_document(db_path, extracted)
        return listed


def _write_manifest(store: Path, rows: list[dict]) -> None:
    """Rewrite the manifest atomically (a temporary file renamed over it)."""
    path = store / MANIFEST
    columns = list(dict.fromkeys([*MANIFEST_COLUMNS, *(k for r in rows for k in r)]))
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k) or "" for k in columns})
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _replace_document(db_path: Path, extracted: Extracted) -> None:
    """Swap one document's rows for newly extracted ones; reviews and facts are derived again."""
    doc_id = extracted.doc["id"]
    with swapped(db_path, start_from_existing=True) as con:
        for table in ("claims", "findings"):
            con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
        con.execute("DELETE FROM documents WHERE id = ?", [doc_id])
        con.execute("DELETE FROM checked_documents WHERE id = ?", [doc_id])  # checked again
        writer = Writer(con)
        writer.add(extracted)
        writer.flush()
        refresh_derived(con, read_log(log_path(db_path)))
