"""Read what a figure measures from the words around it, and say how sure the reading is.

A figure is read as four things, each from vocabulary in ``data/``:

- the **object** (what is counted: 贫困户, 脱贫人口, 监测对象, 衔接资金 …) from ``indicator_objects.csv``: the
  noun nearest before the figure in its clause, or the noun phrase right after it (the last noun of that
  phrase is its head: N户贫困户房屋改造 counts renovations);
- the **aspect** (what happened to it: a stock, a flow 脱贫/减贫, remaining 剩余, a change 增长, an average 年均,
  a fall to a level 降至 (of the poor: those remaining), every one out 全部摘帽 (a stock of the exited), a target
  计划 unless met 目标全面完成 …) and the **time** aspect (当年 flow, 累计 running total, a year) from
  ``indicator_aspects.csv``, the keys table's row order deciding which wins;
- **whose** it is (the register 建档立卡, the survey 国家统计局, all rural residents 农村居民, a budget level 县级 …)
  from ``indicator_whose.csv`` and from the objects before the head (脱贫户人均纯收入: the lifted's income).

The key is the first row of ``indicator_keys.csv`` that fits (object, aspect, time, whose, unit). The reading
is **high** confidence when the object is in the figure's own clause (or the clause has nothing but aspect
words, 增幅达9.8%, and continues the clause before), the row is not marked low, whatever whose the row needs
was found in the object's clause, and no other object in the clause competes; otherwise **low**: the
extractor keeps its guess as ``indicator_candidate`` and abstains.

>>> read_window("全市共有脱贫村#", "count").key
'villages_exited_poverty'
>>> read_window("下达市本级资金32820万元,同比增加#", "yuan").key is None
True
>>> r = read_window("2016年脱贫#", "household"); (r.key, r.confidence)
('lifted_households_annual', 'high')
"""
from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass, field
from functools import cache

import regex

from etl.claims import timeref
from etl.reading.budget import check
from etl.tables import DATA, rows

BEFORE, AFTER = 80, 30  # characters before and after a figure's list that cues are read from
AFTER_GAP = 2  # a noun right after the figure (N户贫困户, 向N户发放小额贷款) starts at most this far from it
AFTER_REACH = 4  # ... and at most this far when aspect words come between (N名剩余贫困人口)
AFTER_VERB = "noun after the figure, then a verb"
NEAR = 2  # a noun this close before the figure beats one after it
FILLER = set("全县市省区乡镇村州旗盟共有计为是达到了的其中总计合")  # words a bare clause may hold besides cues
PINYIN = set("()abcdefghijklmnopqrstuvwxyzāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü")  # glosses some pages add: 统(tǒng)
GAP_FREE = FILLER | set("0123456789. \u3000") | PINYIN
# aspects after the figure in its clause that count (N户贫困户全部脱贫)
AFTER_ASPECTS = {"exit", "remaining", "target", "new", "cleared", "work", "admit", "means", "receive", "join"}
TIME_ASPECTS = {"flow", "cumulative", "point", "year", "yearend", "span"}
IMPLY_POOR = {"exit", "reduce", "remaining"}  # aspects that, alone, speak of the poor
AFTER_ONLY = {"admit"}  # 将N户纳入监测对象: read only after the figure
PEOPLE_UNITS = ("household", "person")
PEOPLE = {"poor", "lifted", "monitored", "dibao", "labour", "mixed", "rural_poor"}
SHARING = PEOPLE | {"poor_village"}  # objects whose verbless clause shares the remaining said before it
OWN_FIRST = {"funding_part"}  # objects that are their own whose (a budget level)
OWNED = {"income", "earnings", "covered"}  # objects whose owner may be named in an earlier clause
STICKY = {"subset"}  # a whose that holds for every noun after it in its clause
SENTENCE_WHOSE = {"survey"}  # a whose that holds for the sentence (经国家统计局核定,全省贫困人口…)
NEUTRAL = {"have", "compare", "level", "fall", "ensure", "rate", "receive"}  # aspect words that leave a figure a stock
# (a fall to a level, 降至/减少到, of the poor: those remaining)
FAR = 6  # more characters than this (not cues, not filler) between a noun and the figure: low confidence
PER_UNIT = regex.compile(r"每(?:一)?个?$")  # 每个贫困村均有N个…: what each one has, not how many there are
CONJUNCTION = regex.compile(r"[和及、]")
# 为N名脱贫人口…, 向N户发放…: those the measure reached; 在N个贫困县开展…: where it was done
PREPOSITION = regex.compile(r"(?:累计|共|全年|今年|还|并|同时)?(?:为|向|给|将|在)[^，,；;\d]{0,6}")
ENSURED = regex.compile(r"增长|提高|达到|稳定在|控制在|不低于|保持在|增加")
DESTINATION = regex.compile(r"(?:到|赴)[^，,；;\d]{1,6}?(?:务工|就业)")
GLOSS = regex.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")
ALL_BEFORE = regex.compile(r"(?:全部|均已?|都已?|全面)[“\"]?(?:实现)?[“\"]?$")
OTHERS = regex.compile(r"(?:其他|其它|其余|另外)的?$")
CLAUSE_END = regex.compile(r"[，,；;。:：！!？?]")
PROGRAMS = {"microcredit", "education_funds", "consumption"}  # objects whose beneficiaries have a key
STOPS = "，,；;。:：！!？?"
# 2020年底 (2020年年底 too); 2013年至去年, 2014年至今: running totals too
YEAR = (r"(?P<pre>截至|截止|至|到)?\d{4}(?:年?(?P<span>[至到—\-~－～]{1,2})\d{4})?年"
        r"(?:年?(?P<end>底|末|初))?(?P<since>以来|至今|[至到](?:去年|上年))?")
