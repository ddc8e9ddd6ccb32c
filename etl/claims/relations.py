"""Rules between the claims of one text: a claim's indicator, region or year read from the claims around it
(其中 parts, restatements in brackets, changes 由…提高到…, other years, running totals, 分别 lists)."""
from __future__ import annotations

import bisect
from collections.abc import Iterator

import regex

from etl.claims import timeref
from etl.claims.indicators import drop, same_theme, take
from etl.claims.regions import Places
from etl.reading.budget import check
from etl.reading.metadata import BASE_YEAR

RUNNING_TOTAL = regex.compile(r"累计(?:达到|达|为|共)?(?P<rest>[^\d，,。；;:：]{0,6})$")
CLAUSE_END = regex.compile(r"(?:以上|左右|以内)?(?:[，,。；;、)）\d]|$)")
SUBSET = "其中"
SUBSET_YEAR = regex.compile(r"其中[，,:：]?(?:\d{4}年|今年|当年|去年|上年)")  # 其中2020年…: a year's part
SUBSET_PLACE = regex.compile(r"其中[，,:：]?[^\d，,。；;:：]{2,10}?(?:达到|达|为|有|共有|共)?")  # 其中界首市达到
# 32.86亿元,比上年的30.94亿元; 112家,比2020年底的98家; 6830个,…;2020年为7420个; 2016年减贫23.4万人,2017年21.8万人:
# the same figure another year
OTHER_YEAR = regex.compile(r"(?:(?:比|较|超过|高于|低于)(?:上年|去年|(?P<y>\d{4})年)(?:全年|年?底|年?末)?(?:同期)?的"
                           r"[^\d，,。；;]{0,12}|[，,；;](?:上年|去年|\d{4}年)(?:底|末)?(?:为|是)?)$")
# 较2017年(9.94亿元)增加…, 较2017年年底的98家增加…: the figure in brackets, or after a named year's 的, right after a
# comparison is the compared year's (比上年的 is read with the figure before it, OTHER_YEAR)
COMPARED_IN_BRACKET = regex.compile(r"(?:较|比|同比|与)(?:(?P<y>\d{4})年|上年|去年)(?:同期|全年|年?底|年?末)?"
                                    r"(?:[(（]|(?<=\d年\D{0,2})的)$")
OWN_YEAR = regex.compile(r"\d{4}年|年初|年底|年末")  # 由2016年的…, 由年初的…: the old value says its time
FUNDING_PARTS = ("funding_central_provincial", "funding_city", "funding_county")
RESPECTIVELY = regex.compile(r"分别|逐年|依次")
EXITED_STOCKS = {"villages_exited_poverty", "counties_exited_poverty"}  # stocks only: a year's exits have no key
POPULATIONS = {"总人口", "户籍人口", "常住人口", "农业人口"}  # wholes whose parts are kinds of people
PART_SEPARATOR = regex.compile(r"[，,、]")
PART_ITEM = regex.compile(r"[^\d，,；;。]{1,12}(?:[\d.]+[万亿]?[户人个名元]?){1,3}")  # one item of a 其中 list:
# 脱贫户453户, 一般贫困户3014户10566人
PARTS_OPENING = regex.compile(r"\s*(?:其中|含|包括)")
SERIES_BREAK = regex.compile(r"[；;]")  # a series after 分别 does not run on past a semicolon
ELIDED_LIST = regex.compile(r"\d+(?:\.\d+)?[、和及]")  # the bare numbers of 7412、7580、6865元
# …6852元;延边州、白城市分别为7215元、6390元 (or 分别为7412、7580、6865元)
RESPECTIVE_FIGURE = regex.compile(r"分别(?:为|是|达到|达)?(?:\d+(?:\.\d+)?[、和及])*")
TO_YEAR = regex.compile(r"(?:到|至)(\d{4})年(?:底|末)?的")  # 由2012年的…到2016年的: a change's end, named
CHANGE_FROM = regex.compile(r"(?:由|从)(?:[^，,。；;\d]|\d{4}年){0,8}$")
# 由2015年的6100元增加到2019年的9900元,年均增长12.9%: the average is over the change's period
AVERAGE_AFTER = regex.compile(r"[，,]\s*(?:年均|年平均|平均每年)[^\d，,。；;]{0,6}$")
CHANGE_TO = regex.compile(r"[^，,。；;\d]{0,4}?(?:增加|提高|增长|上升|下降|降低|调整|减少|提升|增|降|减)(?:到|至|为)"
                          r"(?:\d{4}年(?:年?[底末])?的?)?")  # 到2019年底的, 到2019年年底的
