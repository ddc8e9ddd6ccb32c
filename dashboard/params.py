"""The URL contract shared by the compare page and the export routes.

``/compare?indicator=KEY&regions=4101,32&from=2013&to=2022[&mode=change][&unsure=1][&lang=en]`` and the same
query on ``/export.csv`` and ``/export.png``; the exports also take ``view=zhengzhou`` (a ready-made view).
Regions are given by code (统计用区划代码: 4101, 410122) or by name (郑州市, 郑州, 南京市鼓楼区); the state holds
codes and writes them back. A name several places share (鼓楼区) is not guessed: it is reported with its
candidates (``AmbiguousRegion``) and charted for none of them.
``parse_compare`` is strict (a bad value raises ParamError, which the export routes turn into HTTP 400);
``lenient_compare`` is what the page uses: the best valid state plus the errors to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from dashboard import queries
from dashboard.i18n import lang_of
from dashboard.views import VIEWS, View
from etl.claims.regions import GAZETTEER

MODES = ("abs", "change")
MIN_YEAR, MAX_YEAR = 1949, 2100


class ParamError(ValueError):
    """A bad URL parameter, with a message in Chinese and in English."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def text(self) -> str:
        """Both languages, for a plain-text HTTP 400 body."""
        return f"参数错误：{self.zh}\nBad parameter: {self.en}\n"


class AmbiguousRegion(ParamError):
    """A region name several places share: the candidates as (code, name shown, parent) to choose from."""

    def __init__(self, name: str, candidates: list[tuple[str, str, str | None]]):
        self.name, self.candidates = name, candidates
        listed = [candidate_label(c) for c in candidates]
        super().__init__(
            f"“{name}”是多个地区的名称，请指明：{'、'.join(listed)}",
            f"'{name}' names several regions, choose one: {', '.join(listed)}",
        )


def candidate_label(candidate: tuple[str, str, str | None]) -> str:
    """'南京市鼓楼区 (320106)'; the parent added where the name does not show it: '荷花镇 (…) · 腾冲市'."""
    code, name, parent = candidate
    return f"{name} ({code})" + (f" · {parent}" if parent and parent not in name else "")


@dataclass(frozen=True)
class CompareParams:
    """The state of the compare page (and of a chart export)."""

    indicator: str
    regions: tuple[str, ...]
    year_from: int
    year_to: int
    mode: str = "abs"
    lang: str = "zh"
    unsure: bool = False  # also show the unreviewed low-confidence readings, marked as unsure

    def query(self) -> dict[str, str]:
        q = {
            "indicator": self.indicator,
            "regions": ",".join(self.regions),
            "from": str(self.year_from),
            "to": str(self.year_to),
        }
        if self.mode != "abs":
            q["mode"] = self.mode
        if self.unsure:
            q["unsure"] = "1"
        if self.lang != "zh":
            q["lang"] = self.lang
        return q

    def search(self) -> str:
        """'?indicator=…&regions=…' percent-encoded as the browser shows it (commas kept)."""
        return "?" + urlencode(self.query(), safe=",")


@dataclass(frozen=True)
class ViewParams:
    """A ready-made view (``view=NAME``) for the export routes."""

    view: View
    lang: str = "zh"

    def search(self) -> str:
        q = {"view": self.view.name} | ({"lang": self.lang} if self.lang != "zh" else {})
        return "?" + urlencode(q)


def query_of(search: str | None) -> dict[str, list[str]]:
    """'?indicator=x&regions=%E9…' -> {'indicator': ['x'], 'regions': ['郑州市']} (what a Location holds)."""
    return parse_qs((search or "").lstrip("?"))


def _one(query: Mapping, key: str) -> str | None:
    """A single query value: the last one if repeated, stripped; None when absent or empty."""
    value = query.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    value = None if value is None else str(value).strip()
    return value or None


def _region_values(query: Mapping) -> list[str]:
    value = query.get("regions")
    values = value if isinstance(value, list | tuple) else [value] if value else []
    return [r.strip() for v in values for r in str(v).replace("，", ",").split(",") if r.strip()]


def region_lookup(db: str | Path) -> dict[str, list[str]]:
    """Code, name shown and every alias of the database's regions -> the codes it can be (one, or several
    for an alias places share); made once per database file version."""
    return queries.per_file(db, "region_lookup", _region_lookup)


