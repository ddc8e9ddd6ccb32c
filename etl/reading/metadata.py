"""Document metadata: the manifest beside the documents, and what can be inferred from the text.

The manifest (``manifest.csv``: file,title,issuer,region,date,source[,report_year,provenance]) overrides
inference. From the text (``infer``), pure functions over the page's own furniture:

- labelled fields of the header: ``发布机构 | X``, ``发布日期: 2020-05-06``, ``成文日期``, ``生成日期``,
  ``发布时间``, ``来源: X日报``, ``名称: <title>`` (simplified or traditional, ``|`` tables or colons);
- a byline (``本报讯(X报记者 …)``) and a dateline (``X网南宁1月21日电``, ``X网1月19日消息``): a dateline's
  month and day take the year of a labelled date, else the latest year the text reports on;
- the title (the first line that is not furniture) and what it says: ``X局关于…``, ``2021年X局工作开展情况``;
- the signature: an issuing office on the line before a date at the end.

The reporting year is set only when the title or header says it (``2021年…工作总结``, ``2021年度…``);
otherwise it follows from the date (``etl.claims.timeref.DocDates.from_date``).
"""
from __future__ import annotations

import bisect
import csv
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import regex

from etl.reading.numerals import parse_chinese, to_halfwidth
from etl.reading.script import to_simplified
from etl.tables import alternation, rows

OUTLET_NAMES = {r["short"]: r["name"] for r in rows("outlets")}  # 中新网 -> 中国新闻网 (data/outlets.csv)

MANIFEST = "manifest.csv"
FIELDS = ("title", "issuer", "region", "date", "report_year")  # the fields whose provenance is kept
PROVENANCES = ("given", "manifest", "text", "file")

DATE = regex.compile(r"(?P<y>(?:19|20)\d{2})(?:[-/.年] ?(?P<m>\d{1,2})(?:[-/.月] ?(?P<d>\d{1,2})日?)?)?")
FULL_DATE = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2}) ?(?:-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"
                          r"|年 ?(?P<m>\d{1,2}) ?月 ?(?P<d>\d{1,2}) ?日"
                          r"|/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)|\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?!\d))")
YEAR_MENTION = regex.compile(r"(?<![\d\-—–~至到])((?:19|20)\d{2}) ?年(?!\s*[-—–~至到]\s*(?:19|20)?\d{2})")
TARGET_YEAR = regex.compile(r"(?:到|至|力争|计划|预计|争取|截至|(?:承诺|确保|定在|要在)[:：]?)(?:19|20)\d{2}年"
                            r"|(?:19|20)\d{2}年(?:底|末)?前"  # 在2019年底前逐年摘帽: a deadline
                            r"|(?:19|20)\d{2}年[^。,;\n\d年]{0,16}?(?:工作计划|计划|规划|工作要点|目标任务)"
                            r"|(?:19|20)\d{2}年[,，]?[^。,，;；\n\d]{0,6}?(?:将|力争|预计)(?!近)")  # 2019年,西藏将…
YEAR_RANGE = regex.compile(r"(?:19|20)\d{2} ?年? ?[-—–~至到] ?(?:19|20)\d{2}")
# 由2013年底的346万人减少到…: a change's named start, before the text (etl.claims.relations reads it too)
BASE_YEAR = regex.compile(r"(?:由|从)(?P<y>(?:19|20)\d{2}) ?年(?:底|末|初)?的")
LAST_YEAR_MONTHS = 9  # a yearless dateline up to September (March: whatever it says) reports the year before
# 增加到2020年的9860元, 截至2019年底, 到2016年底,全区有…: a year reported on after all (a value reached, a date
# as of which, a stock as of a year's end)
REACHED_YEAR = regex.compile(r"(?:(?:增加|提高|增长|上升|提升|减少|下降|降低|增|降|减)(?:到|至)"
                             r"(?P<y>(?:19|20)\d{2}) ?年"
                             r"(?:底|末)?的"
                             r"|(?<!力争|计划|预计|争取|确保|目标)(?:截至|截止)(?P<y>(?:19|20)\d{2}) ?年"
                             r"(?:年?(?:底|末)|\d{1,2}月(?:底|末)))"  # 截至2020年8月末: a date reached
                             r"|(?:到|至)(?P<y>(?:19|20)\d{2}) ?年(?:底|末)[,，]?"  # 到2016年底,全区有…: a stock
                             r"(?:全|我|该)?[省市县区州旗盟镇乡村]?[^。,，;；\d]{0,4}?"  # as of then, not a goal
                             r"(?:已|共有|累计|剩余|还有|仍有|尚有|有(?![望效力序关]))")

