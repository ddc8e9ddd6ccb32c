"""Map a claim to an indicator key with the cue rules of ``data/indicator_rules.tsv``.

A rule is a regex over the claim's sentence with the claim (and the numbers listed with it) replaced by
``#``; its group ``cue`` is the words that select the indicator. The cue nearest to ``#`` wins (ties: the
longer cue), and the indicator's unit must be the claim's. Rules keyed ``none`` are vetoes: a change
(同比增加), a target (任务数) or a flow (新认定) nearest to the number means no indicator.

>>> assign("全市共有脱贫村#", "count")
'villages_exited_poverty'
>>> assign("下达市本级资金32820万元,同比增加#", "yuan") is None
True
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

import regex

from etl.tables import DATA, rows

HAN = regex.compile(r"\p{Han}")
GAP = r"[^#\d，,。；;：:、]"


@dataclass(frozen=True)
class Rule:
    key: str
    pattern: regex.Pattern
    example: str
    alphabet: frozenset[str]  # the Chinese characters of the pattern: a cue has at least one of them


@cache
def taxonomy() -> dict[str, dict[str, str]]:
    """Indicator key -> its row (theme, names, unit, definition)."""
    return {r["key"]: r for r in rows("indicators")}


@cache
def rules() -> tuple[Rule, ...]:
    """The cue rules, compiled."""
    with (DATA / "indicator_rules.tsv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return tuple(Rule(r["key"], regex.compile(r["pattern"].replace("{G}", GAP)), r["example"],
                          frozenset(HAN.findall(r["pattern"]))) for r in reader)


@cache
def rules_for(unit: str) -> tuple[Rule, ...]:
    """The rules that can give a claim in ``unit`` an indicator, and the vetoes."""
    units = taxonomy()
    own = tuple(r for r in rules() if r.key != "none" and units[r.key]["unit"] == unit)
    return own + tuple(r for r in rules() if r.key == "none") if own else ()


def assign(window: str, unit: str, qualifier: str = "exact") -> str | None:
    """The indicator of the number marked ``#`` in ``window`` with ``unit``, or None. A noun after a
    vague number (130多个经济薄弱村) says what is counted, not a registered stock: only exact numbers
    take an indicator from a cue after them."""
    hash_at = window.index("#")
    best: tuple[int, int, str] | None = None
    present = set(window)
    for rule in rules_for(unit):
        if rule.alphabet.isdisjoint(present):
            continue  # none of its words can be there
        for m in rule.pattern.finditer(window, overlapped=True):
            cue_start, cue_end = m.span("cue")
            if cue_start > hash_at and qualifier != "exact":
                continue
            distance = hash_at - cue_end if cue_end <= hash_at else cue_start - hash_at - 1
            rank = (distance, -(cue_end - cue_start))
            if best is None or rank < best[:2]:
                best = (*rank, rule.key)
    if best is None or best[2] == "none":
        return None
    return best[2]


def same_theme(a: str, b: str) -> bool:
    return taxonomy()[a]["theme"] == taxonomy()[b]["theme"]
