"""Region gazetteer (``data/regions.csv``) and region resolution for documents and claims.

>>> GAZETTEER.standard("郑州")
'郑州市'
>>> GAZETTEER.ancestor("中牟县", "province")
'河南省'
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import regex

from etl.tables import alternation, rows

SELF_REFERENCE = regex.compile(r"[我全本](?P<suffix>省|市|县|区|州|旗)")  # 我市, 全省: the document's own region
ANONYMISED = regex.compile(r"(?<![A-Za-z])[X×Ｘ某][省市县区州]")
ISSUER = regex.compile(
    r"(?P<name>[\p{Han}]{2,8}?(?:省|自治区|市|自治州|州|县|区|旗))"
    r"(?:人民政府|扶贫开发办公室|扶贫办|农业农村局|乡村振兴局|农业农村工作委员会|政协|人大常委会|民政局|财政局)"
)
PROVINCE_SELF = regex.compile(r"[全我]省")
NOT_A_PLACE_AFTER = "路街道巷号"


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
    def pattern(self) -> regex.Pattern:
        return regex.compile(f"(?:{alternation(list(self.surface))})")

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
        out = []
        for m in self.pattern.finditer(text, start, end):
            if text[m.end():m.end() + 1] and text[m.end()] in NOT_A_PLACE_AFTER:
                continue
            out.append((m.start(), m.end(), self.surface[m.group()]))
        return out


GAZETTEER = Gazetteer.load()


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


def claim_region(text: str, clause_start: int, pos: int, doc_region: str | None) -> str | None:
    """A single region named in the claim's clause before it wins; a list of regions, none, or one
    followed by 等 leaves the document's region. 全省 in a city's document points to its province."""
    named = GAZETTEER.find(text, clause_start, pos)
    names = {n for _, _, n in named}
    if len(names) == 1 and not text[named[-1][1]:named[-1][1] + 1] == "等":
        return names.pop()
    if not names and doc_region and PROVINCE_SELF.search(text, clause_start, pos):
        return GAZETTEER.ancestor(doc_region, "province") or doc_region
    return doc_region
