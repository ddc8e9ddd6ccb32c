"""The map tab's controls on the compare page: the place whose children are drawn, and the year (or each place's
latest); and what a click on a place without a figure shows."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from dash import html

from dashboard import geo, maps
from dashboard.components import dropdown
from dashboard.params import CompareParams


@cache
def parent_options() -> tuple[dict, ...]:
    """全国, then every province and prefecture (with its province), searchable by name and code."""
    options = [{"label": "全国 · China", "value": "CN", "search": "全国 中国 China CN"}]
    for province in geo.children("CN"):
        name = geo.GAZETTEER.display(province) or province
        options.append({"label": name, "value": province, "search": f"{name} {province}"})
        for prefecture in geo.children(province):
            if geo.GAZETTEER.level(prefecture) != "prefecture":
                continue
            sub = geo.GAZETTEER.display(prefecture) or prefecture
            options.append({"label": f"{sub} · {name}", "value": prefecture,
                            "search": f"{sub} {prefecture} {name}"})
    return tuple(options)


def year_options(years: list[int], chosen: int | None, lang: str) -> list[dict]:
    """'各地最新年份' first, then the years some place has a value in (the chosen one kept even if none has)."""
    shown = sorted(set(years) | ({chosen} if chosen else set()), reverse=True)
    latest = "latest year of each place" if lang == "en" else "各地最新年份"
    return [{"label": latest, "value": "latest"}] + [{"label": str(y), "value": str(y)} for y in shown]


def map_state(view: str | None, parent: str | None, year: str | None) -> tuple[str, str, int | None]:
    """(view, parent, year) of the controls' values."""
    year_value = int(year) if year and str(year).isdigit() else None
    return ("map" if view == "map" else "chart"), (parent if parent and geo.has_map(parent) else "CN"), year_value


def map_controls(state: CompareParams, lang: str) -> html.Div:
    """Parent and year pickers, shown only on the map tab."""
    en = lang == "en"
    return html.Div(
        [
            html.Div(
                [
                    html.Label("Map of the places within" if en else "地图范围（显示其下级）",
                               htmlFor="compare-parent"),
                    dropdown("compare-parent", list(parent_options()), state.parent, lang, searchable=True,
                             clearable=False, maxHeight=420, search_order="original"),
                ],
                className="control wide",
            ),
            html.Div(
                [
                    html.Label("Year" if en else "年份", htmlFor="compare-year"),
                    dropdown("compare-year", year_options([], state.year, lang),
                             str(state.year) if state.year else "latest", lang, clearable=False),
                ],
                className="control",
            ),
        ],
        id="compare-map-controls",
        className="controls",
        style={} if state.view == "map" else {"display": "none"},
    )


def place_panel(code: str, name: str, p: CompareParams, has_value: bool) -> html.Div | None:
    """Below a clicked place: '暂无数据' when it has no figure, and a link to the map of its children."""
    parts = []
    if not has_value:
        year = maps.s("year", p.lang, year=p.year) if p.year else maps.s("latest", p.lang)
        parts.append(html.P(maps.s("click_place", p.lang, name=name, year=year), className="no-data"))
    if geo.has_map(code):
        target = replace(p, parent=code, view="map")
        parts.append(html.A(maps.s("drill", p.lang, name=name), href="/compare" + target.search(),
                            className="drill", id="compare-drill"))
    return html.Div(parts, className="place-panel") if parts else None