def _region_lookup(db: str | Path) -> dict[str, list[str]]:
    rows = list(queries.regions(db).itertuples())
    lookup: dict[str, list[str]] = {}
    for row in rows:
        for alias in str(row.aliases or "").split("|"):
            if alias and row.code not in lookup.setdefault(alias, []):
                lookup[alias].append(row.code)
    return lookup | {row.name: [row.code] for row in rows} | {row.code: [row.code] for row in rows}


def resolve_regions(db: str | Path, names: list[str]) -> tuple[tuple[str, ...], list[str], list[AmbiguousRegion]]:
    """(codes, unknown names, ambiguous names) of the regions a URL gives: each a code, a name shown, an alias,
    or any name the gazetteer knows for one place (a former name, a short form)."""
    lookup = region_lookup(db)
    codes: list[str] = []
    unknown: list[str] = []
    ambiguous: list[AmbiguousRegion] = []
    for name in names:
        found = lookup.get(name, [])
        if len(found) != 1 and (code := GAZETTEER.parse(name)):
            found = [code]
        if len(found) == 1:
            codes.append(found[0])
            continue
        shared = list(dict.fromkeys(found + GAZETTEER.candidates(name)))
        if len(shared) > 1:
            ambiguous.append(AmbiguousRegion(name, _candidates(db, shared)))
        else:
            unknown.append(name)
    return tuple(dict.fromkeys(codes)), unknown, ambiguous


def region_code(db: str | Path, value: str | None) -> str | None:
    """The code of one region given by code or name (None when unknown or shared)."""
    codes, _, _ = resolve_regions(db, [value.strip()]) if value and value.strip() else ((), [], [])
    return codes[0] if codes else None


def _candidates(db: str | Path, codes: list[str]) -> list[tuple[str, str, str | None]]:
    """(code, name shown, parent shown) of each code; those with facts first."""
    regions = queries.regions(db).set_index("code")
    with_data = set(regions.index[regions.n_facts > 0])
    out = []
    for code in sorted(codes, key=lambda c: c not in with_data):
        place = GAZETTEER.place(code)
        name = regions.name.get(code) or GAZETTEER.display(code) or code
        out.append((code, name, GAZETTEER.display(place.parent) if place and place.parent != "CN" else None))
    return out


def _unknown(names: list[str]) -> ParamError:
    return ParamError(f"未知地区“{'、'.join(names)}”", f"unknown region(s): {', '.join(names)}")


