"""对比 Compare: one indicator, several regions, a year range; chart or map, table, sources and downloads.

The layout is built from the query string; one callback turns the controls into the URL, the chart (or the map
of a place's children, ``view=map``), the table and the download links (so the URL never races the controls); a
second one opens the sentence behind a clicked point or place.
"""

from __future__ import annotations

from dataclasses import replace

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import charts, maps, queries
from dashboard.components import (
    db_missing,
    db_path,
    download_links,
    dropdown,
    error_box,
    fact_columns,
    fact_rows,
    frame,
    grid,
    indicator_options,
    source_panel,
    year_marks,
)
from dashboard.figures import chart_config, source_text
from dashboard.i18n import lang_of, t
from dashboard.map_controls import map_controls, map_state, place_panel, year_options
from dashboard.params import (
    AmbiguousRegion,
    CompareParams,
    ParamError,
    candidate_label,
    expand_regions,
    lenient_compare,
    query_of,
)
from dashboard.region_tree import tree_options

dash.register_page(__name__, path="/compare", name="对比", title="对比 · 脱贫攻坚指标看板", order=2)


def layout(**query) -> html.Div:
    lang = lang_of(query.get("lang"))
    db = db_path()
    try:
        state, errors = lenient_compare(query, db)
        indicators, regions = queries.indicators(db), queries.regions(db)
        bounds = queries.year_bounds(db) or (state.year_from, state.year_to)
    except queries.DatabaseMissing as e:
        return db_missing("compare", lang, e.path)
    y_min, y_max = min(bounds[0], state.year_from), max(bounds[1], state.year_to)
    return frame(
        "compare",
        lang,
        dcc.Location(id="compare-url", refresh=False),
        dcc.Store(id="compare-lang", data=lang),
        error_box([error_message(e, state, lang) for e in errors], lang, id="compare-error"),
        html.Div(
            [
                html.Div(
                    [
                        html.Label(t("indicator", lang), htmlFor="compare-indicator"),
                        dropdown(
                            "compare-indicator",
                            indicator_options(indicators, lang),
                            state.indicator,
                            lang,
                            placeholder=t("choose_indicator", lang),
                            searchable=True,
                            maxHeight=420,
                            search_order="original",
                        ),
                    ],
                    className="control wide",
                ),
                html.Div(
                    [
                        html.Label(t("regions", lang), htmlFor="compare-regions"),
                        dropdown(
                            "compare-regions",
                            tree_options(regions, lang),
                            list(state.regions),
                            lang,
                            multi=True,
                            placeholder=t("choose_regions", lang),
                            closeOnSelect=False,
                        ),
                    ],
                    className="control wide",
                ),
                html.Div(
                    [
                        html.Label(t("years", lang)),
                        dcc.RangeSlider(
                            id="compare-years",
                            min=y_min,
                            max=y_max,
                            step=1,
                            value=[state.year_from, state.year_to],
                            marks=year_marks(y_min, y_max),
                            allow_direct_input=False,
                            allowCross=False,
                            tooltip=None,
                        ),
                    ],
                    className="control slider",
                ),
                html.Div(
                    [
                        html.Label(t("mode", lang)),
                        dcc.RadioItems(
                            id="compare-mode",
                            value=state.mode,
                            inline=True,
                            options=[
                                {"label": t("mode_abs", lang), "value": "abs"},
                                {"label": t("mode_change", lang), "value": "change"},
                                {"label": "首末两年" if lang != "en" else "Slope (first vs last year)",
                                 "value": "slope"},
                            ],
                        ),
                        dcc.Checklist(
                            id="compare-unsure",
                            value=["unsure"] if state.unsure else [],
                            options=[{"label": t("show_unsure", lang), "value": "unsure"}],
                            inline=True,
                        ),
                        dcc.Checklist(
                            id="compare-scale",
                            value=["log"] if state.scale == "log" else [],
                            options=[{"label": "对数刻度" if lang != "en" else "log scale", "value": "log"}],
                            inline=True,
                        ),
                        dcc.Checklist(
                            id="compare-latest",
                            value=["latest"] if state.latest else [],
                            options=[{"value": "latest", "label": "表格只列各地最新值" if lang != "en"
                                      else "table: latest value per place"}],
                            inline=True,
                        ),
                    ],
                    className="control",
                ),
            ],
            className="controls",
        ),
        map_controls(state, lang),
        dcc.Tabs(
            id="compare-view",
            value=state.view,
            children=[
                dcc.Tab(label="图表" if lang != "en" else "Chart", value="chart"),
                dcc.Tab(label="地图" if lang != "en" else "Map", value="map"),
            ],
        ),
        html.Div(id="compare-message", className="message"),
        html.Div(
            [
                html.Div(
                    dcc.Loading(
                        dcc.Graph(
                            id="compare-graph",
                            config=chart_config("chart", lang),
                            style={"height": "675px"},
                            clear_on_unhover=True,
                        ),
                        delay_show=300,
                        type="dot",
                    ),
                    className="chart",
                ),
                html.Aside(
                    html.Div(t("click_hint", lang), className="source-panel hint"),
                    id="compare-source",
                    className="side",
                ),
            ],
            className="chart-row",
        ),
        download_links("compare", state.search(), lang),
        dcc.Tabs(
            id="compare-tabs",
            value="table",
            children=[
                dcc.Tab(
                    label=t("tab_table", lang),
                    value="table",
                    children=grid("compare-grid", [], fact_columns(lang), lang, height="360px"),
                ),
                dcc.Tab(
                    label=t("tab_sources", lang), value="sources", children=html.Div(id="compare-sources")
                ),
            ],
        ),
        path="/compare",
        query=query,
    )


