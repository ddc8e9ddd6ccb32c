"""数据 Data: every claim in a grid, filtered by region, year, indicator, document, unit, qualifier and
review status (the filters live in the URL, so a chart can link to the claims behind a point and back).

Ticked claims can be accepted, rejected or corrected (``python -m etl review``'s code path), and
documents uploaded (``python -m etl ingest``'s); after either the grid is read again from the database.
"""

from __future__ import annotations

import base64

import dash
import duckdb
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import auth, queries, writes
from dashboard.components import (
    db_missing,
    db_path,
    dropdown,
    error_box,
    filter_control,
    frame,
    grid,
    href,
    indicator_options,
    region_label,
    region_options,
)
from dashboard.i18n import (
    UNITS,
    fmt_value,
    lang_of,
    qualifier_label,
    reason_text,
    status_label,
    t,
    unit_label,
)
from dashboard.params import query_of, region_code

dash.register_page(__name__, path="/data", name="数据", title="数据 · 脱贫攻坚指标看板", order=4)

FILTERS = ("region", "year", "indicator", "doc", "unit", "qualifier", "status")
LABELS = {  # filter -> UI string key
    "region": "region",
    "year": "year",
    "indicator": "indicator",
    "doc": "document",
    "unit": "unit",
    "qualifier": "qualifier",
    "status": "status",
}
FIXES = ("value", "unit", "qualifier", "region", "year", "indicator")  # the correction form's fields
# Region dropdowns get their options as one types (the gazetteer has thousands of places).
REGION_DROPDOWNS = ("data-upload-region", "data-fix-region")
REGION_CHOICES = 30
ACTIONS = {"data-accept": "accept", "data-reject": "reject", "data-correct": "set"}
QUALIFIERS = ("exact", "approx", "at_least", "at_most")


def claim_rows(claims: pd.DataFrame, lang: str) -> list[dict]:
    """Grid rows: the claim, its review status, its sentence, and links to its chart and document."""
    rows = []
    for r in claims.itertuples():
        placed = isinstance(r.indicator, str) and isinstance(r.region, str) and pd.notna(r.year)
        chart = (
            f"[{t('open_chart', lang)}]({href('/compare', lang, indicator=r.indicator, regions=r.region_code)})"
            if placed
            else ""
        )
        doc = f"[{t('open_document', lang)}]({href('/document', lang, doc=r.doc_id, claim=r.claim_id)})"
        status = getattr(r, "status", "machine")
        guess = (r.candidate_en if lang == "en" else r.candidate_zh) if isinstance(r.candidate_zh, str) else None
        unsure = r.confidence == "low" and status == "machine"
        rows.append(
            {
                "claim_id": r.claim_id,
                "region": r.region if isinstance(r.region, str) else "",
                "year": int(r.year) if pd.notna(r.year) else None,
                "indicator": (
                    (r.name_en if lang == "en" else r.name_zh)
                    if isinstance(r.name_zh, str)
                    else t("unsure_guess", lang, name=guess)
                    if unsure and guess
                    else t("not_placed", lang)
                ),
                "accept_candidate": t("accept_candidate", lang) if unsure and guess else "",
                "value": float(r.value),
                "label": fmt_value(
                    r.value, r.unit, lang, r.qualifier, r.value_high if pd.notna(r.value_high) else None,
                    rate=r.rate,
                ),
                "mention": r.mention,
                "unit": unit_label(r.unit, lang),
                "qualifier": qualifier_label(r.qualifier, lang) or t("exact", lang),
                "chosen": "✓" if r.chosen else "",
                "status": status_label(status, lang),
                "status_key": status,
                "reviewed_by": reviewer_text(r.reviewed_by, r.reviewed_auth, lang),
                "reviewed_at": (r.reviewed_at or "").replace("T", " ")[:16] if isinstance(r.reviewed_at, str) else "",
                "doc_title": r.doc_title,
                "doc_date": r.doc_date,
                "sentence": r.sentence,
                "links": " · ".join(x for x in (chart, doc) if x),
            }
        )
    return rows


