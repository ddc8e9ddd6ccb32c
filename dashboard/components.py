"""Layout pieces shared by the pages: the frame (navigation, language toggle), messages, the source
panel a chart click opens, grids and dropdown options. No queries here: callers pass DataFrames."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import dash_ag_grid as dag
import flask
import pandas as pd
from dash import dcc, html

from dashboard import auth
from dashboard.i18n import dropdown_labels, fmt_exact, fmt_value, qualifier_label, t, theme_label
from dashboard.views import VIEWS

NAV = (
    ("home", "/", "nav_home"),
    ("overview", "/overview", "nav_overview"),
    ("compare", "/compare", "nav_compare"),
    ("zhengzhou", "/view/zhengzhou", "nav_zhengzhou"),
    ("jiangsu", "/view/jiangsu", "nav_jiangsu"),
    ("data", "/data", "nav_data"),
    ("checks", "/checks", "nav_checks"),
)
GRID_LOCALE_ZH = {
    "noRowsToShow": "没有数据",
    "loadingOoo": "加载中…",
    "filterOoo": "筛选…",
    "searchOoo": "搜索…",
    "equals": "等于",
    "notEqual": "不等于",
    "contains": "包含",
    "notContains": "不包含",
    "startsWith": "开头是",
    "endsWith": "结尾是",
    "blank": "空白",
    "notBlank": "非空",
    "lessThan": "小于",
    "greaterThan": "大于",
    "lessThanOrEqual": "小于等于",
    "greaterThanOrEqual": "大于等于",
    "inRange": "介于",
    "inRangeStart": "从",
    "inRangeEnd": "到",
    "andCondition": "且",
    "orCondition": "或",
    "applyFilter": "应用",
    "resetFilter": "重置",
    "clearFilter": "清除",
    "cancelFilter": "取消",
    "selectAll": "全选",
    "page": "第",
    "of": "/",
    "to": "至",
    "more": "更多",
    "firstPage": "首页",
    "lastPage": "末页",
    "nextPage": "下一页",
    "previousPage": "上一页",
    "pageSizeSelectorLabel": "每页：",
    "pageLastRowUnknown": "?",
    "sortAscending": "升序",
    "sortDescending": "降序",
    "columns": "列",
    "filters": "筛选",
    "pinColumn": "固定列",
    "autosizeThisColumn": "自动调整此列",
    "autosizeAllColumns": "自动调整所有列",
    "resetColumns": "重置列",
}


def db_path() -> str:
    """The database of the running app (set by create_app)."""
    return flask.current_app.config["POVERTY_DB"]


def href(path: str, lang: str, **query: object) -> str:
    """'/compare?indicator=…' with lang=en kept when English; None values dropped."""
    q = {k: v for k, v in query.items() if v is not None and v != ""}
    if lang == "en":
        q["lang"] = "en"
    return path + ("?" + urlencode(q, safe=",") if q else "")


def frame(page: str, lang: str, *children, path: str = "/", query: dict | None = None) -> html.Div:
    """The page chrome: title, navigation (keeping the language), language toggle, then the content.

    The toggle's href is the page's URL with the other language; assets/app.js recomputes it from the
    address bar at click time, so state changed since the page loaded is kept.
    """
    links = [
        dcc.Link(
            t(key, lang),
            href=href(p, lang),
            className="nav-link active" if name == page else "nav-link",
            id=f"{page}-nav-{name}",
        )
        for name, p, key in NAV
    ]
    other = {k: v for k, v in (query or {}).items() if k != "lang"}
    toggle = html.A(
        t("lang_toggle", lang),
        className="lang-toggle",
        id=f"{page}-lang",
        href=href(path, "zh" if lang == "en" else "en", **other),
    )
    return html.Div(
        [
            html.Header(
                [
                    html.A(t("app_title", lang), href=href("/", lang), className="brand"),
                    html.Nav(links),
                    account_area(page, lang, href(path, lang, **other)),
                    toggle,
                ],
                className="topbar",
            ),
            html.Main(list(children), className="content"),
            html.Footer(t("home_intro", lang), className="footer"),
        ],
        className=f"page page-{page}",
        lang="en" if lang == "en" else "zh-CN",
    )


def account_area(page: str, lang: str, here: str) -> html.Div:
    """Who is signed in (name, role) with a sign-out button, or a sign-in link; in local mode the login."""
    actor = auth.current()
    if auth.settings().mode == "local":
        name = actor.name if actor else "—"
        return html.Div(t("local_mode", lang, name=name), className="account muted", id=f"{page}-account")
    if actor is None:
        return html.Div(html.A(t("sign_in", lang), href=auth.login_url(here, lang), id=f"{page}-sign-in"),
                        className="account")
    return html.Div(
        [
            html.Span(t("signed_in_as", lang, name=actor.name, role=t(f"role_{actor.role}", lang)),
                      id=f"{page}-account-name"),
            html.Form(
                [
                    dcc.Input(type="hidden", name="next", value=here),
                    html.Button(t("sign_out", lang), type="submit", className="link-button",
                                id=f"{page}-sign-out"),
                ],
                method="post",
                action="/logout",
                className="sign-out",
            ),
        ],
        className="account",
    )


def error_box(messages: list, lang: str, id: str | None = None) -> html.Div:
    """A red box listing bad parameters (or nothing); a message is a text or a list of components."""
    kw = {"id": id} if id else {}
    if not messages:
        return html.Div(className="error-box empty", **kw)
    return html.Div(
        [
            html.Strong(t("bad_param", lang) + ("：" if lang != "en" else ": ")),
            html.Ul([html.Li(m) for m in messages]),
        ],
        className="error-box",
        role="alert",
        **kw,
    )


def db_missing(page: str, lang: str, path: str | Path) -> html.Div:
    """The page shown when the database file does not exist."""
    return frame(
        page,
        lang,
        html.Div(
            [
                html.H2("数据库不存在 / Database missing"),
                html.P(t("db_missing", "zh", path=path)),
                html.P(t("db_missing", "en", path=path)),
            ],
            className="error-box",
            id=f"{page}-db-missing",
        ),
    )


def dropdown(
    id: str,
    options: list,
    value,
    lang: str,
    multi: bool = False,
    placeholder: str = "",
    clearable: bool = False,
    **kw,
) -> dcc.Dropdown:
    """dcc.Dropdown with Chinese (or English) labels for its own texts."""
    return dcc.Dropdown(
        id=id,
        options=options,
        value=value,
        multi=multi,
        placeholder=placeholder,
        clearable=clearable,
        labels=dropdown_labels(lang),
        **kw,
    )


def filter_control(id: str, label: str, options: list, value, lang: str) -> html.Div:
    """A labelled, clearable filter dropdown (empty = any)."""
    return html.Div(
        [html.Label(label), dropdown(id, options, value, lang, clearable=True, placeholder=t("any", lang))],
        className="control",
    )


def indicator_options(indicators: pd.DataFrame, lang: str, only_with_data: bool = True) -> list[dict]:
    """Options grouped by theme: a disabled theme heading, then its indicators; searchable by theme too."""
    options, theme = [], None
    rows = indicators[indicators.n_facts > 0] if only_with_data else indicators
    for r in rows.itertuples():
        label_theme = theme_label(r.theme, r.theme_zh, lang)
        if r.theme != theme:
            theme = r.theme
            options.append(
                {
                    "label": f"— {label_theme} —",
                    "value": f"__theme__{r.theme}",
                    "disabled": True,
                    "search": f"{r.theme_zh} {r.theme}",
                }
            )
        name = r.name_en if lang == "en" else r.name_zh
        options.append(
            {
                "label": name,
                "value": r.key,
                "search": f"{r.name_zh} {r.name_en} {r.key} {r.theme_zh} {label_theme}",
            }
        )
    return options


def region_label(name: str, parent: object) -> str:
    """'中牟县 · 郑州市': a place with its parent (the parent's name taken off the front of a name shown with
    it, 南京市鼓楼区 -> '鼓楼区 · 南京市'); a province, the country or an unknown place alone."""
    if not isinstance(parent, str) or not parent or parent == "中国":
        return name
    bare = name.removeprefix(parent) or name
    return f"{bare} · {parent}"


def region_options(regions: pd.DataFrame, only_with_data: bool = True, value: str = "code") -> list[dict]:
    """Options of a region picker, each place with its parent, searchable by name, alias, code and parent;
    their value its code (``value='name'``: the name shown, for forms whose value is logged as a name).
    ``only_with_data``: the regions that have facts and the regions containing them."""
    if only_with_data:
        rows = regions[regions.has_data] if "has_data" in regions else regions[regions.n_facts > 0]
    else:
        rows = regions
    return [
        {
            "label": region_label(r.name, getattr(r, "parent", None)),
            "value": getattr(r, value),
            "search": " ".join(
                str(x) for x in (r.name, str(r.aliases or "").replace("|", " "), getattr(r, "code", ""),
                                 getattr(r, "parent", "")) if isinstance(x, str) and x
            ),
        }
        for r in rows.itertuples()
    ]


def year_marks(y0: int, y1: int) -> dict[int, str]:
    step = 1 if y1 - y0 <= 12 else 2 if y1 - y0 <= 24 else 5
    return {y: str(y) for y in range(y0, y1 + 1) if (y - y0) % step == 0 or y == y1}


TABLE_SENTENCE = "｜"  # joins title, row and column headers in the sentence of a claim read from a table


def highlighted_sentence(
    sentence: str, mention: str, sentence_start: int | None = None, char_start: int | None = None
) -> html.Span:
    """The sentence with the mention wrapped in <mark> (by offset when known, else first occurrence)."""
    at = -1
    if sentence_start is not None and char_start is not None:
        at = int(char_start) - int(sentence_start)
        if sentence[at : at + len(mention)] != mention:
            at = -1
    if at < 0 and TABLE_SENTENCE in sentence:  # a table cell's 'TITLE｜ROW｜COLUMN：CELL': mark in the cell
        cell = sentence.rfind("：") + 1
        at = sentence.find(mention, cell) if cell else -1
    if at < 0:
        at = sentence.find(mention)
    if at < 0:
        return html.Span(sentence)
    return html.Span([sentence[:at], html.Mark(mention), sentence[at + len(mention) :]])


def source_panel(
    claims: pd.DataFrame, lang: str, region: str = "", year: int | None = None, indicator_name: str = ""
) -> html.Div:
    """What a chart click shows: every sentence behind the point, with document title, issuer and date."""
    if claims.empty:
        return html.Div(t("click_hint", lang), className="source-panel hint")
    items = []
    for r in claims.itertuples():
        badge = (
            [html.Span(t("unsure", lang), className="badge unsure")]
            if getattr(r, "unsure", False)
            else [html.Span(t("chosen", lang), className="badge chosen")]
            if r.chosen
            else [html.Span(t("other_value", lang), className="badge other")]
        )
        value = fmt_value(
            r.value, r.unit, lang, r.qualifier, r.value_high if pd.notna(r.value_high) else None, rate=r.rate
        )
        items.append(
            html.Li(
                [
                    html.Div(
                        [
                            html.Strong(value),
                            " ",
                            *badge,
                            html.Span(
                                f" {qualifier_label(r.qualifier, lang)}" if r.qualifier != "exact" else "",
                                className="muted",
                            ),
                        ]
                    ),
                    html.Blockquote(
                        highlighted_sentence(r.sentence, r.mention, r.sentence_start, r.char_start),
                        className="sentence",
                    ),
                    html.Div(
                        [
                            html.Span(f"《{r.doc_title}》", className="doc-title"),
                            html.Span(
                                f"{t('issuer', lang)}：{r.issuer}"
                                if isinstance(r.issuer, str) and r.issuer
                                else "",
                                className="muted",
                            ),
                            html.Span(
                                f"{t('date', lang)}：{r.doc_date}"
                                if isinstance(r.doc_date, str) and r.doc_date
                                else "",
                                className="muted",
                            ),
                            dcc.Link(
                                t("open_document", lang),
                                href=href("/document", lang, doc=r.doc_id, claim=r.claim_id)
                                + f"#c-{r.claim_id}",
                                className="link",
                            ),
                        ],
                        className="doc-line",
                    ),
                ],
                className="claim-item",
            )
        )
    head = f"{region} · {year}{'' if lang == 'en' else '年'} · {indicator_name}" if region else ""
    conflict = bool(claims.conflict.any()) and len(claims) > 1
    return html.Div(
        [
            html.H4([t("source_title", lang), html.Span(f"  {head}", className="muted")]),
            html.P(t("conflict_note", lang), className="warn") if conflict else None,
            html.Ul(items, className="claim-list"),
        ],
        className="source-panel",
    )


def grid(
    id: str, rows: list[dict], columns: list[dict], lang: str, height: str = "420px", **kw
) -> dag.AgGrid:
    """dash-ag-grid with the app's defaults (sortable, filterable, Chinese texts, selectable cells)."""
    options = {
        "pagination": True,
        "paginationPageSize": 50,
        "enableCellTextSelection": True,
        "ensureDomOrder": True,
        "animateRows": False,
        "tooltipShowDelay": 300,
    }
    if lang != "en":
        options["localeText"] = GRID_LOCALE_ZH
    return dag.AgGrid(
        id=id,
        rowData=rows,
        columnDefs=columns,
        defaultColDef={"sortable": True, "filter": True, "floatingFilter": True, "resizable": True},
        dashGridOptions=options | kw.pop("dashGridOptions", {}),
        style={"height": height},
        **kw,
    )


