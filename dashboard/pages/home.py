"""首页 Home: what the dashboard is, links to every page and to the two ready-made views."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import queries
from dashboard.components import db_missing, db_path, frame, href, view_cards
from dashboard.i18n import lang_of, t

dash.register_page(__name__, path="/", name="首页", title="脱贫攻坚指标看板", order=0)


def layout(**query) -> html.Div:
    lang = lang_of(query.get("lang"))
    try:
        stats = queries.summary(db_path())
    except queries.DatabaseMissing as e:
        return db_missing("home", lang, e.path)
    pages = [
        ("overview", "/overview", "nav_overview", "home_overview_desc"),
        ("compare", "/compare", "nav_compare", "home_compare_desc"),
        ("data", "/data", "nav_data", "home_data_desc"),
        ("checks", "/checks", "nav_checks", "home_checks_desc"),
    ]
    return frame(
        "home",
        lang,
        html.H1(t("app_title", lang)),
        html.P(t("home_intro", lang), className="lead"),
        html.Div(
            [
                html.Span([html.Strong(f"{stats[k]:,}"), " ", t(f"stat_{k}", lang)], className="stat")
                for k in ("documents", "claims", "facts", "regions")
            ],
            className="stats",
            id="home-stats",
        ),
        html.H2(t("home_views", lang)),
        html.Div(view_cards(lang), className="cards"),
        html.H2(t("home_pages", lang)),
        html.Div(
            [
                html.Div(
                    [dcc.Link(html.H3(t(key, lang)), href=href(path, lang)), html.P(t(desc, lang))],
                    className="card",
                    id=f"home-page-{name}",
                )
                for name, path, key, desc in pages
            ],
            className="cards",
        ),
        path="/",
        query=query,
    )
