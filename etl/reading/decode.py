"""Read a document file into text: detect UTF-8 (with or without BOM), UTF-16 and GBK/GB18030.

Errors are ``DocumentError`` with a one-line reason; the caller names the file.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024
PLAUSIBLE = 0.9
# Characters Chinese documents are not written in: controls, private use, and scripts far from CJK text.
IMPLAUSIBLE = re.compile("[^\t\r\n\x20-\x7e\xa0-\xff\u2000-\u206f\u2150-\u25ff\u3000-\u303f"
                         "\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\ufeff]")


class DocumentError(Exception):
    """A document that cannot be read as text (binary, undecodable, too large)."""


def decode_bytes(data: bytes) -> str:
    """Decode document bytes; raise DocumentError for binary or undecodable data.

    A BOM decides; else strict UTF-8; else whichever of UTF-16 (LE, BE) and GB18030 decodes to the most
    plausible Chinese text (CJK, ASCII and CJK punctuation), if that is plausible enough; else, line by line,
    UTF-8 or GB18030 (a file put together from parts in both).
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16")
    if not data:
        return ""
    if b"\x00" not in data:
        try:
            text = data.decode("utf-8")
            if _plausible(text) >= PLAUSIBLE:
                return text
        except UnicodeDecodeError:
            pass
    best, best_score = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausible(text)
        if score > best_score:
            best, best_score = text, score
    if best is not None and best_score >= PLAUSIBLE:
        return best
    mixed = _by_line(data)
    if mixed is not None:
        return mixed
    if b"\x00" in data:
        raise DocumentError("binary file (contains NUL bytes), not a text document")
    raise DocumentError("not text in UTF-8, UTF-16 or GBK/GB18030 (binary or unknown encoding)")


def _by_line(data: bytes) -> str | None:
    """A file pasted together from parts in UTF-8 and GBK: each line in whichever decodes it strictly, when
    every line does and the whole is plausible."""
    if b"\x00" in data:
        return None
    lines = []
    for line in data.split(b"\n"):
        for encoding in ("utf-8", "gb18030"):
            try:
                lines.append(line.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
    text = "\n".join(lines)
    return text if _plausible(text) >= PLAUSIBLE else None


def read_document(path: Path) -> str:
    """The decoded text of a document file."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DocumentError(f"too large ({size} bytes; the limit is {MAX_BYTES // (1024 * 1024)} MB)")
    return decode_bytes(path.read_bytes())


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise DocumentError(f"invalid {encoding} at byte {e.start}") from None
    if _plausible(text) < PLAUSIBLE:
        raise DocumentError("binary content, not a text document")
    return text.removeprefix("\ufeff")


def _plausible(text: str) -> float:
    """Share of the characters (in a sample) that Chinese documents are written in."""
    sample = text[:20000]
    if not sample:
        return 1.0
    return 1 - len(IMPLAUSIBLE.findall(sample)) / len(sample)