# traditional to simplified for the labels only: same length, so offsets into the page stay valid
_LABEL_CHARS = str.maketrans("發佈時間來機構題標網報訊記電聞稱導編輯號類實創開資單",
                             "发布时间来机构题标网报讯记电闻称导编辑号类实创开资单")
PINYIN = regex.compile(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\)")  # 發(fā)布: a mirror's ruby text
LABELS = ("发布机构|发文机关|发文单位|发布单位|信息来源|文章来源|稿件来源|发布日期|发布时间|发文日期|"
          "成文日期|生成日期|印发日期|公开日期|更新时间|索引号|主题分类|组配分类|体裁分类|服务对象分类|发文字号|"
          "关键词|关键字|责任编辑|浏览次数|点击数|公文时效|有效性|信息分类|所属机构|公开方式|公开范围|点击量|"
          "阅读量|阅读次数|访问次数")
# labels only where no word runs into them (资金来源, 原标题 are not labels)
GENERIC_LABELS = "来源|日期|时间|名称|标题|作者|编辑|文号|字号|字体"
LABEL = regex.compile(rf"(?:(?P<label>{LABELS})|(?<![\p{{Han}}])(?P<label>{GENERIC_LABELS}))"
                      r"(?:\([\p{Han}]{1,4}\))?\s*(?:[:：|]|(?=\s*(?:19|20)\d{2}[-年/.]))\s*")
DATE_LABELS = {"发布日期": 0, "发布时间": 0, "公开日期": 0, "发文日期": 1, "成文日期": 1, "生成日期": 1,
               "印发日期": 1, "日期": 2, "时间": 2, "更新时间": 3}
ISSUER_LABELS = {"发布机构": 0, "发文机关": 0, "发文单位": 0, "发布单位": 0, "所属机构": 0,
                 "来源": 2, "信息来源": 2, "文章来源": 2, "稿件来源": 2}
TITLE_LABELS = {"名称", "标题"}
FURNITURE = regex.compile(r"^(?:当前位置|您的位置|您现在的位置|您现在所在的位置|您当前的位置|首页|网站首页|"
                          r"无障碍|长辈版|手机版|繁體|繁体|简体|欢迎|今天是|设为首页|加入收藏|字体|字号|打印|关闭|"
                          r"分享|返回|原标题|【|支持IPv6|责任编辑|关键词)|星期[一二三四五六日天]|\||>|》.*》")
ORIGINAL_TITLE = regex.compile(r"^原标题\s*[:：]\s*(?P<t>.{4,80})$")
OUTLET = r"(?!据|从|经|在|来自|转自)[\p{Han}A-Za-z·]{2,12}?(?:网|社|报|台|在线|线上|新闻|客户端|日报|晚报)"
OUTLET_PAREN = rf"(?P<outlet>{OUTLET})(?:\([\p{{Han}}]{{2,12}}\))?"
DATELINE = regex.compile(rf"{OUTLET_PAREN}\s*(?:[\p{{Han}}]{{2,4}}?\s*)?(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日\s*"
                         r"(?:电|讯|消息|报道)"  # …or a byline, then the date: X报讯(记者…)4月29日,
                         rf"|(?P<outlet>{OUTLET})讯\s*\([^()\n]{{2,40}}\)\s*(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日")
