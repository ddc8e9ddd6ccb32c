"""From a document's text to claims: mentions, then region, year and indicator for each, then the rules
between claims (``etl.claims.relations``).

>>> [(c["text"], c["region"], c["year"], c["indicator"])
...  for c in extract_text("截至2013年底,全市共有建档立卡贫困户26180户。", region="郑州市", date="2019")]
[('26180户', '郑州市', 2013, 'poor_households')]
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from etl.claims import indicators, tables, timeref
from etl.claims.indicators import fits_level
from etl.claims.mentions import Mention, find_mentions
from etl.claims.regions import (
    COUNTRY,
    GAZETTEER,
    Places,
    claim_region,
    document_region_code,
    is_anonymised,
    national_line,
)
from etl.claims.relations import apply_relations
from etl.reading.budget import check
from etl.reading.metadata import infer_date
from etl.reading.numerals import to_halfwidth
from etl.reading.script import to_simplified
from etl.reading.segment import (
    CLAUSE_END,
    PARAGRAPH_MAX,
    SENTENCE_END,
    SENTENCE_MAX,
    Clauses,
    bounded,
    paragraphs,
    sentences,
)

LIST_GAP = regex.compile(r"^[、和及与或 ]{0,2}$")
CUMULATIVE = regex.compile(r"累计|历年")
BRACKETED = regex.compile(r"[(（][^()（）]{0,24}[)）]")  # 脱贫人口（含监测对象）务工: the cue reads through it
# 我县将推进…, 南皮县将建设…, 今年将在…搬迁: what a place will do (not 我县将脱贫攻坚作为…: 将 taking an object);
# the subject in a lookbehind, so that the search runs on 将/要 (a long list's figures each search their sentence)
FUTURE = (r"(?<=[省市县区州镇乡旗]|今年|本年|\d{4}年)[将要](?:继续|进一步|全面|推进|完成|实现|在|加大|加快|坚持|持续"
          r"|着力|深入|积极|围绕|投入|安排|新建|建设|实施|开展|搬迁|启动|组织|统筹|聚焦)")
# a plan or target is not a reported figure
# 按照…计划 names the plan a result was measured against, not a plan for the figure (indicators.PLAN_FOLLOWED).
TARGET = regex.compile(rf"力争|(?<!雨露|行动|{indicators.PLAN_REFERENCE})计划(?!生育)|我们[将要]|明年|{FUTURE}"
                       r"|[将要]确保|确保[^，,。；;]{0,20}?稳定在|(?<!完成|实现|达到|超过|了)预期目标")


# 预计全年完成…, 农村居民人均可支配收入9846元: an estimate governs the figures of its sentence that name no year of
# their own (not 预计…任务将完成,贫困发生率由2018年底的1.9%降至2019年底的0.3%: a result)
ESTIMATE = regex.compile(r"预计")
# A level to hold, in a year the text does not yet report on: an aim.
AIMED_LEVEL = regex.compile(r"稳定在|保持在?|不低于|控制在")
# 这几年他贷了5万元, 我家种了8亩茶: one person's or household's story in its clause, not a measure of the place
PERSONAL = regex.compile(r"(?<!其)(?:他|她)(?!们)|我(?![县市省区镇乡村州旗们国])|[他她我]家")  # (not 其他)
PERSON_REACH = 30  # characters before the figure a person is looked for in (a clause can be a list of thousands)
# 贫困发生率在20%以上的贫困村, 人均收入低于4000元的脱贫户: a figure that marks out a group it names after it
# (in another unit than the group's own) is a threshold, not a measure of anything.
GROUP_UNITS = {**{o: ("household", "person", "person_time") for o in indicators.PEOPLE},
               **{o: ("count",) for o in ("poor_village", "exited_village", "weak_village", "poor_county",
                                         "level_county", "key_county", "county")}}


@dataclass
class _Ctx:
    text: str
    norm: str
    sents: list[tuple[int, int, str]]
    sent_starts: list[int]
    para_starts: list[int]
    exprs: list[timeref.TimeExpr]
    expr_starts: list[int]
    dates: timeref.DocDates
    region: str | None
    places: Places
    clauses: Clauses
    cues: indicators.Cues


def extract_text(text: str, region: str | None = None, date: str | None = None,
                 report_year: int | None = None) -> list[dict]:
    """Claims of a document text. ``region``/``date`` are the document's (inferred when None; the region a
    name, a display name or a code); ``report_year`` the year it reports on, when known otherwise than from
    its date. Each claim's ``region`` is the display name unique in China, ``region_code`` its code (None for a
    region the gazetteer does not know). Traditional characters are read as their simplified twins; offsets
    stay those of ``text``."""
    full = to_simplified(to_halfwidth(text))
    code = GAZETTEER.parse(region) if region else document_region_code(full)
    if date is None:
        date = infer_date(text)
    dates = timeref.DocDates.from_date(date, report_year)
    table_found = tables.table_claims(text, full, None, code, dates) if "\t" in full else []
    norm = tables.mask(full, table_found)  # prose leaves the rows read as a table's to the table reader
    paras = bounded(norm, paragraphs(norm), PARAGRAPH_MAX, SENTENCE_END)
    sents = [s for p0, p1, _ in paras for s in bounded(norm, sentences(norm, p0, p1), SENTENCE_MAX, CLAUSE_END)]
    check()
    mentions = find_mentions(text, norm)
    lines = [p[:2] for p in paragraphs(norm)]
    line_starts = [a for a, _ in lines]
    exprs = timeref.find_time_expressions(norm, sorted({lines[i] for m in mentions
                                                        if (i := bisect.bisect_right(line_starts, m.start) - 1) >= 0}))
    check()
    starts = [s[0] for s in sents]
    held = sorted({sents[i][:2] for m in mentions if (i := bisect.bisect_right(starts, m.start) - 1) >= 0})
    places = Places(norm, code)
    ctx = _Ctx(text, norm, sents, starts, [p[0] for p in paras], exprs,
               [e.start for e in exprs], dates, code or region, places, Clauses(norm),
               indicators.scan(norm, held if sents else None, [(f.start, f.end) for f in places.found]))
    groups = _groups(norm, mentions)
    claims = []
    for m, g in zip(mentions, groups, strict=True):
        check()
        claims.append(_claim(ctx, m, g))
    apply_relations(norm, claims, ctx.places, exprs)
    if table_found:
        claims = sorted(claims + table_found, key=lambda c: c["start"])
    hidden = code is None and is_anonymised(norm)
    for c in claims:
        if hidden:
            c["region"] = None  # X县's survey: a place it names in passing is not what its figures are about
        c["region_code"] = c["region"] if GAZETTEER.place(c["region"] or "") else None
        c["region"] = GAZETTEER.display(c["region_code"]) or c["region"]
    return claims


def _groups(norm: str, mentions: list[Mention]) -> list[tuple[int, int]]:
    """For each mention, the span of the list it belongs to (26180户96467人; 6户、17人)."""
    spans = [(m.start, m.end) for m in mentions]
    i = 0
    while i < len(mentions):
        j = i
        while j + 1 < len(mentions) and LIST_GAP.match(norm[mentions[j].end:mentions[j + 1].start]):
            j += 1
        for k in range(i, j + 1):
            spans[k] = (mentions[i].start, mentions[j].end)
        i = j + 1
    return spans


def _claim(ctx: _Ctx, m: Mention, group: tuple[int, int]) -> dict:
    norm = ctx.norm
    si = max(0, bisect.bisect_right(ctx.sent_starts, m.start) - 1)
    s0, s1, sentence = ctx.sents[si] if ctx.sents else (0, len(norm), norm)
    p0 = ctx.para_starts[max(0, bisect.bisect_right(ctx.para_starts, m.start) - 1)] if ctx.para_starts else 0
    c0 = ctx.clauses.start(m.start, s0)
    at = group[0]  # the figures of a list share its time (由2014年初的4万户13万人)
    exprs = ctx.exprs[bisect.bisect_left(ctx.expr_starts, p0):bisect.bisect_left(ctx.expr_starts, at)]
    expr = timeref.governing_expression(norm, exprs, at, c0, (s0, s1), p0)
    expr = timeref.adjust_now(expr, norm, exprs, at, p0)
    if expr is None or expr.start < c0:
        expr = timeref.following_expression(norm, ctx.exprs, ctx.expr_starts, group[1]) or expr
    year, period_start, year_source = timeref.resolve_year(expr, ctx.dates)
    target = TARGET.search(norm, s0, m.start)
    if target and indicators.PLAN_MET.search(norm, target.end(), m.start):
        target = None  # 计划出列N个村,经核查已达到标准;…: the plan was met, what follows is its result
    if not target and year and ctx.dates.report and year > ctx.dates.report:
        target = AIMED_LEVEL.search(norm, c0, m.start)  # 2023年…务工就业稳定在98万人以上 in a January 2023 text
    if not target and year_source != "explicit":
        target = ESTIMATE.search(norm, s0, m.start)  # (dated to the year reported on, no later one)
    elif target and expr is not None and expr.kind == "plan":
        year = expr.year  # 十三五期间…计划总投资N: what the plan aims at, by its last year
    elif target and year_source == "document" and ctx.dates.now:
        year = max(year or 0, ctx.dates.now)  # a target in a January report is for the year it was written
    line = m.unit == "yuan" and national_line(norm, m.start, m.end)  # the country's, and no indicator
    region = COUNTRY if line else claim_region(norm, ctx.places, ctx.clauses, group[0], c0, s0, p0, ctx.region)
    reading = indicators.Reading(None, None, "high", {"rule": "national poverty line"}) if line \
        else _reading(ctx, m, group, (s0, s1), target, region, year, period_start)
    return {
        "start": m.start, "end": m.end, "text": m.text, "value": m.value, "value_high": m.value_high,
        "unit": m.unit, "rate": m.rate, "qualifier": m.qualifier,
        "region": region,
        "year": year, "period_start": period_start, "year_source": year_source,
        "cumulative": bool(CUMULATIVE.search(norm, s0, m.start)),
        "indicator": reading.key, "indicator_candidate": reading.candidate, "confidence": reading.confidence,
        "evidence": {"indicator": reading.evidence, "year": {"source": year_source},
                     "region": {"document": ctx.region}},
        "sentence": ctx.text[s0:s1].strip(), "sentence_start": s0,
        "_clause": c0, "_sentence": s0, "_group": group,
        "_past": year_source == "explicit" or bool(year and ctx.dates.now and year < ctx.dates.now),
    }


# the poverty register (建档立卡) began in 2014, from end-2013 counts: a register figure of 2012 or before is the
# survey's or an earlier programme's, and those lifted over a span from before 2014 are no stock of its lifted
REGISTER_YEAR = 2014
REGISTER_COUNTED = 2013  # the year of its first counts (end-2013)
LIFTED_STOCKS = {"lifted_households", "lifted_population"}
REGISTER_KEYS = LIFTED_STOCKS | {"poor_households", "poor_population", "poor_villages", "remaining_poor_households",
                                 "remaining_poor_population", "remaining_poor_villages", "lifted_households_annual",
                                 "lifted_population_annual", "villages_exited_poverty"}

# a figure for part of a year (上半年, 1-9月, 前三季度): no whole year's income
PART_OF_YEAR = regex.compile(r"上半年|下半年|前三季度|[一二三]季度|前[一二三四五六七八九十]{1,2}个月"
                             r"|(?<!\d)1\s*[-—–~至到]\s*(?:[1-9]|1[01])\s*月")


def _reading(ctx: _Ctx, m: Mention, group: tuple[int, int], sentence: tuple[int, int], target, region,
             year: int | None, period_start: int | None):
    """The indicator reading of a claim: none for a plan or target (TARGET), none when the indicator does
    not fit the region's level (州级资金 in a county's accounts: money from above); low for a register figure of
    a year before the register, for the lifted over a span from before it, and for a whole year's income in part
    of a year."""
    if target:
        return indicators.Reading(None, None, "high", {"rule": "target", "cue": target.group()})
    person = PERSONAL.search(ctx.norm, max(ctx.clauses.start(m.start, sentence[0]), m.start - PERSON_REACH), m.start)
    if person:
        return indicators.Reading(None, None, "high", {"rule": "one person's", "cue": person.group()})
    marked = _group_marked_out(ctx, m)
    if marked is not None:
        return indicators.Reading(None, None, "high", {"rule": "threshold", "cue": marked})
    lo = max(sentence[0], group[0] - indicators.BEFORE)
    skip = [b.span() for b in BRACKETED.finditer(ctx.norm, lo, group[0])] if "(" in ctx.norm[lo:group[0]] \
        or "（" in ctx.norm[lo:group[0]] else None
    reading = indicators.in_rounds(indicators.read(ctx.cues, group, sentence, m.unit, m.qualifier, skip), m.text)
    if reading.candidate and not fits_level(reading.candidate, GAZETTEER.level(region or "")):
        return indicators.Reading(None, None, "high", {**reading.evidence, "rule": "region level"})
    if reading.key in REGISTER_KEYS and year is not None and year < REGISTER_COUNTED:
        return indicators.Reading(None, reading.key, "low", {**reading.evidence, "cue": str(year),
                                                             "rule": "a year before the register"})  # 2011年…
    if reading.key in LIFTED_STOCKS and period_start is not None and period_start < REGISTER_YEAR:
        return indicators.Reading(None, reading.key, "low", {**reading.evidence, "cue": str(period_start),
                                                             "rule": "span from before the register"})  # 2012-2017
    if reading.key in indicators.annual_keys() and (part := PART_OF_YEAR.search(ctx.norm, sentence[0], m.start)):
        return indicators.Reading(None, reading.key, "low", {**reading.evidence, "rule": "part of a year",
                                                             "cue": part.group()})  # 上半年人均纯收入7060元
    return reading


def _group_marked_out(ctx: _Ctx, m: Mention) -> str | None:
    """The group a figure marks out (20%以上的【贫困村】; not 收入7762元的…县, with no comparison), when it is a
    threshold (``indicators.CONDITION``, which also makes the figure that counts the group a part)."""
    end = indicators.condition_at(ctx.norm, m.start, m.end)
    if end is None:
        return None
    tok = next((t for t in ctx.cues.between(end, end + 8) if t.cue and t.cue.object), None)
    if tok is None or tok.start - end > 4 or m.unit in GROUP_UNITS.get(tok.cue.object, (m.unit,)):
        return None
    return ctx.cues.text[tok.start:tok.end]


def public(claim: dict) -> dict:
    """The claim without the private keys used while extracting."""
    return {k: v for k, v in claim.items() if not k.startswith("_")}

