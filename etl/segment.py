"""Split a text into paragraphs, sentences and clauses, keeping character offsets.

>>> [text for _, _, text in sentences("一是加强。二是落实!")]
['一是加强。', '二是落实!']
"""
from __future__ import annotations

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


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Offset where the clause containing ``pos`` begins (after the last ，；： before it)."""
    i = pos - 1
    while i >= floor and not CLAUSE_END.match(text[i]):
        i -= 1
    return i + 1


def clause_end(text: str, pos: int, ceiling: int | None = None) -> int:
    """Offset where the clause containing ``pos`` ends (at the next ，；：。 or line break)."""
    ceiling = len(text) if ceiling is None else ceiling
    i = pos
    while i < ceiling and not CLAUSE_END.match(text[i]) and text[i] not in "。！？!?":
        i += 1
    return i
