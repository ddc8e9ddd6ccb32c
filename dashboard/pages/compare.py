"""对比 Compare: one indicator, several regions, a year range; chart, table, sources and downloads.

The layout is built from the query string; one callback turns the controls into the URL, the chart,
the table and the download links (so the URL never races the controls); a second one opens the
sentence behind a clicked point.
"""

from __future__ import annotations

from dataclasses import replace

import dash
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import charts, queries
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
    region_options,
    source_panel,
    year_marks,
)
from dashboard.figures import chart_config, source_text
from dashboard.i18n import lang_of, t
from dashboard.params import AmbiguousRegion, CompareParams, ParamError, candidate_label, lenient_compare, query_of

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
                            region_options(regions),
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
                            ],
                        ),
                        dcc.Checklist(
                            id="compare-unsure",
                            value=["unsure"] if state.unsure else [],
                            options=[{"label": t("show_unsure", lang), "value": "unsure"}],
                            inline=True,
                        ),
                    ],
                    className="control",
                ),
            ],
            className="controls",
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


CONTROLS = ("compare-indicator", "compare-regions", "compare-years", "compare-mode", "compare-unsure")


@callback(
    Output("compare-url", "search"),
    Output("compare-indicator", "value"),
    Output("compare-regions", "value"),
    Output("compare-years", "value"),
    Output("compare-mode", "value"),
    Output("compare-unsure", "value"),
    Output("compare-graph", "figure"),
    Output("compare-graph", "config"),
    Output("compare-grid", "rowData"),
    Output("compare-message", "children"),
    Output("compare-csv", "href"),
    Output("compare-png", "href"),
    Output("compare-sources", "children"),
    Output("compare-error", "children"),
    Input("compare-url", "search"),
    Input("compare-indicator", "value"),
    Input("compare-regions", "value"),
    Input("compare-years", "value"),
    Input("compare-mode", "value"),
    Input("compare-unsure", "value"),
    State("compare-lang", "data"),
)
def update(
    search: str | None,
    indicator: str,
    regions: list[str] | None,
    years: list[int],
    mode: str,
    unsure: list[str] | None,
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
            indicator, tuple(regions or ()), int(years[0]), int(years[1]), mode or "abs", lang, bool(unsure)
        )
    chart = charts.compare_chart(db_path(), p)
    message = t("no_regions", lang) if not p.regions else ""
    sources = html.P(source_text([chart.facts, chart.alternatives], lang) or t("no_data", lang))
    clear_error = None if ctx.triggered_id in CONTROLS else dash.no_update  # a bad link's message stays
    # a link whose only region was a shared name keeps its URL (and message) until a control changes
    url = p.search() if p.regions or ctx.triggered_id in CONTROLS else dash.no_update
    return (
        url,
        p.indicator,
        list(p.regions),
        [p.year_from, p.year_to],
        p.mode,
        ["unsure"] if p.unsure else [],
        chart.figure,
        chart_config(chart.filename, lang),
        fact_rows(chart.rows(), lang),
        message,
        "/export.csv" + p.search(),
        "/export.png" + p.search(),
        sources,
        clear_error,
    )


@callback(
    Output("compare-source", "children"),
    Input("compare-graph", "clickData"),
    State("compare-lang", "data"),
    prevent_initial_call=True,
)
def show_source(click: dict | None, lang: str):
    """A clicked point -> the sentence(s) it came from, with document title, issuer and date."""
    if not click or not click.get("points"):
        return dash.no_update
    custom = click["points"][0]["customdata"]
    code, year, indicator = custom[:3]
    claims = queries.point_claims(db_path(), code, int(year), indicator, unsure=custom[-1] == "unsure")
    region = claims.region.iloc[0] if not claims.empty else code
    names = queries.indicators(db_path()).set_index("key")
    name = (
        names.loc[indicator, "name_en" if lang == "en" else "name_zh"]
        if indicator in names.index
        else indicator
    )
    return source_panel(claims, lang, region, int(year), name)
