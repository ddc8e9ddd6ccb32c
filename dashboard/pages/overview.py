"""总览 Overview: per region, cards with the latest value of the key indicators, its year, unit and source."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import queries
from dashboard.components import db_missing, db_path, dropdown, error_box, frame, href, region_options
from dashboard.i18n import fmt_exact, fmt_value, qualifier_label, t
from dashboard.params import query_of, region_code

dash.register_page(__name__, path="/overview", name="总览", title="总览 · 脱贫攻坚指标看板", order=1)

KEY_INDICATORS = (
    "poor_population",
    "poor_households",
    "lifted_population",
    "lifted_households",
    "remaining_poor_population",
    "remaining_poor_households",
    "monitored_households",
    "monitored_population",
    "funding_total",
    "lifted_per_capita_income",
)


def cards(latest: pd.DataFrame, region: str, lang: str) -> list:
    """One card per indicator with a value: value, year, unit, qualifier, conflict, source and trend links."""
    out = []
    for r in latest.itertuples():
        name = r.name_en if lang == "en" else r.name_zh
        year = f"{r.year}" if lang == "en" else f"{r.year}年"
        qual = qualifier_label(r.qualifier, lang)
        out.append(
            html.Div(
                [
                    html.Div(name, className="card-label"),
                    html.Div(
                        fmt_value(
                            r.value,
                            r.unit,
                            lang,
                            r.qualifier,
                            r.value_high if pd.notna(r.value_high) else None,
                            rate=r.rate,
                        ),
                        className="card-value",
                    ),
                    html.Div(
                        [
                            html.Span(year, className="card-year"),
                            html.Span(fmt_exact(r.value, r.unit, lang), className="muted"),
                            html.Span(qual, className="badge approx") if qual else None,
                            html.Span(t("conflict", lang), className="badge conflict")
                            if r.conflict
                            else None,
                            html.Span(t("reviewed_mark", lang) + " ✓", className="badge chosen")
                            if getattr(r, "reviewed", False)
                            else None,
                        ],
                        className="card-meta",
                    ),
                    html.Div(
                        [
                            dcc.Link(
                                f"{t('source_title', lang)}：《{r.doc_title}》",
                                className="link",
                                href=href("/document", lang, doc=r.doc_id, claim=r.claim_id)
                                + f"#c-{r.claim_id}",
                                title=r.sentence if isinstance(r.sentence, str) else "",
                            ),
                            dcc.Link(
                                t("trend", lang) + " →",
                                className="link",
                                href=href("/compare", lang, indicator=r.indicator, regions=region),
                            ),
                        ],
                        className="card-links",
                    ),
                ],
                className="card fact-card",
                id=f"overview-card-{r.indicator}",
            )
        )
    return out


def layout(**query) -> html.Div:
    lang = "en" if query.get("lang") == "en" else "zh"
    try:
        regions = queries.regions(db_path())
    except queries.DatabaseMissing as e:
        return db_missing("overview", lang, e.path)
    with_data = regions[regions.n_facts > 0]
    asked, errors = query.get("region"), []
    region = region_code(db_path(), asked)
    if asked and region is None:
        errors.append(f"未知地区“{asked}”" if lang != "en" else f"unknown region '{asked}'")
    if not region:
        region = with_data.code.iloc[0] if not with_data.empty else None
    return frame(
        "overview",
        lang,
        dcc.Location(id="overview-url", refresh=False),
        dcc.Store(id="overview-lang", data=lang),
        html.H1(t("overview_title", lang)),
        error_box(errors, lang, id="overview-error"),
        html.Div(
            [
                html.Label(t("region", lang)),
                dropdown(
                    "overview-region",
                    region_options(regions),
                    region,
                    lang,
                    placeholder=t("choose_region", lang),
                ),
            ],
            className="control narrow",
        ),
        html.Div(id="overview-cards", className="cards"),
        html.P(id="overview-missing", className="muted"),
        path="/overview",
        query=query,
    )


@callback(
    Output("overview-url", "search"),
    Output("overview-region", "value"),
    Output("overview-cards", "children"),
    Output("overview-missing", "children"),
    Input("overview-url", "search"),
    Input("overview-region", "value"),
    State("overview-lang", "data"),
)
def show_region(search: str | None, region: str | None, lang: str):
    """Region <-> URL, and the region's cards (the URL wins on back/forward)."""
    if ctx.triggered_id == "overview-url":
        region = region_code(db_path(), (query_of(search).get("region") or [region])[-1])
    if not region or region not in set(queries.regions(db_path()).code):
        return dash.no_update, dash.no_update, [], t("choose_region", lang)
    latest = queries.latest(db_path(), region, list(KEY_INDICATORS))
    names = queries.indicators(db_path()).set_index("key")
    missing = [
        names.loc[k, "name_en" if lang == "en" else "name_zh"]
        for k in KEY_INDICATORS
        if k not in set(latest.indicator) and k in names.index
    ]
    sep, head = ("; ", "No data: ") if lang == "en" else ("、", "暂无数据：")
    note = head + sep.join(missing) if missing else ""
    return href("", lang, region=region), region, cards(latest, region, lang), note