# 2018年是脱贫攻坚战打响以来成效最明显的一年: the year's own account follows (its 以来 describes the year)
YEAR_FRAME = r"\d{4}年是[^。；;\n\d]{0,40}?(?:的一年|之年)"
YEARS = r"(?<![\d.])\d{1,2}年(?:累计|共)?(?=来?(?:减贫|脱贫|减少))"  # 5年减贫, 3年累计脱贫: a span of years


@dataclass(frozen=True)
class Cue:
    surface: str
    object: str = ""
    whose: str = ""
    aspect: str = ""


class Tok:
    """A word found in the text: ``kind`` "cue" (a vocabulary word), "time" (a year) or "stop" (a clause end)."""

    __slots__ = ("start", "end", "kind", "cue", "time")

    def __init__(self, start: int, end: int, kind: str, cue: Cue | None = None, time: str = ""):
        self.start, self.end, self.kind, self.cue, self.time = start, end, kind, cue, time


@dataclass
class Reading:
    key: str | None  # the indicator when sure, else None
    candidate: str | None  # the best guess
    confidence: str  # "high" or "low"
    evidence: dict = field(default_factory=dict)


@cache
def round_words() -> tuple[str, ...]:
    """Measure words of rounds (届, 批: indicator_rounds.csv): a figure counted in them counts the times
    something was done (22届工作队), not the things, so its reading is no more than a guess."""
    return tuple(r["surface"] for r in rows("indicator_rounds"))


def in_rounds(reading: Reading, mention: str) -> Reading:
    """``reading`` made unsure when the figure is counted in rounds."""
    if reading.key is None or not mention.endswith(round_words()):
        return reading
    ev = {**reading.evidence, "low": [*reading.evidence.get("low", []), f"counted in rounds ({mention[-1]})"]}
    return Reading(None, reading.key, "low", ev)


@cache
def subject_words() -> tuple[str, ...]:
    """Whole places named as a clause's subject (全县, 全市: indicator_subjects.csv): an owner named in an earlier
    clause does not carry over them."""
    return tuple(r["surface"] for r in rows("indicator_subjects"))


@cache
def taxonomy() -> dict[str, dict[str, str]]:
    """Indicator key -> its row (theme, names, unit, definition, region levels)."""
    return {r["key"]: r for r in rows("indicators")}


@cache
def annual_keys() -> frozenset[str]:
    """The keys of a whole year's income (per capita, growth): a figure for part of a year is none of them."""
    return frozenset(k for k, r in taxonomy().items() if r["theme"] == "income")


def fits_level(key: str, level: str | None) -> bool:
    """Whether indicator ``key`` can describe a region of ``level`` (any level when the taxonomy names none,
    or when the level is unknown): a city's own budget is not a county's.

    >>> fits_level("funding_city", "county"), fits_level("funding_city", "prefecture"), fits_level("funding_city", None)
    (False, True, True)
    """
    levels = taxonomy()[key]["region_levels"]
    return not levels or level is None or level in levels.split("|")


def same_theme(a: str, b: str) -> bool:
    return taxonomy()[a]["theme"] == taxonomy()[b]["theme"]


@cache
def vocabulary() -> dict[str, Cue]:
    """Surface -> cue, from the objects, aspects and whose files (an object's row wins a shared surface)."""
    vocab: dict[str, Cue] = {}
    for r in rows("indicator_whose"):
        vocab[r["surface"]] = Cue(r["surface"], whose=r["whose"])
    for r in rows("indicator_aspects"):
        vocab[r["surface"]] = Cue(r["surface"], aspect=r["aspect"])
    for r in rows("indicator_objects"):
        vocab[r["surface"]] = Cue(r["surface"], r["object"], r["whose"], r["aspect"])
    return vocab


@cache
def key_rows() -> tuple[dict[str, str], ...]:
    return rows("indicator_keys")


@cache
def _scanner() -> re.Pattern:
    """One pattern for clause ends, years and every vocabulary word (a trie: the longest word wins)."""
    words = list(vocabulary())
    first = re.escape("".join(sorted({w[0] for w in words} | set(STOPS + "截至到0123456789"))))
    return re.compile(rf"(?=[{first}])(?:(?P<stop>[{STOPS}])|(?P<frame>{YEAR_FRAME})|(?P<year>{YEAR})"
                      rf"|(?P<years>{YEARS})|(?P<cue>{trie_pattern(words)}))")


