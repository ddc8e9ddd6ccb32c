"""Region gazetteer keyed by the official code (``data/divisions.csv``, villages in ``data/villages.csv.gz``,
former names in ``data/region_history.csv``), and region resolution for documents and claims.

A place is known by its code (``"3201"`` 南京市, ``"320106"`` its 鼓楼区, ``"532522101"`` a township) and shown
by a name unique in China: a county by its standard name, with its prefecture before it only where that
name repeats (南京市鼓楼区); a township with its county before it (腾冲市荷花镇); a village with its county and
township before it. A name several places share is resolved from the text's context (a parent named before
it or in the text, the document's own region), else left unresolved: never guessed.

>>> GAZETTEER.display(GAZETTEER.parse("郑州"))
'郑州市'
>>> [GAZETTEER.display(c) for c in GAZETTEER.candidates("鼓楼区")]
['南京市鼓楼区', '徐州市鼓楼区', '福州市鼓楼区', '开封市鼓楼区']
>>> GAZETTEER.display(GAZETTEER.ancestor(GAZETTEER.parse("中牟县"), "province"))
'河南省'
"""
from __future__ import annotations

import bisect
import csv
import gzip
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

import ahocorasick_rs
import regex

from etl.reading.segment import Clauses
from etl.tables import DATA, rows

COUNTRY = "CN"
LEVELS = ("country", "province", "prefecture", "county", "township", "village")
SELF_REFERENCE = regex.compile(r"(?:(?P<own>[我全本该])(?P<suffix>省|市|县|区|州|旗|盟|镇|乡|村)"
                               r"(?!第[一二三四五六七八九十\d]{1,3}[名位个张家批座条块所，,。、的]|首[家个批张座]|前列|领先|率先)"
                               # 全省第一张, 全县首家: a rank (but 全县第三产业 is the county's)
                               r"|(?P<nation>全国)(?!{NOT_NATIONAL}))".replace("{NOT_NATIONAL}", r"\p{Han}{0,10}?"
                               r"(?:系统|平台|信息|先进|优秀|模范|示范|试点|典型|首|前列|领先|排名|百强|十强|闻名|范围|各地|人民"
                               r"|人大|政协|妇联|总工会|扶贫日|统一|第[一二三四五六七八九十\d])"))
OWN_WEIGHT = {"我": 2, "本": 2, "全": 1, "该": 0}  # 我市 says what the author's place is; 全省 may be a frame
SUFFIX_ORDER = "村镇乡县旗区市盟州省"  # on a tie, the smaller kind of place (a city's report names its province)
# 属我县…之一, 位于我省: the place before it is the subject, not the place referred to
PREDICATE_BEFORE = regex.compile(r"(?:属|隶属|位于|地处|属于|划归|划入|归属)$")  # 划归佳木斯市: where it belongs
SUFFIX_LEVELS = {"省": ("province",), "市": ("prefecture", "county", "province"), "县": ("county",),
                 "区": ("county", "province", "prefecture"), "州": ("prefecture",), "旗": ("county",),
                 "盟": ("prefecture",), "镇": ("township",), "乡": ("township",), "村": ("village",)}
ANONYMISED = regex.compile(r"(?<![A-Za-z])[X×Ｘ某][省市县区州]")
GLOSSED = regex.compile(r"(?P<name>[^()（）]+?)\s*[(（](?P<where>[^()（）]+)[)）]")
ISSUER = regex.compile(
    r"(?P<name>[\p{Han}]{2,8}?(?:省|自治区|市|自治州|州|县|区|旗))"
    r"(?:人民政府|扶贫开发办公室|扶贫办|农业农村局|乡村振兴局|农业农村工作委员会|政协|人大常委会|民政局|财政局)"
)
SUBJECT_OPENER = regex.compile(r"[\s　]*(?:其中|在|据)?[\s　]*")
# after a place: it is the helping side (北京市对口帮扶…, 北京市5个区结对帮扶我市, 河北省援藏项目)
HELPER_SIDE = regex.compile(r"帮扶|方|向|援助|支援|援建|援[藏疆青]|捐|[^，,。；;]{0,6}?(?:对口|结对|东西部|协作)"
                            r"|[工农建中]行|银行|农商行|信用社")  # 河北工行: a lender named after its place
# 本报北京2月15日电, 中新网兰州8月13日电: where a report was filed, not what it is about
TITLE = regex.compile(r"《[^《》\n]{1,40}》|“[^“”\n]{1,12}”(?=(?:公益)?品牌)")  # 《四川省…条例》, “四川扶贫”品牌
DATELINE_AFTER = regex.compile(r"\d{1,2}月\d{1,2}日(?:电|讯|消息)")
OUTLET = regex.compile(r"(?P<place>\p{Han}{2,4}?)(?:新闻网|融媒体中心|融媒|电视台|广播电视台|日报|发布)")
HELPER_FAR = regex.compile(r"[^，,。；;]{0,12}?(?:帮扶|援助|支援|援建|援[藏疆青]|对口|结对|协作|公司|集团)")
SOURCE_BEFORE = regex.compile(r"(?:争取|引进|引来)到?\p{Han}{0,6}$")  # 争取唐山市丰润区资金: where the money comes from
DESTINATION_BEFORE = ("向", "到", "赴", "往")
# a paragraph that opens 在<place>， is an account of that place (在某县某村，今年56岁的…)
PARAGRAPH_FRAME = regex.compile(r"[\s　]*在")
PARAGRAPH_FRAME_END = regex.compile(r"[，,]")  # before a place: where something goes (向广东省输送…)
LIST_JOIN = regex.compile(r"[、和及与]")  # between the places of a list (临泉县、阜南县和颍上县)
PLACE_LISTED = regex.compile(r"[^\d万亿元户人个%][、和及与]$")  # (保康、五峰县: not 延边州8.9万人、白城市)
NAMED_FIGURE_GAP = ("", "为", "达", "达到", "共", "共有", "有")  # between a place and its own figure
ADMIN_SUFFIXES = tuple("省市县区州旗盟镇乡")
NOT_A_PLACE_AFTER = "路街道巷号域"  # 中原路, 振兴区域: not a place
# 北与某乡接壤, 东与甲镇、乙镇毗邻: a neighbour, not the subject
NEIGHBOUR_AFTER = regex.compile(r"(?:[、和及与]\p{Han}{1,10}?)*相?(?:毗邻|接壤|相邻|交界|连接|相连|为邻|相望|相接"
                                r"|接界)")
