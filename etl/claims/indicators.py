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
import re
from dataclasses import dataclass
from functools import cache

import regex

from etl.tables import DATA, rows

try:
    import re._parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

GAP = r"[^#\d，,。；;：:、]"
UNBOUNDED = 10**6


@dataclass(frozen=True)
class Rule:
    key: str
    pattern: regex.Pattern
    example: str
    words: regex.Pattern | None  # a match contains one of these words (None: no such words known)
    width: int  # the longest text a match can span: a match holding # starts at most this far before it
    anchor: str  # "start": the pattern begins with # (its cue follows the number); "end": it ends with #; ""


@cache
def taxonomy() -> dict[str, dict[str, str]]:
    """Indicator key -> its row (theme, names, unit, definition, region levels)."""
    return {r["key"]: r for r in rows("indicators")}


def fits_level(key: str, level: str | None) -> bool:
    """Whether indicator ``key`` can describe a region of ``level`` (any level when the taxonomy names none,
    or when the level is unknown): a city's own budget is not a county's.

    >>> fits_level("funding_city", "county"), fits_level("funding_city", "prefecture"), fits_level("funding_city", None)
    (False, True, True)
    """
    levels = taxonomy()[key]["region_levels"]
    return not levels or level is None or level in levels.split("|")


@cache
def rules() -> tuple[Rule, ...]:
    """The cue rules, compiled."""
    with (DATA / "indicator_rules.tsv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return tuple(Rule(r["key"], regex.compile(pattern), r["example"], required_words(pattern),
                          max_width(pattern), _anchor(pattern))
                     for r in reader for pattern in [r["pattern"].replace("{G}", GAP)])


def _anchor(pattern: str) -> str:
    if pattern.startswith("#"):
        return "start"
    return "end" if pattern.endswith("#") and not pattern.endswith("\\#") else ""


def max_width(pattern: str) -> int:
    r"""The most characters a match of ``pattern`` can span (lookarounds excluded), from the standard
    library's parser; a very large number when it cannot tell.

    >>> max_width(r"(?P<cue>贫困村)[^#]{0,3}#"), max_width(r"\p{Han}+#") > 1000
    (7, True)
    """
    try:
        return min(_parse(pattern).getwidth()[1], UNBOUNDED)
    except (re.error, ValueError):
        return UNBOUNDED


def required_words(pattern: str) -> frozenset[str] | None:
    """Words one of which every match of ``pattern`` contains (``#`` aside), or None when it cannot tell:
    a rule whose words are all absent from a window cannot match there.

    >>> sorted(required_words(r"(?P<cue>脱贫村|(?:退出|出列)的?贫困村)[^#]{0,4}#"))
    ['脱贫村', '贫困村']
    >>> required_words(r"[^#]{0,3}#") is None
    True
    """
    try:
        return _words(_parse(pattern))
    except (re.error, ValueError):
        return None


def _any_of(words: frozenset[str] | None) -> regex.Pattern | None:
    return regex.compile("|".join(map(regex.escape, sorted(words)))) if words else None


def _parse(pattern: str):
    return sre_parse.parse(pattern.replace(r"\p{Han}", "."))  # any one character


def _words(seq) -> frozenset[str] | None:
    """The most selective set of required words of a parsed sequence (longest shortest word, then fewest)."""
    options: list[frozenset[str]] = []
    run = ""
    for op, av in seq:
        if op is sre_parse.LITERAL and av != ord("#"):
            run += chr(av)
            continue
        if run:
            options.append(frozenset([run]))
            run = ""
        found = None
        if op is sre_parse.SUBPATTERN:
            found = _words(av[-1])
        elif op is sre_parse.BRANCH:
            branches = [_words(b) for b in av[1]]
            found = None if any(b is None for b in branches) else frozenset().union(*branches)
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and av[0] >= 1:
            found = _words(av[2])
        if found:
            options.append(found)
    if run:
        options.append(frozenset([run]))
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)


@cache
def rules_for(unit: str) -> tuple[Rule, ...]:
    """The rules that can give a claim in ``unit`` an indicator, and the vetoes."""
    units = taxonomy()
    own = tuple(r for r in rules() if r.key != "none" and units[r.key]["unit"] == unit)
    return own + tuple(r for r in rules() if r.key == "none") if own else ()


@dataclass(frozen=True)
class Lexicon:
    """The required words of a unit's rules as one pattern (longest first), for each word the words it
    starts with (one overlapped scan then tells which words are in a window), and how far before and
    after the # a match of its rules can reach."""

    pattern: regex.Pattern
    starts: dict[str, frozenset[str]]
    before: int
    after: int


@cache
def _lexicon(unit: str) -> Lexicon:
    own = rules_for(unit)
    words = sorted({w for r in own for w in r.words or ()}, key=lambda w: (-len(w), w))
    return Lexicon(regex.compile("|".join(map(regex.escape, words)) or "(?!)"),
                   {w: frozenset(v for v in words if w.startswith(v)) for w in words},
                   max((r.width for r in own if r.anchor != "start"), default=0),
                   max((r.width for r in own if r.anchor != "end"), default=0))


def words_in(window: str, unit: str) -> frozenset[str]:
    """The required words of ``unit``'s rules that occur where a match holding the # can reach.

    >>> sorted(words_in("全市脱贫人口#", "person") & {"脱贫", "脱贫人口", "低保"})
    ['脱贫', '脱贫人口']
    """
    lex = _lexicon(unit)
    hash_at = window.index("#")
    reach = window[max(0, hash_at - lex.before):hash_at + 1 + lex.after]
    return frozenset().union(*(lex.starts[w] for w in lex.pattern.findall(reach, overlapped=True)))


def assign(window: str, unit: str, qualifier: str = "exact") -> str | None:
    """The indicator of the number marked ``#`` in ``window`` with ``unit``, or None. A noun after a
    vague number (130多个经济薄弱村) says what is counted, not a registered stock: only exact numbers
    take an indicator from a cue after them."""
    hash_at = window.index("#")
    best: tuple[int, int, str] | None = None
    present = words_in(window, unit)
    for rule in rules_for(unit):
        if rule.words is not None and rule.words.isdisjoint(present):
            continue  # it cannot match here
        for m in _matches(rule, window, hash_at, qualifier):
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


def _matches(rule: Rule, window: str, hash_at: int, qualifier: str) -> list:
    """The rule's matches that hold the # at ``hash_at``: a pattern beginning with # can only match there,
    one ending with # only up to there, and none starts further before it than its width."""
    if rule.anchor == "start":
        m = rule.pattern.match(window, hash_at) if qualifier == "exact" else None
        return [m] if m else []
    end = hash_at + 1 if rule.anchor == "end" else len(window)
    return list(rule.pattern.finditer(window, max(0, hash_at - rule.width + 1), end, overlapped=True))


def same_theme(a: str, b: str) -> bool:
    return taxonomy()[a]["theme"] == taxonomy()[b]["theme"]