def trie_pattern(words: list[str]) -> str:
    """A regular expression matching any of ``words``, the longest at a position first, shaped as a trie
    (one branch per shared prefix) so that a scan tries few alternatives at each character.

    >>> p = re.compile(trie_pattern(["脱贫", "脱贫户", "贫困"])); [m.group() for m in p.finditer("脱贫户和贫困")]
    ['脱贫户', '贫困']
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        kids = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not kids:
            return ""
        body = kids[0] if len(kids) == 1 else "(?:" + "|".join(kids) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


@cache
def _cue_times() -> dict[str, tuple[Cue, str]]:
    """Surface -> (cue, its time aspect or "")."""
    return {w: (c, c.aspect if c.aspect in TIME_ASPECTS else "") for w, c in vocabulary().items()}


def _has_traditional(text: str) -> bool:
    return _traditional_chars().search(text) is not None


@cache
def _traditional_chars() -> re.Pattern:
    return re.compile("[" + re.escape("".join(map(chr, _traditional()))) + "]")


@cache
def _traditional() -> dict[int, str]:
    with (DATA / "indicator_traditional.csv").open(encoding="utf-8", newline="") as f:
        return {ord(r["traditional"]): r["simplified"] for r in csv.DictReader(f)}


class Cues:
    """The cue words of a whole text, scanned once (traditional characters read as simplified)."""

    def __init__(self, norm: str, spans: list[tuple[int, int]] | None = None,
                 names: list[tuple[int, int]] = ()):
        """Scan ``norm``, or only its ``spans`` (in order, not overlapping: the sentences that hold figures,
        the only places a reading looks at); a word inside a place's name (``names``, in order: 县区 in 赣县区)
        is not read."""
        vocab = _cue_times()
        self.text = norm.translate(_traditional()) if _has_traditional(norm) else norm
        self.toks: list[Tok] = []
        plain, at = self.text, None
        if "(" in plain and GLOSS.search(plain):  # 監(jiān)測對象: a page's pinyin glosses, read through
            at = [i for i, _ in enumerate(plain)]
            keep = [True] * len(plain)
            for g in GLOSS.finditer(plain):
                keep[g.start():g.end()] = [False] * (g.end() - g.start())
            at = [i for i in at if keep[i]] + [len(plain)]
            plain = "".join(ch for ch, k in zip(plain, keep, strict=True) if k)
        self._at = at  # offsets in the text of the characters read (None: every character is read)
        toks = self.toks
        append = toks.append
        scanner = _scanner()
        parts = spans if spans is not None and at is None else [(0, len(plain))]
        for m in (m for a, b in parts for m in scanner.finditer(plain, a, b)):
            check()
            if at is not None:
                m = _Moved(m, at)
            group = m.lastgroup
            if group == "cue":
                cue, time = vocab[m.group()]
                append(Tok(m.start(), m.end(), "cue", cue, time))
            elif group == "frame":
                append(Tok(m.start(), m.end(), "time", time="year"))
            elif group == "years":  # 5年减贫N人: the total of a span of years, no one year's flow
                append(Tok(m.start(), m.end(), "time", time="span"))
            elif group == "stop":
                start = m.start()
                append(Tok(start, start + 1, "stop"))
            else:
                time = ("cumulative" if m["span"] or m["since"] else "point" if m["pre"]
                        else "yearend" if m["end"] in ("底", "末") else "year")  # 2020年底: as of the year's end
                if plain.startswith("的", m.end()) and not m["pre"]:
                    time = ""  # 增至2020年的11800元: the year of that figure only, no time for the clauses after
                append(Tok(m.start(), m.end(), "time", time=time))
        if names:
            name_starts = [a for a, _ in names]

            def in_name(t: Tok) -> bool:
                i = bisect.bisect_right(name_starts, t.start) - 1
                return i >= 0 and t.end <= names[i][1]
            self.toks = toks = [t for t in toks if t.kind != "cue" or not in_name(t)]
        self.starts = [t.start for t in self.toks]
        self.names = names
        self.memo: dict = {}

    def back(self, pos: int, n: int) -> int:
        """The offset ``n`` characters read before ``pos`` (a pinyin gloss, 统(tǒng), is not read)."""
        if self._at is None:
            return pos - n
        return self._at[max(0, bisect.bisect_left(self._at, pos) - n)]

    def ahead(self, pos: int, n: int) -> int:
        """The offset ``n`` characters read after ``pos``."""
        if self._at is None:
            return pos + n
        return self._at[min(len(self._at) - 1, bisect.bisect_left(self._at, pos) + n)]

    def named(self, lo: int, hi: int) -> int:
        """How many characters of text[lo:hi] are in a place's name."""
        return sum(max(0, min(b, hi) - max(a, lo)) for a, b in self.names if a < hi and b > lo)

    def between(self, lo: int, hi: int) -> list[Tok]:
        i = bisect.bisect_left(self.starts, lo)
        j = bisect.bisect_left(self.starts, hi)
        return [t for t in self.toks[i:j] if t.end <= hi]


class _Moved:
    """A match on the text without glosses, with its offsets in the text with them."""

    def __init__(self, m: re.Match, at: list[int]):
        self.m, self.at = m, at

    def __getitem__(self, name: str):
        return self.m[name]

    @property
    def lastgroup(self) -> str | None:
        return self.m.lastgroup

    def group(self) -> str:
        return self.m.group()

    def start(self) -> int:
        return self.at[self.m.start()]

    def end(self) -> int:
        return self.at[self.m.end() - 1] + 1


def scan(norm: str, spans: list[tuple[int, int]] | None = None, names: list[tuple[int, int]] = ()) -> Cues:
    return Cues(norm, spans, names)


def read(cues: Cues, span: tuple[int, int], sentence: tuple[int, int], unit: str,
         qualifier: str = "exact", skip: list[tuple[int, int]] | None = None) -> Reading:
    """The reading of the figure (or list of figures) at ``span`` in its ``sentence``; cues inside the
    ``skip`` spans (brackets before the figure) are not read. The figures of one list share their reading
    of the words (computed once); the unit then picks the key."""
    memo = (span, sentence, qualifier, unit in PEOPLE_UNITS)
    seen = cues.memo.get(memo)
    if seen is None:
        seen = cues.memo[memo] = _words(cues, span, sentence, unit in PEOPLE_UNITS, qualifier, skip)
    w = seen
    row = _row(w.obj, w.aspects, w.time, w.whose, unit)
    low = list(w.low)
    key = row["key"] if row and row["key"] else None
    if key and row["unit"] == "*" and taxonomy()[key]["unit"] != unit:
        key = None
    if row and row["confidence"] == "low":
        low.append("row marked low")
    if key and row["whose"] != "*" and w.whose_from == "carried":
        low.append("whose from an earlier clause")
    ev = dict(w.evidence)
    aspect = row["aspect"] if row and row["aspect"] != "*" else "stock"
    ev["aspect"] = aspect
    tok = w.aspects.get(aspect)
    if tok is not None:
        ev["aspect_cue"] = cues.text[tok.start:tok.end]
    ev["rule"] = "keys:" + ",".join(row[c] for c in ("object", "aspect", "time", "whose", "unit")) if row else "none"
    if low:
        ev["low"] = low
    if key is None:
        return Reading(None, None, "high", ev)
    if low:
        return Reading(None, key, "low", ev)
    return Reading(key, key, "high", ev)


