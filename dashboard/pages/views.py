"""现成视图 Ready-made views (/view/zhengzhou, /view/jiangsu): a set of indicators for one region, side by
side, from the same query and figure functions as the compare page."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard import charts, queries
from dashboard.components import (
    db_missing,
    db_path,
    download_links,
    fact_columns,
    fact_rows,
    frame,
    grid,
    href,
    source_panel,
)
from dashboard.figures import chart_config
from dashboard.i18n import lang_of, t
from dashboard.params import ViewParams
from dashboard.views import VIEWS

dash.register_page(
    __name__,
    path_template="/view/<name>",
    path="/view/zhengzhou",
    name="现成视图",
    title="现成视图 · 脱贫攻坚指标看板",
    order=3,
)


def layout(name: str = "zhengzhou", **query) -> html.Div:
    lang = lang_of(query.get("lang"))
    view = VIEWS.get(name)
    if view is None:
        links = [
            dcc.Link(v.title(lang), href=href(f"/view/{v.name}", lang), className="link")
            for v in VIEWS.values()
        ]
        return frame(
            "view",
            lang,
            html.Div([html.P(t("view_not_found", lang)), *links], className="error-box", id="view-error"),
            path=f"/view/{name}",
            query=query,
        )
    try:
        chart = charts.view_chart(db_path(), view, lang)
    except queries.DatabaseMissing as e:
        return db_missing(view.name, lang, e.path)
    search = ViewParams(view, lang).search()
    compare_links = [
        dcc.Link(
            r,
            href=href(
                "/compare",
                lang,
                indicator=r_key,
                regions=view.code,
                **{"from": view.year_from, "to": view.year_to},
            ),
            className="link",
        )
        for r_key, r in zip(
            chart.indicators.key, chart.indicators["name_en" if lang == "en" else "name_zh"], strict=True
        )
    ]
    return frame(
        view.name,
        lang,
        dcc.Store(id="view-lang", data=lang),
        html.H1(view.title(lang)),
        html.P(view.description(lang), className="lead"),
        html.Div(
            [
                html.Div(
                    dcc.Graph(
                        id="view-graph",
                        figure=chart.figure,
                        config=chart_config(chart.filename, lang),
                        style={"height": "675px"},
                    ),
                    className="chart",
                ),
                html.Aside(
                    html.Div(t("click_hint", lang), className="source-panel hint"),
                    id="view-source",
                    className="side",
                ),
            ],
            className="chart-row",
        ),
        download_links("view", search, lang),
        html.Div(
            [html.Span(t("trend", lang) + "：", className="muted"), *compare_links], className="link-row"
        ),
        html.H3(t("tab_table", lang)),
        grid("view-grid", fact_rows(chart.facts, lang), fact_columns(lang), lang, height="360px"),
        path=f"/view/{view.name}",
        query=query,
    )


@callback(
    Output("view-source", "children"),
    Input("view-graph", "clickData"),
    State("view-lang", "data"),
    prevent_initial_call=True,
)
def show_source(click: dict | None, lang: str):
    """A clicked bar -> the sentence(s) it came from."""
    if not click or not click.get("points"):
        return dash.no_update
    code, year, indicator = click["points"][0]["customdata"][:3]
    claims = queries.point_claims(db_path(), code, int(year), indicator)
    region = claims.region.iloc[0] if not claims.empty else code
    names = queries.indicators(db_path()).set_index("key")
    name = (
        names.loc[indicator, "name_en" if lang == "en" else "name_zh"]
        if indicator in names.index
        else indicator
    )
    return source_panel(claims, lang, region, int(year), name)
