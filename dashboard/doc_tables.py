"""The tables inside a document's text, found by the rule the ETL writes them by (README, *Tables*): a table
is a block of consecutive lines each holding at least one TAB, its cells the TAB-separated pieces (empty
cells kept, so columns keep their positions); the line right before it without a TAB may be its title or
unit line (单位：万元、户), and the one before a unit line its title; a line ``【工作表：NAME】`` starts a
spreadsheet's sheet. Pure functions of the text: each piece keeps its offsets in ``documents.text``, so a
claim (``char_start``) falls in a cell by its offset alone.

>>> [b.kind for b in blocks("全县情况如下。\\n各乡人口\\n单位：人\\n乡\\t人口\\n甲乡\\t12人\\n完")]
['prose', 'caption', 'caption', 'table', 'prose']
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from etl.claims.tables import is_row

SHEET_LINE = re.compile(r"【工作表[:：](?P<name>[^】]*)】")
UNIT_LINE = re.compile(r"\s*[（(]?\s*(计量)?单位\s*[:：]")
CAPTION_MAX = 80  # a title longer than this is a paragraph, not a table's title
SENTENCE_END = ("。", "；", ";", "！", "？")


@dataclass(frozen=True)
class Block:
    """One piece of a document's text: ``prose``, a ``sheet`` heading (``name``), a table's ``caption`` line, or
    a ``table`` (``rows`` of cells as (start, end) offsets). ``start``/``end`` exclude the line break."""

    kind: str
    start: int
    end: int
    name: str = ""
    rows: tuple[tuple[tuple[int, int], ...], ...] = field(default=())


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text``, line breaks (\\n, \\r\\n) left out."""
    out, at = [], 0
    for m in re.finditer(r"\r?\n", text):
        out.append((at, m.start()))
        at = m.end()
    out.append((at, len(text)))
    return out


def _cells(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The cells of the tab line text[start:end] as offsets; empty cells are empty spans."""
    cells, at = [], start
    for m in re.finditer("\t", text[start:end]):
        cells.append((at, start + m.start()))
        at = start + m.end()
    cells.append((at, end))
    return tuple(cells)


def _is_caption(line: str) -> bool:
    """Whether a line (without TAB) right above a table reads as its title or unit line."""
    s = line.strip()
    return bool(s) and not SHEET_LINE.fullmatch(s) and (
        bool(UNIT_LINE.match(s)) or (len(s) <= CAPTION_MAX and not s.endswith(SENTENCE_END)))


def blocks(text: str) -> list[Block]:
    """The text as prose, sheet headings, table captions and tables, in order; prose kept as it is."""
    lines = _lines(text)
    kinds = ["table" if is_row(text[s:e]) else "sheet" if SHEET_LINE.fullmatch(text[s:e].strip()) else "prose"
             for s, e in lines]
    for i, kind in enumerate(kinds):  # the title / unit line(s) right above a table
        if kind == "table" and (i == 0 or kinds[i - 1] != "table"):
            j = i - 1
            if j >= 0 and kinds[j] == "prose" and _is_caption(text[slice(*lines[j])]):
                kinds[j] = "caption"
                if UNIT_LINE.match(text[slice(*lines[j])]) and j >= 1 and kinds[j - 1] == "prose" \
                        and _is_caption(text[slice(*lines[j - 1])]):
                    kinds[j - 1] = "caption"
    out: list[Block] = []
    i = 0
    while i < len(lines):
        kind, (s, e) = kinds[i], lines[i]
        if kind == "table":
            rows = []
            while i < len(lines) and kinds[i] == "table":
                rows.append(_cells(text, *lines[i]))
                i += 1
            out.append(Block("table", s, lines[i - 1][1], rows=tuple(rows)))
            continue
        if kind == "sheet":
            out.append(Block("sheet", s, e, name=SHEET_LINE.fullmatch(text[s:e].strip())["name"]))
        elif kind == "caption":
            out.append(Block("caption", s, e))
        elif out and out[-1].kind == "prose":  # prose lines run together, line breaks kept inside
            out[-1] = Block("prose", out[-1].start, e)
        else:
            out.append(Block("prose", s, e))
        i += 1
    return out


def cell_of(block: Block, offset: int) -> tuple[int, int] | None:
    """(row, column), 0-based with header rows counted, of the cell of ``block`` holding ``offset``."""
    starts = [row[0][0] for row in block.rows]
    r = bisect.bisect_right(starts, offset) - 1
    if r < 0:
        return None
    for c, (s, e) in enumerate(block.rows[r]):
        if s <= offset < e or (s == e == offset):
            return r, c
    return None
