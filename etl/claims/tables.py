"""Figures in tables: the blocks of tab-separated lines of a document text (how every format writes its
tables, ``etl.reading``) read cell by cell into claims.

A block is a run of consecutive lines holding a tab; the plain lines right before it are its title and unit
line (单位：万元、户、人), a line ``【工作表：NAME】`` names the sheet it is in. The rows on top without a
figure are the header (a merged header's text repeated: 建档立卡贫困户 over 户数 and 人数); the columns before
the first figure hold the row's label. Each figure becomes a claim like a prose one, plus ``table``
(name, row, column, cell). Its unit comes from the cell, the column's header (资金(万元)), the row's label,
the unit line (by column order when it lists several), or a header word (户数, 人口, 发生率:
``data/table_words.csv``); its region from the row's label (or a column header when places are the columns),
resolved by the gazetteer within the document's region first (a county's table lists its townships), a
total row (合计, 全市) taking the document's region; its year from the column header, the row label, the
sheet name, the title, else the document; its indicator from the header words read by the same vocabulary as
prose (``indicators.read_window``), once per header, or from the title when the headers say only years or
places (各县脱贫人口情况表 over 县 | 2019年 | 2020年).

>>> text = "单位：户\\n乡镇\\t贫困户\\n固东镇\\t120\\n滇滩镇\\t80\\n合计\\t200"
>>> [(c["text"], c["region"], c["indicator"], c["table"]["row"]) for c in table_claims(text, region="530581")]
[('120', '530581102', 'poor_households', 1), ('80', '530581103', 'poor_households', 2), \
('200', '530581', 'poor_households', 3)]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from etl.claims import indicators, timeref
from etl.claims.indicators import fits_level
from etl.claims.mentions import (
    FACTOR_OF,
    MULT,
    QUALIFIERS,
    RATE_AFTER_CODE,
    RATE_BEFORE,
    RATE_BEFORE_RE,
    UNIT,
    UNIT_OF,
)
from etl.claims.regions import ADMIN_SUFFIXES, GAZETTEER
from etl.reading.budget import check
from etl.reading.numerals import to_halfwidth
from etl.tables import alternation, rows

SHEET = regex.compile(r"^【工作表：(?P<name>[^】\n]*)】$")
CONTEXT_LINES = 3  # plain lines before a block read as its title and unit line
HEADER_ROWS = 4  # at most this many rows on top read as the header
YEAR = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?!\d)")
YEAR_CELL = regex.compile(r"^(?P<y>(?:19|20)\d{2})\s*(?:年(?:度|底|末|初)?)?$")
BRACKET = regex.compile(r"[(（](?P<inner>[^()（）]{1,12})[)）]\s*$")
NOTE = regex.compile(r"^\s*(?:注|说明|备注|资料来源|数据来源|来源)\s*[:：\d]")
CUMULATIVE = regex.compile(r"累计|历年")
PLAIN = regex.compile(r"\s*(?P<num>-?\d{1,15}(?:\.\d{1,12})?)\s*$")  # most cells: a plain number


@cache
def _words() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for r in rows("table_words"):
        out.setdefault(r["role"], []).append(r)
    return out


@cache
def _role_words(role: str) -> frozenset[str]:
    return frozenset(r["surface"] for r in _words().get(role, []))


@cache
def _unit_line() -> regex.Pattern:
    labels = alternation([r["surface"] for r in _words()["unit_label"]])
    return regex.compile(rf"(?:{labels})\s*[:：]\s*(?P<units>[^\s)）。;；]+(?:\s*[、，,/]\s*[^\s)）。;；]+)*)")


@cache
def _header_units() -> list[tuple[str, str]]:
    return sorted(((r["surface"], r["unit"]) for r in _words()["header_unit"]), key=lambda t: -len(t[0]))


@cache
def _cell_pattern() -> regex.Pattern:
    before = alternation([s for p, s in QUALIFIERS if p == "before"])
    after = alternation([s for p, s in QUALIFIERS if p in ("after", "inside")])
    return regex.compile(rf"^(?P<q1>{before})?\s*(?P<num>[-−]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)\s*"
                         rf"(?P<mult>{MULT})?\s*(?P<unit>{UNIT})?\s*(?P<q2>{after})?$")


@dataclass
class Block:
    """A table in a text: its rows' line spans, the plain lines before it, the sheet it is in."""

    index: int  # 1-based, in the document
    name: str  # the sheet's name, or 表N
    lines: list[tuple[int, int]]  # (start, end) of each row's line
    context: list[str] = field(default_factory=list)  # plain lines before it, nearest last
    sheet: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return self.lines[0][0], self.lines[-1][1]


