"""文件 Document: a document's full text with its claims highlighted; each highlight leads to its chart,
and ``?claim=ID`` marks (and scrolls to) one claim, so a chart point leads back here."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, clientside_callback, dcc, html

from dashboard import queries
from dashboard.components import db_missing, db_path, frame, href
from dashboard.i18n import fmt_value, lang_of, t

dash.register_page(__name__, path="/document", name="文件", title="文件 · 脱贫攻坚指标看板", order=5)


def marked_text(text: str, claims: pd.DataFrame, selected: str | None, lang: str) -> list:
    """The text as strings and <mark>s (one per claim, overlaps skipped); placed claims link to a chart."""
    parts, at = [], 0
    for r in claims.itertuples():
        start, end = int(r.char_start), int(r.char_end)
        if start < at or end > len(text):
            continue
        parts.append(text[at:start])
        placed = isinstance(r.indicator, str) and isinstance(r.region, str) and pd.notna(r.year)
        name = (
            (r.name_en if lang == "en" else r.name_zh)
            if isinstance(r.name_zh, str)
            else t("not_placed", lang)
        )
        tip = " · ".join(
            str(x)
            for x in (
                name,
                r.region if placed else "",
                r.year if pd.notna(r.year) else "",
                fmt_value(r.value, r.unit, lang, r.qualifier, rate=r.rate),
            )
            if x
        )
        cls = (
            "claim"
            + (" placed" if placed else " unplaced")
            + (" selected claim-selected" if r.claim_id == selected else "")
            + ("" if r.live else " rejected")
        )
        mark = html.Mark(text[start:end], id=f"c-{r.claim_id}", className=cls, title=tip)
        parts.append(
            dcc.Link(mark, href=href("/compare", lang, indicator=r.indicator, regions=r.region))
            if placed
            else mark
        )
        at = end
    parts.append(text[at:])
    return parts


def layout(doc: str | None = None, claim: str | None = None, **query) -> html.Div:
    lang = lang_of(query.get("lang"))
    db = db_path()
    try:
        if doc is None and claim:
            found = queries.claim(db, claim)
            doc = found["doc_id"] if found else None
        document = queries.document(db, doc) if doc else None
        claims = queries.document_claims(db, doc) if document else None
    except queries.DatabaseMissing as e:
        return db_missing("document", lang, e.path)
    q = {"doc": doc, "claim": claim} | query
    if document is None:
        return frame(
            "document",
            lang,
            html.Div(
                [html.P(t("no_document", lang)), dcc.Link(t("back_to_data", lang), href=href("/data", lang))],
                className="error-box",
                id="document-error",
            ),
            path="/document",
            query=q,
        )
    meta = [
        (t("issuer", lang), document["issuer"]),
        (t("date", lang), document["date"]),
        (t("region", lang), document["region"]),
        ("source" if lang == "en" else "来源", document["source"]),
        ("file" if lang == "en" else "文件名", document["file"]),
    ]
    selected = claims[claims.claim_id == claim] if claim else claims.iloc[0:0]
    detail = None
    if not selected.empty:
        r = selected.iloc[0]
        placed = isinstance(r.indicator, str) and isinstance(r.region, str) and pd.notna(r.year)
        detail = html.Div(
            [
                html.Strong(fmt_value(r.value, r.unit, lang, r.qualifier, rate=r.rate)),
                " ",
                html.Span(
                    f"{r.region or ''} {int(r.year) if pd.notna(r.year) else ''} "
                    f"{(r.name_en if lang == 'en' else r.name_zh) if isinstance(r.name_zh, str) else ''}"
                ),
                " · ",
                dcc.Link(
                    t("open_chart", lang),
                    href=href("/compare", lang, indicator=r.indicator, regions=r.region),
                    className="link",
                    id="document-chart-link",
                )
                if placed
                else None,
                " · ",
                dcc.Link(t("open_claims", lang), href=href("/data", lang, doc=doc), className="link"),
            ],
            className="selected-claim",
            id="document-selected",
        )
    n_placed = int((claims.indicator.notna()).sum())
    return frame(
        "document",
        lang,
        html.H1(document["title"]),
        html.Dl(
            [x for k, v in meta if isinstance(v, str) and v for x in (html.Dt(k), html.Dd(v))],
            className="doc-meta",
        ),
        detail,
        html.P(
            f"{t('claims_in_doc', lang)}：{len(claims)}（{n_placed} → {t('indicator', lang)}）",
            className="muted",
        ),
        dcc.Link(t("back_to_data", lang), href=href("/data", lang, doc=doc), className="link"),
        html.Div(
            marked_text(document["text"], claims, claim, lang), id="document-text", className="doc-text"
        ),
        dcc.Store(id="document-scrolled"),
        path="/document",
        query=q,
    )


clientside_callback(
    """function(id) {
        setTimeout(function() {
            var el = document.querySelector('.claim-selected');
            if (el) { el.scrollIntoView({block: 'center'}); }
        }, 100);
        return window.dash_clientside.no_update;
    }""",
    Output("document-scrolled", "data"),
    Input("document-text", "id"),
)
