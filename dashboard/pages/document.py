"""文件 Document: a document's full text with its claims highlighted; each highlight leads to its chart,
and ``?claim=ID`` marks (and scrolls to) one claim, so a chart point leads back here. Its issuer, region,
date and reporting year are shown with where each came from (upload form, manifest, text, file metadata),
and a reviewer can correct them (``dashboard.writes.correct_details``)."""

from __future__ import annotations

import bisect
import json

import dash
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboard import auth, doc_tables, queries, writes
from dashboard.components import db_missing, db_path, frame, href
from dashboard.i18n import fmt_value, lang_of, t

dash.register_page(__name__, path="/document", name="文件", title="文件 · 脱贫攻坚指标看板", order=5)


def _mark(text: str, r, selected: str | None, lang: str):
    """One claim's <mark> (its figure), linked to its chart when placed; its tip names indicator, place, year."""
    start, end = int(r.char_start), int(r.char_end)
    placed = _placed(r)
    name = (r.name_en if lang == "en" else r.name_zh) if isinstance(r.name_zh, str) else t("not_placed", lang)
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
    mark = html.Mark(text[start:end], id=f"c-{r.claim_id}", className="claim " + _classes(r, selected),
                     title=tip)
    return dcc.Link(mark, href=href("/compare", lang, indicator=r.indicator, regions=r.region)) if placed else mark


def _placed(r) -> bool:
    return isinstance(r.indicator, str) and isinstance(r.region, str) and pd.notna(r.year)


def _classes(r, selected: str | None) -> str:
    """The classes that colour a claim by its state: placed or not, rejected, selected."""
    return (
        ("placed" if _placed(r) else "unplaced")
        + (" selected claim-selected" if r.claim_id == selected else "")
        + ("" if r.live else " rejected")
    )


class _Claims:
    """A document's claims in text order, found by offset range."""

    def __init__(self, claims: pd.DataFrame) -> None:
        self.rows = list(claims.itertuples())
        self.starts = [int(r.char_start) for r in self.rows]

    def within(self, lo: int, hi: int) -> list:
        """The claims lying wholly inside text[lo:hi], in text order."""
        i = bisect.bisect_left(self.starts, lo)
        out = []
        while i < len(self.rows) and self.starts[i] < hi:
            if int(self.rows[i].char_end) <= hi:
                out.append(self.rows[i])
            i += 1
        return out


def _marks(text: str, lo: int, hi: int, claims: list, selected: str | None, lang: str) -> list:
    """text[lo:hi] as strings and <mark>s (one per claim, overlaps skipped)."""
    parts, at = [], lo
    for r in claims:
        start, end = int(r.char_start), int(r.char_end)
        if start < at or end > hi:
            continue
        parts.append(text[at:start])
        parts.append(_mark(text, r, selected, lang))
        at = end
    parts.append(text[at:hi])
    return [p for p in parts if not isinstance(p, str) or p]


HEADER_ROWS_MAX = 3  # leading rows without a claim read as the header, up to this many
ROWS_SHOWN = 200  # rows of one table drawn on the page (a 10,000-row sheet would be 20 MB of page)


def _header(text: str, rows: list[list[tuple[int, int]]]) -> list[html.Tr]:
    """The header rows, a merged cell (its text repeated in every cell it covers) joined again: across a row
    into one cell with ``colSpan``, then down a column (a one-column cell under the same text) with ``rowSpan``."""
    runs = []  # per row: [label, first column, columns, rows]
    for row in rows:
        mine: list[list] = []
        for j, (s, e) in enumerate(row):
            label = text[s:e].strip()
            if mine and label and label == mine[-1][0]:
                mine[-1][2] += 1
            else:
                mine.append([label, j, 1, 1])
        runs.append(mine)
    owner: dict[tuple[int, int], list] = {}  # (row, column) of a one-column cell -> the cell shown for it
    shown: list[list[list]] = []
    for i, mine in enumerate(runs):
        keep = []
        for run in mine:
            above = owner.get((i - 1, run[1])) if run[2] == 1 and run[0] else None
            if above is not None and above[0] == run[0]:
                above[3] += 1
                owner[(i, run[1])] = above
                continue
            if run[2] == 1:
                owner[(i, run[1])] = run
            keep.append(run)
        shown.append(keep)
    return [
        html.Tr([html.Th(label, **({"colSpan": cols} if cols > 1 else {}), **({"rowSpan": n} if n > 1 else {}))
                 for label, _, cols, n in keep], **{"data-row": i})
        for i, keep in enumerate(shown)
    ]


