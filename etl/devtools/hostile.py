"""Hostile and odd documents, generated (no copied text): the files of issue 12's table and a fuzz corpus.

``python -m etl.devtools.hostile OUT`` writes the table's files into OUT; ``table_files`` and ``fuzz_files``
are used by the bench and the tests.
"""
from __future__ import annotations

import argparse
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

ALPHABET = "0123456789.,万亿元户人%、"
# ordinary sentences of our own, with figures to vary
SENTENCES = ("{y}年全县共有建档立卡贫困户{a}户{b}人。", "全年投入财政专项扶贫资金{c}万元，比上年增长{p}%。",
             "截至{y}年底，{a}个贫困村全部出列。", "农村居民人均可支配收入达到{d}元。",
             "帮助{b}名贫困劳动力实现转移就业。")


def digit_run(n: int) -> str:
    """贫困户, ``n`` digits, 户: a broken export's run of digits."""
    return "贫困户" + "".join(str(i % 10) for i in range(n)) + "户"


def long_lists(sentences: int = 20, items: int = 2000) -> str:
    """Sentences that are each one list of figures (0户、1户、2户…)."""
    return "".join(f"第{s + 1}批贫困户" + "、".join(f"{i}户" for i in range(items)) + "。\n" for s in range(sentences))


def random_alphabet(n: int = 1_000_000, seed: int = 12) -> str:
    """``n`` random characters of 0-9 . , 万 亿 元 户 人 % 、 (OCR noise)."""
    rng = random.Random(seed)
    return "".join(rng.choices(ALPHABET, k=n))


def ordinary_sentences(n: int, seed: int = 12) -> list[str]:
    rng = random.Random(seed)
    return [SENTENCES[i % len(SENTENCES)].format(y=rng.randint(2014, 2020), a=rng.randint(10, 99999),
                                                 b=rng.randint(10, 99999), c=rng.randint(100, 99999),
                                                 d=rng.randint(3000, 19999), p=rng.randint(1, 30))
            for i in range(n)]


def long_lines(lines: int = 150, per_line: int = 1000) -> str:
    """``lines`` lines of ``per_line`` ordinary sentences each."""
    sents = ordinary_sentences(lines * per_line)
    return "\n".join("".join(sents[i * per_line:(i + 1) * per_line]) for i in range(lines)) + "\n"


def unpunctuated(n: int = 200_000) -> str:
    """A flattened table: ordinary sentences with their punctuation taken out, as one line."""
    text = "".join(ordinary_sentences(max(1, n // 20)))
    return "".join(c for c in text if c not in "。，,")[:n]


def nested_html(depth: int = 5000) -> str:
    return ("<html><head><title>嵌套页面</title></head><body>" + "<div>" * depth
            + "<p>全县共有建档立卡贫困户1234户。</p>" + "</div>" * depth + "</body></html>")


def big_docx(mb: int = 50) -> bytes:
    """A .docx (made with python-docx) whose document part is rewritten to about ``mb`` MB of paragraphs."""
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    para = "<w:p><w:r><w:t>全县共有建档立卡贫困户1234户，贫困人口5678人。</w:t></w:r></w:p>".encode()
    body = para * (mb * 1024 * 1024 // len(para))
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + body, 1)
            dst.writestr(item, data)
    return out.getvalue()


def many_pages_pdf(pages: int = 5000) -> bytes:
    """A PDF of ``pages`` pages (pypdf), each with a line of Latin text (figures only: the standard fonts
    have no CJK)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    font_ref = writer._add_object(font)
    for i in range(pages):
        page = writer.add_blank_page(width=300, height=200)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 20 100 Td (Page {i + 1}: 1234 of 2020, 56.7%) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def mixed_encodings() -> bytes:
    """One file whose first half is UTF-8 and second half GBK."""
    return "全县共有建档立卡贫困户1234户。\n".encode() * 50 + "贫困人口5678人。\n".encode("gbk") * 50


def table_files() -> dict[str, Callable[[], str]]:
    """The files of issue 12's table: name -> text."""
    return {
        "digits_5000.txt": lambda: digit_run(5000),
        "digits_10000.txt": lambda: digit_run(10_000),
        "digits_20000.txt": lambda: digit_run(20_000),
        "digits_200000.txt": lambda: digit_run(200_000),
        "lists_20x2000.txt": long_lists,
        "random_alphabet_1m.txt": random_alphabet,
        "lines_150x1000.txt": long_lines,
    }


def fuzz_files() -> dict[str, Callable[[], bytes]]:
    """The fuzz corpus of the tests: name -> bytes (the table's files and odd formats)."""
    files: dict[str, Callable[[], bytes]] = {n: (lambda f=f: f().encode()) for n, f in table_files().items()}
    files.update({
        "unpunctuated.txt": lambda: unpunctuated().encode(),
        "nested.html": lambda: nested_html().encode(),
        "big_part.docx": big_docx,
        "pages_5000.pdf": many_pages_pdf,
        "mixed_encodings.txt": mixed_encodings,
    })
    return files


def write(out: Path, which: dict[str, Callable[[], str | bytes]]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in which.items():
        data = make()
        path = out / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m etl.devtools.hostile", description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--fuzz", action="store_true", help="the whole fuzz corpus, not only the table's files")
    a = p.parse_args(argv)
    for path in write(a.out, fuzz_files() if a.fuzz else table_files()):
        print(f"{path}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