def find_blocks(text: str) -> list[Block]:
    """The tables of a text, in order."""
    if "\t" not in text:
        return []
    blocks: list[Block] = []
    sheet, context, in_sheet = None, [], 0
    current: list[tuple[int, int]] = []

    def close() -> None:
        nonlocal current, in_sheet
        if current:
            in_sheet += 1
            name = (sheet if in_sheet == 1 else f"{sheet}·表{in_sheet}") if sheet is not None \
                else f"表{len(blocks) + 1}"
            blocks.append(Block(len(blocks) + 1, name, current, context[-CONTEXT_LINES:], sheet))
            current = []

    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if is_row(line):
            current.append((start, end))
            continue
        if current:
            close()
            context = []
        stripped = line.strip()
        m = SHEET.match(stripped)
        if m:
            sheet, context, in_sheet = m["name"], [], 0
        elif stripped:
            context.append(stripped)
    close()
    return blocks


def is_row(line: str) -> bool:
    """Whether a line is a table's row: a tab between two cells that hold text, or a label followed by empty
    cells (合计\t\t). A tab that only indents a line (\t一、基本情况) makes no row."""
    return "\t" in line.strip() or ("\t" in line and not line[:1].isspace())


def mask(norm: str, claims: list[dict]) -> str:
    """``norm`` with the rows that gave table claims blanked (same length; line breaks kept): what prose reads.
    A row that gave none (a heading, a line of prose with a stray tab) is left to prose."""
    if not claims:
        return norm
    parts, pos = [], 0
    for a in sorted({c["sentence_start"] for c in claims}):
        z = norm.find("\n", a)
        z = len(norm) if z < 0 else z
        parts.append(norm[pos:a])
        parts.append(" " * (z - a))
        pos = z
    parts.append(norm[pos:])
    return "".join(parts)


# -- cells ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    unit: str
    factor: float = 1.0
    rate: str | None = None
    surface: str = ""


@cache
def parse_unit(surface: str) -> Unit | None:
    """A unit as a header or unit line writes it: 万元, 户, 元/人, %.

    >>> parse_unit("万元"), parse_unit("元/人").rate, parse_unit("公顷")
    (Unit(unit='yuan', factor=10000.0, rate=None, surface='万元'), 'per_person', None)
    """
    s = surface.strip()
    base, _, per = s.partition("/")
    rate = RATE_AFTER_CODE.get(per) if per else None
    if per and rate is None:
        return None
    if base in UNIT_OF:
        return Unit(UNIT_OF[base], 1.0, rate, s)
    for mult in sorted(FACTOR_OF, key=len, reverse=True):
        if base.startswith(mult) and base[len(mult):] in UNIT_OF:
            return Unit(UNIT_OF[base[len(mult):]], FACTOR_OF[mult], rate, s)
    return None


def _bracket_unit(header: str) -> tuple[str, Unit | None]:
    """A header without its bracketed unit, and that unit: 资金(万元) -> (资金, 万元)."""
    m = BRACKET.search(header)
    if m:
        unit = parse_unit(m["inner"].removeprefix("单位:").removeprefix("单位：").strip())
        if unit:
            return header[:m.start()].strip(), unit
    return header, None


def _word_unit(words: str) -> Unit | None:
    """The unit a header's last word implies (户数, 人口, 发生率: table_words.csv)."""
    for surface, unit in _header_units():
        if words.endswith(surface):
            return Unit(unit, 1.0, None, "")
    return None


@dataclass(frozen=True)
class Cell:
    """A figure in a cell: its span within the cell's text, value, own multiplier and unit, qualifier."""

    start: int
    end: int
    number: float
    mult: float
    unit: str | None
    qualifier: str
    decimals: int


def parse_cell(cell: str) -> Cell | None:
    """The figure of a cell, if the cell is one (120, 1,234.5, 12.5%, 约300户); None for text, blanks, dashes and
    years (2019年)."""
    plain = PLAIN.match(cell)
    if plain:
        num = plain["num"]
        return Cell(plain.start("num"), plain.end("num"), float(num), 1.0, None, "exact",
                    len(num.partition(".")[2]))
    s = to_halfwidth(cell)
    m = _cell_pattern().match(s.strip())
    if m is None:
        return None
    if m["unit"] == "年":
        return None
    offset = len(s) - len(s.lstrip())
    num = m["num"].replace("−", "-")
    number = float(num.replace(",", ""))
    qualifier = "exact"
    if m["q1"]:
        qualifier = QUALIFIERS[("before", m["q1"])]
    elif m["q2"]:
        qualifier = QUALIFIERS.get(("after", m["q2"])) or QUALIFIERS.get(("inside", m["q2"]), "exact")
    end = m.end("unit") if m["unit"] else m.end("mult") if m["mult"] else m.end("num")
    decimals = len(num.partition(".")[2])
    return Cell(offset + m.start("num"), offset + end, number, FACTOR_OF[m["mult"]] if m["mult"] else 1.0,
                UNIT_OF[m["unit"]] if m["unit"] else None, qualifier, decimals)