# 30.03.2016 16:11 under a title
DMY_DATE = regex.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?![\d.])")
OUTLET_XUN = regex.compile(rf"(?:^|\s|。){OUTLET_PAREN}讯")
OWN_PAPER = regex.compile(r"本报讯\s*\((?P<who>[^()]{2,40}?)(?:记者|通讯员)")
ORG = (r"(?:人民政府|政府|委员会|委|局|厅|办公室|办|领导小组|小组|中心|所|站|院|处|科|部|会|社|公司|村委会|"
       r"居委会|党委|党支部|支部|工作队)")
TITLE_ORG = regex.compile(rf"^(?:(?:19|20)\d{{2}}年度?)?(?P<org>[\p{{Han}}()]{{2,40}}?{ORG})(?=关于|(?:19|20)\d{{2}}年|"
                          r"工作开展情况|工作总结|工作情况|年度)")
CRUMB_ORG = regex.compile(rf"(?P<org>[\p{{Han}}]{{2,30}}{ORG})$")
SIGNATURE_ORG = regex.compile(rf"^(?P<org>[\p{{Han}}()]{{3,40}}{ORG})$")
REPORT_YEAR = regex.compile(  # (of a span, 2016-2020年…工作总结, its last year)
    r"(?<![\d—–~至到-])(?:(?:19|20)\d{2} ?年? ?[-—–~至到] ?)?(?P<y>(?:19|20)\d{2}) ?年"
    r"(?:度(?![^。;,，\n]{0,12}?(?:计划|预算|目标|要点|安排))"  # 2021年度…, not 2022年度…资金计划
    r"|(?:(?!计划|规划|要点|安排|打算|目标|政府工作报告|[-—–~至到]\d)[^。;!?]){0,40}?"
    r"(?:工作总结|工作开展情况|开展情况|工作情况|工作报告|年度报告|述职报告|总结))")
# 2019年4月26日在静乐县第十五届人民代表大会第四次会议上: the day a report was delivered
SPEECH_DATE = regex.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日在[^。\n]{2,40}?(?:会议|大会)上")
# 2019年静乐县人民政府工作报告: delivered early in 2019, it reports on 2018
GOVERNMENT_REPORT = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2}) ?年[^。\n]{0,20}?政府工作报告")
SHORT_STAMP = regex.compile(r"\s*(?P<y>[012]\d)-(?P<m>0?[1-9]|1[0-2])-(?P<d>0?[1-9]|[12]\d|3[01]) \d{1,2}:\d{2}(?!\d)")
# 在作《2017年四川省政府工作报告》时指出: a page reporting a government work report (of 2017, on 2016)
CITED_REPORT = regex.compile(r"《(?P<y>(?:19|20)\d{2}) ?年[^》\n]{0,20}?政府工作报告》")
DATELINE_TITLE = regex.compile(r"(?<![原标])题\s*[:：]\s*(?P<t>.{4,60})$")
BYLINE = regex.compile(r"(?:记者|通讯员|特约撰稿|作者)\s*[:：]?\s*\p{Han}{2,4}(?:\s|$)")
NOT_ISSUER = regex.compile(r"网络|本站|本网|原创|互联网|网友投稿|转载|未知|综合|其他|新闻中心|编辑部")
BRACKET_PREFIX = regex.compile(r"^【[^】]{1,20}】")
ENUMERATED = regex.compile(r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十\d]+\)|\d+[、.])")
HEADER_CHARS = 1500


@dataclass(frozen=True)
class DocMeta:
    """What is known about a document, and where each field came from (``provenance``: field ->
    given | manifest | text | file; a field absent from it is unknown or of unknown origin)."""

    file: str
    title: str | None = None
    issuer: str | None = None
    region: str | None = None
    date: str | None = None
    source: str | None = None
    report_year: int | None = None
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