@dataclass
class _Words:
    obj: str
    aspects: dict
    time: str
    whose: str
    whose_from: str
    low: list[str]
    evidence: dict


def _words(cues: Cues, span: tuple[int, int], sentence: tuple[int, int], people: bool, qualifier: str,
           skip: list[tuple[int, int]] | None) -> _Words:
    """What the words around the figure say, whatever its unit (``people``: counted in 户 or 人)."""
    g0, g1 = span
    s0, s1 = sentence
    text = cues.text
    before = cues.between(max(s0, cues.back(g0, BEFORE)), g0)
    if skip:
        before = [t for t in before if not any(a <= t.start < b for a, b in skip)]
    after = cues.between(g1, min(s1, cues.ahead(g1, AFTER)))
    if text[g1:g1 + 1] in ("(", "（"):  # 贫困村1448个(含新识别贫困村382个): an aside after the figure is not read
        close = min((i for i in (text.find(")", g1, s1), text.find("）", g1, s1)) if i >= 0), default=g1)
        after = [t for t in after if t.start > close]
    clause_lo = next((t.end for t in reversed(before) if t.kind == "stop"), max(s0, cues.back(g0, BEFORE)))
    opened = _open_bracket(text, clause_lo, g0)
    if opened is not None:
        clause_lo = opened  # 48.58亿元(中央37.16亿元、…): a figure in brackets reads from the bracket on
    own = [t for t in before if t.start >= clause_lo]
    earlier = [t for t in before if t.start < clause_lo]
    post = _until_stop(after)
    low: list[str] = []

    head, source, low_head = _head(text, own, post, g0, g1, qualifier)
    low += low_head
    if head is None and people and _imply_poor(own, post):
        source = "implied"  # 2016年脱贫39户: the poor are implied
    elif head is None:
        head = next((t for t in reversed(earlier) if t.cue and t.cue.object
                     and not _in_aside(text, s0, t.start, g0)), None)
        if head is not None:
            source = "carried"
            if OTHERS.search(text, max(clause_lo, g0 - 4), g0):
                low.append("the others, not those named before")  # 5个贫困县,其他6个县…: not the object
            elif _gap(text, own, clause_lo, g0, skip) > 1:
                low.append("object from an earlier clause")
            elif _own_noun(text, post, g1):
                low.append("the figure has a noun of its own")
            elif _past_other_item(text, earlier, head.end, clause_lo):
                low.append("object of an earlier item")
    time, time_tok = _time(text, g1, own, earlier, post)
    aspects = _aspects(text, own, post, _until_stop(after, 2), earlier, head if source == "before" else None,
                       clause_lo, (g0, g1), time)
    if source == "carried" and "stock" in aspects:  # 贫困村逐年出列:2015年46个,2016年152个
        lo = _clause_start([t for t in earlier if t.start < head.start])
        carried = [t for t in earlier if t.start >= lo and t.kind != "stop"]
        aspects = _aspects(text, carried, [], [], [], head, lo, (head.start, head.start), time)
    obj = head.cue.object if head else ("poor" if source == "implied" else "none")
    if "beneficiary" in aspects:
        prev = [t for t in earlier if t.start >= _clause_start(earlier[:-1])]
        program = next((t for t in [*reversed(prev + own), *post] if t.cue and t.cue.object in PROGRAMS), None)
        if program is not None:  # 为N户发放扶贫小额贷款: the verb after the noun is the programme's
            obj, head = program.cue.object, program
            low = [r for r in low if r != AFTER_VERB]
    receipt = aspects.get("receive")
    if receipt is not None and source == "after":  # N户贫困户获得小额信贷: the programme's beneficiaries
        program = next((t for t in post if t.start > receipt.start and t.cue and t.cue.object in PROGRAMS), None)
        if program is not None:
            obj, head = program.cue.object, program
    if source == "before" and head is not None and obj == head.cue.object \
            and _gap(text, own, head.end, g0, skip) > FAR:
        low.append("object far from the figure")
    if head is not None and source in ("before", "after") and CONDITION.search(text, clause_lo, head.start):
        low.append("a part by a condition")  # 贫困发生率在25%以上的贫困村38个: those villages only
    elif source == "before" and obj in PEOPLE and text[head.start - 1:head.start] == "的" \
            and _gap(text, own, clause_lo, head.start - 1) - cues.named(clause_lo, head.start) >= RELATIVE \
            and not WHOLE_CLAUSE.search(text, clause_lo, head.start):
        low.append("a part by what it does")  # 发展特色产业的贫困户615户: those households only
    whose, whose_tok, whose_from = _whose(head, own, earlier, post, obj)
    if whose_from in ("previous", "carried") and any(w in text[clause_lo:head.start] for w in subject_words()):
        whose, whose_tok, whose_from = "none", None, ""  # …贫困人口N人，全县人均可支配收入: the county's own
    ev: dict = {}
    if head is not None:
        ev["object"] = text[head.start:head.end]
    if source:
        ev["object_from"] = source
    if time:
        ev["time"] = time
        ev["time_cue"] = text[time_tok.start:time_tok.end]
    if whose != "none":
        ev["whose"] = whose
        ev["whose_cue"] = text[whose_tok.start:whose_tok.end] if whose_tok else ""
    return _Words(obj, aspects, time, whose, whose_from, low, ev)


def _past_other_item(text: str, toks: list[Tok], lo: int, hi: int) -> bool:
    """Whether a semicolon in text[lo:hi] opens an item whose figure has a noun of no known word right before
    it (人均纯收入增长9.8%;规模以上工业总产值8.7亿元,增长15%: the 15% is the output's, not the income's; not
    …小额信贷1.38亿元;截至年底累计发放9.76亿元,累计惠及2.08万户)."""
    semi = max(text.rfind("；", lo, hi), text.rfind(";", lo, hi))
    figure = DIGIT.search(text, semi + 1, hi) if semi >= 0 else None
    if figure is None:
        return False
    said = max((t.end for t in toks if semi < t.end <= figure.start()), default=semi + 1)
    return _gap(text, [], said, figure.start()) > 2