def error_message(error: ParamError, state: CompareParams, lang: str) -> str | list:
    """A bad parameter's message; for a name several places share, the candidates as links to the chart of
    each (with the other regions of the page kept)."""
    if not isinstance(error, AmbiguousRegion):
        return error.message(lang)
    links = []
    for candidate in error.candidates:
        target = replace(state, regions=(*state.regions, candidate[0]))
        links += ["、" if links else "", html.A(candidate_label(candidate), href="/compare" + target.search(),
                                                className="candidate", **{"data-code": candidate[0]})]
    head = (f"'{error.name}' names several regions; choose one: " if lang == "en"
            else f"“{error.name}”是多个地区的名称，请指明：")
    return [head, *links]


CONTROLS = ("compare-indicator", "compare-regions", "compare-years", "compare-mode", "compare-unsure",
            "compare-scale", "compare-latest", "compare-view", "compare-parent", "compare-year")


@callback(
    Output("compare-url", "search"),
    Output("compare-indicator", "value"),
    Output("compare-regions", "value"),
    Output("compare-years", "value"),
    Output("compare-mode", "value"),
    Output("compare-unsure", "value"),
    Output("compare-scale", "value"),
    Output("compare-latest", "value"),
    Output("compare-view", "value"),
    Output("compare-parent", "value"),
    Output("compare-year", "value"),
    Output("compare-year", "options"),
    Output("compare-map-controls", "style"),
    Output("compare-graph", "figure"),
    Output("compare-graph", "config"),
    Output("compare-grid", "rowData"),
    Output("compare-message", "children"),
    Output("compare-csv", "href"),
    Output("compare-png", "href"),
    Output("compare-xlsx", "href"),
    Output("compare-sources", "children"),
    Output("compare-error", "children"),
    Input("compare-url", "search"),
    Input("compare-indicator", "value"),
    Input("compare-regions", "value"),
    Input("compare-years", "value"),
    Input("compare-mode", "value"),
    Input("compare-unsure", "value"),
    Input("compare-scale", "value"),
    Input("compare-latest", "value"),
    Input("compare-view", "value"),
    Input("compare-parent", "value"),
    Input("compare-year", "value"),
    State("compare-lang", "data"),
)
def update(
    search: str | None,
    indicator: str,
    regions: list[str] | None,
    years: list[int],
    mode: str,
    unsure: list[str] | None,
    scale: list[str] | None,
    latest: list[str] | None,
    view: str | None,
    parent: str | None,
    year: str | None,
    lang: str,
):
    """State -> URL, controls, chart, table and download links (the same parameters everywhere).

    One callback for both directions (DASH-NOTES: two race on load): a control change writes the URL;
    a URL change (back/forward) sets the controls.
    """
    if ctx.triggered_id == "compare-url":
        p = replace(lenient_compare(query_of(search), db_path())[0], lang=lang)
    else:
        p = CompareParams(
            indicator, expand_regions(db_path(), regions or []), int(years[0]), int(years[1]), mode or "abs", lang,
            bool(unsure), "log" if scale else "linear", *map_state(view, parent, year), bool(latest),
        )
    chart = maps.map_view(db_path(), p) if p.view == "map" else charts.compare_chart(db_path(), p)
    message = t("no_regions", lang) if not p.regions and p.view != "map" else maps.map_message(chart, lang)
    sources = html.P(source_text([chart.facts, chart.alternatives], lang) or t("no_data", lang))
    clear_error = None if ctx.triggered_id in CONTROLS else dash.no_update  # a bad link's message stays
    # a link whose only region was a shared name keeps its URL (and message) until a control changes
    url = p.search() if p.regions or p.view == "map" or ctx.triggered_id in CONTROLS else dash.no_update
    return (
        url,
        p.indicator,
        list(p.regions),
        [p.year_from, p.year_to],
        p.mode,
        ["unsure"] if p.unsure else [],
        ["log"] if p.scale == "log" else [],
        ["latest"] if p.latest else [],
        p.view,
        p.parent,
        str(p.year) if p.year else "latest",
        year_options(getattr(chart, "years", []), p.year, lang),
        {} if p.view == "map" else {"display": "none"},
        chart.figure,
        chart_config(chart.filename, lang),
        fact_rows(chart.rows(), lang),
        message,
        "/export.csv" + p.search(),
        "/export.png" + p.search(),
        "/export.xlsx" + p.search(),
        sources,
        clear_error,
    )