# 城镇、农村居民人均可支配收入分别达到A元、B元,增长a%、b%: the first of each pair is the urban residents'
URBAN_RURAL = regex.compile(r"城\s*镇(?:常住)?(?:居民)?\s?[、和与及]\s?农\s?村(?:常住)?居民|城乡居民")
RURAL_KEYS = ("rural_income_per_capita", "rural_income_growth")
TO_ZERO = regex.compile(CHANGE_TO.pattern + r"(?:零|0(?![\d.]))")  # 下降为零, 降至0


def apply_relations(norm: str, claims: list[dict], places: Places, exprs: list[timeref.TimeExpr]) -> None:
    """Every rule, in order, on the claims of ``norm`` (each claim's list span in its ``_group``)."""
    for rule in (_apply_other_years, _apply_change_years, _apply_parallel_changes, _apply_average_periods,
                 _apply_subsets, _apply_restatements, _apply_changes, _apply_running_totals, _apply_urban_rural):
        rule(norm, claims)
        check()
    _apply_respectively(norm, places, exprs, claims)


def _earlier(claims: list[dict], i: int) -> Iterator[dict]:
    """The claims before claims[i] in its sentence, nearest first."""
    for j in range(i - 1, -1, -1):
        if claims[j]["_sentence"] != claims[i]["_sentence"]:
            return
        yield claims[j]


def _apply_subsets(norm: str, claims: list[dict]) -> None:
    """其中 …: a part keeps its indicator only when its whole has another indicator of the same theme, or
    when it is the whole's figure for a part of the place (…15836元;其中界首市达到17205元) or a year of
    a running total (累计发放6.25亿元,其中2020年新增发放1.18亿元)."""
    for i, c in enumerate(claims):
        at = _subset_marker(norm, c)
        if at is None:
            continue
        whole = _whole(norm, claims, i, at)
        if whole is None:
            continue  # 培训1.36万人次,其中雨露计划培训2873人: a part counted in another unit
        if not whole["indicator"] and c["indicator"] in FUNDING_PARTS:
            take(whole, "funding_total", "whole of funding parts")  # 今年投入30.2亿元,其中中央和省级资金26.9亿元
        if c["region"] != whole["region"] and c["indicator"] in (None, whole["indicator"]):
            if not c["indicator"] and SUBSET_PLACE.fullmatch(norm, at, c["start"]):
                take(c, whole["indicator"], "subset: a part of the place")
            continue
        if whole["cumulative"] and SUBSET_YEAR.match(norm, at):  # 累计发放6.25亿元,其中2020年…1.18亿元
            key = c["indicator"] or whole["indicator"]
            if key in EXITED_STOCKS:
                drop(c, "subset: one year's exits of a running total")  # 累计退出…,其中2019年退出976个
            else:
                take(c, key, "subset: a year of a running total")
            continue
        if not c["indicator"] or not whole["indicator"] and _one_of_listed(norm, whole, c) \
                or whole["evidence"]["indicator"].get("object") in POPULATIONS:
            continue  # (户籍人口2.7万户,其中脱贫户1099户: all of its kind in the place)
        if not whole["indicator"] or whole["indicator"] == c["indicator"] \
                or not same_theme(whole["indicator"], c["indicator"]):
            drop(c, "subset: a part of its whole")


