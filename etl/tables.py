"""Load the data files beside this module (units, multipliers, qualifiers, ...) once."""
from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``data/<name>.csv`` as dicts (read once, cached)."""
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first so the longest surface wins."""
    import regex

    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