def fact_rows(facts: pd.DataFrame, lang: str) -> list[dict]:
    """Rows of a chart's table: one per point, with formatted value, source and links."""
    rows = []
    for r in facts.itertuples():
        doc_link = href("/document", lang, doc=r.doc_id, claim=r.claim_id)
        data_link = href("/data", lang, region=r.region_code, year=int(r.year), indicator=r.indicator)
        rows.append(
            {
                "region": r.region,
                "region_code": "" if str(r.region_code).startswith("name:") else r.region_code,
                "year": int(r.year),
                "indicator": (r.name_en if lang == "en" else r.name_zh) or r.indicator,
                "value": float(r.value),
                "value_text": fmt_exact(r.value, r.unit, lang),
                "label": fmt_value(
                    r.value, r.unit, lang, r.qualifier, r.value_high if pd.notna(r.value_high) else None,
                    rate=r.rate,
                ),
                "qualifier": qualifier_label(r.qualifier, lang) or t("exact", lang),
                "conflict": t("conflict", lang) if r.conflict else "",
                "review": t("unsure", lang)
                if bool(getattr(r, "unsure", False))
                else t("reviewed_mark", lang) + " ✓"
                if getattr(r, "reviewed", False)
                else t("machine_read", lang),
                "doc_title": r.doc_title,
                "doc_date": r.doc_date,
                "sentence": r.sentence,
                "links": f"[{t('open_document', lang)}]({doc_link}) · "
                f"[{t('open_claims', lang)}]({data_link})",
            }
        )
    return rows


