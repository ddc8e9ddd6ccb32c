"""数据 Data: every claim in a grid, filtered by region, year, indicator, document, unit and qualifier
(the filters live in the URL, so a chart can link to the claims behind a point and back)."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import queries
from dashboard.components import db_missing, db_path, dropdown, error_box, frame, grid, href
from dashboard.i18n import fmt_value, lang_of, qualifier_label, t, unit_label
from dashboard.params import query_of

dash.register_page(__name__, path="/data", name="数据", title="数据 · 脱贫攻坚指标看板", order=4)

FILTERS = ("region", "year", "indicator", "doc", "unit", "qualifier")


def claim_rows(claims: pd.DataFrame, lang: str) -> list[dict]:
    """Grid rows: the claim, its sentence, and links to its chart and to its place in the document."""
    rows = []
    for r in claims.itertuples():
        placed = isinstance(r.indicator, str) and isinstance(r.region, str) and pd.notna(r.year)
        chart = (
            f"[{t('open_chart', lang)}]({href('/compare', lang, indicator=r.indicator, regions=r.region)})"
            if placed
            else ""
        )
        doc = f"[{t('open_document', lang)}]({href('/document', lang, doc=r.doc_id, claim=r.claim_id)})"
        rows.append(
            {
                "claim_id": r.claim_id,
                "region": r.region if isinstance(r.region, str) else "",
                "year": int(r.year) if pd.notna(r.year) else None,
                "indicator": (
                    (r.name_en if lang == "en" else r.name_zh)
                    if isinstance(r.name_zh, str)
                    else t("not_placed", lang)
                ),
                "value": float(r.value),
                "label": fmt_value(
                    r.value, r.unit, lang, r.qualifier, r.value_high if pd.notna(r.value_high) else None
                ),
                "mention": r.mention,
                "unit": unit_label(r.unit, lang),
                "qualifier": qualifier_label(r.qualifier, lang) or t("exact", lang),
                "chosen": "✓" if r.chosen else "",
                "doc_title": r.doc_title,
                "doc_date": r.doc_date,
                "sentence": r.sentence,
                "links": " · ".join(x for x in (chart, doc) if x),
            }
        )
    return rows


def columns(lang: str) -> list[dict]:
    return [
        {"field": "region", "headerName": t("region", lang), "width": 90},
        {"field": "year", "headerName": t("year", lang), "width": 80, "filter": "agNumberColumnFilter"},
        {"field": "indicator", "headerName": t("indicator", lang), "width": 150, "tooltipField": "indicator"},
        {"field": "label", "headerName": t("value", lang), "width": 110},
        {"field": "mention", "headerName": t("mention", lang), "width": 110},
        {"field": "qualifier", "headerName": t("qualifier", lang), "width": 80},
        {"field": "chosen", "headerName": t("chosen", lang), "width": 70},
        {"field": "doc_title", "headerName": t("document", lang), "width": 160, "tooltipField": "doc_title"},
        {"field": "doc_date", "headerName": t("date", lang), "width": 105, "cellDataType": "text"},
        {
            "field": "sentence",
            "headerName": t("sentence", lang),
            "flex": 1,
            "minWidth": 260,
            "wrapText": True,
            "autoHeight": True,
            "cellStyle": {"lineHeight": "1.5", "wordBreak": "break-all"},
        },
        {
            "field": "links",
            "headerName": "",
            "width": 170,
            "pinned": "right",
            "cellRenderer": "markdown",
            "filter": False,
            "sortable": False,
        },
    ]


def layout(**query) -> html.Div:
    lang = lang_of(query.get("lang"))
    db = db_path()
    try:
        facets = queries.claim_facets(db)
        names = queries.indicators(db).set_index("key")
        docs = queries.documents(db)
    except queries.DatabaseMissing as e:
        return db_missing("data", lang, e.path)
    options = {
        "region": [{"label": r, "value": r} for r in facets["region"]],
        "year": [{"label": str(y), "value": str(y)} for y in facets["year"]],
        "indicator": [
            {
                "label": names.loc[k, "name_en" if lang == "en" else "name_zh"] if k in names.index else k,
                "value": k,
                "search": f"{k} {names.loc[k, 'name_zh'] if k in names.index else ''}",
            }
            for k in facets["indicator"]
        ],
        "doc": [
            {"label": f"{r.title}（{r.date}）" if isinstance(r.date, str) else r.title, "value": r.id}
            for r in docs.itertuples()
        ],
        "unit": [{"label": unit_label(u, lang) or u, "value": u} for u in facets["unit"]],
        "qualifier": [
            {"label": qualifier_label(q, lang) or t("exact", lang), "value": q} for q in facets["qualifier"]
        ],
    }
    labels = {
        "region": "region",
        "year": "year",
        "indicator": "indicator",
        "doc": "document",
        "unit": "unit",
        "qualifier": "qualifier",
    }
    errors, values = [], {}
    for key in FILTERS:
        value = query.get(key) or None
        if value is not None and value not in {o["value"] for o in options[key]}:
            errors.append(
                f"{t(labels[key], lang)}：未知值“{value}”"
                if lang != "en"
                else f"{t(labels[key], lang)}: unknown value '{value}'"
            )
            value = None
        values[key] = value
    return frame(
        "data",
        lang,
        dcc.Location(id="data-url", refresh=False),
        dcc.Store(id="data-lang", data=lang),
        html.H1(t("data_title", lang)),
        error_box(errors, lang, id="data-error"),
        html.Div(
            [
                html.Div(
                    [
                        html.Label(t(labels[k], lang)),
                        dropdown(
                            f"data-{k}",
                            options[k],
                            values[k],
                            lang,
                            clearable=True,
                            placeholder=t("any", lang),
                        ),
                    ],
                    className="control",
                )
                for k in FILTERS
            ],
            className="controls filters",
        ),
        html.P(id="data-count", className="muted"),
        grid("data-grid", [], columns(lang), lang, height="640px", getRowId="params.data.claim_id"),
        path="/data",
        query=query,
    )


@callback(
    Output("data-url", "search"),
    *[Output(f"data-{k}", "value") for k in FILTERS],
    Output("data-grid", "rowData"),
    Output("data-count", "children"),
    Input("data-url", "search"),
    *[Input(f"data-{k}", "value") for k in FILTERS],
    State("data-lang", "data"),
)
def filter_claims(search, region, year, indicator, doc, unit, qualifier, lang):
    """Filters <-> URL, and the matching claims (the URL wins on back/forward)."""
    if ctx.triggered_id == "data-url":
        query = query_of(search)
        region, year, indicator, doc, unit, qualifier = ((query.get(k) or [None])[-1] for k in FILTERS)
    try:
        year_int = int(year) if year else None
    except ValueError:
        year, year_int = None, None
    claims = queries.claims(
        db_path(),
        region=region,
        year=year_int,
        indicator=indicator,
        doc_id=doc,
        unit=unit,
        qualifier=qualifier,
    )
    count = f"{len(claims):,} {t('rows', lang)}"
    if len(claims) >= queries.CLAIM_LIMIT:
        count += " · " + t("rows_limited", lang, n=queries.CLAIM_LIMIT)
    values = (region, year, indicator, doc, unit, qualifier)
    search = href("", lang, **dict(zip(FILTERS, values, strict=True)))
    return (search or "", *values, claim_rows(claims, lang), count)