def _year(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        year = int(value)
    except ValueError:
        raise ParamError(
            f"{name} 应为年份（如 2013），收到“{value}”", f"{name} must be a year such as 2013, got '{value}'"
        ) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParamError(
            f"{name} 年份 {year} 超出范围 {MIN_YEAR}–{MAX_YEAR}",
            f"{name} year {year} is outside {MIN_YEAR}–{MAX_YEAR}",
        )
    return year


def _indicator(db: str | Path, key: str | None) -> str:
    if key is None:
        raise ParamError("缺少参数 indicator（指标代码）", "missing parameter: indicator")
    if key not in set(queries.indicators(db)["key"]):
        raise ParamError(f"未知指标“{key}”", f"unknown indicator '{key}'")
    return key


def _regions(db: str | Path, names: list[str]) -> tuple[str, ...]:
    if not names:
        raise ParamError("缺少参数 regions（地区，逗号分隔）", "missing parameter: regions (comma-separated)")
    codes, unknown, ambiguous = resolve_regions(db, names)
    if unknown:
        raise _unknown(unknown)
    if ambiguous:
        raise ambiguous[0]
    return codes


def _mode(value: str | None) -> str:
    if value is None:
        return "abs"
    if value not in MODES:
        raise ParamError(
            f"mode 应为 abs 或 change，收到“{value}”", f"mode must be abs or change, got '{value}'"
        )
    return value


def _flag(value: str | None, name: str) -> bool:
    if value is None or value in ("0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ParamError(f"{name} 应为 1 或 0，收到“{value}”", f"{name} must be 1 or 0, got '{value}'")


def _years(db, indicator, regions, y0: int | None, y1: int | None) -> tuple[int, int]:
    if y0 is not None and y1 is not None and y0 > y1:
        raise ParamError(f"起始年份 {y0} 晚于结束年份 {y1}", f"from year {y0} is after to year {y1}")
    bounds = queries.year_bounds(db, indicator, list(regions)) or queries.year_bounds(db) or (2013, 2022)
    y0 = bounds[0] if y0 is None else y0
    y1 = max(bounds[1], y0) if y1 is None else y1
    if y0 > y1:
        y0 = y1
    return y0, y1


def parse_compare(query: Mapping, db: str | Path) -> CompareParams:
    """Strict: every parameter must be valid (missing years default to the data's range)."""
    indicator = _indicator(db, _one(query, "indicator"))
    regions = _regions(db, _region_values(query))
    y0, y1 = _year(_one(query, "from"), "from"), _year(_one(query, "to"), "to")
    mode = _mode(_one(query, "mode"))
    unsure = _flag(_one(query, "unsure"), "unsure")
    y0, y1 = _years(db, indicator, regions, y0, y1)
    return CompareParams(indicator, regions, y0, y1, mode, lang_of(_one(query, "lang")), unsure)


def default_compare(db: str | Path, lang: str = "zh", indicator: str | None = None) -> CompareParams:
    """poor_population (or the indicator with most facts) in the regions that have it, over all its years."""
    inds = queries.indicators(db)
    with_data = inds[inds.n_facts > 0]
    if indicator is None:
        if "poor_population" in set(with_data.key):
            indicator = "poor_population"
        elif not with_data.empty:
            indicator = with_data.sort_values("n_facts", ascending=False).key.iloc[0]
        else:
            indicator = inds.key.iloc[0] if not inds.empty else "poor_population"
    regs = queries.query(
        db,
        """
        SELECT f.region_code FROM facts f LEFT JOIN regions r ON r.code = f.region_code WHERE f.indicator = ?
        GROUP BY f.region_code ORDER BY min(coalesce(r.sort_order, 1000000000)), f.region_code LIMIT 4""",
        [indicator],
    )
    regions = tuple(regs.region_code) or tuple(queries.regions(db).code[:1])
    y0, y1 = _years(db, indicator, regions, None, None)
    return CompareParams(indicator, regions, y0, y1, "abs", lang)


def lenient_compare(query: Mapping, db: str | Path) -> tuple[CompareParams, list[ParamError]]:
    """The page's state from a query string: valid parts kept, bad parts replaced by defaults and reported."""
    lang = lang_of(_one(query, "lang"))
    errors: list[ParamError] = []
    indicator = None
    if _one(query, "indicator") is not None:
        try:
            indicator = _indicator(db, _one(query, "indicator"))
        except ParamError as e:
            errors.append(e)
    state = default_compare(db, lang, indicator)
    names = _region_values(query)
    if names:
        codes, unknown, ambiguous = resolve_regions(db, names)
        if unknown:
            errors.append(_unknown(unknown))
        errors.extend(ambiguous)
        if codes or ambiguous:  # a shared name alone charts nothing rather than other regions
            state = replace(state, regions=codes)
    y0 = y1 = None
    for key in ("from", "to"):
        try:
            value = _year(_one(query, key), key)
        except ParamError as e:
            errors.append(e)
            value = None
        y0, y1 = (value, y1) if key == "from" else (y0, value)
    if y0 is not None and y1 is not None and y0 > y1:
        errors.append(
            ParamError(
                f"起始年份 {y0} 晚于结束年份 {y1}，已按 {y1}–{y0} 显示",
                f"from year {y0} is after to year {y1}; showing {y1}–{y0}",
            )
        )
        y0, y1 = y1, y0
    y0, y1 = _years(db, state.indicator, state.regions, y0, y1)
    try:
        mode = _mode(_one(query, "mode"))
    except ParamError as e:
        errors.append(e)
        mode = "abs"
    try:
        unsure = _flag(_one(query, "unsure"), "unsure")
    except ParamError as e:
        errors.append(e)
        unsure = False
    return replace(state, year_from=y0, year_to=y1, mode=mode, unsure=unsure), errors


def parse_export(query: Mapping, db: str | Path) -> CompareParams | ViewParams:
    """The export routes' parameters: ``view=NAME`` or the compare page's parameters (strict)."""
    name = _one(query, "view")
    if name is not None:
        if name not in VIEWS:
            raise ParamError(
                f"未知视图“{name}”（可用：{'、'.join(VIEWS)}）",
                f"unknown view '{name}' (available: {', '.join(VIEWS)})",
            )
        return ViewParams(VIEWS[name], lang_of(_one(query, "lang")))
    return parse_compare(query, db)
