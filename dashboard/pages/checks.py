"""核查 Checks: the consistency findings (parts against totals, persons per household, jumps between years,
documents that disagree), filtered by kind and result; each names its claims, linked to their place in
the document; the list downloads as CSV (``/export/findings.csv``, same filters)."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import queries
from dashboard.components import db_missing, db_path, error_box, filter_control, frame, grid, href
from dashboard.export import claim_label
from dashboard.i18n import finding_status_label, kind_label, lang_of, t
from dashboard.params import query_of

dash.register_page(__name__, path="/checks", name="核查", title="核查 · 脱贫攻坚指标看板", order=6)

FILTERS = ("kind", "status")
CHOICES = {"kind": queries.FINDING_KINDS, "status": queries.FINDING_STATUSES}


def _md(text: str) -> str:
    """Text safe inside a markdown link label."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def finding_rows(findings: pd.DataFrame, claims: pd.DataFrame, lang: str) -> list[dict]:
    """Grid rows: kind, result, message, place, and each claim involved as a link to its document."""
    by_id = {c["claim_id"]: c for c in claims.to_dict("records")}
    rows = []
    for r in findings.itertuples():
        ids = [i for i in str(r.claim_ids).split(",") if i]
        links = [
            f"[{_md(claim_label(by_id[i], lang))}]({href('/document', lang, doc=by_id[i]['doc_id'], claim=i)})"
            for i in ids
            if i in by_id
        ]
        rows.append(
            {
                "id": r.id,
                "kind": kind_label(r.kind, lang),
                "status": finding_status_label(r.status, lang),
                "status_key": r.status,
                "message": r.message,
                "region": r.region if isinstance(r.region, str) else "",
                "year": int(r.year) if pd.notna(r.year) else None,
                "indicator": (r.name_en if lang == "en" else r.name_zh)
                if isinstance(r.name_zh, str)
                else (r.indicator if isinstance(r.indicator, str) else ""),
                "claims": " · ".join(links),
                "doc_title": r.doc_title if isinstance(r.doc_title, str) else "",
            }
        )
    return rows


def columns(lang: str) -> list[dict]:
    return [
        {"field": "status", "headerName": t("finding_status", lang), "width": 90, "cellClass": "status-cell"},
        {"field": "kind", "headerName": t("finding_kind", lang), "width": 120},
        {"field": "region", "headerName": t("region", lang), "width": 90},
        {"field": "year", "headerName": t("year", lang), "width": 80, "filter": "agNumberColumnFilter"},
        {"field": "indicator", "headerName": t("indicator", lang), "width": 170, "tooltipField": "indicator"},
        {
            "field": "message",
            "headerName": t("message", lang),
            "flex": 1,
            "minWidth": 280,
            "wrapText": True,
            "autoHeight": True,
            "cellStyle": {"lineHeight": "1.5", "wordBreak": "break-all"},
        },
        {
            "field": "claims",
            "headerName": t("involved", lang),
            "width": 360,
            "cellRenderer": "markdown",
            "wrapText": True,
            "autoHeight": True,
            "cellStyle": {"lineHeight": "1.5"},
            "sortable": False,
        },
        {"field": "doc_title", "headerName": t("document", lang), "width": 170, "tooltipField": "doc_title"},
    ]


def options(lang: str) -> dict[str, list[dict]]:
    return {
        "kind": [{"label": kind_label(k, lang), "value": k} for k in queries.FINDING_KINDS],
        "status": [{"label": finding_status_label(s, lang), "value": s} for s in queries.FINDING_STATUSES],
    }


def table(db: str, kind: str | None, status: str | None, lang: str) -> tuple[list[dict], str]:
    """The grid rows and the count line for the filters."""
    found = queries.findings(db, kind, status)
    ids = sorted({i for x in found.claim_ids for i in str(x).split(",") if i})
    rows = finding_rows(found, queries.claims_by_id(db, ids), lang)
    counts = queries.finding_counts(db)
    text = f"{len(rows):,} {t('rows', lang)} · " + t("findings_summary", lang, **counts)
    if len(rows) >= queries.CLAIM_LIMIT:
        text += " · " + t("rows_limited", lang, n=queries.CLAIM_LIMIT)
    return rows, text


def layout(**query) -> html.Div:
    lang = lang_of(query.get("lang"))
    db = db_path()
    try:
        queries.finding_counts(db)
    except queries.DatabaseMissing as e:
        return db_missing("checks", lang, e.path)
    errors, values = [], {}
    for key in FILTERS:
        value = query.get(key) or None
        if value is not None and value not in CHOICES[key]:
            label = t("finding_kind" if key == "kind" else "finding_status", lang)
            errors.append(
                f"{label}：未知值“{value}”" if lang != "en" else f"{label}: unknown value '{value}'"
            )
            value = None
        values[key] = value
    opts = options(lang)
    search = href("", lang, **values)
    return frame(
        "checks",
        lang,
        dcc.Location(id="checks-url", refresh=False),
        dcc.Store(id="checks-lang", data=lang),
        html.H1(t("checks_title", lang)),
        html.P(t("checks_intro", lang), className="lead"),
        error_box(errors, lang, id="checks-error"),
        html.Div(
            [
                filter_control(f"checks-{k}", t(f"finding_{k}", lang), opts[k], values[k], lang)
                for k in FILTERS
            ]
            + [
                html.A(
                    t("download_findings", lang),
                    id="checks-csv",
                    href="/export/findings.csv" + search,
                    download="",
                    className="button",
                )
            ],
            className="controls filters",
        ),
        html.P(id="checks-count", className="muted"),
        grid(
            "checks-grid",
            [],
            columns(lang),
            lang,
            height="640px",
            getRowId="params.data.id",
            rowClassRules={
                "finding-mismatch": "params.data.status_key === 'mismatch'",
                "finding-warning": "params.data.status_key === 'warning'",
            },
        ),
        path="/checks",
        query=query,
    )


@callback(
    Output("checks-url", "search"),
    Output("checks-kind", "value"),
    Output("checks-status", "value"),
    Output("checks-grid", "rowData"),
    Output("checks-count", "children"),
    Output("checks-csv", "href"),
    Input("checks-url", "search"),
    Input("checks-kind", "value"),
    Input("checks-status", "value"),
    State("checks-lang", "data"),
)
def update(search: str | None, kind: str | None, status: str | None, lang: str):
    """Filters <-> URL, the findings and the CSV link (the URL wins on back/forward)."""
    if "checks-url.search" in dash.ctx.triggered_prop_ids:
        query = query_of(search)
        kind, status = ((query.get(k) or [None])[-1] for k in FILTERS)
    kind = kind if kind in CHOICES["kind"] else None
    status = status if status in CHOICES["status"] else None
    rows, count = table(db_path(), kind, status, lang)
    search = href("", lang, kind=kind, status=status)
    return search or "", kind, status, rows, count, "/export/findings.csv" + search