def _one_of_listed(norm: str, whole: dict, part: dict) -> bool:
    """Whether the whole counts several kinds named together, the part's among them (低保对象、特困供养人员663户,
    其中低保对象521户: the part is all of its kind)."""
    word = part["evidence"]["indicator"].get("object")
    if not word:
        return False
    before = norm[whole["_clause"]:whole["start"]]
    at = before.find(word)
    return at >= 0 and (before[at + len(word):at + len(word) + 1] in ("、", "和", "及", "与")
                        or at > 0 and before[at - 1] in "、和及与")


def _whole(norm: str, claims: list[dict], i: int, at: int) -> dict | None:
    """The figure the part claims[i] after the 其中 at ``at`` belongs to: the last of its unit before it in
    the sentence, or in the sentence before when 其中 opens the sentence (…2.1万人。其中,患病人口3120人)."""
    c = claims[i]
    if norm[c["_sentence"]:at].strip():
        return next((p for p in _earlier(claims, i) if p["end"] <= at and p["unit"] == c["unit"]), None)
    first = next(j for j in range(i, -1, -1) if j == 0 or claims[j - 1]["_sentence"] != c["_sentence"])
    if first == 0:
        return None
    return next((p for p in [claims[first - 1], *_earlier(claims, first - 1)] if p["unit"] == c["unit"]), None)


def _subset_marker(norm: str, c: dict) -> int | None:
    """Offset of a 其中 that governs the claim: in its clause, or as the clause before it (其中,…)."""
    at = norm.rfind(SUBSET, c["_clause"], c["start"])
    if at >= 0:
        return at
    before = norm[max(c["_sentence"], c["_clause"] - 4):c["_clause"]]
    if before.rstrip("，,:：").endswith(SUBSET):
        return c["_clause"] - len(before) + before.find(SUBSET)
    at = norm.rfind(SUBSET, c["_sentence"], c["_clause"])  # 其中一般农户4700户,脱贫户380户,监测户40户
    if at >= 0 and all(PART_ITEM.fullmatch(item) for item in PART_SEPARATOR.split(norm[at + 2:c["_clause"]]) if item):
        return at
    return None


def _open_bracket(norm: str, c: dict) -> int | None:
    """Offset of the bracket the claim stands in, within its sentence, if any."""
    opened = max(norm.rfind("(", c["_sentence"], c["start"]), norm.rfind("（", c["_sentence"], c["start"]))
    if opened < 0 or max(norm.rfind(")", opened, c["start"]), norm.rfind("）", opened, c["start"])) >= 0:
        return None
    return opened


def _apply_restatements(norm: str, claims: list[dict]) -> None:
    """A figure in brackets right after another, with no object of its own, restates the same indicator
    (2542114人(2016年初确277万人,…)) — unless the bracket's figures add up to it: then they are its parts
    (22.19亿元(中央15.37亿元、省级6.82亿元)) or the bracket opens with 其中, 含 or 包括."""
    brackets: dict[int, list[int]] = {}
    for i, c in enumerate(claims):
        opened = _open_bracket(norm, c)
        if opened is not None:
            brackets.setdefault(opened, []).append(i)
    for opened, inside in brackets.items():
        whole = next((p for p in reversed(claims[:inside[0]]) if p["end"] <= opened), None)
        if not whole or not whole["indicator"] or opened - whole["end"] > 1:
            continue
        if PARTS_OPENING.match(norm, opened + 1):
            continue  # 2460人(其中享受政策户…590人,…): parts, added up or not
        same = [claims[i] for i in inside if claims[i]["unit"] == whole["unit"]]
        if len(same) >= 2 and abs(sum(c["value"] for c in same) - whole["value"]) <= 0.01 * abs(whole["value"]):
            continue
        for c in same:
            if not c["indicator"] and c["evidence"]["indicator"].get("object_from") not in ("before", "after") \
                    and c["evidence"]["indicator"].get("aspect") != "adjust":
                take(c, whole["indicator"], "restatement in brackets")  # (not 510人(死亡5人): what befell some)


def _apply_changes(norm: str, claims: list[dict]) -> None:
    """由14946元提高到16500元: the new value takes the indicator of the old one."""
    for prev, c, _ in _changes(norm, claims):
        if not c["indicator"] and prev["indicator"]:
            take(c, prev["indicator"], "change from the figure before")


