"""Document metadata: the manifest beside the documents, and what can be inferred from the text.

The manifest (``manifest.csv``: file,title,issuer,region,date,source) overrides inference; a document
missing from it gets its title from its first line, its date from a date in its header (or the latest
year it reports on), and its region from ``etl.claims.regions.document_region``.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import regex

from etl.reading.numerals import to_halfwidth

MANIFEST = "manifest.csv"
DATE = regex.compile(r"(?P<y>(?:19|20)\d{2})(?:[-/.年] ?(?P<m>\d{1,2})(?:[-/.月] ?(?P<d>\d{1,2})日?)?)?")
FULL_DATE = regex.compile(r"(?<!\d)(?:19|20)\d{2}(?:-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}日|/\d{1,2}/\d{1,2})(?!\d)")
DATE_LABEL = regex.compile("日期|时间|发布|来源")
YEAR_MENTION = regex.compile(r"((?:19|20)\d{2})年")
TARGET_YEAR = regex.compile(r"(?:到|至|力争|计划|预计)(?:19|20)\d{2}年")


@dataclass(frozen=True)
class DocMeta:
    """What is known about a document."""

    file: str
    title: str | None = None
    issuer: str | None = None
    region: str | None = None
    date: str | None = None
    source: str | None = None

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


def read_manifest(folder: Path) -> dict[str, DocMeta]:
    """file name -> DocMeta from ``folder/manifest.csv`` (empty when there is none)."""
    path = folder / MANIFEST
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {r["file"]: DocMeta(**{k: (r.get(k) or "").strip() or None for k in DocMeta.__dataclass_fields__})
                for r in csv.DictReader(f) if r.get("file")}


def infer_title(text: str) -> str | None:
    """The first line that looks like a title (not a date, not a code)."""
    lines = [ln.strip(" •\t\u3000") for ln in text[:2000].splitlines() if ln.strip(" •\t\u3000")]
    return next((ln for ln in lines[:8] if len(ln) >= 6 and not DATE.fullmatch(ln) and "/" not in ln), None)


def infer_date(text: str) -> str | None:
    """A full date on a header line of its own or labelled (发布日期 …), in the signature (last 300
    characters), or anywhere in the header (first 400), as YYYY-MM-DD;
    else the latest year the text reports on (not a target year), as YYYY."""
    norm = to_halfwidth(text)
    lines = [ln.strip(" •\t") for ln in norm[:400].splitlines()]
    labelled = [ln for ln in lines if FULL_DATE.match(ln) or DATE_LABEL.search(ln)]
    for part in ("\n".join(labelled), norm[-300:], norm[:400]):
        m = FULL_DATE.search(part)
        if m:
            d = DATE.match(m.group())
            return f"{d['y']}-{int(d['m']):02d}-{int(d['d']):02d}"
    targets = {m.start() for m in TARGET_YEAR.finditer(norm)}
    years = [int(m.group(1)) for m in YEAR_MENTION.finditer(norm)
             if not any(t <= m.start() <= t + 4 for t in targets)]
    return str(max(years)) if years else None