# 高于全省平均, 高出全国平均水平, 约占全省的, 位列全省第一: a yardstick
COMPARED_TO = regex.compile(r"(?:高于|低于|高出|超出|超过|快于|慢于|比|较|占|位列|位居|居于|名列|排名)$")
# a township's name followed by these is a word (民主乡村治理, 其中城镇化), not the township
TOWNSHIP_NOT_BEFORE = "村化镇乡"
# before a two-character county (成县, 和县) or one named like a part of town (城东区): what may stand there
# (建成县城 is not 成县); a parent named right before it also does
SHORT_NAME_AFTER = "在于和与及、，,。；;的对向从到是为将由等据经至（(“\"》 \n"
# a village after its township (洒雨镇下龙村, 昭君路街道办事处新胜村) or after another village of a list
VILLAGE_AFTER = regex.compile(r"(?:办事处)?(?P<name>\p{Han}{1,6}?(?:村|社区))")
# a village the gazetteer does not know is named like one: a short name, no verb (下陇村, not 计划建成村, 辖五个村)
UNKNOWN_VILLAGE = regex.compile(r"(?!.*(?:计划|建成|建设|新建|实施|完成|开展|推进|打造|改造|实现|覆盖|的|辖|个))"
                                r"\p{Han}{1,3}(?:村|社区)")
VILLAGE_IN_LIST = regex.compile(r"(?<=[、，,；;和及与户人])(?P<name>\p{Han}{1,6}?(?:村|社区))")
# 齐山村位于某镇东南部: a village opening its sentence, placed in the township named right after 位于
VILLAGE_BEFORE = regex.compile(r"(?:^|(?<=[\n。！？!?]))[\s　]*(?P<name>\p{Han}{1,3}(?:村|社区))位于$")
GENERIC_VILLAGE = regex.compile(r"^(?:[全各该本每一两三四五六七八九十\d]|贫困|示范|行政|重点|薄弱|脱贫|出列|自然|农村"
                                r"|乡村|城中|山村)")


def _depth(level: str | None) -> int:
    return LEVELS.index(level or "village")


@dataclass(frozen=True)
class Place:
    """A gazetteer row."""

    code: str
    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...] = ()
    matched: bool = True  # found in running text (False for names that are ordinary words: 城区, 郊区)


@dataclass(frozen=True)
class Found:
    """A place named in a text: its span, the places it can be (codes), and the one it is (None when the name
    is shared and the context does not tell)."""

    start: int
    end: int
    candidates: tuple[str, ...]
    code: str | None
    alias: bool = False