def _apply_other_years(norm: str, claims: list[dict]) -> None:
    """32.86亿元,比上年的30.94亿元; 112家,比2020年底的98家; 6830个,…;2020年为7420个: a figure compared
    with, or restated for, another year is the indicator (and rate) of the last figure of its unit with
    one in its sentence; after 比上年的/比2020年的 it is of that year (a comparison's year governs nothing
    else)."""
    for i, c in enumerate(claims):
        check()
        near = []
        for p in _earlier(claims, i):
            if c["start"] - p["end"] > 60:
                break  # the claims before end ever further away
            if p["unit"] == c["unit"]:
                near.append(p)
        m = OTHER_YEAR.search(norm, near[0]["end"], c["start"]) if near else None
        if not m:
            continue
        source = next((p for p in near if p["indicator"] and c["rate"] in (None, p["rate"])), None)
        if source and not c["indicator"] and not _event_after(norm, c):
            take(c, source["indicator"], "the same figure another year")
            c["rate"] = source["rate"]
        if m.group()[0] not in "，,；;" and near[0]["year"] is not None:
            year = int(m["y"]) if m["y"] else near[0]["year"] - 1
            c["year"], c["period_start"], c["year_source"] = year, None, "explicit"
    for c in claims:
        m = COMPARED_IN_BRACKET.search(norm, max(c["_sentence"], c["start"] - 12), c["start"])
        if m and (m["y"] or c["year"] is not None):
            c["year"] = int(m["y"]) if m["y"] else c["year"] - 1
            c["period_start"], c["year_source"] = None, "explicit"


def _event_after(norm: str, c: dict) -> bool:
    """Whether what happened to the figure is said right after it (贫困村31个,2016年3个出列: that year's exits,
    not the same figure another year)."""
    cue = c["evidence"]["indicator"].get("aspect_cue")
    return bool(cue) and norm.find(cue, c["end"], c["end"] + len(cue) + 2) >= 0


def _apply_change_years(norm: str, claims: list[dict]) -> None:
    """由9.6%降到5.6%, 从75个减少到57个, 由上年的4800元增加到5390元: when the new value is of a named or
    finished year, the old value, with no time of its own, is of the year before (the year before its period
    when the new one closes a period 2016—2020, the period's first year when it runs from then to now,
    2014年以来). In a running total to a date (截至2019年底,累计…由16.8%下降至0.1%), in a change this year
    of anything but money (贫困发生率已经从3.2%降至0.4%), and in a change to zero (由2.1%下降为零), the old
    value is of some earlier time the text does not name: it has no year. A change after one in the same sentence
    that names its start (由2013年底的…) starts then too, and ends when that one does (到2016年的…)."""
    for c in claims:
        opened = _opened(norm, c)
        if opened and not OWN_YEAR.search(opened.group()) and TO_ZERO.match(norm, c["end"]):
            _unknown_start(c)
    for prev, c, own in _changes(norm, claims):
        if own or c["year"] is None:
            continue
        framed = list(BASE_YEAR.finditer(norm, c["_sentence"], prev["start"]))
        if framed and int(framed[-1]["y"]) < c["year"]:  # 由2012年的N减少到2016年的M,贫困发生率由25.6%下降到
            start = int(framed[-1]["y"])  # 10.3%: the same period, from 2012 (to 2016)
            end = TO_YEAR.search(norm, framed[-1].end(), prev["start"])
            if end and start < int(end[1]) <= c["year"]:
                c["year"], c["year_source"] = int(end[1]), "explicit"
            prev["year"], prev["period_start"], prev["year_source"] = start, None, "explicit"
            continue
        if c["period_start"] is None and (c["cumulative"] or not c.get("_past")):
            if prev["year"] == c["year"] and (c["cumulative"] or prev["unit"] != "yuan"):
                _unknown_start(prev)  # (a sum of money raised this year, 由每人每月600元提高到650元, keeps it)
            continue
        if c["period_start"] is None:
            year = c["year"] - 1
        else:
            year = c["period_start"] - (1 if c["year_source"] == "explicit" else 0)
        prev["year"], prev["period_start"], prev["year_source"] = year, None, "explicit"