@callback(
    Output("compare-source", "children"),
    Input("compare-graph", "clickData"),
    State("compare-lang", "data"),
    State("compare-url", "search"),
    prevent_initial_call=True,
)
def show_source(click: dict | None, lang: str, search: str | None):
    """A clicked point or place -> the sentence(s) it came from, with document title, issuer and date; on the
    map, a place without a figure says so, and a place with places of its own offers their map."""
    if not click or not click.get("points") or not click["points"][0].get("customdata"):
        return dash.no_update
    custom = click["points"][0]["customdata"]
    code, year, indicator = custom[:3]
    if custom[-1] == "context":
        return dash.no_update
    on_map = custom[-1] == "nodata" or click["points"][0].get("location") is not None
    place = None
    if on_map:
        p = replace(lenient_compare(query_of(search), db_path())[0], lang=lang)
        name = queries.region_names(db_path(), [code]).get(code) or code
        place = place_panel(code, name, p, year is not None)
        if year is None:
            return html.Div(place, className="source-panel")
    claims = queries.point_claims(db_path(), code, int(year), indicator, unsure=custom[-1] == "unsure")
    region = claims.region.iloc[0] if not claims.empty else code
    names = queries.indicators(db_path()).set_index("key")
    name = (
        names.loc[indicator, "name_en" if lang == "en" else "name_zh"]
        if indicator in names.index
        else indicator
    )
    panel = source_panel(claims, lang, region, int(year), name)
    return html.Div([panel, place]) if place is not None else panel
