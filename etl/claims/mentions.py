"""Find numeric mentions (number + multiplier + unit) in a text and normalise them.

Pure functions over a string. The unit, multiplier and qualifier words live in ``data/*.csv``.

>>> [(m.text, m.value, m.unit, m.qualifier) for m in find_mentions("共有脱贫户12585户,约1.2万人")]
[('12585户', 12585.0, 'household', 'exact'), ('1.2万人', 12000.0, 'person', 'approx')]
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from etl.reading.budget import check
from etl.reading.numerals import parse_arabic, parse_chinese, to_halfwidth
from etl.tables import alternation, rows

UNIT_OF = {r["surface"]: r["unit"] for r in rows("units")}
FACTOR_OF = {r["surface"]: float(r["factor"]) for r in rows("multipliers")}
QUALIFIERS = {(r["position"], r["surface"]): r["qualifier"] for r in rows("qualifiers")}

NUM_AR = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUM_AR_RE = regex.compile(NUM_AR)
MAX_DIGITS = 30  # a longer run of digits (a broken export) is not a figure
NUM_CN = r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
MULT = alternation(list(FACTOR_OF))
UNIT = alternation(list(UNIT_OF))
FUZZY = "余|多"

MENTION = regex.compile(
    rf"(?P<num>{NUM_AR}|{NUM_CN})(?P<fz1>{FUZZY})? ?(?:(?P<mult>{MULT})(?![米瓦克]))?"
    rf"(?P<fz2>{FUZZY})? ?(?P<unit>{UNIT})?"
)
# The lower end of a range written before a mention: 5至15个百分点, 5%-15%, 3~5万元.
RANGE_SEPARATORS = "至到~-－—–"
RANGE_LOW = regex.compile(
    rf"(?P<num>{NUM_AR}) ?(?P<mult>{MULT})?(?P<unit>{UNIT})? ?[{regex.escape(RANGE_SEPARATORS)}] ?$"
)
BEFORE_Q = regex.compile(
    rf"(?:{alternation([s for p, s in QUALIFIERS if p == 'before'])}) ?$"
)
AFTER_Q = regex.compile(
    rf"(?:[(（]含[)）])?(?:{alternation([s for p, s in QUALIFIERS if p == 'after'])})"
)

# A unit surface followed by these characters is part of another word, not a unit (个人, 台账, 条件 ...).
NOT_UNIT_BEFORE = {
    "个": "月人体性工季小星", "年": "底初末度中级月份前后内代期", "户": "口籍型主", "名": "单称字义录片额",
    "家": "庭乡属长", "期": "间限", "条": "件例", "所": "以有得在属需", "间": "隔接", "台": "账阶湾",
    "处": "理置于罚级长室", "场": "所景地", "头": "雁", "只": "要有是能", "批": "准复", "份": "额",
    "支": "出付持部撑援", "位": "于置", "元": "素旦宵", "次": "日年序", "笔": "记者画", "口": "人岸径号罩碑",
}
CN_UNITS_ALLOWED = {"元", "人", "户", "人次", "亩", "吨", "公里", "名"}
RATE_AFTER = regex.compile(r"/(人·年|人/年|人·月|人/月|人|户|亩|年|月|天|日|生|村)")
RATE_AFTER_CODE = {"人·年": "per_person_year", "人/年": "per_person_year", "人·月": "per_person_month",
                   "人/月": "per_person_month", "人": "per_person", "户": "per_household", "亩": "per_mu",
                   "年": "per_year", "月": "per_month", "天": "per_day", "日": "per_day",
                   "生": "per_student", "村": "per_village"}
# Cues before a money figure in its clause, nearest wins.
RATE_BEFORE = [
    (r"每人每月|人均每月|人均月(?:收入)?|月人均", "per_person_month"), (r"每人每[天日]", "per_person_day"),
    (r"每人每年|年人均|人均(?:可支配|纯)?收入", "per_person_year"), (r"每生每年", "per_student_year"),
    (r"每[人名]|人均", "per_person"), (r"每户|户均", "per_household"), (r"每(?:个)?村|村均", "per_village"),
    (r"每(?:个)?工作队|每支", "per_team"), (r"每月|月均", "per_month"), (r"每年|年收入|年均", "per_year"),
    (r"每亩|亩均", "per_mu"),
]
RATE_BEFORE_RE = regex.compile("|".join(f"(?P<r{i}>{p})" for i, (p, _) in enumerate(RATE_BEFORE)))
CLAUSE_END = "，,。;；!！?？\n"
BARE_HOUSEHOLD = regex.compile(r"^[^\d,，。;；、]{0,8}?(?:农户|贫困户|低收入户|脱贫户|家庭|户)")
BARE_PERSON = regex.compile(r"^[^\d,，。;；、]{0,8}?(?:人口|群众|劳动力|学生|农民|人)")
MEASURE_WORDS = "平立千公米瓦顷株棵册本张块斤克"
MEASURES = ("公里", "千米", "米", "亩", "吨", "元", "户", "人")
# 公路项目310个7323公里: a count then a measure, two figures
COUNT_AND_MEASURE = regex.compile(rf"{NUM_AR} ?(?:{MULT})?(?:{'|'.join(MEASURES)})")
MONEY_CONTEXT = regex.compile(r"元|资金|金额|销售|收入|产值|贷款|投资|投入|支出|补助|补贴")


@dataclass(frozen=True)
class Mention:
    """A numeric mention: span in the text, normalised value, unit and qualifier."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    qualifier: str = "exact"
    value_high: float | None = None
    rate: str | None = None