def _opened(norm: str, claim: dict) -> regex.Match | None:
    """由/从 (and its time, 从2013年底的) opening a change right before the claim's list in its clause."""
    start = claim["_group"][0]
    return CHANGE_FROM.search(norm, max(claim["_clause"], start - 12), start)


def _changes(norm: str, claims: list[dict]) -> Iterator[tuple[dict, dict, bool]]:
    """The changes 由A…到B among ``claims``: (A, B, whether A names its own time, 从2013年底的A). A list changes
    into a list figure by figure of the same unit (由2014年初的4万户13万人锐减至2019年底的1021户1821人)."""
    starts = [c["start"] for c in claims]
    for prev in claims:
        opened = _opened(norm, prev)
        if not opened:
            continue
        end = prev["_group"][1]
        i = bisect.bisect_left(starts, end)
        if i == len(claims) or not CHANGE_TO.fullmatch(norm, end, claims[i]["start"]):
            continue  # (CHANGE_TO holds no clause end: the new value is in the old one's clause)
        new = next((claims[k] for k in range(i, len(claims))
                    if claims[k]["_group"] == claims[i]["_group"] and claims[k]["unit"] == prev["unit"]), None)
        if new is not None:
            yield prev, new, bool(OWN_YEAR.search(opened.group()))


def _apply_parallel_changes(norm: str, claims: list[dict]) -> None:
    """贫困人口从2013年底的A减少到2019年底的B,贫困发生率从C降至D: a change with no time of its own after one
    from a named year in its sentence runs over the same years (C of 2013, D of B's year)."""
    named: tuple[dict, dict] | None = None
    for old, new, own in _changes(norm, claims):
        if own and old["year"] and new["year"] and old["year"] < new["year"]:
            named = old, new
        elif not own and named is not None and named[1]["_sentence"] == old["_sentence"]:
            first, last = named
            old["year"], old["period_start"], old["year_source"] = first["year"], None, "explicit"
            for field in ("year", "period_start", "year_source"):
                new[field] = last[field]
            for c in (old, new):
                c["evidence"]["year"] = {"source": c["year_source"], "rule": "the years of the change before"}


def _unknown_start(claim: dict) -> None:
    """No year for the old value of a change (what it measures stays known; with no year it is no fact)."""
    claim["year"], claim["period_start"], claim["year_source"] = None, None, "none"
    claim["evidence"]["year"] = {"source": "none", "rule": "the start of a change, with no time of its own"}


def _apply_average_periods(norm: str, claims: list[dict]) -> None:
    """由2015年的6100元增加到2019年的9900元,年均增长12.9%: a yearly average right after a change between two
    named years, with no time of its own, is over that period (the end year, from the start year)."""
    for old, new, c in zip(claims, claims[1:], claims[2:], strict=False):
        if c["year_source"] != "document" or old["unit"] != new["unit"] or old["start"] < new["_clause"] \
                or not (old["year_source"] == new["year_source"] == "explicit" and old["year"] and new["year"]
                        and old["year"] < new["year"]) \
                or not CHANGE_TO.fullmatch(norm, old["end"], new["start"]) \
                or not AVERAGE_AFTER.fullmatch(norm, new["end"], c["start"]):
            continue
        c["year"], c["period_start"], c["year_source"] = new["year"], old["year"], "explicit"
        c["evidence"]["year"] = {"source": "explicit", "rule": "average over the change before"}


