"""What a document is about: its metadata from what was given, the manifest, then the text."""
from __future__ import annotations

from dataclasses import replace

from etl.claims.regions import document_region
from etl.reading.metadata import DocMeta, infer_date, infer_title


def resolve(file: str, text: str, manifest: dict[str, DocMeta] | None = None, **given: str | None) -> DocMeta:
    """Given values (command line) over the manifest over inference. A document listed in the manifest
    with no region stays unplaced (an anonymised one)."""
    listed = (manifest or {}).get(file)
    known = replace(listed or DocMeta(file), **{k: v for k, v in given.items() if v})
    title = known.title or infer_title(text)
    region = known.region if known.region or listed else document_region(text, title or "")
    return replace(known, file=file, title=title, region=region, date=known.date or infer_date(text))
