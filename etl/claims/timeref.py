"""Resolve the year a claim describes from the time expressions around it.

Scopes, nearest first: the claim's own clause; an expression opening an earlier clause of the sentence
(after a bullet such as ●, 一是, ② too; up to the sentence end, a semicolon, or its closing bracket); an
explicit year opening an earlier sentence of the paragraph, or an as-of date opening one of its clauses
(截至2013年底, …), for a sentence naming no time of its own. Relative words use the document's date:
今年/目前/截至目前 -> the date's year (the reporting year when a title names it); 去年 -> the year before the
date's; 全年/上半年 and unmarked figures -> the reporting year (the date's year; the year before for a report
dated January to March, which reports on the year just ended).

Not the time of a figure: 较2019年, 2018年及以前, and yardsticks (占2014年末农业人口的2.6%, 为上年的112%).
Periods running to now: 2016年以来, 2014年至今, 2016年精准扶贫开展以来, 2016年起, 精准扶贫工作开展以来, 近年来, 此后
(the reporting year). A time long past (曾几何时, 30年前) gives no year. 脱贫攻坚期间 ends in 2020;
脱贫攻坚结束后 is 2021. A bare 至年底 is the end of the year last named in the paragraph; a year run into its
month (202110月底) is still a year.

>>> anchors = find_time_expressions("截至2013年底,全市共有贫困户26180户")
>>> [(a.kind, a.year) for a in anchors]
[('explicit', 2013)]
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import regex

from etl.reading.budget import check
from etl.reading.segment import SENTENCE_MAX

YEAR = r"(?:19|20)\d{2}"
# The lookahead lists the characters an expression can start with, so that other positions are skipped fast;
# the standard library's engine runs this alternation about twice as fast as ``regex``.
TIME_EXPR = re.compile(
    rf"""(?=[\d“"党十较比与同近这经截到至目当今本现全年上下去明两三四五六七八九占脱此后多是为相曾昔如])
    (?:(?P<yard>占(?!比)[^，,。；;\d的由从]{{0,8}}?(?:{YEAR}\x20?年|上年|去年)(?:底|末|初)?
        |(?:是|为|相当于)(?:{YEAR}\x20?年|上年|去年)(?:底|末)?(?:同期)?的(?=\x20?[\d.]+\x20?(?:倍|%)))
    |(?P<campaign>脱贫攻坚(?:战)?(?:期间|期内|时期))
    |(?P<after>脱贫攻坚(?:战|任务)?(?:结束|收官|完成|全面胜利)(?:后|以后))
    |(?P<sameyear>(?<!每)(?<!每年)(?:截至|截止到?|到|至)?(?:当年)?(?:年底|年末))
    |(?P<later>此后|后来|近(?:几|些)?年(?:以)?来|多年(?:以)?来)
    |(?P<past>曾几何时|昔日|(?:\d{{1,2}}|[两三四五六七八九十]{{1,3}})多?年前|多年前)
    |(?P<range>(?P<y1>{YEAR})\x20?年?\x20?(?:~|-|－|—|–|至|到|和|、)\x20?(?P<y2>{YEAR})\x20?(?:年(?:度)?|(?=累计|期间)))
    |(?P<toprev>(?P<y0>{YEAR})\x20?年\x20?(?:至|到)\x20?(?:去年|上年))
    |(?P<upto>{YEAR}\x20?年(?:及|以)?(?:以前|前))
    |(?P<since>(?P<ys>{YEAR})\x20?年(?:以来|来|至今))
    |(?P<congress>党的十八大以来|十八大以来)
    |(?P<plan>[“"]?十(?P<plan_n>[二三四五])五[”"]?(?:期间|时期|以来)?)
    |(?P<compare>(?:较|比|与|同)\x20?(?:{YEAR}\x20?年|去年|上年)(?:同期|底)?)
    |(?P<relnow>(?:近|这)?(?:\d{{1,3}}|[两三四五六七八九十])年(?:来|以来)|经过\d{{1,3}}年[^，,。；;]{{0,12}}后)
    |(?P<year>(?P<asof>截至|截止到?|到|至)?\x20?(?P<y>{YEAR})\x20?(?:年|(?=(?:0?[1-9]|1[0-2])\x20?月))
        (?P<date>\d{{1,2}}月\d{{1,2}}[日号])?(?P<part>底|末|初|年初|年底|上半年|下半年|前三季度|\d{{1,2}}月(?:底|末|份)?|度)?)
    |(?P<month>(?<![年\d])(?:截至|截止到?|到)?(?:\d{{1,2}}\x20?(?:—|-|–|~|至|到)\x20?)?(?P<m>\d{{1,2}})\x20?月
        (?:底|末|份|上旬|中旬|下旬)?)
    |(?P<now>截至目前|截止目前|到目前为止|目前|当前|至今(?!年)|如今|今年|本年度|现有|现已|现在|现(?=剩余|尚有|还有|仍有))
    |(?P<report>全年|年内|上半年|下半年|本年)
    |(?P<prev>去年|上年|上一年)
    |(?P<next>明年|下一年))
    """,
    re.VERBOSE,
)
# 2016年精准扶贫工作开展以来, 2016年起: a year naming when a period began, the period running to now
SINCE_TAIL = re.compile(r"(?!是)[^\d，,。；;、:：\n“”\"()（）]{0,14}?以来|起(?![草来])|开始(?=[，,])")
# (2018年是脱贫攻坚战打响以来…的一年: the year is what is spoken of, no period's start)
# 精准扶贫工作开展以来, (no year): a period running to now, opening its clause
EVENT_SINCE = regex.compile(r"(?:(?<=[，,。；;！？!?\n])|^)[\s　]*(?:自|从)?"
                            r"[^\d，,。；;:：、\n“”\"()（）]{2,14}?以来(?=[，,])")
SINCE_PARTS = {"": 0, "初": 0, "年初": 0, "底": 1, "末": 1, "年底": 1}  # 2018年底以来 runs from 2019
MONTH_PART = re.compile(r"\d{1,2}月(?:份)?")  # 2016年10月…以来 runs from 2016
CAMPAIGN_END = 2020  # the last year of the 脱贫攻坚 campaign: 脱贫攻坚期间, 脱贫攻坚结束后 (the year after)
SEMICOLON = regex.compile("[；;]")
ITEM = regex.compile(r"[一二三四五六七八九十]是|[(（][一二三四五六七八九十][)）]")
NEXT_ITEM = regex.compile(r"(?:^|(?<=[。！？!?\s]))(?:[二三四五六七八九十]是|[(（][二三四五六七八九十][)）])")
BOUND = regex.compile(r"的\x20?(?:每人每[年月])?[\d.]+\x20?[万亿]?[^\d，,。；;]{0,3}")
# a bullet or list marker opening a line or an item: ●, 一是, 1., (二), 三、
BULLET = (r"(?:[●○◆◇■□▲△★☆·•▶►①-⑳]|[一二三四五六七八九十]是|\d{1,2}[.、．](?!\d)"
          r"|[(（][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)?")
# what may stand before a year that frames what follows (【田华军】 is a speaker)…
OPENERS = regex.compile(rf"^[\s　“‘「『\"]*(?:【[^】]{{1,8}}】)?{BULLET}[\s　]*(?:其中|在|于|从|自|截至|截止|到)?$")
# …and before one that opens a clause: 力争到2025年, 全市“十三五”期间 (after a footnote's mark, [2], too)
CLAUSE_OPENERS = regex.compile(rf"^[\s　“‘「『\"]*(?:【[^】]{{1,8}}】|\[\d{{1,3}}\])?{BULLET}[\s　]*"
                               r"(?:力争|计划|预计|[全我][省市县区州])?(?:其中|在|于|从|自|截至|截止|到)?$")
FROM_EVENT = regex.compile(r"^[\s　]*(?:从|自)[^\d，,。；;、]{1,14}$")  # 从新一轮帮扶启动|到2018年底


@dataclass(frozen=True)
class TimeExpr:
    """A time expression: where it is, what kind, the year it names and the period start."""

    start: int
    end: int
    kind: str  # explicit, date, since, relnow, month, now, report, prev, next, past
    year: int | None
    period_start: int | None = None
    asof: bool = False
    month: int | None = None  # the (last) month of a bare month expression: 截至5月底, 1—5月


@dataclass(frozen=True)
class DocDates:
    """The two years relative words resolve to."""

    now: int | None  # year of the document's date: 目前
    report: int | None  # reporting year: 全年, unmarked figures
    month: int | None = None  # month of the document's date
    this_year: int | None = None  # 今年, 截至目前: the reporting year a title names, else ``now``

    @classmethod
    def from_date(cls, date: str | None, report_year: int | None = None) -> DocDates:
        """'2020-03-26' -> now 2020, report 2019; '2019' -> 2019, 2019; None -> None, None. A reporting year
        known otherwise (a title's 2021年工作总结, published in January 2022) is taken as given, and is the
        year of its 今年; its 去年 is still the year before the date's (2021).

        >>> DocDates.from_date("2022-01-12", 2021)
        DocDates(now=2022, report=2021, month=1, this_year=2021)
        """
        if not date or not date[:4].isdigit():
            return cls(report_year, report_year, None, report_year)
        year = int(date[:4])
        month = int(date[5:7]) if len(date) >= 7 and date[5:7].isdigit() else None
        report = year - 1 if month is not None and month <= 3 else year
        if report_year is None:
            return cls(year, report, month, year)
        return cls(year, report_year, month, report_year)


def find_time_expressions(text: str, spans: list[tuple[int, int]] | None = None) -> list[TimeExpr]:
    """Every time expression in the text (or in its ``spans``, in order: the lines that hold figures, since an
    expression governs only within its line), in order."""
    out = []
    parts = [(0, len(text))] if spans is None else spans
    for m in (m for a, b in parts for m in TIME_EXPR.finditer(text, a, b)):
        check()
        if m["upto"] or m["compare"] or m["yard"]:
            continue  # 2018年及以前, 较2019年, 占2014年末…的: not the time a figure describes
        if m["campaign"]:
            out.append(TimeExpr(m.start(), m.end(), "plan", CAMPAIGN_END))
        elif m["after"]:
            out.append(TimeExpr(m.start(), m.end(), "explicit", CAMPAIGN_END + 1))
        elif m["sameyear"]:  # 2017年初…。至年底,…: the end of the year last named in the paragraph
            named = next((e for e in reversed(out) if e.kind in ("explicit", "date") and e.period_start is None
                          and "\n" not in text[e.end:m.start()]), None)
            out.append(TimeExpr(m.start(), m.end(), "explicit" if named else "report", named and named.year,
                                asof=True))
        elif m["past"]:  # 曾几何时, 30年前: a time long past that the text does not date
            out.append(TimeExpr(m.start(), m.end(), "past", None))
        elif m["later"]:
            out.append(TimeExpr(m.start(), m.end(), "since", None))
        elif m["range"]:
            out.append(TimeExpr(m.start(), m.end(), "explicit", int(m["y2"]), int(m["y1"])))
        elif m["toprev"]:  # 从2013年至去年: from that year to the year before the text's
            out.append(TimeExpr(m.start(), m.end(), "toprev", None, int(m["y0"])))
        elif m["since"]:
            out.append(TimeExpr(m.start(), m.end(), "since", None, int(m["ys"])))
        elif m["plan"]:
            end = {"二": 2015, "三": 2020, "四": 2025, "五": 2030}[m["plan_n"]]
            out.append(TimeExpr(m.start(), m.end(), "plan", end, end - 4))
        elif m["congress"]:
            out.append(TimeExpr(m.start(), m.end(), "since", None, 2012))
        elif m["relnow"]:
            out.append(TimeExpr(m.start(), m.end(), "relnow", None))
        elif m["year"] and not (m["date"] or m["asof"]) and _since_part(m["part"] or "") is not None \
                and (tail := SINCE_TAIL.match(text, m.end())):  # 2016年精准扶贫以来, 2018年底以来, 2016年10月…以来
            out.append(TimeExpr(m.start(), tail.end(), "since", None, int(m["y"]) + _since_part(m["part"] or "")))
        elif m["year"]:
            kind = "date" if m["date"] else "explicit"
            asof = bool(m["asof"]) or (m["part"] or "") in ("底", "末", "年底")
            out.append(TimeExpr(m.start(), m.end(), kind, int(m["y"]), asof=asof))
        elif m["month"]:
            out.append(TimeExpr(m.start(), m.end(), "month", None, month=int(m["m"])))
        elif m["now"]:
            out.append(TimeExpr(m.start(), m.end(), "now", None))
        elif m["report"]:
            out.append(TimeExpr(m.start(), m.end(), "report", None))
        elif m["next"]:
            out.append(TimeExpr(m.start(), m.end(), "next", None))
        else:
            out.append(TimeExpr(m.start(), m.end(), "prev", None))
    return _with_event_periods(text, out, parts)


def _since_part(part: str) -> int | None:
    """Years to add to the year of ``part`` (底 of 2018年底以来: from 2019) when a period can run from it."""
    return SINCE_PARTS.get(part, 0 if MONTH_PART.fullmatch(part) else None)


def _with_event_periods(text: str, exprs: list[TimeExpr], parts: list[tuple[int, int]]) -> list[TimeExpr]:
    """Add the yearless periods running to now that open a clause (精准扶贫工作开展以来,), where they overlap no
    other expression."""
    extra = []
    for m in (m for a, b in parts for m in EVENT_SINCE.finditer(text, a, b)):
        start = m.end() - len(m.group().lstrip())
        if not any(e.start < m.end() and start < e.end for e in exprs):
            extra.append(TimeExpr(start, m.end(), "since", None))
    return sorted(exprs + extra, key=lambda e: e.start) if extra else exprs


def resolve_year(expr: TimeExpr | None, dates: DocDates) -> tuple[int | None, int | None, str]:
    """(year, period_start, source) of a claim governed by ``expr`` (None: no expression)."""
    if expr is None:
        return dates.report, None, "document" if dates.report else "none"
    if expr.kind in ("explicit", "date"):
        return expr.year, expr.period_start, "explicit"
    if expr.kind == "past":
        return None, None, "none"
    if expr.kind == "plan":  # a five-year plan: its last year, or the reporting year while it runs
        if dates.report is None:
            return expr.year, expr.period_start, "explicit"
        return min(expr.year, dates.report), expr.period_start, "explicit"
    if expr.kind == "month" and dates.now and dates.month and expr.month and expr.month > dates.month \
            and dates.this_year in (None, dates.now):  # (a summary that reports on an earlier year: its own)
        return dates.now - 1, None, "document"  # 截至12月底 in a March report: last December
    if expr.kind == "now":
        year = dates.now if dates.this_year is None else dates.this_year
        return year, None, "document" if year else "none"
    if expr.kind == "month":
        year = dates.now if dates.this_year is None else dates.this_year
        return year, None, "document" if year else "none"
    if expr.kind == "toprev":
        base = dates.now if dates.this_year is None else dates.this_year
        return (base - 1 if base else None), expr.period_start, "explicit" if base else "none"
    if expr.kind in ("prev", "next"):  # counted from the year the text speaks from: a 2021 summary's 去年 is 2020
        step = -1 if expr.kind == "prev" else 1
        base = dates.now if dates.this_year is None else dates.this_year
        return (base + step if base else None), None, "document" if base else "none"
    return dates.report, expr.period_start, "document" if dates.report else "none"


OPENER_REACH = 200  # openers are short: a clause start further back than this leaves no room for one only
CLAUSE_STARTS_AFTER = regex.compile(r"[，,；;：:\n。！？!?(（]", flags=regex.REVERSE)  # searched backwards
SENTENCE_STARTS_AFTER = regex.compile(r"[。！？!?\n]", flags=regex.REVERSE)


def _start_after(text: str, starts_after: regex.Pattern, floor: int, pos: int) -> int:
    """Where the span ending at ``pos`` begins: after the last match of ``starts_after`` before it, looked
    for from ``floor`` on and at most OPENER_REACH characters back."""
    lo = max(floor, pos - OPENER_REACH)
    m = starts_after.search(text, lo, pos)
    return m.end() if m else lo


def is_clause_initial(text: str, expr: TimeExpr) -> bool:
    """True when only an opener word (其中, 在, 截至 …) stands between the clause start and ``expr``."""
    before = text[_start_after(text, CLAUSE_STARTS_AFTER, 0, expr.start):expr.start]
    return bool(CLAUSE_OPENERS.match(before)) or (text[expr.start] in "到至" and bool(FROM_EVENT.match(before)))


def _closing_bracket(text: str, start: int, end: int) -> int | None:
    """Where the bracket group open at ``start`` closes (before ``end``), if it is open at start."""
    depth = 0
    for i in range(start - 1, max(-1, start - 1 - SENTENCE_MAX), -1):
        c = text[i]
        if c in ")）":
            depth += 1
        elif c in "(（":
            if depth == 0:
                for j in range(start, end):
                    if text[j] in ")）":
                        return j
                return end
            depth -= 1
        elif c in "。\n":
            break
    return None


def governing_expression(
    text: str, exprs: list[TimeExpr], pos: int, clause_start: int, sentence: tuple[int, int],
    paragraph_start: int,
) -> TimeExpr | None:
    """The time expression that governs a claim at ``pos`` (see the module docstring). A bare month
    (截至5月底, 1—5月) is of the year opening the last clause before it in its sentence that names one
    (not in a 《title》), else of the document's year."""
    expr = _governing(text, exprs, pos, clause_start, sentence, paragraph_start)
    if expr is not None and expr.kind == "month":
        frames = [e for e in exprs if sentence[0] <= e.start < expr.start and is_clause_initial(text, e)
                  and text.rfind("《", sentence[0], e.start) <= text.rfind("》", sentence[0], e.start)]
        return frames[-1] if frames and frames[-1].kind in ("explicit", "date") else expr
    return expr


def _governing(
    text: str, exprs: list[TimeExpr], pos: int, clause_start: int, sentence: tuple[int, int],
    paragraph_start: int,
) -> TimeExpr | None:
    """The governing expression by scope: the claim's clause, an opening expression earlier in the sentence,
    then an explicit year framing the paragraph."""
    sent_start, sent_end = sentence
    before = [e for e in exprs if paragraph_start <= e.start and e.end <= pos]
    in_clause = [e for e in before if e.start >= clause_start and not _bound_elsewhere(text, e, pos)]
    if in_clause:
        return in_clause[-1]
    for e in reversed([e for e in before if e.start >= sent_start]):
        if not is_clause_initial(text, e):
            continue
        if SEMICOLON.search(text, e.end, pos) and not _sentence_initial(text, e, sent_start):
            continue  # a semicolon closes what a mid-sentence opening expression governs
        close = _closing_bracket(text, e.start, sent_end)
        if close is None or close > pos:
            return e
    own = any(e.start >= sent_start for e in before)  # a sentence naming a time of its own takes no frame…
    frames = [e for e in before if e.start < sent_start and e.kind in ("explicit", "now", "month", "since")
              and not (NEXT_ITEM.search(text, e.end, sent_start)  # 一是…2016年初…。二是…: item one's only
                       and ITEM.search(text, paragraph_start, e.start))  # (2020年,…一是…二是…: all of them)
              and (_sentence_initial(text, e, paragraph_start)
                   or not own and e.asof and is_clause_initial(text, e))]  # …from a clause's as-of date
    if not frames and before and before[0].kind == "prev" and before[0].start < sent_start \
            and OPENERS.match(text[paragraph_start:before[0].start]) and not MONTH_PART.match(text, before[0].end):
        return before[0]  # 去年,全州…。特别是,…: a paragraph opened by 去年 is last year's account (not 去年5月,
        # when something began)
    return frames[-1] if frames and frames[-1].kind == "explicit" else None


# 7户23人于2020年全部脱贫: a year the figure's own clause puts after it with 于/在
AFTER_FIGURE = regex.compile(r"[^，,。；;:：\d]{0,8}?(?:于|在) ?")


def following_expression(text: str, exprs: list[TimeExpr], starts: list[int], end: int) -> TimeExpr | None:
    """The explicit year right after a figure ending at ``end`` that its clause ties to it (…于2020年…)."""
    i = bisect.bisect_left(starts, end)
    if i < len(exprs) and exprs[i].kind in ("explicit", "date") and AFTER_FIGURE.fullmatch(text, end, exprs[i].start):
        return exprs[i]
    return None


def adjust_now(expr: TimeExpr | None, text: str, exprs: list[TimeExpr], pos: int,
               paragraph_start: int) -> TimeExpr | None:
    """目前 right after an as-of statement in the same paragraph (截至2018年底…。目前…) keeps that as-of year."""
    if expr is None or expr.kind != "now" or text[expr.start:expr.end] not in ("目前", "当前"):
        return expr
    frames = [e for e in exprs if paragraph_start <= e.start < expr.start and e.kind == "explicit" and e.asof
              and _sentence_initial(text, e, paragraph_start)]
    return frames[-1] if frames else expr


def _bound_elsewhere(text: str, expr: TimeExpr, pos: int) -> bool:
    """由2018年底的27.4%下降到10.1%: an expression joined by 的 to the figure after it describes that
    figure only."""
    m = BOUND.match(text, expr.end)
    return bool(m) and m.end() <= pos


def _sentence_initial(text: str, expr: TimeExpr, paragraph_start: int) -> bool:
    return bool(OPENERS.match(text[_start_after(text, SENTENCE_STARTS_AFTER, paragraph_start, expr.start):expr.start]))