@dataclass(frozen=True)
class Inferred:
    """What the text says of itself. ``date_labelled``: the date comes from a label, a dateline or a
    signature (not from the years the text mentions)."""

    title: str | None = None
    issuer: str | None = None
    date: str | None = None
    report_year: int | None = None
    date_labelled: bool = False


def read_manifest(folder: Path) -> dict[str, DocMeta]:
    """file name -> DocMeta from ``folder/manifest.csv`` (empty when there is none)."""
    path = folder / MANIFEST
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {r["file"]: manifest_row(r) for r in csv.DictReader(f) if r.get("file")}


def manifest_row(row: dict) -> DocMeta:
    """A manifest row as DocMeta (``report_year`` an integer, ``provenance`` a JSON object)."""
    values = {k: (row.get(k) or "").strip() or None for k in ("file", "title", "issuer", "region", "date", "source")}
    year = (row.get("report_year") or "").strip()
    try:
        prov = json.loads(row.get("provenance") or "{}")
    except json.JSONDecodeError:
        prov = {}
    prov = {k: v for k, v in prov.items() if k in FIELDS and v in PROVENANCES} if isinstance(prov, dict) else {}
    return DocMeta(**values, report_year=int(year) if year.isdigit() else None, provenance=prov)


def _ymd(m: regex.Match) -> str | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    return f"{y}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def header_lines(text: str) -> list[str]:
    """The first lines of the page, half-width, without a mirror's pinyin, bullets and blank lines."""
    head = PINYIN.sub("", to_halfwidth(text[:HEADER_CHARS]))
    lines = [ln.strip(" •·\t\u3000\xa0") for ln in head.splitlines()]
    return [ln for ln in lines if ln]


def _fields(lines: list[str]) -> list[tuple[str, str]]:
    """(label, value) of every labelled field of the header lines; a value runs to the next label,
    a ``|`` or a space."""
    out = []
    for ln in lines:
        key = ln.translate(_LABEL_CHARS)
        found = list(LABEL.finditer(key))
        for i, m in enumerate(found):
            end = found[i + 1].start() if i + 1 < len(found) else len(ln)
            value = regex.split(r"\||\s{1,}(?!\d{1,2}:)", ln[m.end():end].strip(" |:："), maxsplit=1)[0].strip(" :：|")
            out.append((m["label"], value))
    return out