def _apply_running_totals(norm: str, claims: list[dict]) -> None:
    """完成危房改造2316户,2014—2020年累计完成5.21万户: a running total with no cue of its own continues the
    last figure of its unit and rate in an earlier clause of its sentence when it says nothing the
    sentence did not before that figure, and nothing after it (累计5.21万户, 累计完成5.21万户,
    累计达5.21万户; not 累计1.5万人实现就业)."""
    for i, c in enumerate(claims):
        if c["indicator"]:
            continue
        m = RUNNING_TOTAL.search(norm, c["_clause"], c["start"])
        if not m or not CLAUSE_END.match(norm, c["end"]):
            continue
        prev = next((p for p in _earlier(claims, i) if (p["unit"], p["rate"]) == (c["unit"], c["rate"])), None)
        if not prev or not prev["indicator"] or prev["_clause"] == c["_clause"]:
            continue
        if m["rest"] in norm[prev["_sentence"]:prev["start"]]:
            take(c, prev["indicator"], "running total of the figure before")


def _apply_urban_rural(norm: str, claims: list[dict]) -> None:
    """城镇、农村居民人均可支配收入分别达到19824元、6700元: of the list of two figures of a unit after the pair, the
    first is the urban residents' (no key), the second the rural residents' (one figure alone stays unsure)."""
    for c in claims:
        key = c["indicator"] or c["indicator_candidate"]
        if key not in RURAL_KEYS:
            continue
        m = URBAN_RURAL.search(norm, max(0, c["_sentence"] - 2), c["start"])  # (城\n镇: a line broken in a PDF)
        if m is None:
            continue
        after = [p for p in claims if p["_sentence"] == c["_sentence"] and p["unit"] == c["unit"]
                 and p["start"] >= m.end()]
        pair = [p for p in after if p["_group"] == after[0]["_group"]]  # (20810元、7413元: one list)
        if len(pair) == 2 and any(p is c for p in pair):
            take(c, None if c is pair[0] else key, "the urban and the rural residents' of a 城镇、农村 pair")


def _apply_respectively(norm: str, places: Places, exprs: list[timeref.TimeExpr], claims: list[dict]) -> None:
    """临泉县、阜南县、颍上县分别落实5.12亿元、4.38亿元和4.05亿元; 2016年至2019年,全区分别减贫111万人、
    103万人、116万人和97.7万人: a list after 分别/逐年/依次 takes, item by item, the places listed before
    it or the years of the range before it (one unit, one clause: not 户 and 人 of one group), when the counts
    agree (bare numbers before the last item,
    分别为7412、7580、6865元, count too). Figures right after 分别为 are, for those places, the indicator of
    the figure of their unit before them in the sentence."""
    expr_starts = [e.start for e in exprs]
    members: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(claims):
        members.setdefault(c["_group"], []).append(i)
    for (start, _), indices in members.items():
        items = [claims[i] for i in indices]
        s0 = items[0]["_sentence"]
        words = list(RESPECTIVELY.finditer(norm, s0, start))
        if not words:
            continue
        at = words[-1].start()
        figures = RESPECTIVE_FIGURE.fullmatch(norm, at, start)
        named = places.listed_before(at, s0, slack=12)
        bare = len(ELIDED_LIST.findall(norm, at, start)) if figures else 0
        if len(named) == bare + len(items) and (len(items) > 1 or figures):
            same = next((p for p in _earlier(claims, indices[0])
                         if p["end"] <= at and p["unit"] == items[0]["unit"] and p["indicator"]), None)
            for c, place in zip(items, named[bare:], strict=True):
                c["region"] = place
                if same and figures and not c["indicator"]:
                    take(c, same["indicator"], "respectively: the figure before")
                    c["rate"] = c["rate"] or same["rate"]
            continue
        near = exprs[bisect.bisect_left(expr_starts, s0):bisect.bisect_left(expr_starts, at)]
        years = [e for e in near if e.end <= at and e.kind == "explicit" and e.period_start is not None]
        one_series = len({c["unit"] for c in items}) == 1 and not SERIES_BREAK.search(norm, at, start)
        if len(items) > 1 and one_series and years and years[-1].year - years[-1].period_start + 1 == len(items):
            for i, c in enumerate(items):
                c["year"], c["period_start"], c["year_source"] = years[-1].period_start + i, None, "explicit"
                c["cumulative"] = False
                if c["indicator"] in EXITED_STOCKS:
                    drop(c, "respectively: one year's exits, not the stock of exited places")
