"""Turn a received file (plain text, HTML, .docx, PDF with a text layer) into document text.

``to_text(path)`` returns a ``Converted`` (text plus the title and date the format carries) or raises
``DocumentError`` with a one-line reason.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from etl.reading.decode import MAX_BYTES, DocumentError, decode_bytes

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUPPORTED = sorted(TEXT_SUFFIXES - {""} | HTML_SUFFIXES | {".docx", ".pdf"})


@dataclass(frozen=True)
class Converted:
    text: str
    title: str | None = None
    date: str | None = None
    kind: str = "text"


def to_text(path: Path) -> Converted:
    """The text of a document file, by its format (detected from content, then the file name)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DocumentError(f"too large ({size} bytes; the limit is {MAX_BYTES // (1024 * 1024)} MB)")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        return _pdf(data)
    if data.startswith(b"PK\x03\x04"):
        if suffix == ".docx" or b"word/document.xml" in data[:4096] or b"word/" in data:
            return _docx(data)
        raise DocumentError(f"unknown format (a zip archive, not .docx); supported: {', '.join(SUPPORTED)}")
    if suffix in {".doc", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".rtf", ".odt"} \
            or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(f"unknown format {suffix or '(no extension)'}; supported: {', '.join(SUPPORTED)}")
    text = decode_bytes(data)
    if suffix in HTML_SUFFIXES or re.match(r"\s*(<!doctype html|<html)", text[:500], re.IGNORECASE):
        return html_to_text(text)
    return Converted(text)


def _pdf(data: bytes) -> Converted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
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
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DocumentError(f"unreadable .docx ({e})") from None
    lines = [p.text.strip() for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text.strip() for cell in row.cells))
    text = "\n".join(ln for ln in lines if ln)
    title = doc.core_properties.title or None
    return Converted(text, title=title, kind="docx")


DROP_TAGS = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "svg",
             "button", "select", "menu"}
BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "td",
              "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "hr"}
BOILERPLATE_ATTR = re.compile(r"nav|menu|footer|header|sidebar|breadcrumb|copyright|share|banner|topbar|"
                              r"related|comment|toolbar|login|search|ad-", re.IGNORECASE)
BOILERPLATE_TEXT = re.compile(r"^(首页|上一篇|下一篇|上一页|下一页|返回|打印|关闭|分享|登录|注册|网站地图|"
                              r"版权所有|主办单位|ICP|扫一扫|当前位置|您的位置)")
VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}


class _Article(HTMLParser):
    """Collects text blocks outside navigation and boilerplate containers, with the <title> and <h1>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it dropped?
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.title = ""
        self.h1 = ""
        self.in_title = self.in_h1 = False
        self.meta_date: str | None = None

    def _dropped(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("name") or a.get("property") or "").lower() in {
                "pubdate", "publishdate", "article:published_time", "date", "publish_date"}:
            self.meta_date = a.get("content")
        if tag in BLOCK_TAGS:
            self._flush()
        if tag in VOID:
            return
        marker = " ".join(filter(None, [a.get("class"), a.get("id"), a.get("role")]))
        self.stack.append(tag in DROP_TAGS or bool(marker and BOILERPLATE_ATTR.search(marker)))
        self.in_title = self.in_title or tag == "title"
        self.in_h1 = self.in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if tag in BLOCK_TAGS:
            self._flush()
        if self.stack:
            self.stack.pop()
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if self.in_h1 and not self._dropped():
            self.h1 += data
        if not self._dropped() and not self.in_title:
            self.current.append(data)

    def _flush(self) -> None:
        block = re.sub(r"[ \t\r\n\u3000]+", " ", "".join(self.current)).strip()
        self.current = []
        if block and not BOILERPLATE_TEXT.match(block):
            self.blocks.append(block)


def html_to_text(html: str) -> Converted:
    """The article of an HTML page: its title, date and body text, without navigation and boilerplate."""
    parser = _Article()
    parser.feed(html)
    parser.close()
    parser._flush()
    title = (parser.h1 or parser.title).strip() or None
    body = [b for b in parser.blocks if len(b) >= 2]
    date_match = re.search(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?", parser.meta_date or "\n".join(body[:10]))
    date = None
    if date_match:
        y, m, d = re.findall(r"\d+", date_match.group())[:3]
        date = f"{y}-{int(m):02d}-{int(d):02d}"
    if title and body and body[0] != title:
        body.insert(0, title)
    text = "\n".join(body)
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise DocumentError("HTML page without article text")
    return Converted(text, title=title, date=date, kind="html")