def find_mentions(text: str, norm: str | None = None) -> list[Mention]:
    """Every numeric claim in ``text``, in order, without time references, codes and slogans.
    ``norm`` is ``to_halfwidth(text)`` when the caller has it already."""
    norm = to_halfwidth(text) if norm is None else norm
    found: list[Mention] = []
    for m in MENTION.finditer(norm):
        check()
        if m.group("unit") is None and m.group("mult") is None:
            continue  # a bare number (a year, a code, 一是): no figure without a unit or 万/亿
        mention = _mention(norm, text, m)
        if mention is None:
            continue
        low = _range_low(norm, mention, found)
        if low is not None:
            if found and found[-1].start >= low[0]:
                found.pop()
            mention = replace(mention, start=low[0], text=text[low[0]:mention.end],
                              value=low[1], value_high=mention.value)
        found.append(mention)
    return _relabel_elided(norm, found)


def _mention(norm: str, text: str, m: regex.Match) -> Mention | None:
    num, unit_s, mult = m["num"], m["unit"], m["mult"]
    start, end = m.start(), m.end()
    chinese = not num[0].isdigit()
    if len(num) > MAX_DIGITS:
        return None
    prev = norm[start - 1] if start else ""
    after = norm[end:end + 2]
    if prev and (prev in "第+/#№" or prev.isascii() and prev.isalpha()) or (
            norm[end:end + 1] in ("+", "/") and not unit_s):
        return None
    if prev.isdigit() or (prev == "." and start > 1 and norm[start - 2].isdigit()):
        return None
    if (unit_s == "个" and after[:1].isdigit() and not COUNT_AND_MEASURE.match(norm, end)) or (
            prev == "个" and start > 1 and norm[start - 2].isdigit() and unit_s not in MEASURES):
        return None  # “3个100%”: a slogan counting figures, neither figure a claim (not 项目310个7323公里)
    if chinese:
        if not any(c in "十百千万亿" for c in num) or prev in "一二三四五六七八九十":
            return None
        value = parse_chinese(num)
        if value < 10 or unit_s not in CN_UNITS_ALLOWED and not (unit_s == "个" and value > 10):
            return None  # 四个不摘, 十个全覆盖: slogans; 二十六个行政村: a count
    else:
        value = parse_arabic(num)
    if mult:
        value *= FACTOR_OF[mult]
    if unit_s is None:
        return _bare(norm, text, m, value)
    if unit_s in NOT_UNIT_BEFORE and after[:1] and after[0] in NOT_UNIT_BEFORE[unit_s]:
        return None
    unit = UNIT_OF[unit_s]
    if unit == "year" and (mult or "." in num or value >= 100 or prev in "~～-－—至到"):
        return None  # 2019年 is a date, not a duration
    if unit_s == "元" and norm[end:end + 1] == "/" and chinese:
        return None
    qualifier = _qualifier(norm, start, end, m["fz1"] or m["fz2"])
    rate = _rate(norm, start, end) if unit == "yuan" else None
    return Mention(start, end, text[start:end], value, unit, qualifier, rate=rate)