def _open_bracket(text: str, lo: int, hi: int) -> int | None:
    """Offset just after a bracket opened in text[lo:hi] and not closed there, if any."""
    at = max(text.rfind("(", lo, hi), text.rfind("（", lo, hi))
    if at < 0 or max(text.rfind(")", at, hi), text.rfind("）", at, hi)) >= 0:
        return None
    return at + 1


def _in_aside(text: str, lo: int, pos: int, g0: int) -> bool:
    """Whether ``pos`` is in brackets closed before the figure at ``g0`` (…30户(其中边缘易致贫户18户),已消除风险16户:
    the aside's noun is not what the later figure counts)."""
    return _open_bracket(text, lo, pos) is not None and _open_bracket(text, lo, g0) is None


def _until_stop(toks: list[Tok], n: int = 1) -> list[Tok]:
    """The tokens before the n-th clause end."""
    stops = 0
    for i, t in enumerate(toks):
        stops += t.kind == "stop"
        if stops == n:
            return toks[:i]
    return toks


def _clause_start(toks: list[Tok]) -> int:
    return next((t.end for t in reversed(toks) if t.kind == "stop"), -1)


def _head(text: str, own: list[Tok], post: list[Tok], g0: int, g1: int,
          qualifier: str) -> tuple[Tok | None, str, list[str]]:
    """The object the figure counts: (token, "before"/"after", reasons to doubt it). A noun right before
    the figure wins (unless 的 joins them and a noun of no key follows: 重点县的12家帮扶单位); then the noun
    phrase right after it (its last noun: N户贫困户房屋改造); then the nearest noun before it in its clause.
    A noun joined to the figure by 和/及/、 (8个贫困县和48个…) is the figure's before it."""
    objs = [t for t in own if t.cue and t.cue.object and not PER_UNIT.search(text, max(0, t.start - 3), t.start)]
    near = objs[-1] if objs else None
    if near is not None and CONJUNCTION.fullmatch(text, near.end, g0):
        near = None
    possessive = near is not None and text[near.end:g0] == "的"  # 联系重点县的12家帮扶单位: the noun after counts
    if near is not None and g0 - near.end <= NEAR and not possessive:
        return near, "before", []
    chain: list[Tok] = []
    if qualifier == "exact" and text[g1:g1 + 1] not in "(（":
        at = g1
        for t in post:
            if t.kind != "cue" or t.start - at > AFTER_GAP or _has_digit(text, at, t.start) or "、" in text[at:t.start]:
                break  # (not across 、: 31.2万人、出列贫困村260个 is the next item's noun)
            if chain and (not t.cue.object or t.start > at):
                break  # the phrase is nouns side by side: N户建档立卡贫困户房屋改造
            if t.cue.object:
                if not chain and t.start - g1 > AFTER_REACH:
                    break
                chain.append(t)
            at = t.end
    if possessive and not (chain and chain[-1].cue.object == "other"):
        return near, "before", []  # (需改造的10284户建档立卡户: what the 的 phrase says of them counts)
    if chain:
        head = chain[-1]
        rest = [t for t in post if t.start >= head.end]
        doubt = []
        if head.cue.object in PEOPLE and not any(t.cue and t.cue.aspect in ("remaining", "exit")
                                                   for t in own + rest):
            if _gap(text, rest, head.end, _end_of(text, head.end)) > 2:
                doubt.append(AFTER_VERB)
        return head, "after", doubt
    if near is not None and text[near.start - 1:near.start] != "在":  # 在贫困县新建文化广场N个: where, not what
        return near, "before", []
    return None, "", []


def _own_noun(text: str, post: list[Tok], g1: int) -> bool:
    """Whether words that are no cue follow the figure (11个“直过民族”…): it counts something of its own."""
    at = g1
    while at < len(text) and text[at] in "“”\"'《 ":
        at += 1
    first = post[0] if post else None
    if first is not None and first.start <= at + 1 and first.kind == "cue":
        return bool(first.cue.object)  # 近3万名党员干部…: its own noun
    return at < len(text) and "\u4e00" <= text[at] <= "\u9fff" and text[at] not in FILLER


def _end_of(text: str, at: int, reach: int = 1000) -> int:
    """Where the clause running at ``at`` ends (looked for at most ``reach`` characters on)."""
    m = CLAUSE_END.search(text, at, at + reach)
    return m.start() if m else min(len(text), at + reach)


DIGIT = re.compile(r"\d")
# A threshold right before the object (20%以上的贫困村, 低于4000元的脱贫户): the figure counts a part of them.
CONDITION = regex.compile(r"(?:[\d.]+\s*(?:%|元|万元|岁|亩|户|人)?\s*(?:及?以上|及?以下|以内)"
                          r"|(?:高于|低于|超过|不足|不到)\s*[\d.]+\s*(?:%|元|万元|岁|亩|户|人)?)的$")


def condition_at(text: str, start: int, end: int) -> int | None:
    """Where the 的 ends when the figure at text[start:end] is such a threshold itself (20%以上的, 低于4000元的)."""
    de = text.find("的", end, end + 4)
    m = CONDITION.search(text, max(0, start - 4), de + 1) if de >= 0 else None
    return de + 1 if m and m.start() <= start else None


def _has_digit(text: str, a: int, b: int) -> bool:
    return a < b and DIGIT.search(text, a, b) is not None


