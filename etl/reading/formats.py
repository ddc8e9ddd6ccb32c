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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import regex

from etl.reading import sheets
from etl.reading.archives import check_parts
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
        with _plumber(data) as plumbed:
            for n, page in enumerate(reader.pages):
                check()
                with_tables = _pdf_page_with_tables(plumbed, n)
                pages.append(with_tables if with_tables is not None else (page.extract_text() or "").strip())
    except (PdfReadError, ValueError, KeyError, TypeError) as e:
        raise DocumentError(f"unreadable PDF ({e})") from None
    text = "\n".join(p for p in pages if p)
    if len(re.sub(r"\s", "", text)) < 10:
        raise DocumentError("PDF without a text layer (a scan?): run OCR first")
    title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    return Converted(text, title=str(title) if title else None, kind="pdf")


@contextmanager
def _plumber(data: bytes):
    """The PDF opened with pdfplumber (to find its tables), or None when pdfplumber is missing or cannot read
    it (the text is then pypdf's alone)."""
    try:
        import pdfplumber
    except ImportError:
        yield None
        return
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception:  # pdfplumber/pdfminer raise many kinds; pypdf reports a broken file
        yield None
        return
    try:
        yield pdf
    finally:
        pdf.close()


def _pdf_page_with_tables(pdf, n: int) -> str | None:
    """The text of page ``n`` with its ruled tables as tab rows (a cell a merge covers repeats its left
    neighbour, or the cell above in the first column), the rest of the page's text above, between and below
    them; None for a page without tables (its text is read as before)."""
    if pdf is None or n >= len(pdf.pages):
        return None
    page = pdf.pages[n]
    try:
        tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    except Exception:
        return None
    if not tables:
        return None
    parts, top = [], 0.0
    for t in tables:
        check()
        x0, y0, x1, y1 = t.bbox
        if y0 > top:
            parts.append(page.crop((0, top, page.width, y0)).extract_text() or "")
        grid = t.extract()
        for r, row in enumerate(grid):
            cells: list[str] = []
            for c, cell in enumerate(row):
                if cell is None:
                    cell = cells[-1] if c else (grid[r - 1][0] or "" if r else "")
                    row[c] = cell
                cells.append(" ".join(cell.split()))
            parts.append(sheets.row_line(cells) or "")
        top = max(top, y1)
    if top < page.height:
        parts.append(page.crop((0, top, page.width, page.height)).extract_text() or "")
    return "\n".join(p.strip() for p in parts if p.strip())


def _docx(data: bytes) -> Converted:
    import zipfile

    from docx import Document
    from docx.table import Table as DocxTable

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist() if i.filename == "word/document.xml")
        if unpacked > MAX_BYTES:
            raise DocumentError(f"its text part unpacks to {unpacked // 2**20} MB; the limit is "
                                f"{MAX_BYTES // 2**20} MB")
        check_parts(data, ".docx", DOCX_PARTS, DOCX_EXPANDED_LIMIT, parse_xml=True)
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DocumentError(f"unreadable .docx ({e})") from None
    lines = []
    for block in doc.iter_inner_content():  # paragraphs and tables in their order: a table after its title
        check()
        if isinstance(block, DocxTable):
            lines += _docx_rows(block)
        else:
            lines.append(block.text.strip())
    text = "\n".join(ln for ln in lines if ln)
    title = doc.core_properties.title or None
    return Converted(text, title=title, kind="docx")


def _docx_rows(table) -> list[str]:
    """A .docx table's rows as tab lines: a merged cell (across or down) repeated in each grid cell it covers
    (python-docx gives the covering cell for each), empty cells kept, a cell's paragraphs joined by spaces."""
    lines = []
    for row in table.rows:
        check()
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        lines.append(sheets.row_line(cells) or "")
    return lines


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
    return sheets.row_line(cells) or ""  # empty cells kept: columns keep their places


SPAN_LIMIT = 200  # a colspan or rowspan larger than this (a hostile page) counts as this
TABLE_CELLS = 1_000_000  # cells of one HTML table, its spans counted


def _span(el, name: str) -> int:
    value = el.get(name) or "1"
    return max(1, min(SPAN_LIMIT, int(value))) if value.strip().isdigit() else 1


def _html_tables(html: str) -> list[tuple[tuple[str, ...], list[list[str]]]]:
    """Each innermost ``<table>`` of a page: the texts of its cells as written (to recognise it in
    trafilatura's output) and its grid, a cell spanning rows or columns repeated in each place it covers."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    out = []
    for table in tree.iter("table"):
        if table.find(".//table") is not None:
            continue
        written: list[str] = []
        grid: list[list[str]] = []
        pending: dict[tuple[int, int], str] = {}  # (row, column) -> text of a cell spanning down into it
        size = 0
        for r, tr in enumerate(x for x in table.iter("tr")):
            check()
            row: list[str] = []
            col = 0
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                while (r, col) in pending:
                    row.append(pending.pop((r, col)))
                    col += 1
                text = " ".join(cell.text_content().split())
                if text:
                    written.append(text)
                down, across = _span(cell, "rowspan"), _span(cell, "colspan")
                size += down * across
                if size > TABLE_CELLS:
                    raise DocumentError(f"an HTML table of more than {TABLE_CELLS:,} cells (its spans)")
                for k in range(across):
                    row.append(text)
                    for d in range(1, down):
                        pending[(r + d, col + k)] = text
                col += across
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            grid.append(row)
        out.append((tuple(written), grid))
    return out


def _body(raw: list[str], html: str) -> list[str]:
    """The lines trafilatura wrote (``raw``), each table (its ``| a | b |`` lines) replaced by the page's own
    table as tab rows, spans repeated; a table not found in the page keeps trafilatura's cells."""
    if not any(ln.startswith("|") for ln in raw):
        return [row for ln in raw if (row := _row(ln))]
    tables = _html_tables(html)
    out: list[str] = []
    i = 0
    while i < len(raw):
        if not raw[i].startswith("|"):
            if row := _row(raw[i]):
                out.append(row)
            i += 1
            continue
        j = i
        while j < len(raw) and raw[j].startswith("|"):
            j += 1
        cells = tuple(c for ln in raw[i:j] for c in (x.strip().replace("\\|", "|")
                      for x in regex.split(r"(?<!\\)\|", ln.strip("|"))) if c and not regex.fullmatch(r":?-+:?", c))
        k = next((k for k, (written, _) in enumerate(tables) if written == cells), None)
        grid = tables.pop(k)[1] if k is not None else None
        if grid is None:
            out += [row for ln in raw[i:j] if (row := _row(ln))]
        else:
            out += [row for r in grid if (row := sheets.row_line(list(r)))]
        i = j
    return out


def html_to_text(html: str) -> Converted:
    """The article of an HTML page (trafilatura) with its title, date and site name or author (the page's
    metadata, as ``file`` provenance); the header lines that label metadata (发布机构, 发布日期, 来源 …),
    which trafilatura leaves out as furniture, are kept above the body for the text's own inference."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                      config=_config())
    raw = [ln.strip() for ln in (doc.text if doc else "").splitlines()]
    body = _body(raw, html)
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
