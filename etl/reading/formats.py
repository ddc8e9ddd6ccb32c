"""Turn a received file (plain text, HTML, .docx, PDF with a text layer) into document text.

``to_text(path)`` returns a ``Converted`` (text plus the title, date and issuer the format's own metadata
carries) or raises ``DocumentError`` with a one-line reason. HTML pages are read with trafilatura.

Files that could exhaust the reader are refused before parsing: any file (but a PDF) declaring XML entities
(``<!ENTITY``), a .docx whose parts decompress to more than ``DOCX_EXPANDED_LIMIT`` or hold more than
``DOCX_PARTS`` parts, and a .docx whose XML has a DTD (each part is parsed first with defusedxml).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import regex

from etl.reading import sheets
from etl.reading.budget import check
from etl.reading.decode import MAX_BYTES, DocumentError, decode_bytes

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SHEET_SUFFIXES = {".xlsx", ".xls", ".csv"}
SUPPORTED = sorted(TEXT_SUFFIXES - {""} | HTML_SUFFIXES | SHEET_SUFFIXES | {".docx", ".pdf"})
DOCX_EXPANDED_LIMIT = 100 * 1024 * 1024  # all the parts of a .docx, decompressed
DOCX_PARTS = 5000
ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


@dataclass(frozen=True)
class Converted:
    text: str
    title: str | None = None
    date: str | None = None
    kind: str = "text"
    issuer: str | None = None  # the page's site name or author (HTML)


def to_text(path: Path) -> Converted:
    """The text of a document file, by its format (detected from content, then the file name)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DocumentError(f"too large ({size} bytes; the limit is {MAX_BYTES // (1024 * 1024)} MB)")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        return _pdf(data)
    if ENTITY.search(data):
        raise DocumentError("XML entity declarations (<!ENTITY) are refused")
    if data.startswith(b"PK\x03\x04"):
        if suffix == ".xlsx" or (suffix != ".docx" and b"xl/" in data[:65536] and b"word/" not in data[:65536]):
            return Converted(sheets.xlsx_text(data), kind="xlsx")
        if suffix == ".docx" or b"word/document.xml" in data[:4096] or b"word/" in data:
            return _docx(data)
        raise DocumentError(f"unknown format (a zip archive, not .docx or .xlsx); supported: {', '.join(SUPPORTED)}")
    if suffix == ".xls" and data.startswith(b"\xd0\xcf\x11\xe0"):
        return Converted(sheets.xls_text(data), kind="xls")
    if suffix in (".xls", ".xlsx"):
        raise DocumentError(f"unreadable {suffix} (not an Excel workbook: damaged, or another format renamed)")
    if suffix in {".doc", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".rtf", ".odt"} \
            or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(f"unknown format {suffix or '(no extension)'}; supported: {', '.join(SUPPORTED)}")
    if suffix == ".csv":
        return Converted(sheets.csv_text(data, path.stem), kind="csv")
    text = decode_bytes(data)
    if "<!entity" in text.lower():  # declared in an encoding the byte check does not see (UTF-16)
        raise DocumentError("XML entity declarations (<!ENTITY) are refused")
    if suffix in HTML_SUFFIXES or re.match(r"\s*(<!doctype html|<html)", text[:500], re.IGNORECASE):
        return html_to_text(text)
    return Converted(text)


def _pdf(data: bytes) -> Converted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = []
        for page in reader.pages:
            check()
            pages.append((page.extract_text() or "").strip())
    except (PdfReadError, ValueError, KeyError, TypeError) as e:
        raise DocumentError(f"unreadable PDF ({e})") from None
    text = "\n".join(p for p in pages if p)
    if len(re.sub(r"\s", "", text)) < 10:
        raise DocumentError("PDF without a text layer (a scan?): run OCR first")
    title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    return Converted(text, title=str(title) if title else None, kind="pdf")


def _docx(data: bytes) -> Converted:
    import zipfile

    from docx import Document

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist() if i.filename == "word/document.xml")
        if unpacked > MAX_BYTES:
            raise DocumentError(f"its text part unpacks to {unpacked // 2**20} MB; the limit is "
                                f"{MAX_BYTES // 2**20} MB")
        _check_docx_parts(data)
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DocumentError(f"unreadable .docx ({e})") from None
    lines = []
    for p in doc.paragraphs:
        check()
        lines.append(p.text.strip())
    for table in doc.tables:
        for row in table.rows:
            check()
            lines.append("\t".join(cell.text.strip() for cell in row.cells))
    text = "\n".join(ln for ln in lines if ln)
    title = doc.core_properties.title or None
    return Converted(text, title=title, kind="docx")


