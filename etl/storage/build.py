"""Build and update the DuckDB database, always atomically: work on a temporary file, check it, rename.

``build`` makes the database from folders of documents, extracting on all cores and streaming claims
into DuckDB in batches; a document whose text, metadata and extractor are unchanged since the previous
database keeps its rows from it instead of being extracted again. ``add_documents`` adds extracted
documents to an existing database. Same documents in, same rows out. A document that cannot be read is
reported and skipped; the others are still built.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from etl.claims.document import resolve
from etl.claims.extract import extract_text
from etl.claims.indicators import taxonomy
from etl.claims.regions import GAZETTEER
from etl.reading.budget import OverBudget, budget
from etl.reading.decode import DocumentError
from etl.reading.formats import to_text
from etl.reading.metadata import DocMeta, read_manifest
from etl.storage.checks import run_checks
from etl.storage.consistency import CONFLICTS_SQL, YEAR_JUMPS_SQL, document_findings, year_jumps
from etl.storage.facts import refresh_facts
from etl.storage.locking import write_lock
from etl.storage.reviews import Review, apply_reviews, log_path, read_log
from etl.tables import DATA

DOC_COLUMNS = ["id", "file", "title", "issuer", "region", "date", "year", "report_year", "provenance", "source",
               "n_chars", "text", "extract_key"]
CLAIM_COLUMNS = ["id", "doc_id", "char_start", "char_end", "text", "value", "value_high", "unit", "rate",
                 "qualifier", "region", "region_code", "year", "period_start", "cumulative", "indicator",
                 "indicator_candidate", "confidence", "evidence", "year_source",
                 "sentence", "sentence_start", "status", "table_name", "table_row", "table_col"]
TABLE_COLUMNS = ("table_name", "table_row", "table_col")  # added to databases built before tables were read
FINDING_COLUMNS = ["id", "kind", "status", "message", "region", "year", "indicator", "claim_ids", "doc_id"]
REVIEW_COLUMNS = ["seq", "reviewed_at", "who", "claim_id", "doc_id", "char_start", "char_end", "action", "field",
                  "old", "new", "auth", "address"]
BATCH_CLAIMS = 50_000
IN_FLIGHT = 4  # chunks per worker submitted ahead (memory holds at most these results)
FACT_LEVEL_FINDINGS = ("year_jump", "conflict")


@dataclass
class BuildReport:
    documents: int = 0
    claims: int = 0
    facts: int = 0
    extracted: int = 0
    reused: int = 0
    problems: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


@dataclass
class Extracted:
    """One document's rows."""

    doc: dict
    claims: list[dict]
    findings: list[dict]


def document_files(folder: Path) -> list[Path]:
    """The documents in a folder, by name: every regular file but CSV tables (the manifest, a corpus'
    truth) and hidden files. Sub-folders (originals/) are not read."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() != ".csv" and not p.name.startswith("."))


def claim_id(doc_id: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


def text_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def extractor_version() -> str:
    """A checksum of the extractor's code and data: a change re-extracts every document."""
    h = hashlib.sha256()
    package = Path(__file__).parents[1]
    for path in sorted([*package.rglob("*.py"), *(package / "data").iterdir()]):
        h.update(str(path.relative_to(package)).encode() + path.read_bytes())
    return h.hexdigest()[:16]


def extract_key(doc_id: str, name: str, listed: DocMeta | None) -> str:
    """What a document's rows depend on: its text, its name, its manifest row, the extractor. (What is
    inferred from the text follows from these.)"""
    fields = [doc_id, name, extractor_version()]
    if listed:
        fields += [listed.title, listed.issuer, listed.region, listed.date, listed.source,
                   str(listed.report_year or ""), json.dumps(listed.provenance, sort_keys=True)]
    return hashlib.sha256("\x1f".join(f or "" for f in fields).encode()).hexdigest()[:32]


def extract_document(name: str, text: str, listed: DocMeta | None) -> Extracted:
    """Rows of one decoded document and its manifest row, if any (runs in worker processes)."""
    doc_id = text_id(text)
    meta = resolve(name, text, {name: listed} if listed else {})
    doc = {"id": doc_id, "file": name, "title": meta.title, "issuer": meta.issuer, "region": meta.region,
           "date": meta.date, "year": meta.year, "report_year": meta.report_year,
           "provenance": json.dumps(meta.provenance, ensure_ascii=False), "source": meta.source,
           "n_chars": len(text), "text": text, "extract_key": extract_key(doc_id, name, listed)}
    found = extract_text(text, region=meta.region, date=meta.date, report_year=meta.report_year)
    dumped: dict[int, str] = {}  # the cells of a table read alike share one evidence dict: written once
    claims = [{**{k: c.get(k) for k in CLAIM_COLUMNS}, "id": claim_id(doc_id, c["start"], c["end"]),
               "doc_id": doc_id, "char_start": c["start"], "char_end": c["end"], "status": "machine",
               "evidence": dumped.get(id(c["evidence"])) or dumped.setdefault(
                   id(c["evidence"]), json.dumps(c["evidence"], ensure_ascii=False)), **_table_fields(c)}
              for c in found]
    findings = [{**f, "doc_id": doc_id} for f in document_findings(claims, text)]
    return Extracted(doc, claims, findings)