def reviewer_text(who: object, how: object, lang: str) -> str:
    """The reviewer as the log knows them: an account or the local login by name; a name typed before accounts
    existed, marked unverified; the command line's, marked so."""
    if not isinstance(who, str) or not who:
        return ""
    if how in ("account", "local"):
        return who
    return t("who_cli" if how == "cli" else "who_unverified", lang, who=who)


def columns(lang: str) -> list[dict]:
    return [
        {"field": "region", "headerName": t("region", lang), "width": 90},
        {"field": "year", "headerName": t("year", lang), "width": 80, "filter": "agNumberColumnFilter"},
        {"field": "indicator", "headerName": t("indicator", lang), "width": 150, "tooltipField": "indicator"},
        {
            "field": "accept_candidate",
            "headerName": t("candidate", lang),
            "width": 80,
            "cellClass": "accept-candidate",
            "headerTooltip": t("accept_candidate_hint", lang),
            "filter": False,
        },
        {"field": "label", "headerName": t("value", lang), "width": 110},
        {"field": "mention", "headerName": t("mention", lang), "width": 100},
        {"field": "qualifier", "headerName": t("qualifier", lang), "width": 75},
        {"field": "chosen", "headerName": t("chosen", lang), "width": 65},
        {"field": "status", "headerName": t("status", lang), "width": 90, "cellClass": "status-cell"},
        {"field": "reviewed_by", "headerName": t("reviewer", lang), "width": 110, "tooltipField": "reviewed_by"},
        {"field": "reviewed_at", "headerName": t("reviewed_at", lang), "width": 130, "cellDataType": "text"},
        {"field": "doc_title", "headerName": t("document", lang), "width": 140, "tooltipField": "doc_title"},
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


def filter_options(db: str, lang: str) -> dict[str, list[dict]]:
    """Options of the filters: the values the claims have (and the review statuses)."""
    facets = queries.claim_facets(db)
    names = queries.indicators(db).set_index("key")
    docs = queries.documents(db)
    return {
        "region": [
            {"label": region_label(name, parent), "value": code, "search": f"{name} {code} {parent or ''}"}
            for code, name, parent in facets["region"]
        ],
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
        "status": [{"label": status_label(s, lang), "value": s} for s in (queries.QUEUE, *queries.STATUSES)],
    }


def fix_options(db: str, lang: str) -> dict[str, list[dict]]:
    """Options of the correction form: every unit, qualifier and indicator; regions as one types."""
    return {
        "unit": [{"label": unit_label(u, lang) or u, "value": u} for u in UNITS],
        "qualifier": [
            {"label": qualifier_label(q, lang) or t("exact", lang), "value": q} for q in QUALIFIERS
        ],
        "region": region_choices(db, "", None),
        "indicator": indicator_options(queries.indicators(db), lang, only_with_data=False),
    }


def region_choices(db: str, text: str | None, keep: str | None) -> list[dict]:
    """Region options matching what was typed (name, alias or code), with the chosen region kept; their value
    the name shown (a review logs the region by name)."""
    options = region_options(queries.region_matches(db, (text or "").strip(), REGION_CHOICES), False, "name")
    if keep and keep not in {o["value"] for o in options}:
        exact = queries.region_matches(db, keep, REGION_CHOICES)
        kept = [o for o in region_options(exact, False, "name") if o["value"] == keep]
        options.insert(0, kept[0] if kept else {"label": keep, "value": keep})
    return options


def count_line(n: int, queue: int, lang: str) -> list:
    """'123 条 · 待复核 45 条' with a link to the to-review queue."""
    text = f"{n:,} {t('rows', lang)}"
    if n >= queries.CLAIM_LIMIT:
        text += " · " + t("rows_limited", lang, n=queries.CLAIM_LIMIT)
    link = dcc.Link(
        t("queue_link", lang, n=f"{queue:,}"), href=href("/data", lang, status=queries.QUEUE), id="data-queue"
    )
    return [text, " · ", link]


def _field(label: str, child, lang: str, key: str = "") -> html.Div:
    """A labelled control (``key`` names the correction form's field it edits)."""
    label_for = {"htmlFor": f"data-fix-{key}"} if key else {}
    return html.Div(
        [html.Label(t(label, lang), **label_for), child], className=f"control fix-{key}" if key else "control"
    )


def upload_panel(db: str, lang: str) -> html.Details:
    """The upload control with its optional region, date and title, and where its result goes."""
    return html.Details(
        [
            html.Summary(t("upload_title", lang)),
            html.Div(
                [
                    _field(
                        "upload_region",
                        dropdown(
                            "data-upload-region",
                            region_choices(db, "", None),
                            None,
                            lang,
                            clearable=True,
                            searchable=True,
                            placeholder=t("any", lang),
                        ),
                        lang,
                    ),
                    _field(
                        "upload_date",
                        dcc.Input(id="data-upload-date", type="text", placeholder="2021-12-31"),
                        lang,
                    ),
                    _field("upload_doc_title", dcc.Input(id="data-upload-title", type="text"), lang),
                ],
                className="controls",
            ),
            dcc.Upload(
                html.Div(
                    [
                        html.Strong(t("upload_drop", lang)),
                        html.Div(t("upload_formats", lang), className="muted"),
                    ]
                ),
                id="data-upload",
                accept=writes.UPLOAD_ACCEPT,
                multiple=True,
                className="upload-area",
            ),
            html.Div(t("upload_running", lang), id="data-upload-busy", className="busy hidden"),
            html.Div(id="data-upload-result", className="upload-result"),
        ],
        className="panel upload-panel",
        id="data-upload-panel",
    )


def review_panel(db: str, lang: str) -> html.Div:
    """Accept / reject buttons and the correction form for the claims ticked in the grid."""
    opts = fix_options(db, lang)

    def pick(key: str, **kw) -> dcc.Dropdown:
        return dropdown(
            f"data-fix-{key}", opts[key], None, lang, clearable=True, searchable=True, placeholder="", **kw
        )

    return html.Div(
        [
            html.Div(
                [
                    html.Strong(t("review_title", lang)),
                    html.Span(t("selected_n", lang, n=0), id="data-selected", className="selected-count"),
                    html.Span(t("review_hint", lang), className="muted"),
                ],
                className="review-head",
            ),
            html.Div(
                [
                    html.Button(t("accept", lang), id="data-accept", className="button accept", n_clicks=0),
                    html.Button(t("reject", lang), id="data-reject", className="button reject", n_clicks=0),
                ],
                className="controls",
            ),
            html.Div(
                [
                    _field("value_base", dcc.Input(id="data-fix-value", type="number"), lang, "value"),
                    _field("unit", pick("unit"), lang, "unit"),
                    _field("qualifier", pick("qualifier"), lang, "qualifier"),
                    _field("region", pick("region"), lang, "region"),
                    _field(
                        "year", dcc.Input(id="data-fix-year", type="number", min=1949, max=2100), lang, "year"
                    ),
                    _field("indicator", pick("indicator", maxHeight=360), lang, "indicator"),
                    html.Button(
                        t("correct", lang), id="data-correct", className="button correct", n_clicks=0
                    ),
                ],
                className="controls fix-form",
            ),
            html.Div(id="data-review-message", className="review-message", role="status"),
        ],
        className="panel review-panel",
        id="data-review",
    )


def sign_in_note(lang: str) -> html.P:
    """Where the review panel would be, for a reader who may not write."""
    key = "read_only_note" if auth.settings().read_only else "write_needs_sign_in"
    return html.P(t(key, lang), className="muted", id="data-sign-in-note")


def layout(**query) -> html.Div:
    lang = lang_of(query.get("lang"))
    db = db_path()
    try:
        options = filter_options(db, lang)
        upload = upload_panel(db, lang) if auth.may("editor") else None
        review = review_panel(db, lang) if auth.may("reviewer") else sign_in_note(lang)
    except queries.DatabaseMissing as e:
        return db_missing("data", lang, e.path)
    errors, values = [], {}
    for key in FILTERS:
        value = query.get(key) or None
        if value is not None and value not in {o["value"] for o in options[key]}:
            errors.append(
                f"{t(LABELS[key], lang)}：未知值“{value}”"
                if lang != "en"
                else f"{t(LABELS[key], lang)}: unknown value '{value}'"
            )
            value = None
        values[key] = value
    return frame(
        "data",
        lang,
        dcc.Location(id="data-url", refresh=False),
        dcc.Store(id="data-lang", data=lang),
        dcc.Store(id="data-version", data=0),
        html.H1(t("data_title", lang)),
        upload,
        error_box(errors, lang, id="data-error"),
        html.Div(
            [
                filter_control(f"data-{k}", t(LABELS[k], lang), options[k], values[k], lang)
                for k in FILTERS
            ],
            className="controls filters",
        ),
        html.P(id="data-count", className="muted"),
        review,
        grid(
            "data-grid",
            [],
            columns(lang),
            lang,
            height="640px",
            getRowId="params.data.claim_id",
            rowClassRules={
                "claim-rejected": "params.data.status_key === 'rejected'",
                "claim-reviewed": "['accepted', 'corrected'].includes(params.data.status_key)",
            },
            dashGridOptions={
                "rowSelection": {
                    "mode": "multiRow",
                    "checkboxes": True,
                    "headerCheckbox": True,
                    "enableClickSelection": False,
                },
                "selectionColumnDef": {"pinned": "left", "width": 44},
            },
        ),
        path="/data",
        query=query,
    )


@callback(
    Output("data-url", "search"),
    *[Output(f"data-{k}", "value") for k in FILTERS],
    *[Output(f"data-{k}", "options") for k in FILTERS],
    Output("data-grid", "rowData"),
    Output("data-count", "children"),
    Input("data-url", "search"),
    *[Input(f"data-{k}", "value") for k in FILTERS],
    Input("data-version", "data"),
    State("data-lang", "data"),
)
def filter_claims(search, region, year, indicator, doc, unit, qualifier, status, version, lang):
    """Filters <-> URL, and the matching claims (the URL wins on back/forward). After an upload or a
    review (``data-version``) the filters' options are read again too."""
    triggered = ctx.triggered_prop_ids
    if "data-url.search" in triggered:
        query = query_of(search)
        region, year, indicator, doc, unit, qualifier, status = (
            (query.get(k) or [None])[-1] for k in FILTERS
        )
        region = region_code(db_path(), region) or region  # a link may name the region
    try:
        year_int = int(year) if year else None
    except ValueError:
        year, year_int = None, None
    db = db_path()
    claims = queries.claims(
        db,
        region=region,
        year=year_int,
        indicator=indicator,
        doc_id=doc,
        unit=unit,
        qualifier=qualifier,
        status=status,
    )
    options = filter_options(db, lang) if "data-version.data" in triggered else None
    values = (region, year, indicator, doc, unit, qualifier, status)
    search = href("", lang, **dict(zip(FILTERS, values, strict=True)))
    counts = queries.status_counts(db)
    return (
        search or "",
        *values,
        *(options[k] if options else dash.no_update for k in FILTERS),
        claim_rows(claims, lang),
        count_line(len(claims), counts[queries.QUEUE], lang),
    )


def current_values(db: str, ids: list[str]) -> dict | None:
    """The correction form's fields of the one selected claim, from the database (None unless one)."""
    if len(ids) != 1:
        return None
    found = queries.claims_by_id(db, ids)
    if found.empty:
        return None
    r = found.iloc[0]
    return {
        "value": float(r.value),
        "unit": r.unit,
        "qualifier": r.qualifier,
        "region": r.region if isinstance(r.region, str) else None,
        "year": int(r.year) if pd.notna(r.year) else None,
        "indicator": r.indicator if isinstance(r.indicator, str) else None,
    }


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


@callback(
    Output("data-selected", "children"),
    *[Output(f"data-fix-{k}", "value") for k in FIXES],
    Output("data-fix-region", "options", allow_duplicate=True),
    Input("data-grid", "selectedRows"),
    Input("data-version", "data"),
    State("data-lang", "data"),
    prevent_initial_call=True,
)
def fill_form(selected: list[dict] | None, version: int, lang: str):
    """The ticked claims' count, and the correction form filled in with the claim when one is ticked
    (its region among the region options, or the dropdown would drop it)."""
    ids = [r["claim_id"] for r in selected or []]
    db = db_path()
    current = current_values(db, ids) or {}
    if "value" in current:
        current["value"] = _number(current["value"])
    regions = region_choices(db, "", current.get("region"))
    return (t("selected_n", lang, n=len(ids)), *(current.get(k) for k in FIXES), regions)


def change_text(changes: list[tuple[str, str]], current: dict | None, lang: str) -> str:
    """'数值 300 → 350，年份 2021 → 2020' for the message after a correction."""

    def shown(key: str, v: str) -> str:
        return (unit_label(v, lang) if key == "unit" else v) or "–"

    parts = []
    for key, new in changes:
        old = shown(key, writes.plain(current.get(key))) + " " if current else ""
        parts.append(f"{t(key, lang)} {old}→ {shown(key, new)}")
    return ("，" if lang != "en" else ", ").join(parts)


def apply_review(
    db: str, action: str, ids: list[str], who: auth.Actor, form: dict, lang: str
) -> tuple[bool, str]:
    """Record one review action from the page by ``who``: (saved?, message for the reader)."""
    if not ids:
        return False, t("no_selection", lang)
    changes, current = None, None
    if action == "set":
        current = current_values(db, ids)
        changes = writes.corrections(form, current)
        if not changes:
            return False, t("nothing_changed", lang)
    try:
        writes.review(db, ids, action, who.name, changes=changes, auth=who.auth, address=auth.address())
    except writes.ReviewError as e:
        return False, t("review_failed", lang, reason=e)
    auth.record(f"review {action}", ", ".join(ids))
    if action == "set":
        return True, t("review_done_set", lang, n=len(ids), changes=change_text(changes, current, lang))
    return True, t(f"review_done_{action}", lang, n=len(ids))


@callback(
    Output("data-review-message", "children"),
    Output("data-review-message", "className"),
    Output("data-version", "data", allow_duplicate=True),
    Input("data-accept", "n_clicks"),
    Input("data-reject", "n_clicks"),
    Input("data-correct", "n_clicks"),
    State("data-grid", "selectedRows"),
    *[State(f"data-fix-{k}", "value") for k in FIXES],
    State("data-version", "data"),
    State("data-lang", "data"),
    prevent_initial_call=True,
)
@auth.needs("reviewer")
def review(_accept, _reject, _correct, selected, *rest):
    """A button -> the review recorded (accept, reject, or the form's changes) under the signed-in account, a
    message, a fresh grid."""
    *fix, version, lang = rest
    ids = [r["claim_id"] for r in selected or []]
    ok, message = apply_review(
        db_path(), ACTIONS[ctx.triggered_id], ids, auth.current(), dict(zip(FIXES, fix, strict=True)), lang
    )
    state = "review-message ok" if ok else "review-message failed"
    return message, state, (version or 0) + 1 if ok else dash.no_update


@callback(
    Output("data-review-message", "children", allow_duplicate=True),
    Output("data-review-message", "className", allow_duplicate=True),
    Output("data-version", "data", allow_duplicate=True),
    Input("data-grid", "cellClicked"),
    State("data-version", "data"),
    State("data-lang", "data"),
    prevent_initial_call=True,
)
@auth.needs("reviewer")
def accept_candidate(cell: dict | None, version, lang):
    """One click on a low-confidence claim's 采纳 cell accepts its reading with the indicator candidate, under
    the signed-in account."""
    if not cell or cell.get("colId") != "accept_candidate" or not cell.get("value"):
        return dash.no_update, dash.no_update, dash.no_update
    ok, message = apply_review(db_path(), "accept", [cell["rowId"]], auth.current(), {}, lang)
    state = "review-message ok" if ok else "review-message failed"
    return message, state, (version or 0) + 1 if ok else dash.no_update


def decode_upload(contents: str) -> bytes:
    """The bytes of a dcc.Upload data URL ('data:text/plain;base64,...')."""
    return base64.b64decode(contents.partition(",")[2], validate=False)


def upload_message(result: writes.UploadResult, lang: str) -> html.Div:
    """What an upload did: progress line, then the files added (with claims), duplicates and refusals."""
    done = len(result.added) + len(result.duplicates) + len(result.problems)
    sections = [html.P(t("upload_progress", lang, done=done, total=result.total, claims=result.claims))]
    colon = ": " if lang == "en" else "："
    if result.added:
        count = "{name} ({n})" if lang == "en" else "{name}（{n}）"
        items = [html.Li(count.format(name=name, n=t("claims_n", lang, n=n))) for name, n in result.added]
        sections.append(html.Div([html.Strong(t("upload_added", lang)), html.Ul(items)], className="added"))
    for key, lines, cls in (
        ("upload_duplicates", result.duplicates, "duplicates"),
        ("upload_refused", result.problems, "refused"),
    ):
        if lines:
            items = [html.Li(colon.join(reason_text(line, lang))) for line in lines]
            sections.append(html.Div([html.Strong(t(key, lang)), html.Ul(items)], className=cls))
    return html.Div(sections)


@callback(
    Output("data-upload-result", "children"),
    Output("data-version", "data", allow_duplicate=True),
    Output("data-url", "search", allow_duplicate=True),
    Output("data-upload", "contents"),
    Input("data-upload", "contents"),
    State("data-upload", "filename"),
    State("data-upload-region", "value"),
    State("data-upload-date", "value"),
    State("data-upload-title", "value"),
    State("data-version", "data"),
    State("data-lang", "data"),
    prevent_initial_call=True,
    running=[(Output("data-upload-busy", "className"), "busy", "busy hidden")],
)
@auth.needs("editor")
def upload(contents, names, region, date, title, version, lang):
    """Uploaded files -> etl.storage.ingest (as `python -m etl ingest`); the grid then shows the new document."""
    if not contents:
        return dash.no_update, dash.no_update, dash.no_update, dash.no_update
    try:
        date = writes.check_date(date)
    except ValueError:
        return (
            html.P(t("bad_date", lang, date=date), className="failed"),
            dash.no_update,
            dash.no_update,
            None,
        )
    try:
        files = [writes.Upload(n, decode_upload(c)) for n, c in zip(names, contents, strict=True)]
        result = writes.upload(db_path(), files, region=region, date=date, title=title)
    except (OSError, RuntimeError, ValueError, duckdb.Error) as e:
        return (
            html.P(t("upload_failed", lang, reason=e), className="failed"),
            dash.no_update,
            dash.no_update,
            None,
        )
    auth.record("upload", ", ".join(f.name for f in files) + f" -> {len(result.new_docs)} new")
    search = href("", lang, doc=result.new_docs[0]) if len(result.new_docs) == 1 else dash.no_update
    return upload_message(result, lang), (version or 0) + 1, search, None


def _search_regions(dropdown_id: str) -> None:
    """Register the callback that fills a region dropdown's options from what is typed into it."""

    @callback(
        Output(dropdown_id, "options"),
        Input(dropdown_id, "search_value"),
        Input(dropdown_id, "value"),
        prevent_initial_call=True,
    )
    def search(text: str | None, value: str | None):
        return region_choices(db_path(), text, value)


for _id in REGION_DROPDOWNS:
    _search_regions(_id)