def _check_docx_parts(data: bytes) -> None:
    """Refuse a .docx that decompresses past the limit, has too many parts, or whose XML has a DTD or entities
    (defusedxml); the parts are read in chunks, so a lying size header does not help."""
    import zipfile

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    limit = DOCX_EXPANDED_LIMIT // (1024 * 1024)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > DOCX_PARTS:
            raise DocumentError(f"a .docx with {len(infos)} parts (the limit is {DOCX_PARTS})")
        total = 0
        for info in infos:
            xml = info.filename.endswith((".xml", ".rels"))
            part = bytearray()
            with archive.open(info) as f:
                while chunk := f.read(1 << 20):
                    total += len(chunk)
                    if total > DOCX_EXPANDED_LIMIT:
                        raise DocumentError(f"a .docx whose parts decompress to more than {limit} MB (a zip bomb?)")
                    xml = xml or (not part and chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"))
                    if xml:
                        part += chunk
            if xml:
                try:
                    fromstring(bytes(part), forbid_dtd=True)
                except DefusedXmlException:
                    raise DocumentError(f"XML entities or a DTD in the .docx part {info.filename}") from None
                except ParseError as e:
                    raise DocumentError(f"unreadable .docx ({info.filename}: {e})") from None


FURNITURE_LABEL = regex.compile(r"(?<!原)(?:发布机构|发文机关|发布单位|所属机构|发布日期|发布时间|成文日期|生成日期|"
                                r"发文日期|印发日期|来源|名称|發布|來源)\s*[:：|]")
BLOCKS = ("p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "section", "article",
          "br", "table", "ul", "ol", "span")


def _config():  # a short official notice is an article too: trafilatura's minimum sizes are for long pages
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "10")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "5")
    return config


def _page_lines(html: str) -> list[str]:
    """Every text line of the page (scripts and styles left out), in order: where the furniture is."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    for el in tree.xpath("//script|//style|//noscript"):
        el.drop_tree()
    for el in tree.iter(*BLOCKS):
        el.tail = ("\n" if el.tag not in ("td", "th", "span") else " | " if el.tag != "span" else " ") + (el.tail or "")
    lines = [regex.sub(r"([:：]) ?\| ?", r"\1", regex.sub(r"[ \t\r\u3000\xa0]+", " ", ln)).strip(" |")
             for ln in tree.text_content().splitlines()]  # a label cell and its value cell: 发布机构：X
    return [ln for ln in lines if ln]


def _row(line: str) -> str:
    """A table row as trafilatura writes it (``| a | b |``) as cells separated by tabs, like a .docx's."""
    if not (line.startswith("|") and line.endswith("|")):
        return line
    cells = [c.strip().replace("\\|", "|") for c in regex.split(r"(?<!\\)\|", line.strip("|"))]
    if all(regex.fullmatch(r":?-*:?", c) for c in cells):
        return ""  # the line under a header row
    return "\t".join(c for c in cells if c)


def html_to_text(html: str) -> Converted:
    """The article of an HTML page (trafilatura) with its title, date and site name or author (the page's
    metadata, as ``file`` provenance); the header lines that label metadata (发布机构, 发布日期, 来源 …),
    which trafilatura leaves out as furniture, are kept above the body for the text's own inference."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                      config=_config())
    body = [row for ln in (doc.text if doc else "").splitlines() if (row := _row(ln.strip()))]
    title = (doc.title or "").strip() or None if doc else None
    date = doc.date if doc and doc.date and regex.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.date) else None
    issuer = None
    if doc:
        issuer = next((v.strip() for v in (doc.sitename, doc.author) if v and regex.search(r"\p{Han}{2}", v)), None)
    first = body[0] if body else ""
    page = _page_lines(html)
    header = page[:page.index(first)] if first in page else page[:40]
    furniture = [ln for ln in header if FURNITURE_LABEL.search(ln) and len(ln) <= 200 and ln not in body]
    lines = ([title] if title and title not in body[:1] else []) + furniture + body
    text = "\n".join(lines)
    if not regex.search(r"\p{Han}", "\n".join(body)):
        raise DocumentError("HTML page without article text")
    return Converted(text, title=title, date=date, kind="html", issuer=issuer)
