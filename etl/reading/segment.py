"""Split a text into paragraphs, sentences and clauses, keeping character offsets.

>>> [text for _, _, text in sentences("一是加强。二是落实!")]
['一是加强。', '二是落实!']
"""
from __future__ import annotations

import bisect

import regex

SENTENCE_END = regex.compile(r"[。！？!?]+[”’\"』」)）]*|\n+")
CLAUSE_END = regex.compile(r"[，,；;：:\n]")


def _spans(text: str, pattern: regex.Pattern, start: int = 0, end: int | None = None):
    end = len(text) if end is None else end
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.end() > pos:
            yield pos, m.end(), text[pos:m.end()]
        pos = m.end()
    if pos < end:
        yield pos, end, text[pos:end]


def paragraphs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each non-empty line."""
    return [s for s in _spans(text, regex.compile(r"\n+")) if s[2].strip()]


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, text) of each sentence (ends at 。！？ or a line break) within text[start:end]."""
    return [s for s in _spans(text, SENTENCE_END, start, end) if s[2].strip()]


PARAGRAPH_MAX = 3000  # a longer line (a flattened table, OCR noise) is read as pieces of at most this length…
SENTENCE_MAX = 1000  # …and a longer sentence as pieces of at most this: every scope stays bounded
_NUMBER_CHARS = frozenset("0123456789.,")


def bounded(text: str, spans: list[tuple[int, int, str]], limit: int,
            breaks: regex.Pattern) -> list[tuple[int, int, str]]:
    """``spans`` with each one longer than ``limit`` cut into pieces of at most ``limit`` characters, each
    ending after the last match of ``breaks`` within it when there is one, else before a run of figures
    (or hard when the run is long), so that no scan over a span grows with the length of a line.

    >>> [t for _, _, t in bounded("一二三,四五六七", [(0, 8, "一二三,四五六七")], 5, CLAUSE_END)]
    ['一二三,', '四五六七']
    """
    out = []
    for start, end, piece in spans:
        if end - start <= limit:
            out.append((start, end, piece))
            continue
        pos = start
        while end - pos > limit:
            cut = None
            for m in breaks.finditer(text, pos, pos + limit):
                cut = m.end()
            if cut is None or cut <= pos:
                cut = pos + limit
                back = cut
                while back > pos + limit // 2 and text[back - 1] in _NUMBER_CHARS:
                    back -= 1
                cut = back if back > pos + limit // 2 else cut
            out.append((pos, cut, text[pos:cut]))
            pos = cut
        out.append((pos, end, text[pos:end]))
    return [s for s in out if s[2].strip()]


class Clauses:
    """Where the clauses of a text begin (after ，；： and line breaks), found once.

    >>> Clauses("一是,二是;三是").start(7)
    6
    """

    def __init__(self, text: str):
        self.ends = [m.start() for m in CLAUSE_END.finditer(text)]

    def start(self, pos: int, floor: int = 0) -> int:
        """Offset where the clause containing ``pos`` begins, not before ``floor``."""
        i = bisect.bisect_left(self.ends, pos)
        return max(floor, self.ends[i - 1] + 1 if i else 0)
