"""Region gazetteer (``data/regions.csv``) and region resolution for documents and claims.

>>> GAZETTEER.standard("郑州")
'郑州市'
>>> GAZETTEER.ancestor("中牟县", "province")
'河南省'
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import regex

from etl.reading.segment import Clauses
from etl.tables import rows

SELF_REFERENCE = regex.compile(r"[我全本](?P<suffix>省|市|县|区|州|旗)")  # 我市, 全省: the document's own region
ANONYMISED = regex.compile(r"(?<![A-Za-z])[X×Ｘ某][省市县区州]")
ISSUER = regex.compile(
    r"(?P<name>[\p{Han}]{2,8}?(?:省|自治区|市|自治州|州|县|区|旗))"
    r"(?:人民政府|扶贫开发办公室|扶贫办|农业农村局|乡村振兴局|农业农村工作委员会|政协|人大常委会|民政局|财政局)"
)
SUBJECT_OPENER = regex.compile(r"[\s　]*(?:其中|在|据)?[\s　]*")
# after a place: it is the helping side (北京市对口帮扶…, 北京市5个区结对帮扶我市)
HELPER_SIDE = regex.compile(r"帮扶|[^，,。；;]{0,6}?(?:对口|结对|东西部|协作)")
DESTINATION_BEFORE = ("向", "到", "赴", "往")  # before a place: where something goes (向广东省输送…)
LIST_JOIN = regex.compile(r"[、和及与]")  # between the places of a list (临泉县、阜南县和颍上县)
NAMED_FIGURE_GAP = ("", "为", "达", "达到", "共", "共有", "有")  # between a place and its own figure
ADMIN_SUFFIXES = tuple("省市县区州旗盟")
NOT_A_PLACE_AFTER = "路街道巷号域"  # 中原路, 振兴区域: not a place
COMPARED_TO = regex.compile(r"(?:高于|低于|超过|快于|慢于|比|较|占)$")  # 高于全省平均, 约占全省的: a yardstick


@dataclass(frozen=True)
class Place:
    """A gazetteer row."""

    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...]


class Gazetteer:
    """Standard names, aliases, levels and parents of China's regions."""

    def __init__(self, places: list[Place]):
        self.places = {p.name: p for p in places}
        self.surface = {p.name: p.name for p in places if p.level != "country"}
        for p in places:
            if p.level == "country":
                continue
            for a in p.aliases:
                self.surface.setdefault(a, p.name)

    @classmethod
    def load(cls) -> Gazetteer:
        return cls([Place(r["name"], r["level"], r["parent"] or None,
                          tuple(a for a in r["aliases"].split("|") if a)) for r in rows("regions")])

    @cached_property
    def _by_first(self) -> tuple[re.Pattern, dict[str, list[str]]]:
        """Where a name can start (a first character a name starts with, then a second one), and the names
        by their first two characters, longest first: finding places is a scan for such starts, then a
        prefix test."""
        by_first: dict[str, list[str]] = {}
        for s in sorted(self.surface, key=lambda s: (-len(s), s)):
            by_first.setdefault(s[:2], []).append(s)
        def chars(at: int) -> str:
            return "[" + "".join(re.escape(c) for c in sorted({k[at] for k in by_first if len(k) > at})) + "]"

        return re.compile(f"(?={chars(0)}{chars(1)})"), by_first

    def standard(self, surface: str) -> str | None:
        """The standard name for a name or alias."""
        return self.surface.get(surface)

    def level(self, name: str) -> str | None:
        place = self.places.get(name)
        return place.level if place else None

    def ancestors(self, name: str) -> list[str]:
        """The region itself, then its parent, grandparent … up to the country."""
        out, seen = [], set()
        while name in self.places and name not in seen:
            out.append(name)
            seen.add(name)
            name = self.places[name].parent or ""
        return out

    def ancestor(self, name: str, level: str) -> str | None:
        """The region at ``level`` that contains ``name`` (itself if it is at that level)."""
        return next((a for a in self.ancestors(name) if self.places[a].level == level), None)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, standard name) of every region named in text[start:end]."""
        end = len(text) if end is None else end
        firsts, by_first = self._by_first
        out: list[tuple[int, int, str]] = []
        pos = start
        for m in firsts.finditer(text, start, end):
            i = m.start()
            if i < pos:
                continue
            candidates = by_first.get(text[i:i + 2])
            if candidates is None:
                continue
            surface = next((s for s in candidates if text.startswith(s, i, end)), None)
            if surface is None:
                continue
            pos = i + len(surface)
            if text[pos:pos + 1] and text[pos] in NOT_A_PLACE_AFTER:
                continue
            if surface != self.surface[surface] and text[pos:pos + 1] in ADMIN_SUFFIXES:
                continue  # 乌蒙山区: an alias (蒙山) followed by another suffix than its own is another place
            out.append((i, pos, self.surface[surface]))
        return out


GAZETTEER = Gazetteer.load()


class Places:
    """The places named in one text, found once, then looked up by span."""

    def __init__(self, text: str):
        self.text = text
        self.found = GAZETTEER.find(text)
        self.starts = [s for s, _, _ in self.found]

    def between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, name) of the places named within text[start:end]."""
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return [p for p in self.found[i:j] if p[1] <= end]

    def just_before(self, pos: int) -> tuple[int, int, str] | None:
        """The place named last before ``pos`` (its end at most ``pos``)."""
        i = bisect.bisect_left(self.starts, pos)
        return self.found[i - 1] if i and self.found[i - 1][1] <= pos else None

    def listed_before(self, end: int, start: int = 0, slack: int = 0) -> list[str]:
        """The names of the list of places (A、B和C) in text[start:end] whose last place ends at most ``slack``
        characters before ``end``; [] when none does."""
        named = self.between(start, end)
        if not named or end - named[-1][1] > slack:
            return []
        listed = [named[-1]]
        for place in reversed(named[:-1]):
            if not LIST_JOIN.fullmatch(self.text, place[1], listed[0][0]):
                break
            listed.insert(0, place)
        return [name for _, _, name in listed]

    def at(self, pos: int) -> tuple[int, int, str] | None:
        """The place named starting at ``pos``."""
        i = bisect.bisect_left(self.starts, pos)
        return self.found[i] if i < len(self.found) and self.starts[i] == pos else None


