"""Documents in any of the encodings officials receive decode to the same text; bad files fail clearly."""
from __future__ import annotations

import codecs

import pytest
from conftest import SEEDS

from etl.claims.extract import extract_text
from etl.reading.decode import MAX_BYTES, DocumentError, decode_bytes, read_document

SEED = (SEEDS / "000_9041893887b21c3d.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    lambda t: t.encode("gbk", errors="strict"),
    lambda t: t.encode("gb18030"),
    lambda t: t.encode("utf-16"),
    lambda t: t.encode("utf-16-le"),
    lambda t: t.encode("utf-16-be"),
], ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16-bom", "utf16le", "utf16be"])
def test_encodings_decode_to_the_same_claims(encode):
    text = SEED.replace("•", "-").replace("\xa0", " ")  # no GBK code for these two
    decoded = decode_bytes(encode(text))
    assert decoded == text
    assert len(extract_text(decoded)) == len(extract_text(text)) > 100


def test_empty_file_is_text_with_no_claims(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_document(path) == "" and extract_text("") == []


@pytest.mark.parametrize("data,reason", [
    (bytes(range(256)) * 20, "binary"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
    (b"PK\x03\x04" + bytes(range(40, 200)) * 30, "not text"),
])
def test_binary_data_is_refused_with_a_reason(data, reason):
    with pytest.raises(DocumentError, match=reason):
        decode_bytes(data)


def test_oversized_file_is_refused_naming_the_limit(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(DocumentError, match="limit is 20 MB"):
        read_document(path)