def _bare(norm: str, text: str, m: regex.Match, value: float) -> Mention | None:
    """A number with 万/亿 but no unit: the unit is read from the noun after it or the money context."""
    if not m["mult"] or m["fz2"]:
        return None
    start, end = m.start(), m.end()
    post = norm[end:end + 10]
    if post[:1] and post[0] in MEASURE_WORDS:
        return None  # 12.5万平方米, 3万千瓦: a unit we do not read
    if BARE_HOUSEHOLD.match(post):
        unit = "household"
    elif BARE_PERSON.match(post):
        unit = "person"
    elif MONEY_CONTEXT.search(_clause_before(norm, start)):
        unit = "yuan"
    else:
        return None
    return Mention(start, end, text[start:end], value, unit, _qualifier(norm, start, end, m["fz1"]))


def _clause_before(norm: str, start: int, limit: int = 40) -> str:
    window = norm[max(0, start - limit):start]
    cut = max(window.rfind(c) for c in CLAUSE_END)
    return window[cut + 1:]


def _qualifier(norm: str, start: int, end: int, inside: str | None) -> str:
    if inside:
        return QUALIFIERS[("inside", inside)]
    after = AFTER_Q.match(norm, end)
    if after:
        word = after.group().removeprefix("(含)").removeprefix("（含）")
        return QUALIFIERS[("after", word)]
    lo = max(0, start - 4)
    before = BEFORE_Q.search(norm[lo:start])
    if before and not (before.group().startswith("不到") and norm[lo + before.start() - 1] == "达"):
        return QUALIFIERS[("before", before.group().strip())]
    return "exact"


def _rate(norm: str, start: int, end: int) -> str | None:
    after = RATE_AFTER.match(norm, end)
    if after:
        return RATE_AFTER_CODE[after.group(1)]
    best = None
    for m in RATE_BEFORE_RE.finditer(_clause_before(norm, start)):
        best = RATE_BEFORE[int(m.lastgroup[1:])][1]
    return best


def _range_low(norm: str, mention: Mention, found: list[Mention]) -> tuple[int, float] | None:
    """The lower end of a range ending in ``mention``, as (start, value), if there is one."""
    if not norm[mention.start].isdigit():
        return None
    before = norm[max(0, mention.start - 24):mention.start]
    last = before.rstrip(" ")[-1:]
    if not last or last not in RANGE_SEPARATORS:
        return None
    m = RANGE_LOW.search(before)
    if not m:
        return None
    start = mention.start - (len(m.string) - m.start())
    if start > 0 and (norm[start - 1].isdigit() or norm[start - 1] in ".-"):
        return None
    low = parse_arabic(m["num"])
    if m["unit"] and UNIT_OF[m["unit"]] != mention.unit:
        return None
    if m["mult"]:
        low *= FACTOR_OF[m["mult"]]
    else:
        low *= mention.value / parse_arabic(_leading_number(mention.text))
    if not 0 <= low < mention.value:
        return None
    if found and found[-1].end > start and found[-1].start < start:
        return None
    return start, low


def _leading_number(s: str) -> str:
    return NUM_AR_RE.match(to_halfwidth(s)).group()


def _relabel_elided(norm: str, found: list[Mention]) -> list[Mention]:
    """分别高出15个、5个百分点: a bare 个 before a 个百分点 in the same list shares its unit."""
    out = list(found)
    for i in range(len(out) - 1, 0, -1):
        prev, cur = out[i - 1], out[i]
        gap = norm[prev.end:cur.start]
        if cur.unit == "percentage_point" and prev.text.endswith("个") and gap in ("、", "和", "与", "及"):
            out[i - 1] = replace(prev, unit="percentage_point")
    return out
