"""The dashboard's writes, through the ETL's own code paths: uploads (``etl.storage.ingest.ingest``, as
``python -m etl ingest``), reviews (``etl.storage.review_store.record``, as ``python -m etl review``) and
corrections of a document's details (``etl.storage.ingest.correct_document``: its manifest row, then that
document extracted again).

Both rewrite the database by an atomic swap; ``queries`` reopens the new file on the next query. Writes
are serialised per database by the ETL's lock file (``etl.storage.locking``), shared with the command line and
with other gunicorn workers. Nothing here formats text for people: the pages do that from the results.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from etl.reading.formats import SUPPORTED
from etl.storage.ingest import CORRECTABLE as DOC_FIELDS
from etl.storage.ingest import CorrectionError, correct_document, ingest
from etl.storage.review_store import ReviewError, record

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CORRECTABLE = ("value", "unit", "qualifier", "region", "year", "indicator")
CLEARABLE = ("region", "year", "indicator")  # the others cannot be empty (etl.storage.reviews.parse_value)
SPREADSHEETS = (".xlsx", ".xls", ".csv")  # read as tables, each sheet a block of tab lines (issue 14)
UPLOAD_ACCEPT = ",".join(sorted(set(SUPPORTED) | set(SPREADSHEETS)))  # the upload widget's file chooser

__all__ = [
    "DOC_FIELDS",
    "CorrectionError",
    "ReviewError",
    "Upload",
    "UPLOAD_ACCEPT",
    "UploadResult",
    "check_date",
    "correct_details",
    "corrections",
    "plain",
    "review",
    "store_of",
    "upload",
]


@dataclass(frozen=True)
class Upload:
    name: str  # the file's name on the user's machine
    data: bytes


@dataclass
class UploadResult:
    added: list[tuple[str, int]] = field(default_factory=list)  # (name, claims found)
    duplicates: list[str] = field(default_factory=list)  # "name: reason"
    problems: list[str] = field(default_factory=list)  # "name: reason"
    claims: int = 0
    total: int = 0
    new_docs: list[str] = field(default_factory=list)  # ids of the documents added


def store_of(db: str | Path) -> Path:
    """The documents folder uploads go to: ``$POVERTY_STORE``, else ``documents/`` beside the database
    (``data/documents`` for ``data/poverty.duckdb``, as ``python -m etl ingest``)."""
    configured = os.environ.get("POVERTY_STORE")
    return Path(configured) if configured else Path(db).parent / "documents"


def check_date(date: str | None) -> str | None:
    """'2021-12-31', '2021-12' or '2021' (stripped), None for empty; ValueError otherwise."""
    date = (date or "").strip()
    if not date:
        return None
    if not DATE.match(date):
        raise ValueError(date)
    return date


def upload(
    db: str | Path,
    files: list[Upload],
    region: str | None = None,
    date: str | None = None,
    title: str | None = None,
) -> UploadResult:
    """Add uploaded files to the documents folder and the database (``etl.storage.ingest.ingest``): each is
    written under its own name to a temporary folder of its own, and that name passed along."""

    db = Path(db)
    result = UploadResult(total=len(files))
    counts: list[int] = []

    def progress(done: int, total: int, claims: int) -> None:  # called once per document added
        counts.append(claims)

    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:  # ingest takes the write lock only to write
        paths = []
        for n, f in enumerate(files):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            path = folder / _file_name(f.name)
            path.write_bytes(f.data)
            paths.append(path)
        report = ingest(
            paths,
            store_of(db),
            db,
            region=region or None,
            date=date,
            title=title or None,
            seeds=SEEDS,
            progress=progress,
            names=[f.name for f in files],
        )
    per_doc = [b - a for a, b in zip([0, *counts], counts, strict=False)]
    result.added = list(zip(report.added, per_doc, strict=False))
    result.duplicates, result.problems, result.claims = report.duplicates, report.problems, report.claims
    result.new_docs = sorted(report.ids)
    return result


def corrections(form: dict, current: dict | None) -> list[tuple[str, str]]:
    """(field, value) pairs to record from the correction form.

    With one claim selected (``current`` its values) a field counts when it differs from the claim; an
    emptied region, year or indicator clears it. With several (``current`` None) only filled fields count.
    """
    out = []
    for key in CORRECTABLE:
        new = plain(form.get(key))
        if current is None:
            if new:
                out.append((key, new))
            continue
        old = plain(current.get(key))
        if new != old and (new or key in CLEARABLE) and not _same_number(new, old):
            out.append((key, new))
    return out


def review(
    db: str | Path,
    claim_ids: list[str],
    action: str,
    who: str,
    changes: list[tuple[str, str]] | None = None,
    auth: str = "account",
    address: str | None = None,
) -> int:
    """Record reviews (accept, reject, or set with ``changes``) of ``claim_ids`` by ``who`` (an account, known
    as ``auth``, from ``address``); ReviewError if invalid."""
    if not claim_ids:
        raise ReviewError("no claim selected")
    if action == "set" and not changes:
        raise ReviewError("nothing to correct: change a field first")
    if not who:
        raise ReviewError("no reviewer")
    return record(Path(db), list(claim_ids), action, who=who, changes=changes, auth=auth, address=address)


def _file_name(name: str) -> str:
    """A safe local name for an uploaded file: no folders, at most 200 bytes, its suffix kept."""
    name = Path(name.replace("\\", "/")).name.replace("\x00", "") or "document"
    stem, suffix = Path(name).stem, Path(name).suffix[:16]
    while len((stem + suffix).encode("utf-8")) > 200:
        stem = stem[:-1]
    return (stem or "document") + suffix


def plain(value: object) -> str:
    """A form or database value as the text the review log stores ('' for none; 2021.0 -> '2021')."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def correct_details(db: str | Path, doc_id: str, form: dict, current: dict) -> list[str]:
    """Correct a stored document's title, issuer, region, date or reporting year: the fields of ``form``
    that differ from ``current`` (the document's row) go into the documents folder's manifest row and the
    document is extracted again. Returns the fields changed; CorrectionError if it cannot be done."""
    changes = {k: plain(form.get(k)) for k in DOC_FIELDS
               if k in form and plain(form.get(k)) != plain(current.get(k))}
    if not changes:
        return []
    if not current.get("file"):
        raise CorrectionError(f"unknown document {doc_id}")
    correct_document(store_of(db), Path(db), str(current["file"]), changes)
    return list(changes)