def _gap(text: str, toks: list[Tok], lo: int, hi: int, skip: list[tuple[int, int]] | None = None) -> int:
    """Characters in text[lo:hi] that are neither cue words, nor filler, digits, nor in the ``skip`` spans."""
    spans = sorted([(t.start, t.end) for t in toks if t.end > lo and t.start < hi] + list(skip or ()))
    n, at = 0, lo
    for a, b in [*spans, (hi, hi)]:
        if a > at:
            n += sum(1 for ch in text[at:min(a, hi)] if ch not in GAP_FREE)
        at = max(at, b)
        if at >= hi:
            break
    return n


def _imply_poor(own: list[Tok], post: list[Tok]) -> bool:
    return any(t.cue and t.cue.aspect in IMPLY_POOR for t in own + post)


def _aspects(text: str, own: list[Tok], post: list[Tok], after: list[Tok], earlier: list[Tok],
             head: Tok | None, clause_lo: int, span: tuple[int, int], time: str) -> dict[str, Tok | None]:
    """The aspects of the figure at ``span``, for the keys table to choose from: the aspect
    words of its clause before it, and those after it that tell what happened (N户全部脱贫). A change counts
    only when it is the last change-or-level word before the figure and comes after its object; a
    beneficiary only before the object; remaining then lifted (剩余的N人,全部脱贫) is "remaining_exit" unless
    the time is a point (目前剩余…)."""
    g0, g1 = span
    found: dict[str, Tok | None] = {}
    for t in own:
        if t.cue and t.cue.aspect and t.cue.aspect not in TIME_ASPECTS and t.cue.aspect not in AFTER_ONLY:
            if t.cue.aspect == "target" and _not_an_aim(text, t) \
                    or t.cue.aspect == "restated" and text[t.end:g0].strip():
                continue  # (这 restates only the figure right after it: 这9个县累计退出…N个 is no restatement)
            if t.cue.aspect == "beneficiary":
                found.setdefault("beneficiary", t)
            else:
                found[t.cue.aspect] = t
    unit = text[g1 - 1]
    for t in post:
        if t.cue is None:
            continue
        if _later_figure(text, g1, t, unit):
            continue  # 1778个贫困村共出列1678个, 28个贫困县中15个摘帽: the verb is the later figure's
        # a task named after the figure (N户改造任务) is what was to be done
        aspect = "target" if text.endswith("任务", t.start, t.end) else t.cue.aspect
        if aspect in AFTER_ASPECTS:
            if aspect == "target" and "remaining" in found:
                continue  # 剩余28个预计在今年出列: the plan is for those remaining, still a stock
            if aspect == "target" and (TASK_DONE.search(text, clause_lo, g0) or TARGET_MET.match(text, t.end)
                                       or MET_AFTER.fullmatch(text, g1, t.start)):
                continue  # 完成1.2万人脱贫任务, 67户改造任务全面完成, N人实现脱贫目标: the task done
            found.setdefault(aspect, t)
    target = _earlier_target(text, earlier, clause_lo, own)
    if target is not None:
        found.setdefault("target", target)
    changes = [t for t in own if t.cue and t.cue.aspect in ("change", "level", "fall")]
    if "change" in found and (changes[-1].cue.aspect != "change" or (head and changes[-1].start < head.end)):
        del found["change"]
    if "beneficiary" in found and head is not None and found["beneficiary"].start > head.start:
        del found["beneficiary"]
    if "ensure" in found and (ENSURED.search(text, found["ensure"].end, g0)
                              or "exit" in found and found["exit"].start > g0):
        found["target"] = found["ensure"]  # 确保…增长N以上, 确保N人脱贫: the figure is the aim
    if DESTINATION.search(text, clause_lo, g0):
        found["destination"] = None  # 转移贫困劳动力到福建务工N人: one destination's share
    if PREPOSITION.fullmatch(text, clause_lo, g0):
        found["beneficiary"] = None  # 为N名脱贫人口…, 向N户发放…: those the measure reached
    after_exit = None
    stop = next((t.start for t in after if t.kind == "stop"), None)
    for t in after:  # up to a plan, a negation or another clause's figure: 剩余N户,2018年计划脱贫…
        if t.cue and t.cue.aspect in ("target", "negated") or (stop and t.start > stop
                                                              and _has_digit(text, stop, t.start)):
            break
        if t.cue and t.cue.aspect in ("exit", "reduce"):  # 剩余N人…全部脱贫, 完成剩余N人年度减贫任务
            de = text.find("的", g0, t.start)
            if (de < 0 or de == t.start - 1) and not EXPECTED.search(text, g1, t.start):
                after_exit = t  # (not 剩余N人的“两不愁三保障”指标达标: their things' exit; not 剩余N人今年可以
            break  # 实现脱贫: those still poor, expected to exit)
    if "new" in found and "work" in found:
        found["new_work"] = found["new"]  # 新增转移就业N人: those newly in work this year, not all in work
    for t in (found.get("exit"), after_exit):  # 36个贫困县全部摘帽: every one is out, a stock of the exited
        if t is not None and ALL_BEFORE.search(text, max(clause_lo, t.start - 8), t.start):
            found["all_exit"] = t
    if "remaining" in found and after_exit is not None and time != "point":
        found["remaining_exit"] = found["remaining"]
    if not set(found) - NEUTRAL and head is not None and head.cue.object in SHARING and own and own[0] is head:
        said = next((t for t in reversed(earlier) if t.cue and t.cue.aspect
                     and t.cue.aspect not in NEUTRAL | TIME_ASPECTS), None)
        if said is not None and said.cue.aspect == "remaining" and _has_digit(text, said.end, clause_lo):
            found["remaining"] = said  # 尚有贫困村50个,贫困人口2.7万人: a clause of a noun and its figure shares
            # the verb said last in its sentence (还有未摘帽县13个,…;贫困村1448个)
    if not set(found) - NEUTRAL and head is not None and head.cue.object == "poor" \
            and not TOTAL.search(text, clause_lo, g0):
        done = _people_exit(text, earlier, clause_lo)
        if done is not None:
            found["after_exits"] = done  # 累计减贫282户…,现有建档立卡贫困户538户: those still poor, or the
            # register with the lifted in it
    if not set(found) - NEUTRAL:
        found["stock"] = None  # nothing happened to it: a stock (or a level)
    return found