def document_region(text: str, header: str = "") -> str | None:
    """The region a document is about. Its self-references (我市, 全省, 我县 …) say what kind of place it
    is; among the named places of that kind (and the places containing the named ones), the one named
    most, a name in the header (title, issuer, first and last lines) counting five times, wins.
    None for an anonymised (X市) or unplaced text."""
    head = header + "\n" + text[:300] + "\n" + text[-200:]
    counts: Counter[str] = Counter()
    for weight, part in ((5, head), (1, text)):
        for _, _, name in GAZETTEER.find(part):
            counts[name] += weight
    if not counts:
        issuer = ISSUER.search(head)
        if issuer and not ANONYMISED.search(issuer["name"]) and not ANONYMISED.search(head):
            return issuer["name"]
        return None
    suffixes = Counter(m["suffix"] for m in SELF_REFERENCE.finditer(text))
    if not suffixes:
        return max(counts, key=lambda k: (counts[k], -text.find(k)))
    suffix = suffixes.most_common(1)[0][0]
    scores: Counter[str] = Counter()
    for name, n in counts.items():
        for place in GAZETTEER.ancestors(name):
            if place.endswith(suffix):
                scores[place] += n
    if not scores:
        return None if ANONYMISED.search(text) else max(counts, key=lambda k: (counts[k], -text.find(k)))
    return max(scores, key=lambda k: (scores[k], -text.find(k)))