def _table_fields(claim: dict) -> dict:
    """The table columns of a claim read from a table cell (and what the table checks need); none for prose."""
    t = claim.get("table")
    if not t:
        return {}
    return {"table_name": t["name"], "table_row": t["row"], "table_col": t["col"], "_block": claim["_block"],
            "_total": claim["_total"], "_col_total": claim["_col_total"], "_decimals": claim["_decimals"],
            "_scale": claim["_scale"]}


Job = tuple[Path, DocMeta | None]  # a document file and its manifest row: texts are read where they are extracted


def _extract_job(job: Job) -> Extracted | str:
    """The rows of one document file, or the problem reading it (runs in worker processes)."""
    path, listed = job
    try:
        with budget():
            return extract_document(path.name, to_text(path).text, listed)
    except (OSError, DocumentError) as e:
        return f"{path}: {e}"
    except OverBudget as e:
        return f"{path}: {e}; not added"


def _extract_chunk(jobs: list[Job]) -> list[Extracted | str]:
    return [_extract_job(j) for j in jobs]


def records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """Rows of a query as dicts of Python values (None for NULL)."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], columns: list[str]) -> None:
    if not rows:
        return
    con.register("frame", pa.table({c: [r.get(c) for r in rows] for c in columns}))
    con.execute(f"INSERT INTO {table} SELECT * FROM frame")
    con.unregister("frame")


class Writer:
    """Streams extracted documents into the database in batches of about BATCH_CLAIMS claims."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con, self.docs, self.claims, self.findings = con, [], [], []

    def add(self, e: Extracted) -> None:
        self.docs.append(e.doc)
        self.claims.extend(e.claims)
        self.findings.extend(e.findings)
        if len(self.claims) >= BATCH_CLAIMS:
            self.flush()

    def flush(self) -> None:
        _insert(self.con, "documents", self.docs, DOC_COLUMNS)
        _insert(self.con, "claims", self.claims, CLAIM_COLUMNS)
        _insert(self.con, "findings", self.findings, FINDING_COLUMNS)
        self.docs, self.claims, self.findings = [], [], []


def reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)write indicators and regions: every province, prefecture and county, and the townships and villages
    claims name (the gazetteer's 44,000 townships stay out of the pickers); regions named by claims but
    unknown to the gazetteer are added as level 'other', with the code ``name:<name>`` facts key them by."""
    resolve_region_codes(con)
    indicators = [{**{k: r[k] for k in ("key", "theme", "theme_zh", "name_zh", "name_en", "unit", "definition")},
                   "sort_order": i} for i, r in enumerate(taxonomy().values())]
    named = con.execute("SELECT DISTINCT region, region_code FROM claims WHERE region IS NOT NULL").fetchall()
    wanted = [p.code for p in GAZETTEER.places.values() if p.level in ("country", "province", "prefecture", "county")]
    seen = set(wanted)
    for _, code in sorted(named, key=lambda r: r[1] or ""):
        for a in reversed(GAZETTEER.ancestors(code)):
            if a not in seen:
                seen.add(a)
                wanted.append(a)
    regions, shown = [], set()
    for code in wanted:
        place, name = GAZETTEER.place(code), GAZETTEER.display(code)
        if place is None or name in shown:
            continue
        shown.add(name)
        regions.append({"code": code, "name": name, "level": place.level, "parent": GAZETTEER.display(place.parent),
                        "parent_code": place.parent, "aliases": "|".join(place.aliases), "sort_order": len(regions)})
    for name in sorted({n for n, c in named if c is None} - shown):
        regions.append({"code": f"name:{name}", "name": name, "level": "other", "parent": None, "parent_code": None,
                        "aliases": "", "sort_order": len(regions)})
    con.execute("DELETE FROM indicators")
    con.execute("DELETE FROM regions")
    _insert(con, "indicators", indicators, ["key", "theme", "theme_zh", "name_zh", "name_en", "unit", "definition",
                                            "sort_order"])
    _insert(con, "regions", regions, ["code", "name", "level", "parent", "parent_code", "aliases", "sort_order"])


def resolve_region_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Give claims placed by name only (a database or reviews log written before the codes) the code of their
    region where the gazetteer knows it, and the name it is shown by."""
    names = con.execute("SELECT DISTINCT region FROM claims WHERE region IS NOT NULL AND region_code IS NULL")
    for (name,) in names.fetchall():
        code = GAZETTEER.parse(name)
        if code:
            con.execute("UPDATE claims SET region = ?, region_code = ? WHERE region = ? AND region_code IS NULL",
                        [GAZETTEER.display(code), code, name])


def apply_log(con: duckdb.DuckDBPyConnection, reviews: list[Review]) -> None:
    """Apply the reviews log to the claims it names (idempotent: re-applying gives the same rows)."""
    if not reviews:
        return
    keys = sorted({(r.doc_id, r.char_start, r.char_end) for r in reviews})
    con.register("keys", pd.DataFrame(keys, columns=["doc_id", "char_start", "char_end"]))
    claims = records(con, "SELECT c.* FROM claims c JOIN keys USING (doc_id, char_start, char_end)")
    con.unregister("keys")
    for c in apply_reviews(claims, reviews):
        con.execute("UPDATE claims SET value = ?, value_high = ?, unit = ?, qualifier = ?, region = ?, "
                    "region_code = ?, year = ?, period_start = ?, indicator = ?, rate = ?, year_source = ?, status = ? "
                    "WHERE id = ?",
                    [c["value"], c["value_high"], c["unit"], c["qualifier"], c["region"], c.get("region_code"),
                     c["year"], c["period_start"], c["indicator"], c["rate"], c["year_source"], c["status"], c["id"]])


def refresh_derived(con: duckdb.DuckDBPyConnection, reviews: list[Review]) -> int:
    """Recompute what derives from the claims and the reviews log: reviewed claims, regions, facts,
    the findings on facts, the copy of the log. Returns the number of facts."""
    apply_log(con, reviews)
    reference_tables(con)
    n_facts = refresh_facts(con)
    con.execute("DELETE FROM findings WHERE list_contains(?, kind)", [list(FACT_LEVEL_FINDINGS)])
    _insert(con, "findings", [{**f, "doc_id": None} for f in year_jumps(records(con, YEAR_JUMPS_SQL))],
            FINDING_COLUMNS)
    con.execute(CONFLICTS_SQL)
    con.execute("DELETE FROM reviews")
    for column in ("auth", "address"):  # a database built before accounts
        con.execute(f"ALTER TABLE reviews ADD COLUMN IF NOT EXISTS {column} VARCHAR")
    _insert(con, "reviews", [r.__dict__ for r in reviews], REVIEW_COLUMNS)
    return n_facts


def remove_stale_temporaries(db_path: Path) -> None:
    """Remove the temporary databases (and their ``.wal``) a stopped writer left beside ``db_path``; call it
    holding the write lock, when no other writer can be working on one."""
    for leftover in db_path.parent.glob(f"{glob.escape(db_path.name)}.*.tmp*"):
        if leftover.suffix in (".tmp", ".wal") and leftover.is_file():
            leftover.unlink(missing_ok=True)


@contextmanager
def swapped(db_path: Path, start_from_existing: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a temporary copy (or a new file); on success it is checked and renamed over
    ``db_path``; on any error the temporary file is removed and ``db_path`` is untouched. Runs under the
    write lock: the temporaries of a writer that was stopped are removed first."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with write_lock(db_path):  # re-entrant: the callers hold it already
        remove_stale_temporaries(db_path)
    fd, tmp = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        if start_from_existing:
            shutil.copyfile(db_path, tmp)
        con = duckdb.connect(tmp)
        try:
            if start_from_existing:  # the copy passed the checks when it was written: its documents are known good
                con.execute("CREATE TEMP TABLE checked_documents AS SELECT id FROM documents")
                for column, kind in zip(TABLE_COLUMNS, ("VARCHAR", "INTEGER", "INTEGER"), strict=True):
                    con.execute(f"ALTER TABLE claims ADD COLUMN IF NOT EXISTS {column} {kind}")
            else:
                con.execute((DATA / "schema.sql").read_text(encoding="utf-8"))
            yield con
            failures = run_checks(con, "checked_documents" if start_from_existing else None)
            if failures:
                raise RuntimeError("database checks failed: " + "; ".join(failures))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        for leftover in (tmp, tmp + ".wal"):
            if os.path.exists(leftover):
                os.unlink(leftover)


def _previous_keys(db_path: Path) -> dict[str, str]:
    """extract_key -> document id in the database being replaced (empty when there is none)."""
    if not db_path.exists():
        return {}
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            return dict(con.execute("SELECT extract_key, id FROM documents").fetchall())
    except duckdb.Error:
        return {}


def _jobs(folders: list[Path], report: BuildReport) -> Iterator[tuple[str, Job]]:
    """(text checksum, job) of each readable document, once per text. Texts are read to be checksummed
    and let go: memory stays bounded however many documents there are."""
    seen: set[str] = set()
    for folder in folders:
        manifest = read_manifest(folder)
        for path in document_files(folder):
            try:
                with budget():
                    doc_id = text_id(to_text(path).text)
            except (OSError, DocumentError) as e:
                report.problems.append(f"{path}: {e}")
                continue
            except OverBudget as e:
                report.problems.append(f"{path}: {e}; not added")
                continue
            if doc_id in seen:
                report.duplicates.append(f"{path}: same text as a document already read; skipped")
                continue
            seen.add(doc_id)
            yield doc_id, (path, manifest.get(path.name))


def _extracted(jobs: list[Job], workers: int) -> Iterator[Extracted | str]:
    """Results of ``jobs`` in order, from ``workers`` processes, with a bounded number of chunks in flight.
    Chunks are large (up to 64 documents): the pool hands work over only while this process is free, and it
    is busy writing batches."""
    if workers <= 1 or len(jobs) < 8:
        yield from map(_extract_job, jobs)
        return
    chunk = max(1, min(64, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(workers) as pool:
        pending: deque = deque()
        for i in range(0, len(jobs), chunk):
            pending.append(pool.submit(_extract_chunk, jobs[i:i + chunk]))
            if len(pending) >= IN_FLIGHT * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def build(docs_dirs: Path | list[Path], db_path: Path, reviews_log: Path | None = None,
          progress: Callable[[int, int, int], None] | None = None, workers: int | None = None,
          reuse: bool = True) -> BuildReport:
    """Build ``db_path`` from folders of documents, re-applying every review in the log. ``progress`` is
    called with (documents done, documents in all, claims so far)."""
    folders = [docs_dirs] if isinstance(docs_dirs, Path) else list(docs_dirs)
    report = BuildReport()
    missing = [f for f in folders if not f.is_dir()]
    if missing or not folders:
        report.problems += [f"{f}: not a folder of documents" for f in missing] or ["no folder of documents"]
        return report
    with write_lock(db_path):
        return _build(folders, db_path, report, reviews_log, progress, workers, reuse)


def _build(folders: list[Path], db_path: Path, report: BuildReport, reviews_log: Path | None,
           progress: Callable[[int, int, int], None] | None, workers: int | None, reuse: bool) -> BuildReport:
    previous = _previous_keys(db_path) if reuse else {}
    found = list(_jobs(folders, report))
    jobs = [job for _, job in found]
    keys = {extract_key(doc_id, path.name, listed): i for i, (doc_id, (path, listed)) in enumerate(found)}
    kept = {previous[k] for k in keys if k in previous}
    todo = [jobs[i] for k, i in keys.items() if k not in previous]
    reviews = read_log(reviews_log or log_path(db_path))
    with swapped(db_path, start_from_existing=bool(kept)) as con:
        if kept:  # a copy of the previous database: drop what is gone or changed, keep the rest
            con.register("kept", pd.DataFrame(sorted(kept), columns=["id"]))
            con.execute("DELETE FROM claims WHERE doc_id NOT IN (SELECT id FROM kept)")
            con.execute("DELETE FROM findings WHERE doc_id IS NULL OR doc_id NOT IN (SELECT id FROM kept)")
            con.execute("DELETE FROM documents WHERE id NOT IN (SELECT id FROM kept)")
            con.unregister("kept")
        writer, n_claims = Writer(con), 0
        for done, extracted in enumerate(_extracted(todo, workers or os.cpu_count() or 1), 1):
            if isinstance(extracted, str):  # the file went or became unreadable since it was checksummed
                report.problems.append(extracted)
            else:
                writer.add(extracted)
                n_claims += len(extracted.claims)
            if progress:
                progress(done, len(todo), n_claims)
        writer.flush()
        report.facts = refresh_derived(con, reviews)
        report.documents, report.claims = con.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims)").fetchone()
    report.extracted, report.reused = len(todo), len(kept)
    return report


def add_documents(db_path: Path, extracted: list[Extracted]) -> int:
    """Add extracted documents to an existing database; returns the number of facts."""
    with swapped(db_path, start_from_existing=True) as con:
        writer = Writer(con)
        for e in extracted:
            writer.add(e)
        writer.flush()
        return refresh_derived(con, read_log(log_path(db_path)))


def stderr_progress(done: int, total: int, claims: int) -> None:
    """A one-line progress bar on stderr: documents done / total, claims found (redrawn at most 200 times)."""
    if done < total and done % max(1, total // 200):
        return
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} documents, {claims} claims", end=end,
          file=sys.stderr, flush=True)