def _people_exit(text: str, earlier: list[Tok], hi: int) -> Tok | None:
    """The last exit or reduction said earlier in the sentence, when its clause counts people (累计减贫282户…;
    not 2019年退出6个 villages)."""
    done = next((t for t in reversed(earlier) if t.cue and t.cue.aspect in ("exit", "reduce")), None)
    if done is None:
        return None
    lo = max((t.end for t in earlier if t.kind == "stop" and t.end <= done.start), default=earlier[0].start)
    return done if PEOPLE_FIGURE.search(text, lo, hi) else None


def _later_figure(text: str, g1: int, t: Tok, unit: str) -> bool:
    """Whether the word ``t`` after the figure ending at ``g1`` tells of another figure counted in the same
    ``unit``: one between them (28个贫困县中15个实现摘帽), or one right after the word (共出列1678个). The figure
    before is the whole the later one is part of."""
    if unit.isdigit():
        return False  # (a figure whose unit is elided: 93708贫困人口)
    between, right_after = _figure_in(unit)
    gap = text[g1:t.start]
    if "(" in gap or "（" in gap:
        gap = BRACKETED.sub("", gap)  # 101个贫困村(含19个深度贫困村)全部退出: an aside's figure is no later one
    return between.search(gap) is not None or right_after.match(text, t.end) is not None


@cache
def _figure_in(unit: str) -> tuple[regex.Pattern, regex.Pattern]:
    """A figure counted in ``unit`` anywhere, and one right after a verb (了/共 between)."""
    figure = rf"\d[\d.]*[万亿]?{regex.escape(unit)}"
    return regex.compile(figure), regex.compile(rf"[了共的]{{0,2}}{figure}")


def _earlier_target(text: str, earlier: list[Tok], clause_lo: int, own: list[Tok]) -> Tok | None:
    """A target word in an earlier clause of the sentence governs the figures after it (确定目标要实现…,
    贫困发生率下降到N), unless a colon closes it (目标任务是:确保已退出的N个贫困村…) or the figure's clause names
    a year's end of its own (…任务将如期完成,全县贫困发生率由2017年底的3.1%降至2018年底的0.9%: a result)."""
    if any(t.kind == "time" and text[t.end - 1] in "底末" and text[t.start] not in "截至到" for t in own):
        return None  # (到2020年底… is an aim's date, not a result's)
    for t in reversed(earlier):
        if t.kind == "stop" and text[t.start] in ":：":
            return None
        if t.cue and t.cue.aspect == "target" and not _not_an_aim(text, t) \
                and not PLAN_MET.search(text, t.end, clause_lo):
            return t
    return None


# 按照/根据 …计划 names the plan a result was measured against (严格按照…减贫计划,…实现脱贫N户), not an aim.
PLAN_REFERENCE = r"(?:按照|根据|依照|对照)[^，,。；;:：]{0,30}"  # extract.TARGET shares it
PLAN_FOLLOWED = regex.compile(PLAN_REFERENCE + "$")


# 计划…, 经核查已达到标准: a plan checked and met in a later clause; the figures after it are results
PLAN_MET = regex.compile(r"[，,；;]\s*经(?:核查|验收|考核|评估|第三方评估)[^，,。；;]{0,6}?"
                         r"(?:已经?|均|全部)?(?:达到|达标|完成|通过)")


# 含…在内的, 核定…的相对贫困户: a clause that takes all in, or defines the register, marks no part
WHOLE_CLAUSE = regex.compile(r"含|包括|在内|核定|识别|认定|建档|登记|评定")
RELATIVE = 4  # words of no cue before 的 and the object that make it a part (发展特色产业的贫困户)
BRACKETED = regex.compile(r"[(（][^)）]*[)）]")
PEOPLE_FIGURE = regex.compile(r"\d[\d.]*\s*万?\s*[户人]")
# 共有/总/累计: a total of the register, lifted included
TOTAL = regex.compile(r"共|总|累计|合计|全部")
# 可以/有望/将 … 脱贫: an exit expected, not done
EXPECTED = regex.compile(r"可以|可望|有望|能够|可(?=实现|全部|如期|脱贫)|将(?!其|之)|预计|力争|确保")


# 目标全面完成, 目标任务已经完成: the aim was met, the figures after it are results.
TARGET_MET = regex.compile(r"(?:任务)?[”\"]?(?:已经?|均|都|全部|全面|圆满|超额|如期|顺利|胜利|基本)+(?:完成|实现|达成)")


# 完成了预期目标, 超额完成年初确定的减贫目标: the same, said before the word (not 完成今年目标后: what will be).
MET_BEFORE = regex.compile(r"(?:(?<!确保|力争|争取|努力|要|将|能)(?:完成|达成)了?|(?:实现|达到)了)"
                           r"[^，,。；;:：\d]{0,8}$")


# N户实现脱贫目标: the aim named after the figure, reached (an aim before it, 力争, is read as the clause's own)
MET_AFTER = regex.compile(r"[^，,。；;:：\d]{0,6}?(?:实现|达到|完成)了?[^，,。；;:：\d]{0,4}")
# 全面完成…N人脱贫任务 (not 超额完成N户改造任务: the task, smaller than what was done)
TASK_DONE = regex.compile(r"(?<!超额)完成了?$")


def _not_an_aim(text: str, t: Tok) -> bool:
    """Whether the target word ``t`` is no aim for the figure: a plan followed (按照…计划) or an aim met."""
    return PLAN_FOLLOWED.search(text, max(0, t.start - 32), t.start) is not None \
        or TARGET_MET.match(text, t.end) is not None \
        or MET_BEFORE.search(text, max(0, t.start - 10), t.start) is not None \
        and not text.startswith(("后", "以后", "之后"), t.end)