def _years(norm: str) -> list[int]:
    """Years the text reports on: not targets (到2025年), not ranges (2021—2025年), not the start of a change
    (由2013年底的…)."""
    blocked = sorted((m.start(), m.end()) for p in (TARGET_YEAR, YEAR_RANGE, BASE_YEAR) for m in p.finditer(norm))
    starts, reach = [a for a, _ in blocked], []  # reach[i]: the furthest end of the spans up to i
    for _, b in blocked:
        reach.append(max(b, reach[-1]) if reach else b)

    def inside(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and reach[i] > pos

    return [int(m.group(1)) for m in YEAR_MENTION.finditer(norm) if not inside(m.start())] \
        + [int(m["y"]) for m in REACHED_YEAR.finditer(norm)]


PLAN_AFTER = regex.compile(r"[^。；;\n]{0,12}?(?:规划|计划|目标|方案|期间)")


def _range_ends(norm: str) -> list[int]:
    """The last years of the periods a text reports on (2016年至2018年,全区减贫…), not of plans (2021—2025年规划)."""
    return [int(m.group()[-4:]) for m in YEAR_RANGE.finditer(norm)
            if not PLAN_AFTER.match(norm, m.end()) and m.group()[-4:] >= m.group()[:4]]  # (not 2019—2010: a typo)


def infer_title(text: str) -> str | None:
    """The title: a labelled one (名称: …), else the first header line that is not furniture, a date,
    a code, a salutation or a sentence."""
    return infer(text).title


def _title(lines: list[str], fields: list[tuple[str, str]]) -> str | None:
    labelled = next((v for k, v in fields if k in TITLE_LABELS and len(v) >= 4), None)
    if labelled:
        return labelled
    for ln in lines[:12]:
        bracketed = BRACKET_PREFIX.match(ln)  # 【site or column】title
        if bracketed and len(ln) - bracketed.end() >= 6:
            ln = ln[bracketed.end():]
        key = ln.translate(_LABEL_CHARS)
        original = ORIGINAL_TITLE.match(key)
        if original:
            return ln[original.start("t"):].strip()
        headed = DATELINE_TITLE.search(key) if DATELINE.search(key) else None  # …5月6日电 题:<title>
        if headed:
            return ln[headed.start("t"):].strip()
        if len(ln) > 60 and not LABEL.search(key) and not FURNITURE.search(key):
            break  # the body has begun: a later short line is a heading, not the title
        if (len(ln) < 6 or len(ln) > 60 or FURNITURE.search(key) or ENUMERATED.match(ln) or LABEL.search(key)
                or DATE.fullmatch(ln) or FULL_DATE.match(ln) or DATELINE.search(key) or OWN_PAPER.search(key)
                or BYLINE.search(key) or ln.endswith(("。", ":", "：", ";")) or "/" in ln
                or not regex.search(r"\p{Han}", ln)):
            continue
        return ln
    return None


def _report_year(title: str | None, lines: list[str]) -> int | None:
    """The year a title or header line says the document reports on (2021年…工作总结, 2021年度…; a 2018年…政府工作报告
    reports on 2017, and so does a page that opens by citing it: 在作《2018年…政府工作报告》时指出)."""
    report = GOVERNMENT_REPORT.search((title or "").translate(_LABEL_CHARS)) \
        or CITED_REPORT.search("\n".join(lines[:3])[:300])
    if report:
        return int(report["y"]) - 1
    for part in [title or "", *(ln for ln in lines[:6] if len(ln) <= 60)]:  # title-like lines, not the body
        m = REPORT_YEAR.search(part.translate(_LABEL_CHARS))
        if m:
            return int(m["y"])
    return None


def _labelled_date(fields: list[tuple[str, str]], lines: list[str]) -> str | None:
    """The date of the best date label (发布日期 over 成文日期 over 日期), else a full date opening a
    header line (``2019-04-27 来源: …``) or on a header line of its own."""
    ranked = sorted(((DATE_LABELS[k], i, v) for i, (k, v) in enumerate(fields) if k in DATE_LABELS),
                    key=lambda r: r[:2])
    for _, _, value in ranked:
        m = FULL_DATE.match(value)
        if m and _ymd(m):
            return _ymd(m)
    for ln in lines[:15]:
        if "星期" in ln or "今天" in ln:
            continue  # the site's clock, not the page's date
        m = FULL_DATE.search(ln)
        if m and (m.start() == 0 or regex.fullmatch(r"[(\[【]?", ln[:m.start()])) and _ymd(m) \
                and (len(ln) <= 40 or not regex.match(r"\s*[,，、]", ln[m.end():])):
            return _ymd(m)  # not a sentence that opens with the day of an event (2019年10月17日，…)
        short = SHORT_STAMP.match(ln)
        if short:  # 19-04-12 15:16 来源:…: a page's time stamp with a two-digit year
            return f"20{short['y']}-{int(short['m']):02d}-{int(short['d']):02d}"
    return None


def _signature(text: str) -> tuple[str | None, str | None]:
    """(office, date) of a signature: a full date on one of the last lines, the office on the line before."""
    lines = [ln.strip(" \t\u3000") for ln in to_halfwidth(text[-400:]).splitlines()]
    lines = [ln for ln in lines if ln]
    for i in range(len(lines) - 1, max(len(lines) - 5, -1), -1):
        m = FULL_DATE.fullmatch(lines[i].strip("()（）"))
        if m and _ymd(m):
            org = SIGNATURE_ORG.match(lines[i - 1]) if i > 0 else None
            return (org["org"] if org else None), _ymd(m)
    return None, None


def _dateline(lines: list[str]) -> tuple[regex.Match | None, str]:
    for ln in lines[:20]:
        key = ln.translate(_LABEL_CHARS)
        m = DATELINE.match(key)  # a dateline opens its paragraph (据X网3月2日报道 quotes another page)
        if m:
            return m, ln
    return None, ""


def _issuer(fields: list[tuple[str, str]], lines: list[str], title: str | None, dateline: regex.Match | None,
            dateline_line: str, signed: str | None) -> str | None:
    """The issuer: a 发布机构 label, the office a title names, the signature, the paper of a 本报讯 byline,
    a 来源 label, the outlet of a dateline, the last office of the navigation crumbs."""
    def clean(v: str) -> str:
        return regex.sub(r"\([^()]*\)$", "", v).strip(" ,，、:：")

    def plausible(v: str) -> bool:
        return (2 <= len(v) <= 40 and bool(regex.search(r"\p{Han}{2}", v)) and not NOT_ISSUER.fullmatch(v)
                and not LABEL.match(v.translate(_LABEL_CHARS)))

    by_label = sorted(((ISSUER_LABELS[k], i, clean(v)) for i, (k, v) in enumerate(fields) if k in ISSUER_LABELS),
                      key=lambda r: r[:2])
    first = [v for rank, _, v in by_label if rank == 0 and plausible(v)]
    if first:
        return first[0]
    org = TITLE_ORG.match((title or "").translate(_LABEL_CHARS))
    if org and len(org["org"]) >= 4:
        return title[org.start("org"):org.end("org")]  # type: ignore[index]
    if signed:
        return signed
    for ln in lines[:20]:
        m = OWN_PAPER.search(ln.translate(_LABEL_CHARS))
        if m:
            paper = regex.split(r"[·・ ]", ln[m.start("who"):m.end("who")].strip())[0]
            if plausible(paper):
                return paper
    sourced = [v for rank, _, v in by_label if rank == 2 and plausible(v)]
    if sourced:
        return sourced[0]
    if dateline:
        return dateline_line[dateline.start("outlet"):dateline.end("outlet")]
    for ln in lines[:20]:
        m = OUTLET_XUN.search(ln.translate(_LABEL_CHARS))
        if m:
            return ln[m.start("outlet"):m.end("outlet")]
    for ln in lines[:12]:
        if regex.match(r"(?:当前位置|您的位置|您现在的位置|您现在所在的位置|您当前的位置)", ln):
            crumbs = [c.strip() for c in regex.split(r"[>›»]|\s{2,}", ln.split(":", 1)[-1]) if c.strip()]
            offices = [c for c in crumbs if CRUMB_ORG.match(c) and "公开" not in c]
            if offices:
                return offices[-1]
    return None


def infer(text: str) -> Inferred:
    """Title, issuer, date and reporting year from the page's header, byline, dateline and signature (of a
    page in traditional characters, in simplified ones)."""
    text = to_simplified(text)
    lines = header_lines(text)
    fields = _fields(lines[:30])
    title = _title(lines, fields)
    signed, signed_date = _signature(text)
    dateline, dateline_line = _dateline(lines)
    labelled = _labelled_date(fields, lines)
    norm = to_halfwidth(text)
    years = _years(norm) or _range_ends(norm)
    congress = congress_year(norm)  # 山西省第十三届人民代表大会第一次会议: 2018
    date, strong = labelled, labelled is not None
    if dateline:
        elsewhere = signed_date or (str(congress) if congress else None) or (str(max(years)) if years else None)
        year = int((labelled or elsewhere or "0")[:4])
        month, day = int(dateline["m"]), int(dateline["d"])
        if year and not labelled and not signed_date and not congress \
                and (month <= 3 or month <= LAST_YEAR_MONTHS and "今年" not in norm or _after_year_end(norm, year)):
            year += 1  # 1月13日电 about a year just ended (its 今年 the next), 6月17日电 reporting 2019年 results and
            # nothing of this year's, 10月16日电 on 截至2019年底… and 今年以来…: written the year after the last
            # year it names
        if year:
            if labelled and (month, day) > (int(labelled[5:7]), int(labelled[8:10])):
                year -= 1  # a page posted in January about a December dateline
            if 1 <= month <= 12 and 1 <= day <= 31:
                date, strong = f"{year}-{month:02d}-{day:02d}", True
    if date is None and signed_date:
        date, strong = signed_date, True
    speech = SPEECH_DATE.search(norm[:1500])
    if not labelled and speech and 1 <= int(speech["m"]) <= 12 and 1 <= int(speech["d"]) <= 31:
        date, strong = f"{speech['y']}-{int(speech['m']):02d}-{int(speech['d']):02d}", True
    if date is None:
        m = DMY_DATE.search("\n".join(lines[:3])) or FULL_DATE.search(norm[:400])
        if m and _ymd(m):
            date = _ymd(m)
    if date is None:
        date = _named_year(norm) or (str(congress) if congress else None)
    if date is None and years:
        date = str(max(years) + _after_year_end(norm, max(years)))
    if date is None:
        date = _plan_done(norm)
    issuer = _issuer(fields, lines, title, dateline, dateline_line, signed)
    issuer = OUTLET_NAMES.get(issuer, issuer) if issuer else None
    return Inferred(title, issuer, date, _report_year(title, lines) or _summary_year(title, date, years), strong)


@cache
def _congress() -> tuple[regex.Pattern, dict[str, int]]:
    """The session of a people's congress (山西省第十三届人民代表大会第一次会议, 第十三届全国人民代表大会第三次
    会议) and each place's term whose first session was in 2018 (data/congress_terms.csv)."""
    terms = {r["place"]: int(r["term_2018"]) for r in rows("congress_terms")}
    cn = "[一二三四五六七八九十]{1,3}"
    places = alternation([p for p in terms if p != "全国"])
    return regex.compile(rf"(?:(?P<place>{places})第(?P<n>{cn})届|第(?P<n>{cn})届(?P<place>全国))"
                         rf"人民代表大会第(?P<m>{cn})次会议"), terms


def congress_year(norm: str) -> int | None:
    """The year of the first provincial or national congress session the text names (its terms run five years,
    one session a year); None when it names none.

    >>> congress_year("记者从25日召开的山西省第十三届人民代表大会第一次会议上获悉"), congress_year("全县会议")
    (2018, None)
    """
    pattern, terms = _congress()
    m = pattern.search(norm)
    if not m:
        return None
    session = int(parse_chinese(m["m"]))
    return 2018 + 5 * (int(parse_chinese(m["n"])) - terms[m["place"]]) + session - 1 if 1 <= session <= 5 else None


# 今年计划…, 今年以来…: this year's work, planned or done so far
THIS_YEAR_WORK = regex.compile(r"今年(?:计划|将|要|力争|预计|以来|上半年|前三季度)|(?:计划|预计|力争|将)(?:在|于)?今年")


def _after_year_end(norm: str, year: int) -> int:
    """1 when an undated text reports the end of its last year as past and plans for 今年 or reports on part of
    it (至2016年底已脱贫…, 今年计划… / 今年以来…): it was written the year after; else 0.

    >>> _after_year_end("至2016年底已脱贫1.1万户。今年计划改造危房1410户。", 2016)
    1
    >>> _after_year_end("截至2018年底剩余贫困人口2.1万。今年以来，全省新增就业1.3万人。", 2018)
    1
    >>> _after_year_end("力争2016年底前完成搬迁。今年将新建安置点3个。", 2016)
    0
    """
    ended = regex.search(rf"{year}年(?:底|末)(?!前)", norm)
    return int(bool(ended and THIS_YEAR_WORK.search(norm)))


# “十三五”时期…基本完成了…目标任务: a plan period looked back on as done (a text naming no year of its own)
PLAN_DONE = regex.compile(r"[“\"]?十(?P<n>[二三四])五[”\"]?(?:时期|期间)[^。；;\n]{0,160}?(?:完成|取得|实现)")
PLAN_LAST_YEAR = {"二": 2015, "三": 2020, "四": 2025}


def _plan_done(norm: str) -> str | None:
    """The last year of a five-year plan that a text with no year of its own reports as done.

    >>> _plan_done("“十三五”时期，全市基本完成了规划目标任务，累计减贫12.6万人。")
    '2020'
    """
    m = PLAN_DONE.search(norm)
    return str(PLAN_LAST_YEAR[m["n"]]) if m else None


@cache
def _year_phrases() -> regex.Pattern:
    """今年是 … a stage the programme names (脱贫攻坚收官之年, 过渡期的第二年: data/year_phrases.csv)."""
    phrases = alternation([r["phrase"] for r in rows("year_phrases")])
    return regex.compile(rf"今年是[^。；;！!?？\n]{{0,30}}?(?P<phrase>{phrases})")


def _named_year(norm: str) -> str | None:
    """The year a text names by the stage of the programme it says this year is.

    >>> _named_year("今年是脱贫攻坚战收官之年，全县剩余贫困人口全部脱贫。")
    '2020'
    """
    m = _year_phrases().search(norm)
    return {r["phrase"]: r["year"] for r in rows("year_phrases")}[m["phrase"]] if m else None


SUMMARY = regex.compile(r"总结|汇报|工作情况|述职")


def _summary_year(title: str | None, date: str | None, years: list[int]) -> int | None:
    """A work summary (总结, 汇报) dated two or more years after the last year its text reports on reports on
    that year: the date is a reprint's or a template site's (发布时间 2021 on a summary whose 今年 is 2018)."""
    if not title or not SUMMARY.search(title) or not date or not years:
        return None
    last = max(years)
    return last if last <= int(date[:4]) - 2 else None


THIS_YEAR = regex.compile(r"今年|本年|年初以来|上半年|一季度|前[两三四五]个月|目前|当前|现有|至今")
# 截至5月底, 1-5月, 5月份, 4月29日 with no year, in a June text: this year's months
MONTHS_SO_FAR = regex.compile(r"(?<![\d年])(?:1\s*[-—–~至到]\s*(?P<m>[1-9])\s*月"
                              r"|(?P<m>[1-9])\s*月(?:底|末|份|[上中下]旬|\d{1,2}日))")
SPRING_MONTHS = 6  # a text dated up to June may be an account of the year before


def year_before_reported(text: str, date: str | None) -> int | None:
    """The year before a text's date when the text, dated in April to June, names that year as the
    latest it reports on and says nothing of the current one (今年, 目前, 截至4月底: 2021年，全省脱贫群众人均收入…
    dated 2022-05-11):
    an account of that year, its undated figures that year's."""
    if not date or len(date) < 7 or not date[5:7].isdigit() or not 3 < int(date[5:7]) <= SPRING_MONTHS:
        return None  # up to March the date's own reading already takes the year before (timeref.DocDates)
    norm = to_halfwidth(to_simplified(text))
    years = _years(norm) + _range_ends(norm)
    year = int(date[:4])
    this_year = THIS_YEAR.search(norm) or any(int(m["m"]) <= int(date[5:7]) for m in MONTHS_SO_FAR.finditer(norm))
    if years and max(years) == year - 1 and not this_year:
        return year - 1
    return None


def infer_date(text: str) -> str | None:
    """The document's date as YYYY-MM-DD when the page says it (a labelled date, a dateline, a date line
    in the header, a signature), else the latest year the text reports on (not a target, not a range)."""
    return infer(text).date


def infer_issuer(text: str) -> str | None:
    """The issuing office or outlet the page names (发布机构, a title's office, 本报讯, 来源, a dateline)."""
    return infer(text).issuer
