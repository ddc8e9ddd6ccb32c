"""What a document is about: its metadata from what was given, the manifest, the file and the text,
with where each field came from (``DocMeta.provenance``).

Order, field by field: given (command line, upload form) > manifest > for the title the file's own
metadata > the text; for the date a date the text labels (发布日期, a dateline, a signature) > the
file's > the years the text mentions; for the issuer the text > the file's (a site name). A manifest
value marked ``text`` (written by an earlier ingest from inference) is inferred again; one marked
``file`` ranks as the file's metadata.
"""
from __future__ import annotations

from dataclasses import replace

import regex

from etl.claims.regions import GAZETTEER, document_region
from etl.reading.metadata import FIELDS, DocMeta, Inferred, infer, year_before_reported
from etl.reading.numerals import to_halfwidth
from etl.reading.script import to_simplified

GOV_BODY = regex.compile(r"(?:局|厅|委|办|办公室|政府|委员会|中心|小组)$")
NATIONAL = regex.compile(r"^(?:国家|国务院|中共中央|中央|全国|国家级)")


def _listed(listed: DocMeta | None, name: str) -> tuple[object, str] | None:
    """A manifest value with its provenance, unless an earlier inference put it there."""
    if listed is None:
        return None
    value = getattr(listed, name)
    prov = listed.provenance.get(name, "manifest")
    if value in (None, "") or prov in ("text", "file"):
        return None
    return value, prov


def _placed_issuer(issuer: str, region: str | None) -> str:
    """A labelled office without its place (县农业农村局, 农牧和科技局) gets the document's region."""
    if not region or NATIONAL.match(issuer) or GAZETTEER.find(issuer) or not GOV_BODY.search(issuer):
        return issuer
    if issuer[0] in "省市县区旗镇乡" and region.endswith(issuer[0]):
        return region + issuer[1:]
    place = GAZETTEER.places.get(region)
    local = place is None or place.level in ("county", "prefecture")  # a province's offices are 厅, not 局
    return region + issuer if local and issuer[0] not in "省市县区旗镇乡" else issuer


def resolve(file: str, text: str, manifest: dict[str, DocMeta] | None = None, *, found: DocMeta | None = None,
            **given: str | int | None) -> DocMeta:
    """Given values (command line) over the manifest over the file's metadata (``found``) and the text.
    A document listed in the manifest with no region stays unplaced (an anonymised one), unless its row
    says its region was inferred."""
    listed = (manifest or {}).get(file)
    if listed is not None and "file" in listed.provenance.values():  # a file's metadata an ingest wrote down
        from_file = {k: getattr(listed, k) for k, v in listed.provenance.items() if v == "file"}
        found = replace(found or DocMeta(file), **{k: v for k, v in from_file.items() if v not in (None, "")})
    inferred: Inferred = infer(text)
    values: dict[str, object] = {}
    prov: dict[str, str] = {}

    def take(name: str, *candidates: tuple[object, str] | None) -> None:
        for c in candidates:
            if c is not None and c[0] not in (None, ""):
                values[name], prov[name] = c
                return
        values[name] = None

    def given_of(name: str) -> tuple[object, str] | None:
        return (given[name], "given") if given.get(name) not in (None, "") else None

    def file_of(name: str) -> tuple[object, str] | None:
        return (getattr(found, name), "file") if found is not None else None

    def text_of(value: object) -> tuple[object, str]:
        return value, "text"

    take("title", given_of("title"), _listed(listed, "title"), file_of("title"), text_of(inferred.title))
    take("date", given_of("date"), _listed(listed, "date"),
         text_of(inferred.date) if inferred.date_labelled else None, file_of("date"), text_of(inferred.date))
    take("issuer", given_of("issuer"), _listed(listed, "issuer"), text_of(inferred.issuer), file_of("issuer"))
    take("report_year", given_of("report_year"), _listed(listed, "report_year"), text_of(inferred.report_year))
    if values["report_year"] is None and values["date"]:
        take("report_year", text_of(year_before_reported(text, str(values["date"]))))
    region = given_of("region") or _listed(listed, "region")
    if region:
        values["region"], prov["region"] = region
    elif listed is not None and not listed.provenance:
        values["region"] = None  # listed without a region: an anonymised document stays unplaced
    else:
        header = "\n".join(str(values[k]) for k in ("title", "issuer") if values.get(k))
        read = to_simplified(to_halfwidth(text))  # places are read as the claims are (屏南縣 is 屏南县)
        take("region", text_of(document_region(read, to_simplified(header))))
    if prov.get("issuer") == "text":
        values["issuer"] = _placed_issuer(str(values["issuer"]), values.get("region"))  # type: ignore[arg-type]
    year = values.get("report_year")
    source = given.get("source") or (listed.source if listed else None)
    return DocMeta(file, title=values["title"], issuer=values["issuer"], region=values["region"],  # type: ignore[arg-type]
                   date=values["date"], source=source,  # type: ignore[arg-type]
                   report_year=int(year) if year not in (None, "") else None,  # type: ignore[arg-type]
                   provenance={k: prov[k] for k in FIELDS if k in prov})