def table_view(text: str, block: doc_tables.Block, claims: _Claims, selected: str | None, lang: str,
               n: int) -> html.Div:
    """A table block as an HTML table: the leading rows without claims as its header (repeated texts of a
    merged header cell joined again), each cell holding a claim coloured by the claim's state and its figure
    marked and linked, the row of the selected claim marked (``row-selected``). Of a long table, ROWS_SHOWN rows
    are drawn (from the top, or around the selected claim's row), the others counted in a note row."""
    in_row = [claims.within(row[0][0], row[-1][1]) for row in block.rows]
    first = next((i for i, found in enumerate(in_row) if found), None)
    n_head = 1 if first is None else min(first, HEADER_ROWS_MAX)
    at = next((i for i, found in enumerate(in_row) if any(r.claim_id == selected for r in found)), None)
    lo = n_head if at is None or at < n_head else max(n_head, at - ROWS_SHOWN // 2)
    hi = min(len(block.rows), lo + ROWS_SHOWN)
    lo = max(n_head, hi - ROWS_SHOWN)
    width = max(len(row) for row in block.rows)

    def hidden(k: int) -> list:
        return [html.Tr(html.Td(t("rows_hidden", lang, n=k), colSpan=width), className="rows-hidden")] if k else []

    body = hidden(lo - n_head)
    for i in range(lo, hi):
        tds, chosen = [], i == at
        for j, (s, e) in enumerate(block.rows[i]):
            found = [r for r in in_row[i] if s <= int(r.char_start) and int(r.char_end) <= e]
            marked = {"className": "cell-claim " + _classes(found[0], selected)} if found else {}
            tds.append(html.Td(_marks(text, s, e, found, selected, lang) or None, **marked, **{"data-col": j}))
        mine = {"className": "row-selected", "id": "document-selected-row"} if chosen else {}
        body.append(html.Tr(tds, **mine, **{"data-row": i}))
    body += hidden(len(block.rows) - hi)
    head = _header(text, [list(row) for row in block.rows[:n_head]])
    return html.Div(
        html.Table([html.Thead(head), html.Tbody(body)], className="doc-table", id=f"document-table-{n}"),
        className="doc-table-wrap",
    )


def marked_text(text: str, claims: pd.DataFrame, selected: str | None, lang: str) -> list:
    """The document as components: prose as strings and <mark>s (one per claim, overlaps skipped), placed
    claims linked to their chart; each table block (``dashboard.doc_tables``) as an HTML table with its title
    and unit lines above it, a spreadsheet's sheet line as a heading."""
    found = _Claims(claims)
    parts: list = []
    n_tables = 0
    for b in doc_tables.blocks(text):
        inside = found.within(b.start, b.end)
        if b.kind == "table":
            parts.append(table_view(text, b, found, selected, lang, n_tables))
            n_tables += 1
        elif b.kind == "sheet":
            parts.append(html.H3(t("sheet_heading", lang, name=b.name), className="sheet-heading"))
        elif b.kind == "caption":
            parts.append(html.Div(_marks(text, b.start, b.end, inside, selected, lang), className="table-caption"))
        else:
            parts += _marks(text, b.start, b.end, inside, selected, lang)
    return parts


SHOWN = ("issuer", "region", "date", "report_year")  # with their provenance
EDITABLE = ("title", "issuer", "region", "date", "report_year")
LABEL_KEYS = {"title": "doc_title_field", "issuer": "issuer", "region": "region", "date": "date",
              "report_year": "report_year"}


def details(db: str, doc_id: str) -> dict:
    """The document's metadata row (without its text), with ``provenance`` as a dict; any schema."""
    df = queries.query(db, "SELECT * EXCLUDE (text) FROM documents WHERE id = ?", [doc_id])
    if df.empty:
        return {}
    row = {k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in df.iloc[0].to_dict().items()}
    try:
        row["provenance"] = json.loads(row.get("provenance") or "{}")
    except (TypeError, json.JSONDecodeError):
        row["provenance"] = {}
    if row.get("report_year") is not None:
        row["report_year"] = int(row["report_year"])
    return row


def meta_items(row: dict, lang: str) -> list:
    """<dt>/<dd> pairs: issuer, region, date, reporting year each with where it came from; source, file."""
    items = []
    for key in SHOWN:
        value = row.get(key)
        if value in (None, ""):
            continue
        where = row.get("provenance", {}).get(key)
        badge = html.Span(t(f"prov_{where}", lang), className=f"muted provenance prov-{where}",
                          id=f"document-prov-{key}") if where else None
        items += [html.Dt(t(LABEL_KEYS[key], lang)),
                  html.Dd([html.Span(str(value), id=f"document-meta-{key}"), " ", badge])]
    named = (("source" if lang == "en" else "来源", "source"), ("file" if lang == "en" else "文件名", "file"))
    for label, key in named:
        if isinstance(row.get(key), str) and row[key]:
            items += [html.Dt(label), html.Dd(row[key])]
    return items


def fix_panel(row: dict, lang: str) -> html.Details:
    """The correction form of the document's details, filled with what is known."""
    def field(key: str) -> html.Div:
        value = row.get(key)
        return html.Div(
            [html.Label(t(LABEL_KEYS[key], lang), htmlFor=f"document-fix-{key}"),
             dcc.Input(id=f"document-fix-{key}", type="text", value="" if value is None else str(value),
                       debounce=False)],
            className="field",
        )

    return html.Details(
        [html.Summary(t("doc_fix_title", lang)), html.P(t("doc_fix_hint", lang), className="muted"),
         html.Div([field(k) for k in EDITABLE], className="controls"),
         html.Button(t("doc_fix_save", lang), id="document-fix-save", className="button"),
         html.Div(id="document-fix-result", className="upload-result")],
        className="panel", id="document-fix",
    )


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
    row = details(db, doc)
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
        html.H1(document["title"], id="document-title"),
        html.Dl(meta_items(row, lang), className="doc-meta", id="document-meta"),
        fix_panel(row, lang) if auth.may("editor") else None,
        dcc.Store(id="document-id", data=doc),
        dcc.Store(id="document-lang", data=lang),
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


@callback(
    Output("document-meta", "children"),
    Output("document-title", "children"),
    Output("document-fix-result", "children"),
    Input("document-fix-save", "n_clicks"),
    *[State(f"document-fix-{k}", "value") for k in EDITABLE],
    State("document-id", "data"),
    State("document-lang", "data"),
    prevent_initial_call=True,
)
@auth.needs("editor")
def save_details(_clicks, *rest):
    """Write the corrected details, extract the document again and show its details as they now are."""
    *values, doc, lang = rest
    return apply_details(db_path(), doc, dict(zip(EDITABLE, values, strict=True)), lang)


def apply_details(db: str, doc: str, form: dict, lang: str) -> tuple:
    """(details, title, message) after correcting ``doc``'s details from ``form`` (the documents folder's
    manifest row, then the document extracted again); details and title unchanged when nothing was saved."""
    current = details(db, doc)
    try:
        changed = writes.correct_details(db, doc, form, current)
    except (writes.CorrectionError, OSError) as e:
        failed = html.Div(t("doc_fix_failed", lang, reason=str(e)), className="error-box")
        return dash.no_update, dash.no_update, failed
    if not changed:
        return dash.no_update, dash.no_update, t("doc_fix_nothing", lang)
    auth.record("document details", f"{doc}: {', '.join(changed)}")
    row = details(db, doc)
    names = ("、" if lang != "en" else ", ").join(t(LABEL_KEYS[k], lang) for k in changed)
    return (meta_items(row, lang), row.get("title") or row.get("file"),
            html.Div(t("doc_fix_saved", lang, fields=names), id="document-fix-saved"))