def _is_value(cell: str) -> bool:
    return bool(cell) and parse_cell(cell) is not None


def _year_of(text: str) -> int | None:
    m = YEAR.search(text)
    return int(m["y"]) if m else None


def _rate(words: str) -> str | None:
    best = None
    for m in RATE_BEFORE_RE.finditer(words):
        best = RATE_BEFORE[int(m.lastgroup[1:])][1]
    return best


# -- regions -------------------------------------------------------------------------------------------------

def _clean_label(label: str) -> str:
    return regex.sub(r"[\s　*※①-⑳]+|[(（][^()（）]*[)）]$", "", label)


def _resolve_place(label: str, doc_code: str | None) -> str | None:
    """The code of a place named by a whole cell, read in the document's region: a name its region holds
    first, else a name only one place has, else (a chain: 腾冲市固东镇) the gazetteer's parse."""
    name = _clean_label(label)
    if len(name) < 2:
        return None
    codes = GAZETTEER.candidates(name)
    if not codes:
        if name.endswith(("村", "社区")) and GAZETTEER.level(doc_code) in ("county", "township", "village"):
            return _local_villages(doc_code).get(name) or GAZETTEER.parse(name)
        if len(name) > 3 and any(ch in name[1:-1] for ch in ADMIN_SUFFIXES):
            return GAZETTEER.parse(name)  # a chain of names: 腾冲市固东镇
        return None
    if doc_code:
        inside = [c for c in codes if GAZETTEER.contains(doc_code, c)]
        if not inside:
            inside = [c for c in codes if GAZETTEER.contains(c, doc_code)]
        if len(inside) == 1:
            return inside[0]
        outer = [c for c in inside if all(GAZETTEER.contains(c, o) for o in inside)]
        if outer:
            return outer[0]
        if inside:
            return None
    return codes[0] if len(codes) == 1 else None


@cache
def _local_villages(doc_code: str) -> dict[str, str]:
    """The villages of a county or township by name (read once per place)."""
    return GAZETTEER._local_villages(doc_code)


def _total_role(label: str) -> str | None:
    name = _clean_label(label)
    if name in _role_words("total"):
        return "total"
    if name in _role_words("subtotal"):
        return "subtotal"
    return None


# -- a block into claims -------------------------------------------------------------------------------------

@dataclass
class _Table:
    header: int  # number of header rows
    labels: list[int]  # label columns
    values: list[int]  # value columns


def _split(text: str, block: Block) -> tuple[list[list[str]], list[list[int]]]:
    cells, starts = [], []
    for a, z in block.lines:
        row, at, pos = [], [], a
        for piece in text[a:z].split("\t"):
            row.append(piece)
            at.append(pos)
            pos += len(piece) + 1
        cells.append(row)
        starts.append(at)
    return cells, starts


def _header_row(row: list[str], i: int) -> bool:
    """A row without figures; or the first row when its only figures are years (指标, 2019, 2020)."""
    figures = [c.strip() for c in row if _is_value(c.strip())]
    return not figures or (i == 0 and len(figures) >= 2 and all(YEAR_CELL.match(c) for c in figures))


def _years_only(data: list[list[str]], j: int) -> bool:
    cells = [r[j].strip() for r in data if j < len(r) and r[j].strip()]
    return bool(cells) and all(YEAR_CELL.match(c) for c in cells)


def _layout(cells: list[list[str]]) -> _Table | None:
    header = 0
    while header < min(HEADER_ROWS, len(cells)) and _header_row(cells[header], header):
        header += 1
    if header == len(cells):
        return None
    width = max(len(r) for r in cells)
    head = [_column_header(cells, header, j) for j in range(width)]
    skip = _role_words("label")
    data = cells[header:]
    valued = [j for j in range(width) if any(j < len(r) and _is_value(r[j].strip()) for r in data)]
    valued = [j for j in valued if not any(p in skip for p in head[j]) and not _years_only(data, j)]
    if not valued:
        return None
    first = valued[0]
    labels = [j for j in range(first) if not any(p in skip for p in head[j])]
    return _Table(header, labels, valued)