class Gazetteer:
    """Codes, standard names, aliases, levels and parents of China's regions."""

    def __init__(self, places: list[Place], history: list[dict[str, str]] = ()):
        self.places = {p.code: p for p in places}
        self.children: dict[str, list[str]] = defaultdict(list)
        for p in places:
            if p.parent:
                self.children[p.parent].append(p.code)
        self.names: dict[str, list[str]] = defaultdict(list)  # full name -> codes
        self.short: dict[str, list[str]] = defaultdict(list)  # alias -> codes
        for p in places:
            if p.level == "country":
                continue
            self.names[p.name].append(p.code)
            for a in p.aliases:
                self.short[a].append(p.code)
        self.former: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
        for h in history:
            self.former[h["former_name"]].append((h["code"], int(h["until"]) if h["until"] else None))

    @classmethod
    def load(cls) -> Gazetteer:
        places = [Place(r["code"], r["name"], r["level"], r["parent"] or None,
                        tuple(a for a in r["aliases"].split("|") if a), r["matched"] == "1")
                  for r in rows("divisions")]
        return cls(places, rows("region_history"))

    # -- lookups -------------------------------------------------------------------------------------------
    def level(self, code: str | None) -> str | None:
        if not code:
            return None
        place = self.place(code)
        return place.level if place else None

    def place(self, code: str) -> Place | None:
        """The place of a code (villages too; ``v:TOWNSHIP:NAME`` for a village the register does not list
        under that name, as documents shorten them)."""
        if code in self.places:
            return self.places[code]
        if len(code) == 12 and code in self._villages:
            return Place(code, self._villages[code], "village", code[:9])
        if code.startswith("v:") and code.count(":") == 2:
            _, township, name = code.split(":")
            return Place(code, name, "village", township) if township in self.places else None
        return None

    def parent(self, code: str) -> str | None:
        place = self.place(code)
        return place.parent if place else None

    def ancestors(self, code: str | None) -> list[str]:
        """The code itself, then its parent's, grandparent's … up to the country's."""
        out: list[str] = []
        while code and code not in out and self.place(code):
            out.append(code)
            code = self.parent(code)
        return out

    def ancestor(self, code: str | None, level: str) -> str | None:
        """The code of the region at ``level`` that contains ``code`` (itself if it is at that level)."""
        return next((a for a in self.ancestors(code) if self.level(a) == level), None)

    def contains(self, outer: str | None, inner: str | None) -> bool:
        """Whether ``inner`` is ``outer`` or lies within it."""
        return bool(outer and inner) and outer in self.ancestors(inner)

    def related(self, a: str | None, b: str | None) -> bool:
        """One contains the other."""
        return self.contains(a, b) or self.contains(b, a)

    def candidates(self, surface: str) -> list[str]:
        """Codes of every place a name, an alias or a former name can be, full names first."""
        out = list(self.names.get(surface, ()))
        out += [c for c in self.short.get(surface, ()) if c not in out]
        out += [c for c, _ in self.former.get(surface, ()) if c not in out]
        return out

    @cached_property
    def _display(self) -> dict[str, str]:
        """Code -> the name unique in China it is shown by."""
        counts = Counter(p.name for p in self.places.values() if p.level in ("prefecture", "county"))
        out: dict[str, str] = {}
        for level in LEVELS[:-1]:
            for p in self.places.values():
                if p.level != level:
                    continue
                if level == "township":
                    out[p.code] = out.get(p.parent or "", "") + p.name
                elif level in ("prefecture", "county") and counts[p.name] > 1 and p.parent in out \
                        and self.places[p.parent].level != "country":
                    out[p.code] = out[p.parent] + p.name
                else:
                    out[p.code] = p.name
        return out

    @cached_property
    def _by_display(self) -> dict[str, str]:
        by: dict[str, str] = {}
        for code, shown in self._display.items():
            by.setdefault(shown, code)
        return by

    def display(self, code: str | None) -> str | None:
        """The name unique in China a code is shown by (a village with its county and township before it)."""
        if not code:
            return None
        if code in self._display:
            return self._display[code]
        place = self.place(code)
        if place and place.level == "village":
            return self._display.get(place.parent or "", "") + place.name
        return None

    def standard(self, surface: str) -> str | None:
        """The display name for a name or alias that only one place has (None when shared or unknown)."""
        code = self.parse(surface)
        return self.display(code) if code else None

    @cached_property
    def _villages(self) -> dict[str, str]:
        """Village code -> name (read on first use: 620,000 rows)."""
        with gzip.open(DATA / "villages.csv.gz", "rt", encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            code, name = header.index("code"), header.index("name")
            return {r[code]: r[name] for r in reader}

    @cached_property
    def _villages_by_township(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = defaultdict(dict)
        for code, name in self._villages.items():
            out[code[:9]].setdefault(name, code)
        return out

    def village(self, township: str, name: str) -> str | None:
        """The code of the village ``name`` (下龙村, 多福巷社区) of a township, if it has one so called."""
        return self._villages_by_township.get(township, {}).get(name)

    def parse(self, name: str | None, near: str | None = None) -> str | None:
        """The code of a region written as a name, a display name, a code, or a chain of names (宣州区寒亭镇,
        安龙县洒雨镇下龙村), or a name with where it lies in brackets; None when no place or several places fit
        (``near``, a code, breaks ties).

        >>> GAZETTEER.parse("清水县 (甘肃省天水市)") == GAZETTEER.parse("清水县")
        True
        """
        name = (name or "").strip()
        if not name:
            return None
        if self.place(name):
            return name
        if name in self._by_display:
            return self._by_display[name]
        if name == "中国":
            return COUNTRY
        glossed = GLOSSED.fullmatch(name)  # 清水县 (甘肃省天水市), 鼓楼区（南京市）: a name with where it lies
        if glossed:
            return self.parse(glossed["name"], near=self.parse(glossed["where"]) or near)
        found = self.find(name, context=near)
        if not found or found[0].start != 0:
            return None
        last = found[-1]
        if last.code is None or any(f.code is None for f in found):
            return None  # (井冈山市茅坪乡: no 茅坪乡 in 井冈山市, the one in 龙山县 is another place)
        if last.end == len(name):
            return last.code
        rest = name[last.end:]
        if self.level(last.code) == "township":
            return self.village(last.code, rest.removeprefix("办事处"))
        return None

    def lookup(self, name: str, near: str | None = None) -> list[str]:
        """The codes a name can be, those within or around ``near`` (a name or code) first."""
        near_code = self.parse(near) if near else None
        codes = self.candidates(name) or ([c] if (c := self.parse(name)) else [])
        return sorted(codes, key=lambda c: (not self.related(near_code, c), LEVELS.index(self.level(c) or "village"),
                                            c))

    # -- finding places in text ----------------------------------------------------------------------------
    @cached_property
    def _automaton(self) -> tuple[ahocorasick_rs.AhoCorasick, list[tuple[str, tuple[str, ...], tuple[str, ...]]]]:
        """A leftmost-longest matcher over every name, alias and former name, and for each of them
        (surface, codes it names in full or formerly, codes it is a short form of)."""
        entries = []
        for surface in sorted({*self.names, *self.short, *self.former}):
            full = tuple(c for c in self.names.get(surface, ()) if self.places[c].matched)
            short = tuple(c for c in self.short.get(surface, ()) if self.places[c].matched and c not in full)
            former = tuple(c for c, _ in self.former.get(surface, ()))
            if full or short or former:
                entries.append((surface, full + tuple(c for c in former if c not in full), short))
        matcher = ahocorasick_rs.AhoCorasick([e[0] for e in entries],
                                             matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        return matcher, entries

    def find(self, text: str, start: int = 0, end: int | None = None, context: str | None = None) -> list[Found]:
        """Every place named in text[start:end], resolved where the text and ``context`` (the document's
        region code) tell which one a shared name is."""
        end = len(text) if end is None else end
        matcher, entries = self._automaton
        raw: list[tuple[int, int, tuple[str, ...], bool]] = []
        for index, s, e in matcher.find_matches_as_indexes(text[start:end]):
            surface, full, short = entries[index]
            s, e = s + start, e + start
            after = text[e:e + 1]
            if after and after in NOT_A_PLACE_AFTER or self._in_word(text, surface, s):
                continue
            if not full and after in ADMIN_SUFFIXES:
                continue  # 乌蒙山区: an alias (蒙山) followed by another suffix than its own is another place
            codes = full or short
            if after and after in TOWNSHIP_NOT_BEFORE and surface[-1] in "乡镇" \
                    and all(self.places[c].level == "township" for c in codes):
                continue
            if full and (len(surface) == 2 or surface.startswith("城")) and s > 0 \
                    and text[s - 1] not in SHORT_NAME_AFTER and not (raw and raw[-1][1] == s) \
                    and not SELF_REFERENCE.fullmatch(text, max(0, s - 2), s):
                continue
            raw.append((s, e, codes, not full))
        if context and self.level(context) in ("county", "township", "village"):
            raw = self._with_local_villages(text, start, end, raw, context)
        return self._resolve(text, raw, context)

    @staticmethod
    def _in_word(text: str, surface: str, at: int) -> bool:
        """Whether the name at ``at`` is part of a word that names no place (真金白银, 巩固原有: not_places.csv)."""
        return any(text.startswith(word, at - k) for word, k in _NOT_PLACES.get(surface, ()) if at >= k)

    def _with_local_villages(self, text: str, start: int, end: int, raw: list, context: str) -> list:
        """``raw`` with the villages of the document's county or township named alone (我镇娘娘坝村…, the
        document's own 下龙村属…): a name ending in 村/社区 that the register lists there."""
        if text.find("村", start, end) < 0 and text.find("社区", start, end) < 0:
            return raw  # no village named: the register (620,000 rows) is not read
        local = self._local_villages(context)
        taken = [(s, e) for s, e, _, _ in raw]
        found = []
        for suffix in ("村", "社区"):
            at = text.find(suffix, start, end)
            while at >= 0:
                stop = at + len(suffix)
                for size in range(6, 1, -1):
                    name = text[max(start, stop - size):stop]
                    code = local.get(name)
                    if code and len(name) == size and not GENERIC_VILLAGE.match(name) \
                            and not any(s < stop and stop - size < e for s, e in taken):
                        found.append((stop - size, stop, (code,), False))
                        break
                at = text.find(suffix, stop, end)
        return sorted(raw + found) if found else raw

    def _local_villages(self, context: str) -> dict[str, str]:
        """Village name -> code within the county or township of ``context`` (names two villages share left
        out)."""
        area = context if self.level(context) != "village" else self.parent(context) or ""
        townships = [area] if self.level(area) == "township" else self.children.get(area, [])
        names: dict[str, str | None] = {}
        for t in townships:
            for name, code in self._villages_by_township.get(t, {}).items():
                names[name] = None if name in names else code
        own = self.place(context)
        if own and own.level == "village":
            names[own.name] = context
        return {n: c for n, c in names.items() if c}

    def _resolve(self, text: str, raw: list[tuple[int, int, tuple[str, ...], bool]],
                 context: str | None) -> list[Found]:
        sure = {codes[0] for _, _, codes, alias in raw
                if len(codes) == 1 and (not alias or self.places[codes[0]].level in ("province", "prefecture"))}
        out: list[Found] = []
        villages: list[Found] = []
        for s, e, codes, alias in raw:
            before = out[-1] if out and out[-1].end == s else None
            code = self._choose(codes, before, sure, context)
            within = before is not None and before.code is not None and code is not None \
                and self.contains(before.code, code)  # 河北赤城: the short form right after its province
            if alias and code is not None and self.level(code) in ("county", "township") \
                    and not within and not self._backed(code, sure, context):
                continue  # a county's short form (东城, 合作) counts where the text is about its parts of China
            if code is None and alias:
                continue
            if before is not None and before.code is not None and code is not None and not within \
                    and _depth(self.level(code)) > _depth(self.level(before.code)):
                code = None  # 井冈山市茅坪乡: no 茅坪乡 there (龙山县's is another place); which one, unknown
            out.append(Found(s, e, codes, code, alias))
            if self.level(code) == "township":
                villages.extend(self._village_before(text, out[-1]) + self._villages_after(text, out[-1]))
        merged: list[Found] = []
        for f in sorted(out + villages, key=lambda f: (f.start, -f.end)):
            if not merged or f.start >= merged[-1].end:
                merged.append(f)
        return merged

    def _backed(self, code: str, sure: set[str], context: str | None) -> bool:
        """A short form is taken for a place related to the document's region or within a prefecture (or a
        smaller place) the text names."""
        return self.related(context, code) or any(
            self.contains(a, code) for a in sure if a != code and self.level(a) not in ("country", "province"))

    def _choose(self, codes: tuple[str, ...], before: Found | None, sure: set[str], context: str | None) -> str | None:
        """The one of ``codes`` the context tells: inside the place named right before (南京市鼓楼区), else
        related to the document's region, else inside a place named in the text; else, for a name that
        places nested in each other share (楚雄: the prefecture and its city), the outer one; else a province's
        short form (河北, not 天津市河北区)."""
        if len(codes) == 1:
            return codes[0]
        for test in (lambda c: before is not None and before.code is not None and self.contains(before.code, c),
                     lambda c: self.related(context, c),
                     lambda c: any(self.contains(a, c) for a in sure if a != c)):
            hits = [c for c in codes if test(c)]
            if len(hits) == 1:
                return hits[0]
            if hits:
                codes = tuple(hits)
        outer = [c for c in codes if all(self.contains(c, o) for o in codes)]
        if outer:
            return outer[0]
        provinces = [c for c in codes if self.level(c) == "province"]
        return provinces[0] if len(provinces) == 1 else None  # 河北 alone: the province, not 天津市河北区

    def _village_before(self, text: str, township: Found) -> list[Found]:
        """The village a sentence opens with, said to lie in the township after it (齐山村位于麻埠镇…)."""
        m = VILLAGE_BEFORE.search(text, max(0, township.start - 12), township.start)
        if not m or GENERIC_VILLAGE.match(m["name"]) or not township.code \
                or not UNKNOWN_VILLAGE.fullmatch(m["name"]):
            return []
        code = self.village(township.code, m["name"]) or f"v:{township.code}:{m['name']}"
        return [Found(m.start("name"), m.end("name"), (code,), code)]

    def _villages_after(self, text: str, township: Found) -> list[Found]:
        """The villages named right after their township (洒雨镇下龙村), and those of the list that follows
        in the same sentence (…西二道村3户6人、班定营村3户5人)."""
        m = VILLAGE_AFTER.match(text, township.end)
        if not m or GENERIC_VILLAGE.match(m["name"]) or not township.code:
            return []
        code = self.village(township.code, m["name"])
        if code is None and not UNKNOWN_VILLAGE.fullmatch(m["name"]):
            return []  # 丙麻乡计划建成村委会…: words that run on to 村, no village the gazetteer lacks
        code = code or f"v:{township.code}:{m['name']}"
        out = [Found(m.start("name"), m.end("name"), (code,), code)]
        stop = min((i for i in (text.find(c, m.end()) for c in "。\n") if i >= 0), default=len(text))
        for v in VILLAGE_IN_LIST.finditer(text, m.end(), stop):
            if GENERIC_VILLAGE.match(v["name"]):
                continue
            other = self.village(township.code, v["name"])
            if other is None and text[v.end():v.end() + 1].isdigit():
                other = f"v:{township.code}:{v['name']}"  # 、班定营村3户5人: a village of the list, with its figure
            if other:
                out.append(Found(v.start("name"), v.end("name"), (other,), other))
        return out


_NOT_PLACES: dict[str, list[tuple[str, int]]] = defaultdict(list)  # name -> (word, where the name starts in it)
for _row in rows("not_places"):
    _NOT_PLACES[_row["name"]].append((_row["word"], _row["word"].index(_row["name"])))

GAZETTEER = Gazetteer.load()


class Places:
    """The places named in one text, found once (shared names resolved in the document's ``context``), then
    looked up by span; a dateline's place (新华社北京5月14日电: where the report was filed) and one in a title
    (《四川省…条例》) are not.
    Spans of places that could not be told apart have ``code`` None."""

    def __init__(self, text: str, context: str | None = None):
        self.text = text
        self._titles = [m.span() for m in TITLE.finditer(text)]
        self.found = [f for f in GAZETTEER.find(text, context=context)
                      if not DATELINE_AFTER.match(text, f.end) and not self.in_title(f.start)]
        self.starts = [f.start for f in self.found]

    def in_title(self, pos: int) -> bool:
        """Whether ``pos`` is inside a title in 《》 or a quoted brand (《全国扶贫产品目录》: a name, not the
        country)."""
        i = bisect.bisect_right(self._titles, (pos, len(self.text))) - 1
        return i >= 0 and pos < self._titles[i][1]

    def between(self, start: int, end: int) -> list[Found]:
        """The places named within text[start:end]."""
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return [p for p in self.found[i:j] if p.end <= end]

    def just_before(self, pos: int) -> Found | None:
        """The place named last before ``pos`` (its end at most ``pos``)."""
        i = bisect.bisect_left(self.starts, pos)
        return self.found[i - 1] if i and self.found[i - 1].end <= pos else None

    def listed_before(self, end: int, start: int = 0, slack: int = 0) -> list[str | None]:
        """The codes of the list of places (A、B和C) in text[start:end] whose last place ends at most ``slack``
        characters before ``end``; [] when none does."""
        named = self.between(start, end)
        if not named or end - named[-1].end > slack:
            return []
        listed = [named[-1]]  # the innermost place of each item (美兰区灵山镇爱群村 is one item)
        head = named[-1]  # the first place of the current item
        for place in reversed(named[:-1]):
            if place.end == head.start and GAZETTEER.contains(place.code, head.code):
                head = place
                continue
            if not LIST_JOIN.fullmatch(self.text, place.end, head.start):
                break
            listed.insert(0, place)
            head = place
        return [p.code for p in listed]

    def at(self, pos: int) -> Found | None:
        """The place named starting at ``pos``."""
        i = bisect.bisect_left(self.starts, pos)
        return self.found[i] if i < len(self.found) and self.starts[i] == pos else None


def _fits_suffix(code: str | None, suffix: str) -> bool:
    place = GAZETTEER.place(code) if code else None
    if place is None:
        return False
    return place.level in SUFFIX_LEVELS[suffix] and (place.name.endswith(suffix) or suffix in "镇乡村" or (
        suffix == "州" and place.name.endswith(("州", "盟"))) or (suffix == "区" and place.name.endswith("自治区")))


def is_anonymised(text: str) -> bool:
    """Whether a text hides its places (X县, 某市) in its opening."""
    return bool(ANONYMISED.search(text, 0, 1000))


def document_region_code(text: str, header: str = "") -> str | None:
    """The code of the region a document is about. Its self-references (我市, 全省, 我县, 全镇 …) say what kind
    of place it is; among the named places of that kind (and the places containing the named ones, at half
    weight), the one named most, a name in the header (title, issuer, first and last lines) counting five
    times, wins; a county within it that the ``header`` (title, issuer) alone names is the subject. A place
    named right before one within it (西藏阿里地区, 吉林双辽) is not counted: the inner one is spoken of.
    None for an anonymised (X市) or unplaced text."""
    if is_anonymised(header + "\n" + text):
        return None
    head = header + "\n" + text[:300] + "\n" + text[-200:]
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for weight, part in ((5, head), (1, text)):
        found = _outside_link_lists(part, GAZETTEER.find(part))
        for i, f in enumerate(found):
            nxt = found[i + 1] if i + 1 < len(found) else None
            if nxt is not None and nxt.start == f.end and f.code and nxt.code and GAZETTEER.contains(f.code, nxt.code):
                continue  # 西藏阿里地区, 吉林双辽: the place named within is the one spoken of
            if f.code and not DATELINE_AFTER.match(part, f.end):
                counts[f.code] += weight
                first.setdefault(f.code, f.start if part is text else -1)
        for m in OUTLET.finditer(part):  # 浦城新闻网, 叶县融媒体中心: a local outlet is named after its place
            codes = [c for c in GAZETTEER.candidates(m["place"]) if GAZETTEER.level(c) in ("county", "prefecture")]
            if len(codes) == 1:
                counts[codes[0]] += weight
                first.setdefault(codes[0], m.start() if part is text else -1)
    nation = sum(1 for m in SELF_REFERENCE.finditer(text) if m["nation"])
    if nation >= 3 and nation > sum(counts.values()) / 5:
        return COUNTRY  # a national report (全国农村贫困人口…) names places only in passing
    if not counts:
        issuer = ISSUER.search(head)
        if issuer and not ANONYMISED.search(issuer["name"]) and not ANONYMISED.search(head):
            return GAZETTEER.parse(issuer["name"])
        return None
    suffixes: Counter[str] = Counter()
    for m in SELF_REFERENCE.finditer(text):
        if m["suffix"]:
            suffixes[m["suffix"]] += OWN_WEIGHT[m["own"]]
    if not suffixes:
        return max(counts, key=lambda k: (counts[k], -first.get(k, 0)))
    suffix = max(suffixes, key=lambda k: (suffixes[k], -SUFFIX_ORDER.index(k)))
    scores: Counter[str] = Counter()
    for code, n in counts.items():
        for i, place in enumerate(GAZETTEER.ancestors(code)):
            if _fits_suffix(place, suffix):
                scores[place] += n if i == 0 else n / 2  # named itself, or a place within it named
    if not scores:
        return None if ANONYMISED.search(text) else max(counts, key=lambda k: (counts[k], -first.get(k, 0)))
    best = max(scores, key=lambda k: (scores[k], -first.get(k, 0)))
    return _title_subject(header, best) or best


LINK_GAP = regex.compile(r"[\s|｜/]+(?:[^\s|｜/，,。；;:：]{1,8}[\s|｜/]+)*")
LINK_LIST = 4  # places in a row with only bars or spaces (and names it does not know) between them: links


def _outside_link_lists(text: str, found: list[Found]) -> list[Found]:
    """The places found, less those in runs of LINK_LIST or more names joined only by bars or spaces (a site's
    links to local pages: 南京市| 静乐县| 富锦市| 兰考县).

    >>> text = "南京市。静乐县| 富锦市| 兰考县| 叶县"
    >>> [f.code for f in _outside_link_lists(text, GAZETTEER.find(text))]
    ['3201']
    """
    runs: list[list[Found]] = []
    for f in found:
        if runs and LINK_GAP.fullmatch(text, runs[-1][-1].end, f.start):
            runs[-1].append(f)
        else:
            runs.append([f])
    return [f for run in runs if len(run) < LINK_LIST for f in run]


def _title_subject(header: str, region: str) -> str | None:
    """A county (or smaller place) within ``region`` that the header alone names: a city office's reply or
    report about one of its counties is about that county (its 全市 figures stay the city's).

    >>> GAZETTEER.display(_title_subject("关于支持平利县茶产业发展的提案的答复 安康市乡村振兴局", "6109"))
    '平利县'
    """
    inner = {f.code for f in GAZETTEER.find(header) if f.code and f.code != region
             and GAZETTEER.contains(region, f.code) and GAZETTEER.level(f.code) in ("county", "township", "village")}
    deepest = [c for c in inner if not any(o != c and GAZETTEER.contains(c, o) for o in inner)]
    return deepest[0] if len(deepest) == 1 else None


def document_region(text: str, header: str = "") -> str | None:
    """The display name of the region a document is about (see ``document_region_code``)."""
    return GAZETTEER.display(document_region_code(text, header))


def _helper(text: str, f: Found, end: int, doc_region: str | None) -> bool:
    """Whether the place ``f`` is the helping side: followed by 对口/结对/帮扶…; one outside the document's
    region also when such a word, or a company, comes a little later in its clause (广东省累计投入财政帮扶资金…,
    黑龙江某公司出资…), or when 争取 comes before it (争取唐山市丰润区资金…: where the money came from)."""
    if HELPER_SIDE.match(text, f.end, end):
        return True
    return bool(doc_region and f.code and not GAZETTEER.related(doc_region, f.code)
                and (HELPER_FAR.match(text, f.end, end) or SOURCE_BEFORE.search(text, max(0, f.start - 9), f.start)))


def _in_brackets(text: str, lo: int, pos: int) -> bool:
    """Whether ``pos`` is inside a bracket opened in text[lo:pos] (闽宁镇移民收入增长(其中2011年…;2012年…): the
    items of an aside share the subject outside it)."""
    return max(text.rfind("(", lo, pos), text.rfind("（", lo, pos)) > max(text.rfind(")", lo, pos),
                                                                          text.rfind("）", lo, pos))


def _reference(text: str, places: Places, start: int, end: int,
               doc_region: str | None = None) -> tuple[str, str | None] | None:
    """The last region reference in text[start:end]: ("named", code) (code None: a shared name the context
    does not tell), ("self", suffix) for 全州/我市, ("nation", CN) for 全国, ("list", None) for several
    places (巩义市、登封市等), or None. A place followed by 对口/结对/帮扶 is the helping side, and one after
    高于/占/比/位列 a yardstick, one after 划归/位于 where the subject belongs and one before 接壤/毗邻 a neighbour,
    not the subject; of nested places
    (红河州元阳县) the innermost counts."""
    named = [f for f in places.between(start, end)
             if not _helper(text, f, end, doc_region) and text[f.start - 1:f.start] not in DESTINATION_BEFORE
             and not COMPARED_TO.search(text, max(0, f.start - 2), f.start)
             and not PREDICATE_BEFORE.search(text, max(0, f.start - 2), f.start)
             and not NEIGHBOUR_AFTER.match(text, f.end, end)]
    selfs = [m for m in SELF_REFERENCE.finditer(text, start, end)
             if not places.in_title(m.start()) and not COMPARED_TO.search(text, max(0, m.start() - 2), m.start())
             and not PREDICATE_BEFORE.search(text, max(0, m.start() - 2), m.start())]
    if selfs and (not named or selfs[-1].start() > named[-1].start):
        last = selfs[-1]
        return ("nation", COUNTRY) if last["nation"] else ("self", last["suffix"])
    if not named:
        return None
    if any(f.code is None for f in named):
        return "named", None
    codes = list(dict.fromkeys(f.code for f in named))
    deepest = max(codes, key=lambda c: len(GAZETTEER.ancestors(c)))
    chain = set(GAZETTEER.ancestors(deepest))
    if text[named[-1].end:named[-1].end + 1] == "等" or any(c not in chain for c in codes):
        if selfs and selfs[-1].end() == named[0].start and selfs[-1]["suffix"]:
            return "self", selfs[-1]["suffix"]  # 该省竹溪、英山和五峰县3个县: the province's, which holds them
        if len(named) > 2 and text[named[0].end:named[1].start] == "的" \
                and all(GAZETTEER.contains(named[0].code, f.code) for f in named[1:]):
            return "named", named[0].code  # 南宁市的马山县、上林县等3个县: the city's, which holds them
        return "list", None
    return "named", deepest


def _subject(text: str, places: Places, start: int, end: int,
             doc_region: str | None = None) -> tuple[str, str | None] | None:
    """A place opening a clause (会泽县建成全省最大的…): the subject of what follows in the sentence; of
    nested places (红河州元阳县依托…) the innermost; not a helper (北京市5个区结对帮扶我市…)."""
    m = SUBJECT_OPENER.match(text, start, end)
    place = places.at(m.end()) if m else None
    while place and (inner := places.at(place.end)) and place.code and \
            place.code in GAZETTEER.ancestors(inner.code)[1:]:
        place = inner
    if not place or place.end > end or _helper(text, place, end, doc_region) \
            or text[place.end:place.end + 1] in "、和与及等":
        return None
    return "named", place.code


# A counted group of counties or villages whose own figures follow (12个重点帮扶县农村居民人均可支配收入…,
# 51个贫困县2014-2019年减少贫困人口…, 6个重点村建档立卡人口…, 25个重点帮扶县脱贫群众…): the group's, no one
# place's.
COUNTED_GROUP = regex.compile(r"(?:\d+个[^，,。；;\d]{0,14}?|\d+)(?:区县|县区|县|村)"
                              r"(?:[、和及]\d+个[^，,。；;\d]{0,14}?(?:区县|县区|县|村))*"
                              r"(?:\d{4}(?:[-—–~至到]\d{4})?年)?"
                              r"(?=农村|农民|城镇|居民|人均|GDP|地区生产总值|生产总值|财政|一般公共预算"
                              r"|共有|还有|累计|有?(?:综合贫困发生率|贫困发生率|贫困人口|减少贫困人口|减贫|建档立卡|未脱贫|人口"
                              r"|脱贫(?:人口|群众|户|劳动力)))")
# A group of provinces as the subject (西部地区…, 东部8省…), not where people go (向东部8省) or what a place is
# (是“三区三州”深度贫困地区); so is a counted group.
REGION_GROUP = regex.compile(r"(?<![向到赴往是属为在对与][“\"]?)(?:(?:东部|中部|西部|中西部|东北)(?:地区|\d+个?"
                             r"(?:省份?|省区市))|两州一县|三区三州|" + COUNTED_GROUP.pattern + ")")


NATIONAL_LINE_AFTER = regex.compile(r"(?:[(（][^)）]{0,12}[)）])?的?(?P<nation>国家)?(?:扶贫|贫困)?(?:标准|线)")
NATIONAL_LINE_BEFORE = regex.compile(r"国家(?:扶贫|贫困)(?:标准|线)[^，,。；;\d]{0,6}$")


def national_line(text: str, start: int, end: int) -> bool:
    """Whether the figure at text[start:end] is the national poverty line (2300元的国家扶贫标准, 国家2300元的扶贫
    标准, 国家扶贫标准为2300元): the country's figure, whatever place the sentence is about.

    >>> national_line("按人均收入2300元的国家扶贫标准", 5, 10), national_line("收入8500元高于国家扶贫标准", 2, 7)
    (True, False)
    """
    after = NATIONAL_LINE_AFTER.match(text, end)
    if after and (after["nation"] or text.endswith("国家", 0, start)):
        return True
    return bool(NATIONAL_LINE_BEFORE.search(text, max(0, start - 14), start))


def claim_region(text: str, places: Places, clauses: Clauses, pos: int, clause0: int, sentence_start: int,
                 paragraph_start: int, doc_region: str | None) -> str | None:
    """The code of the region a claim at ``pos`` is about: the nearest reference before it in its clause,
    else a place opening an earlier clause of its sentence, else the nearest reference there; a list of
    places, or none, leaves the document's region. 全州/我市 point to the document's region when it is of
    that kind, else to the last such place named in the paragraph (昭通市是…。全州…), else to the document
    region's ancestor of that kind (全州 in a county's document: its prefecture). 全国 is the country. A
    shared name the context does not tell leaves the claim without a region, and so does a group of regions
    named in its clause (西部地区, 东部8省, 中西部22个省份: several provinces, no one of them)."""
    if REGION_GROUP.search(text, clause0, pos):
        return None
    if not places.between(sentence_start, pos) and not SELF_REFERENCE.search(text, sentence_start, pos):
        frame = PARAGRAPH_FRAME.match(text, paragraph_start, pos)
        place = places.at(frame.end()) if frame else None
        while place and (inner := places.at(place.end)) and GAZETTEER.contains(place.code, inner.code):
            place = inner
        if place and place.code and PARAGRAPH_FRAME_END.match(text, place.end) and place.end <= pos:
            return place.code  # 在某镇某村，…: an account of one place, for its paragraph
        if REGION_GROUP.search(text, sentence_start, clause0):
            return None  # 12个重点帮扶县农村居民人均可支配收入…,年均增长N: the group's, carried on
        return doc_region  # nothing in the sentence names a place
    before = places.just_before(pos)
    if before and before.start >= sentence_start and text[before.end:pos] in NAMED_FIGURE_GAP \
            and text[before.start - 1:before.start] not in DESTINATION_BEFORE \
            and len(places.listed_before(before.end, sentence_start)) == 1 \
            and not PLACE_LISTED.search(text, max(0, before.start - 2), before.start):
        return before.code  # 白城市15.2万人, 汪清县为2.91亿元: the figure of the place named right before it
        # (not 泸水市、福贡县2个县: a figure after a list of places counts them, also where the list's other
        # names are not known as places: 竹溪、保康和五峰县5个县)
    ref = _reference(text, places, clause0, pos, doc_region)
    cut = clause0
    crossed = False  # past a semicolon: another item of the sentence
    while (ref is None or ref[0] == "list") and cut > sentence_start:
        crossed = crossed or text[cut - 1] in "；;" and not _in_brackets(text, sentence_start, cut - 1)
        prev = clauses.start(cut - 1, sentence_start)
        if ref is None and REGION_GROUP.search(text, prev, cut - 1):
            return None  # 西部地区…323万人,比上年减少593万人: the group's, carried to the clause after
        ref = _subject(text, places, prev, cut - 1, doc_region) or _reference(text, places, prev, cut - 1,
                                                                             doc_region)
        if crossed and ref is not None and ref[0] == "named" and prev > sentence_start:
            ref = None  # …,沙村摘帽;2017年脱贫N户: an earlier item's place is not this item's (全省…;… is)
        cut = prev
    if ref is None or ref[0] == "list":
        return doc_region
    if ref[0] in ("named", "nation"):
        return ref[1]
    return self_region(ref[1], doc_region, places, paragraph_start, pos)


def self_region(suffix: str, doc_region: str | None, places: Places, paragraph_start: int, pos: int) -> str | None:
    """The place 全州/我市/全镇 … names: the document's region when it is of that kind, else the last place of
    that kind named in the paragraph (None when that one is not known), else the document region's ancestor of
    that kind; the document's region when none is."""
    if doc_region is None or _fits_suffix(doc_region, suffix):
        return doc_region
    earlier = [f.code for f in places.between(paragraph_start, pos) if _fits_suffix(f.code, suffix)
               or f.code is None and places.text.endswith(suffix, f.start, f.end)]
    if earlier:
        return earlier[-1]  # (None: 井冈山市茅坪乡…全乡, a township not known there, is not the county's)
    return next((a for a in GAZETTEER.ancestors(doc_region) if _fits_suffix(a, suffix)), doc_region)
