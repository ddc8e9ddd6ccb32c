"""The Excel download (``/export.xlsx``): the data behind a chart or map, and its sources and definitions.

Two sheets, written with openpyxl: 数据 (one row per value; Chinese headers over a row of English keys; the value a
number with the unit in its header; years and codes as Excel reads them) and 来源与定义 (per value: the document,
its issuer and date, the sentence, how sure the reading is, who reviewed it, and the indicator's definition).
An .xlsx has no encoding question (it is XML in UTF-8 by definition), so Excel and WPS open it without a BOM.
Text beginning with = + - @ is prefixed with a quote (``export.neutralise``) and written as a string: a cell
never runs as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard import queries
from dashboard.export import _code, _note, neutralise, review_label
from dashboard.i18n import qualifier_label, rate_label, t, unit_label

DATA_COLUMNS = (  # key, zh header, width
    ("region", "地区", 16),
    ("region_code", "区划代码", 11),
    ("year", "年份", 7),
    ("indicator", "指标代码", 20),
    ("indicator_name", "指标", 20),
    ("value", "数值", 14),
    ("unit", "单位", 8),
    ("qualifier", "限定", 8),
    ("latest", "取值年份", 10),
    ("review", "核实状态", 14),
    ("note", "备注", 30),
)
SOURCE_COLUMNS = (
    ("region", "地区", 16),
    ("year", "年份", 7),
    ("indicator_name", "指标", 20),
    ("definition", "指标定义", 40),
    ("doc_title", "文件", 36),
    ("issuer", "发文单位", 20),
    ("doc_date", "日期", 11),
    ("sentence", "原文句子", 70),
    ("confidence", "识别置信度", 10),
    ("reviewed_by", "核实人", 14),
    ("reviewed_at", "核实时间", 19),
)
SHEETS = {"zh": ("数据", "来源与定义"), "en": ("data", "sources and definitions")}


def review_info(db: str | Path, claim_ids: Sequence[str]) -> pd.DataFrame:
    """claim_id, confidence, who reviewed it last and when (None for a machine reading)."""
    has_confidence = queries._has_column(db, "claims", "confidence")
    confidence = "c.confidence" if has_confidence else "NULL"
    return queries.query(
        db,
        f"""
        SELECT c.id AS claim_id, {confidence} AS confidence, r.who AS reviewed_by, r.reviewed_at
        FROM claims c
        LEFT JOIN (SELECT claim_id, who, reviewed_at FROM reviews
                   QUALIFY row_number() OVER (PARTITION BY claim_id ORDER BY seq DESC) = 1) r ON r.claim_id = c.id
        WHERE list_contains(?::VARCHAR[], c.id)""",
        [list(claim_ids)],
    )


def _definitions(db: str | Path, keys: Sequence[str]) -> dict[str, str]:
    frame = queries.query(db, "SELECT key, definition FROM indicators WHERE list_contains(?::VARCHAR[], key)",
                          [list(keys)])
    return {r.key: r.definition or "" for r in frame.itertuples()}


def _text(x: object) -> str:
    return x if isinstance(x, str) else ""


def _unit(r, lang: str) -> str:
    return unit_label(r.unit, lang) + rate_label(getattr(r, "rate", None), lang)


def data_rows(rows: pd.DataFrame, alts: pd.DataFrame, lang: str) -> list[dict]:
    """One dict per value, numbers as numbers."""
    out = []
    for r in rows.itertuples():
        out.append({
            "region": r.region,
            "region_code": _code(r.region_code),
            "year": int(r.year),
            "indicator": r.indicator,
            "indicator_name": _text(r.name_en if lang == "en" else r.name_zh) or r.indicator,
            "value": float(r.value),
            "unit": _unit(r, lang),
            "qualifier": qualifier_label(r.qualifier, lang) or t("exact", lang),
            "latest": (t("latest", lang) if bool(getattr(r, "latest", False)) else ""),
            "review": review_label(getattr(r, "reviewed", False), lang, getattr(r, "unsure", False)),
            "note": _note(r, alts, lang),
        })
    return out


def source_rows(db: str | Path, rows: pd.DataFrame, lang: str) -> list[dict]:
    """One dict per value: its document, sentence, confidence and reviewer, and the indicator's definition."""
    info = review_info(db, [c for c in rows.claim_id if isinstance(c, str)]).set_index("claim_id")
    definitions = _definitions(db, list(dict.fromkeys(rows.indicator)))
    out = []
    for r in rows.itertuples():
        extra = info.loc[r.claim_id] if r.claim_id in info.index else None
        confidence = _text(extra.confidence) if extra is not None else ""
        out.append({
            "region": r.region,
            "year": int(r.year),
            "indicator_name": _text(r.name_en if lang == "en" else r.name_zh) or r.indicator,
            "definition": definitions.get(r.indicator, ""),
            "doc_title": _text(r.doc_title),
            "issuer": _text(r.issuer),
            "doc_date": _text(r.doc_date),
            "sentence": _text(r.sentence),
            "confidence": {"high": "高", "low": "低"}.get(confidence, confidence) if lang != "en" else confidence,
            "reviewed_by": _text(extra.reviewed_by) if extra is not None else "",
            "reviewed_at": _text(extra.reviewed_at) if extra is not None else "",
        })
    return out


def _sheet(ws, columns: tuple, records: list[dict], lang: str, value_header: str | None = None) -> None:
    """Header (Chinese over the English key; English only in English), then the records."""
    heads = [(value_header if key == "value" and value_header else zh) for key, zh, _ in columns]
    if lang == "en":
        ws.append([key if key != "value" or not value_header else value_header for key, _, _ in columns])
    else:
        ws.append(heads)
        ws.append([key for key, _, _ in columns])
    for record in records:
        ws.append([_cell(record[key]) for key, _, _ in columns])
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    if lang != "en":
        for cell in ws[2]:
            cell.font = Font(italic=True, color="666666")
    header_rows = 1 if lang == "en" else 2
    ws.freeze_panes = ws.cell(row=header_rows + 1, column=1)
    for i, (key, _, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        if key in ("sentence", "definition", "note"):
            for (cell,) in ws.iter_rows(min_row=header_rows + 1, min_col=i, max_col=i):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _cell(value: object) -> object:
    """Numbers stay numbers; text is neutralised and stored as a string (never a formula)."""
    if isinstance(value, str):
        return neutralise(value)
    return value


def xlsx_bytes(db: str | Path, rows: pd.DataFrame, alts: pd.DataFrame, lang: str = "zh") -> bytes:
    """The workbook: the 数据 sheet and the 来源与定义 sheet."""
    wb = Workbook()
    data, sources = wb.active, wb.create_sheet()
    data.title, sources.title = SHEETS["en" if lang == "en" else "zh"]
    records = data_rows(rows, alts, lang)
    units = {r["unit"] for r in records}
    value_header = None
    if len(units) == 1 and next(iter(units)):
        unit = next(iter(units))
        value_header = f"value ({unit})" if lang == "en" else f"数值（{unit}）"
    _sheet(data, DATA_COLUMNS, records, lang, value_header)
    for (cell,) in data.iter_rows(min_row=2, min_col=6, max_col=6):
        if isinstance(cell.value, float):
            cell.number_format = "#,##0" if cell.value.is_integer() else "#,##0.00"
    _sheet(sources, SOURCE_COLUMNS, source_rows(db, rows, lang) if not rows.empty else [], lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