def _column_header(cells: list[list[str]], header: int, j: int) -> list[str]:
    parts: list[str] = []
    for i in range(header):
        c = cells[i][j].strip() if j < len(cells[i]) else ""
        if c and (not parts or parts[-1] != c):
            parts.append(c)
    return parts


@dataclass
class _Column:
    display: str
    words: str  # the header's words, without its unit, region and year
    unit: Unit | None
    year: int | None
    place: str | None
    total: str | None = None  # a column of totals (合计, 全市): its role


def _unit_list(context: list[str]) -> list[Unit]:
    for line in reversed(context):
        m = _unit_line().search(to_halfwidth(line))
        if m:
            units = [parse_unit(s) for s in regex.split(r"\s*[、，,/]\s*", m["units"])]
            return [u for u in units if u]
    return []


def _title(block: Block) -> str | None:
    for line in reversed(block.context):
        if NOTE.match(line) or _unit_line().match(to_halfwidth(line).strip()):
            continue
        return line
    return None


TITLE_FRAME = regex.compile(r"^(?:附件|附表)\s*\d*\s*[:：、.]?\s*|(?:情况|统计|汇总|进展|完成|基本)*(?:一览)?表\s*$")


def _title_words(title: str) -> str:
    """What a table's title says it counts: 附件1 各县区脱贫人口情况表 -> 各县区脱贫人口."""
    return TITLE_FRAME.sub("", title).strip()


def _read(words: str, unit: str, readings: dict) -> indicators.Reading:
    """The reading of a header's words for a figure in ``unit``, once per header (``readings`` memo)."""
    key = (words, unit)
    reading = readings.get(key)
    if reading is None:
        reading = readings[key] = indicators.read_window(words + "#", unit)
    return reading


def _indicator_words(column: str, row: str, unit: Unit | None, readings: dict) -> str:
    """The words that say what a cell counts: its column header's, when they read as an indicator alone or the
    row says nothing (its place); the row label's when the column says nothing (a year, a place); else both
    (指标 建档立卡贫困 by 户数)."""
    if not row:
        return column
    if not column:
        return row
    tentative = unit or _word_unit(column) or _word_unit(row + column)
    if tentative and _read(column, tentative.unit, readings).candidate:
        return column
    return row + column


def _reading(words: str, unit: Unit, level: str | None, unresolved: bool, readings: dict,
             evidence: dict) -> tuple[indicators.Reading, dict]:
    """The reading of a cell, by the prose rules (the indicator must fit the region's level; unsure when the
    region cell is not a known place), and its evidence."""
    reading = _read(words, unit.unit, readings)
    if reading.candidate and not fits_level(reading.candidate, level):
        reading = indicators.Reading(None, None, "high", {**reading.evidence, "rule": "region level"})
    if unresolved and reading.candidate:
        reading = indicators.Reading(None, reading.candidate, "low",
                                     {**reading.evidence,
                                      "low": [*reading.evidence.get("low", []), "region cell not resolved"]})
    return reading, {"indicator": {**reading.evidence, "header": words}, **evidence}


def table_claims(text: str, norm: str | None = None, blocks: list[Block] | None = None,
                 region: str | None = None, dates: timeref.DocDates | None = None) -> list[dict]:
    """The claims of every figure in the tables of ``text`` (``region`` the document's region code,
    ``dates`` its dates). Region fields are codes (the caller turns them into names)."""
    norm = to_halfwidth(text) if norm is None else norm
    blocks = find_blocks(norm) if blocks is None else blocks
    dates = dates or timeref.DocDates(None, None)
    out: list[dict] = []
    readings: dict[tuple[str, str], indicators.Reading] = {}
    places: dict[str, str | None] = {}
    for block in blocks:
        check()
        out.extend(_block_claims(text, norm, block, region, dates, readings, places))
    return out


def _read_labels(labels: list[str], place) -> tuple[str, Unit | None, int | None, str | None, str | None]:
    """What a column's header parts or a row's labels say: (the words left, a bracketed unit 资金(万元), a year
    2019年, a place ``place`` resolves, a total's role 合计/小计)."""
    words, unit, year, code, total = [], None, None, None, None
    for label in labels:
        label, u = _bracket_unit(label)
        unit = u or unit
        y = YEAR_CELL.match(to_halfwidth(label))
        role = _total_role(label)
        if y:
            year = int(y["y"])
        elif role:
            total = role
        elif c := place(label):
            code = c
        else:
            words.append(label)
    return "".join(words), unit, year, code, total


