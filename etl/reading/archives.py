"""Zip containers (.docx, .xlsx) checked before a library parses them: too many parts, parts that decompress
past a limit (a zip bomb; read in chunks, so a lying size header does not help), XML with a DTD or entities."""
from __future__ import annotations

import io
import re
import zipfile

from etl.reading.budget import check
from etl.reading.decode import DocumentError

DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
CHUNK = 1 << 20


def check_parts(data: bytes, kind: str, max_parts: int, max_bytes: int, parse_xml: bool) -> None:
    """Refuse the zip ``data`` (a ``kind`` file: ".docx", ".xlsx") with more than ``max_parts`` parts or parts
    decompressing past ``max_bytes``; its XML parts are parsed whole with defusedxml (``parse_xml``: small
    documents) or their first 4 KB looked at for a DTD (sheets of hundreds of MB)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    article = "an" if kind == ".xlsx" else "a"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > max_parts:
            raise DocumentError(f"{article} {kind} with {len(infos)} parts (the limit is {max_parts})")
        total = 0
        for info in infos:
            xml = parse_xml and info.filename.endswith((".xml", ".rels"))
            part, first = bytearray(), True
            with archive.open(info) as f:
                while chunk := f.read(CHUNK):
                    check()
                    total += len(chunk)
                    if total > max_bytes:
                        raise DocumentError(f"{article} {kind} whose parts decompress to more than "
                                            f"{max_bytes // 2**20} MB (a zip bomb?)")
                    if first and not parse_xml and DTD.search(chunk[:4096]):
                        raise DocumentError(f"XML entities or a DTD in the {kind} part {info.filename}")
                    xml = xml or (parse_xml and first and chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"))
                    if xml:
                        part += chunk
                    first = False
            if xml:
                try:
                    fromstring(bytes(part), forbid_dtd=True)
                except DefusedXmlException:
                    raise DocumentError(f"XML entities or a DTD in the {kind} part {info.filename}") from None
                except ParseError as e:
                    raise DocumentError(f"unreadable {kind} ({info.filename}: {e})") from None
