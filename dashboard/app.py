"""The Dash app factory and the export routes (Flask, on ``app.server``)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import dash
import flask
from dash import Dash, html

from dashboard import auth, charts, export, login, params, queries, xlsx
from dashboard.i18n import finding_status_label, kind_label, lang_of
from etl.storage.accounts import accounts_path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# The largest request the server reads (an upload's files travel base64-encoded in one request): 4/3 of the
# ETL's per-file limit for a few files at once, unless $POVERTY_MAX_REQUEST_MB says otherwise.
MAX_REQUEST_MB = float(os.environ.get("POVERTY_MAX_REQUEST_MB", "80"))


def _text(body: str, status: int) -> flask.Response:
    return flask.Response(
        body, status=status, mimetype="text/plain", content_type="text/plain; charset=utf-8"
    )


def _export_chart(db: str) -> tuple[charts.Chart | None, flask.Response | None, str]:
    """(chart, None, lang) for a valid request; (None, error response, lang) for a bad one."""
    query = {k: flask.request.args.getlist(k) for k in flask.request.args}
    lang = lang_of(flask.request.args.get("lang"))
    try:
        p = params.parse_export(query, db)
        return charts.chart_for(db, p), None, lang
    except params.ParamError as e:
        return None, _text(e.text(), 400), lang
    except queries.DatabaseMissing as e:
        return None, _text(f"数据库不存在：{e.path}，请先运行 make build\nDatabase missing: {e}\n", 503), lang


def _findings_csv(db: str) -> flask.Response:
    """The findings (``?kind=&status=`` as on the checks page) as CSV with a BOM; 400 on an unknown value."""
    args = flask.request.args
    lang = lang_of(args.get("lang"))
    kind, status = args.get("kind") or None, args.get("status") or None
    bad = [
        f"{name}={value!r}"
        for name, value, known in (
            ("kind", kind, queries.FINDING_KINDS),
            ("status", status, queries.FINDING_STATUSES),
        )
        if value is not None and value not in known
    ]
    if bad:
        return _text(f"参数有误 / bad parameter: {', '.join(bad)}\n", 400)
    try:
        found = queries.findings(db, kind, status, limit=None)
        ids = sorted({i for x in found.claim_ids for i in str(x).split(",") if i})
        data = export.findings_csv_bytes(found, queries.claims_by_id(db, ids), lang)
    except queries.DatabaseMissing as e:
        return _text(f"数据库不存在：{e.path}，请先运行 make build\nDatabase missing: {e}\n", 503)
    name = "_".join(
        ["findings" if lang == "en" else "核查结果"]
        + [label(v, lang) for v, label in ((kind, kind_label), (status, finding_status_label)) if v]
    )
    return _download(data, "text/csv", name + ".csv")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, mimetype: str, name: str) -> flask.Response:
    """``data`` as a file download named ``name`` (never cached)."""
    return flask.send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)


def register_exports(server: flask.Flask) -> None:
    """``/export.csv``, ``/export.xlsx`` and ``/export.png`` with the compare page's query parameters (or
    ``view=NAME``; ``view=map&parent=CODE`` for the map);
    ``/export/findings.csv`` with the checks page's."""

    @server.get("/export.csv")
    def export_csv():
        chart, error, lang = _export_chart(server.config["POVERTY_DB"])
        if error is not None:
            return error
        data = export.csv_bytes(chart.rows(), chart.alternatives, lang)
        return _download(data, "text/csv", chart.filename + ".csv")

    @server.get("/export.xlsx")
    def export_xlsx():
        chart, error, lang = _export_chart(server.config["POVERTY_DB"])
        if error is not None:
            return error
        data = xlsx.xlsx_bytes(server.config["POVERTY_DB"], chart.rows(), chart.alternatives, lang)
        return _download(data, XLSX_MIME, chart.filename + ".xlsx")

    @server.get("/export/findings.csv")
    def export_findings():
        return _findings_csv(server.config["POVERTY_DB"])

    @server.get("/export.png")
    def export_png():
        chart, error, _ = _export_chart(server.config["POVERTY_DB"])
        if error is not None:
            return error
        try:
            data = export.png_bytes(chart.figure)
        except RuntimeError as e:  # no chromium
            return _text(f"无法生成图片：{e}\nCannot render the PNG: {e}\n", 503)
        return _download(data, "image/png", chart.filename + ".png")


def create_app(
    db_path: str | Path = queries.DEFAULT_DB,
    mode: str = "local",
    private: bool = False,
    read_only: bool = False,
    origins: tuple[str, ...] = (),
) -> Dash:
    """The dashboard over the database at ``db_path`` (opened read-only, lazily, per request), in ``mode``
    local or team (``dashboard.auth``); ``private``: reading needs an account; ``read_only``: no writes."""
    app = Dash(
        "dashboard",  # the package: pages register as dashboard.pages.<name>
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(ROOT / "assets"),
        title="脱贫攻坚指标看板",
        update_title=None,
        suppress_callback_exceptions=True,
    )
    app.server.config["POVERTY_DB"] = str(Path(db_path))
    app.server.config["MAX_CONTENT_LENGTH"] = int(MAX_REQUEST_MB * 1024 * 1024)
    auth.init(app, auth.Settings(mode, accounts_path(db_path), private, read_only, origins))
    login.register(app.server)
    app.layout = html.Div(dash.page_container, id="app-root")
    register_exports(app.server)
    return app