def _block_claims(text: str, norm: str, block: Block, doc_code: str | None, dates: timeref.DocDates,
                  readings: dict, places: dict) -> list[dict]:
    cells, starts = _split(norm, block)
    table = _layout(cells)
    if table is None:
        return []
    title = _title(block)
    units = _unit_list(block.context)
    context_year = _year_of(block.sheet or "") or _year_of(title or "")
    year_from = "sheet" if _year_of(block.sheet or "") else "title"

    def place(label: str) -> str | None:
        if label not in places:
            places[label] = _resolve_place(label, doc_code)
        return places[label]

    evidences: dict[tuple, tuple[indicators.Reading, dict]] = {}
    columns: dict[int, _Column] = {}
    for k, j in enumerate(table.values):
        parts = _column_header(cells, table.header, j)
        display = "/".join(parts)
        words, unit, year, code, col_total = _read_labels(parts, place)
        where = code or (doc_code if col_total else None)
        if unit is None and units:
            unit = units[0] if len(units) == 1 else units[k] if len(units) == len(table.values) else None
        columns[j] = _Column(display, words, unit, year, where, col_total)
    data_rows = range(table.header, len(cells))
    row_places = {}
    for i in data_rows:
        row = cells[i]
        labels = [row[j].strip() for j in table.labels if j < len(row) and row[j].strip()]
        code, total = None, None
        for lab in reversed(labels):
            total = _total_role(lab)
            if total:
                break
            code = place(lab)
            if code:
                break
        row_places[i] = (labels, code, total)
    rows_regional = any(code for _, code, _ in row_places.values())
    out = []
    for i in data_rows:
        check()
        labels, code, total = row_places[i]
        row_text, row_unit, row_year, _, _ = _read_labels(labels, place if rows_regional else lambda _: None)
        label_shown = " ".join(labels)
        line_start = block.lines[i][0]
        row = cells[i]
        for j in table.values:
            if j >= len(row):
                continue
            raw = row[j]
            cell = parse_cell(raw)
            if cell is None:
                continue
            col = columns[j]
            unit = Unit(cell.unit) if cell.unit else col.unit or row_unit
            words = _indicator_words(col.words, "" if rows_regional else row_text, unit, readings)
            if not words and title:
                words = _title_words(title)  # 各县脱贫人口情况表 over 县 | 2019年 | 2020年: the title says what
            unit = unit or _word_unit(words)
            if unit is None:
                continue
            value = cell.number * cell.mult * unit.factor
            if rows_regional:
                region, region_rule = (doc_code, "total row") if total else (code, "row label")
            elif col.place:
                region, region_rule = col.place, "column header"
            else:
                region, region_rule = doc_code, "document"
                if total:
                    region_rule = "total row"
            unresolved = rows_regional and not total and code is None
            if col.year:
                year, year_source, year_rule = col.year, "explicit", "column header"
            elif row_year:
                year, year_source, year_rule = row_year, "explicit", "row label"
            elif context_year:
                year, year_source, year_rule = context_year, "explicit", year_from
            else:
                year, _, year_source = timeref.resolve_year(None, dates)
                year_rule = "document"
            level = GAZETTEER.level(region) if region else None
            memo = (words, unit.unit, unit.surface, level, unresolved, region_rule, year_source, year_rule, total,
                    col.total)
            found = evidences.get(memo)
            if found is None:
                found = evidences[memo] = _reading(words, unit, level, unresolved, readings, {
                    "year": {"source": year_source, "rule": year_rule},
                    "region": {"document": doc_code, "rule": region_rule},
                    "table": {"rule": "table cell", "total": total or col.total, "unit": unit.surface or None}})
            reading, evidence = found
            s, e = starts[i][j] + cell.start, starts[i][j] + cell.end
            head = "｜".join(p for p in (title, label_shown, col.display) if p)
            out.append({
                "start": s, "end": e, "text": text[s:e], "value": value, "value_high": None,
                "unit": unit.unit, "rate": unit.rate or (_rate(words) if unit.unit == "yuan" else None),
                "qualifier": cell.qualifier, "region": region,
                "year": year, "period_start": None, "year_source": year_source,
                "cumulative": bool(CUMULATIVE.search(words)),
                "indicator": reading.key, "indicator_candidate": reading.candidate, "confidence": reading.confidence,
                "evidence": evidence,  # shared by the cells read alike (not to be changed in place)
                "sentence": f"{head}：{raw.strip()}" if head else raw.strip(), "sentence_start": line_start,
                "table": {"name": block.name, "row": i, "col": j, "cell": raw.strip()},
                "_block": block.index, "_total": total, "_col_total": col.total, "_decimals": cell.decimals,
                "_scale": cell.mult * unit.factor,
            })
    return out