def fact_columns(lang: str) -> list[dict]:
    return [
        {"field": "region", "headerName": t("region", lang), "width": 90},
        {"field": "region_code", "headerName": t("region_code", lang), "width": 90},
        {"field": "year", "headerName": t("year", lang), "width": 80, "filter": "agNumberColumnFilter"},
        {"field": "indicator", "headerName": t("indicator", lang), "width": 150, "tooltipField": "indicator"},
        {"field": "label", "headerName": t("value", lang), "width": 110, "tooltipField": "value_text"},
        {"field": "qualifier", "headerName": t("qualifier", lang), "width": 80},
        {"field": "conflict", "headerName": t("conflict", lang), "width": 110},
        {"field": "review", "headerName": t("review_status", lang), "width": 120},
        {"field": "doc_title", "headerName": t("document", lang), "width": 170, "tooltipField": "doc_title"},
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
            "width": 180,
            "pinned": "right",
            "cellRenderer": "markdown",
            "filter": False,
            "sortable": False,
        },
    ]


def download_links(prefix: str, search: str, lang: str) -> html.Div:
    """CSV, Excel and PNG buttons (plain links to the export routes; their href follows the page's state)."""
    return html.Div(
        [
            html.A(
                t("download_csv", lang),
                id=f"{prefix}-csv",
                href="/export.csv" + search,
                download="",
                className="button",
            ),
            html.A(
                "下载 Excel" if lang != "en" else "Download Excel",
                id=f"{prefix}-xlsx",
                href="/export.xlsx" + search,
                download="",
                className="button",
            ),
            html.A(
                t("download_png", lang),
                id=f"{prefix}-png",
                href="/export.png" + search,
                download="",
                className="button",
            ),
        ],
        className="downloads",
    )


def view_cards(lang: str) -> list:
    """Links to the ready-made views for the home page."""
    return [
        html.Div(
            [
                dcc.Link(html.H3(v.title(lang)), href=href(f"/view/{v.name}", lang)),
                html.P(v.description(lang)),
            ],
            className="card view-card",
            id=f"home-view-{v.name}",
        )
        for v in VIEWS.values()
    ]