def _time(text: str, g1: int, own: list[Tok], earlier: list[Tok], post: list[Tok]) -> tuple[str, Tok | None]:
    """The nearest time word before the figure (its clause first), else one after it in its clause. 已 after a
    plain year of its clause is that year's (2016年已脱贫170户: the year's exits, not a running total). A year
    the clause ties to the figure after it (7户于2020年全部脱贫) beats a time of an earlier clause."""
    tied = next((t for t in post if t.kind == "time" and t.time in ("year", "yearend")
                 and timeref.AFTER_FIGURE.fullmatch(text, g1, t.start)), None)
    clause = own[0].start if own else g1
    for t in reversed(earlier + own):
        if (t.time == "span" or t.time and t.cue and t.cue.surface == "已") and t.start < clause:
            continue  # 经核查已达到标准;可实现脱贫N户: 已 (and 5年减贫) is of its own clause's verb
        if t.time:
            if tied is not None and t.start < clause:
                return tied.time, tied
            if t.cue and t.cue.surface == "已":
                year = next((y for y in reversed(own) if y.start < t.start and y.kind == "time"), None)
                if year is not None and year.time == "year":
                    return year.time, year
            return t.time, t
    for t in post:
        if t.time == "cumulative":
            return t.time, t
    return "", None


def _whose(head: Tok | None, own: list[Tok], earlier: list[Tok], post: list[Tok],
           obj: str) -> tuple[str, Tok | None, str]:
    """Whose the head is: the nearest whose word before it in its clause (all rural residents yield to any
    narrower owner there: 脱贫户农民人均收入), else the head's own, else (for objects that need an owner,
    like income) the nearest in an earlier clause. Returns (whose, token, "clause"/"own"/"previous" (the
    clause before)/"carried"/"")."""
    if head is None:
        return "none", None, ""
    if any(t is head for t in earlier):  # a carried head: its own clause is an earlier one
        lo = _clause_start([t for t in earlier if t.start < head.start])
        own, earlier = [t for t in earlier if lo <= t.start], [t for t in earlier if t.start < lo]
    if obj in OWN_FIRST and head.cue.whose:
        return head.cue.whose, head, "own"  # 其中中央和省级N元、市级M元: 市级 is the part's own level
    mods = [t for t in own + post if t.cue and t.cue.whose and t.start < head.start]
    survey = next((t for t in earlier + mods if t.cue and t.cue.whose in SENTENCE_WHOSE), None)
    if survey is not None:
        return survey.cue.whose, survey, "clause"
    if mods:
        owners = {t.cue.whose for t in mods}
        if {"urban", "rural"} <= owners:  # 城镇、农村居民人均可支配收入分别…: two owners, figures to share out
            return "pair", next(t for t in mods if t.cue.whose == "urban"), "clause"
        sticky = next((t for t in mods if t.cue.whose in STICKY), None)
        if sticky is not None:
            return sticky.cue.whose, sticky, "clause"  # 其中国标以下贫困户N户、贫困人口M人: both a subset
        narrow = [t for t in mods if t.cue.whose != "rural"]
        if narrow and mods[-1].cue.whose == "rural" and obj in OWNED:
            return narrow[-1].cue.whose, narrow[-1], "clause"
        if obj == "money" and head.start - mods[-1].end > 2:
            return "none", None, ""  # 中央和省级农房抗震改造补助资金: money for a purpose
        return mods[-1].cue.whose, mods[-1], "clause"
    if head.cue.whose:
        return head.cue.whose, head, "own"
    if obj in OWNED:  # 建档立卡人口N户已全部脱贫,人均纯收入由…: the owner named in the clause before is sure
        stops = 0
        for t in reversed(earlier):
            stops += t.kind == "stop"
            if t.cue and t.cue.whose:
                return t.cue.whose, t, "previous" if stops <= 1 else "carried"
    return "none", None, ""


def _row(obj: str, aspects: dict, time: str, whose: str, unit: str) -> dict[str, str] | None:
    for r in _rows_for(obj):
        if ((r["aspect"] == "*" or r["aspect"] in aspects) and r["time"] in ("*", time)
                and r["whose"] in ("*", whose) and r["unit"] in ("*", unit)):
            return r
    return None


@cache
def _rows_for(obj: str) -> tuple[dict[str, str], ...]:
    """The keys rows that can fit ``obj``, in the table's order."""
    return tuple(r for r in key_rows() if r["object"] in ("*", obj))


def read_window(window: str, unit: str, qualifier: str = "exact") -> Reading:
    """The reading of the figure marked ``#`` in a one-sentence ``window`` (for examples and tests)."""
    at = window.index("#")
    return read(Cues(window), (at, at + 1), (0, len(window)), unit, qualifier)


def assign(window: str, unit: str, qualifier: str = "exact") -> str | None:
    """The indicator of the figure marked ``#`` in ``window`` when the reading is sure, else None."""
    return read_window(window, unit, qualifier).key


def take(claim: dict, key: str | None, rule: str) -> None:
    """A relation between claims gives ``claim`` the indicator ``key`` (a sure reading: the rule names it)."""
    claim["indicator"] = claim["indicator_candidate"] = key
    claim["confidence"] = "high"
    claim["evidence"]["indicator"] = {**claim["evidence"]["indicator"], "rule": rule}


def drop(claim: dict, rule: str) -> None:
    """A relation takes the indicator away (a part of a whole): the reading is kept as a low candidate."""
    claim["indicator_candidate"] = claim["indicator"] or claim["indicator_candidate"]
    claim["indicator"] = None
    claim["confidence"] = "low"
    claim["evidence"]["indicator"] = {**claim["evidence"]["indicator"], "rule": rule}
