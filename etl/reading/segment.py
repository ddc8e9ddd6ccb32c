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