def _reference(text: str, places: Places, start: int, end: int) -> tuple[str, str] | None:
    """The last region reference in text[start:end]: ("named", name), ("self", suffix) for 全州/我市,
    ("list", "") for several places (巩义市、登封市等), or None. A place followed by 对口/结对/帮扶 is the
    helping side, and one after 高于/占/比 a yardstick, not the subject; of nested places (红河州元阳县)
    the innermost counts."""
    named = [(s, e, n) for s, e, n in places.between(start, end)
             if not HELPER_SIDE.match(text, e, end) and text[s - 1:s] not in DESTINATION_BEFORE
             and not COMPARED_TO.search(text, max(0, s - 2), s)]
    selfs = [m for m in SELF_REFERENCE.finditer(text, start, end)
             if not COMPARED_TO.search(text, max(0, m.start() - 2), m.start())]
    if selfs and (not named or selfs[-1].start() > named[-1][0]):
        return "self", selfs[-1]["suffix"]
    if not named:
        return None
    names = list(dict.fromkeys(n for _, _, n in named))
    deepest = max(names, key=lambda n: len(GAZETTEER.ancestors(n)))
    chain = set(GAZETTEER.ancestors(deepest)) | {deepest}
    if text[named[-1][1]:named[-1][1] + 1] == "等" or any(n not in chain for n in names):
        return "list", ""
    return "named", deepest


def _subject(text: str, places: Places, start: int, end: int) -> tuple[str, str] | None:
    """A place opening a clause (会泽县建成全省最大的…): the subject of what follows in the sentence; of
    nested places (红河州元阳县依托…) the innermost; not a helper (北京市5个区结对帮扶我市…)."""
    m = SUBJECT_OPENER.match(text, start, end)
    place = places.at(m.end()) if m else None
    while place and (inner := places.at(place[1])) and place[2] in GAZETTEER.ancestors(inner[2])[1:]:
        place = inner
    if not place or place[1] > end or HELPER_SIDE.match(text, place[1], end) \
            or text[place[1]:place[1] + 1] in "、和与及等":
        return None
    return "named", place[2]


def claim_region(text: str, places: Places, clauses: Clauses, pos: int, clause0: int, sentence_start: int,
                 paragraph_start: int, doc_region: str | None) -> str | None:
    """The region a claim at ``pos`` is about: the nearest reference before it in its clause, else a place
    opening an earlier clause of its sentence, else the nearest reference there; a list of places, or
    none, leaves the document's region. 全州/我市 point to the document's region when it is of that kind,
    else to the last such place named in the paragraph (昭通市是…。全州…), else to the document region's
    ancestor of that kind."""
    if not places.between(sentence_start, pos) and not SELF_REFERENCE.search(text, sentence_start, pos):
        return doc_region  # nothing in the sentence names a place
    before = places.just_before(pos)
    if before and before[0] >= sentence_start and text[before[1]:pos] in NAMED_FIGURE_GAP \
            and text[before[0] - 1:before[0]] not in DESTINATION_BEFORE \
            and len(places.listed_before(before[1], sentence_start)) == 1:
        return before[2]  # 白城市15.2万人, 汪清县为2.91亿元: the figure of the place named right before it
        # (not 泸水市、福贡县2个县: a figure after a list of places counts them)
    ref = _reference(text, places, clause0, pos)
    cut = clause0
    while (ref is None or ref[0] == "list") and cut > sentence_start:
        prev = clauses.start(cut - 1, sentence_start)
        ref = _subject(text, places, prev, cut - 1) or _reference(text, places, prev, cut - 1)
        cut = prev
    if ref is None or ref[0] == "list":
        return doc_region
    if ref[0] == "named":
        return ref[1]
    suffix = ref[1]
    if doc_region is None or doc_region.endswith(suffix):
        return doc_region
    earlier = [n for _, _, n in places.between(paragraph_start, pos) if n.endswith(suffix)]
    if earlier:
        return earlier[-1]
    return next((a for a in GAZETTEER.ancestors(doc_region) if a.endswith(suffix)), doc_region)

