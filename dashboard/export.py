"""Exports: the data behind a chart as CSV for Excel/WPS, and the chart as a PNG for a slide.

CSV: UTF-8 with a BOM, Chinese headers, one row per chart point with its document and sentence;
text cells beginning with = + - @ (or a tab / carriage return) are prefixed with a single quote so a
spreadsheet does not run them as formulas. PNG: rendered server-side by kaleido through Debian's
chromium, on one persistent kaleido server started lazily; a lock serialises exports because that
server can hand a concurrent caller the wrong image.
"""

from __future__ import annotations

import math
import os
import shutil
import threading

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import EXPORT_HEIGHT, EXPORT_WIDTH
from dashboard.i18n import (
    finding_status_label,
    fmt_value,
    kind_label,
    qualifier_label,
    rate_label,
    status_label,
    t,
    unit_label,
)

BOM = b"\xef\xbb\xbf"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = {  # internal name -> (zh header, en header)
    "region": ("地区", "region"),
    "region_code": ("区划代码", "region_code"),
    "year": ("年份", "year"),
    "indicator": ("指标代码", "indicator_key"),
    "indicator_name": ("指标", "indicator"),
    "value": ("数值", "value"),
    "unit": ("单位", "unit"),
    "qualifier": ("限定", "qualifier"),
    "review": ("核实状态", "review_status"),
    "doc_title": ("文件", "document"),
    "doc_date": ("日期", "date"),
    "sentence": ("原文句子", "sentence"),
    "note": ("备注", "note"),
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_KALEIDO_LOCK = threading.Lock()
_KALEIDO_STARTED = [False]


def neutralise(cell: object) -> object:
    """'=1+1' -> "'=1+1"; numbers and other text unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else float(v)


def _note(r, alts: pd.DataFrame, lang: str) -> str:
    notes = []
    if r.value_high is not None and not (isinstance(r.value_high, float) and math.isnan(r.value_high)):
        notes.append(
            ("range " if lang == "en" else "区间 ") + fmt_value(r.value, r.unit, lang, None, r.value_high, rate=r.rate)
        )
    if bool(r.conflict):
        other = alts[(alts.region == r.region) & (alts.year == r.year) & (alts.indicator == r.indicator)]
        others = "; ".join(
            f"{fmt_value(a.value, a.unit, lang, a.qualifier, rate=a.rate)}《{a.doc_title}》" for a in other.itertuples()
        )
        notes.append(
            f"{t('conflict', lang)}" + (f": {others}" if lang == "en" else f"：另有 {others}")
            if others
            else t("conflict", lang)
        )
    return "；".join(notes) if lang != "en" else "; ".join(notes)


def review_label(reviewed: object, lang: str = "zh", unsure: object = False) -> str:
    """'已人工核实' for a value a person accepted or corrected, '未确定（待复核）' for an unsure reading shown on
    request, else '机器识别'."""
    if bool(unsure):
        return t("unsure", lang)
    return t("reviewed_mark" if bool(reviewed) else "machine_read", lang)


def csv_frame(facts: pd.DataFrame, alts: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The export table (headers in ``lang``) from ``queries.facts`` rows and their alternatives."""
    rows = []
    for r in facts.itertuples():
        rows.append(
            {
                "region": r.region,
                "region_code": _code(r.region_code),
                "year": int(r.year),
                "indicator": r.indicator,
                "indicator_name": (r.name_en if lang == "en" else r.name_zh) or r.indicator,
                "value": _number(r.value),
                "unit": unit_label(r.unit, lang) + rate_label(r.rate, lang),
                "qualifier": qualifier_label(r.qualifier, lang) or t("exact", lang),
                "review": review_label(getattr(r, "reviewed", False), lang, getattr(r, "unsure", False)),
                "doc_title": r.doc_title if isinstance(r.doc_title, str) else "",
                "doc_date": r.doc_date if isinstance(r.doc_date, str) else "",
                "sentence": r.sentence if isinstance(r.sentence, str) else "",
                "note": _note(r, alts, lang),
            }
        )
    return _headed(rows, COLUMNS, lang)


def _headed(rows: list[dict], columns: dict[str, tuple[str, str]], lang: str) -> pd.DataFrame:
    """Rows as a table with ``lang`` headers, text cells neutralised."""
    frame = pd.DataFrame(rows, columns=list(columns), dtype=object)
    frame = frame.map(neutralise) if not frame.empty else frame
    return frame.rename(columns={k: (en if lang == "en" else zh) for k, (zh, en) in columns.items()})


def _csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (opens cleanly in Excel and WPS), CRLF line ends."""
    return BOM + frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def csv_bytes(facts: pd.DataFrame, alts: pd.DataFrame, lang: str = "zh") -> bytes:
    """The chart's data as UTF-8 CSV with a BOM, CRLF line ends, formulas neutralised."""
    return _csv(csv_frame(facts, alts, lang))


FINDING_COLUMNS = {  # internal name -> (zh header, en header)
    "kind": ("类型", "kind"),
    "status": ("结果", "result"),
    "message": ("说明", "message"),
    "region": ("地区", "region"),
    "year": ("年份", "year"),
    "indicator": ("指标代码", "indicator_key"),
    "indicator_name": ("指标", "indicator"),
    "claims": ("涉及数字", "claims"),
    "claim_ids": ("数字编号", "claim_ids"),
    "doc_title": ("文件", "document"),
}


def claim_label(c: dict, lang: str = "zh") -> str:
    """'96467 人（郑州市 2013，已驳回）': a claim as written, where it belongs, its review status and, when
    corrected, the value now used."""
    where = " ".join(str(x) for x in (_str(c.get("region")), _year(c.get("year"))) if x)
    status = c.get("status")
    extra = [where] if where else []
    if status == "corrected":
        colon = ": " if lang == "en" else "："
        extra.append(status_label(status, lang) + colon + fmt_value(c.get("value"), c.get("unit", ""), lang))
    elif status and status != "machine":
        extra.append(status_label(status, lang))
    if not extra:
        return str(c.get("mention", ""))
    inner = ("，" if lang != "en" else ", ").join(extra)
    return f"{c.get('mention', '')}（{inner}）" if lang != "en" else f"{c.get('mention', '')} ({inner})"


def findings_frame(findings: pd.DataFrame, claims: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The findings table (headers in ``lang``) from ``queries.findings`` and ``queries.claims_by_id``."""
    by_id = {c["claim_id"]: c for c in claims.to_dict("records")}
    rows = []
    for r in findings.itertuples():
        ids = [i for i in str(r.claim_ids).split(",") if i]
        rows.append(
            {
                "kind": kind_label(r.kind, lang),
                "status": finding_status_label(r.status, lang),
                "message": r.message,
                "region": _str(r.region),
                "year": _year(r.year),
                "indicator": _str(r.indicator),
                "indicator_name": _str(r.name_en if lang == "en" else r.name_zh) or _str(r.indicator),
                "claims": "; ".join(claim_label(by_id[i], lang) for i in ids if i in by_id),
                "claim_ids": ",".join(ids),
                "doc_title": _str(r.doc_title),
            }
        )
    return _headed(rows, FINDING_COLUMNS, lang)


def findings_csv_bytes(findings: pd.DataFrame, claims: pd.DataFrame, lang: str = "zh") -> bytes:
    """The findings as UTF-8 CSV with a BOM, Chinese header, formulas neutralised."""
    return _csv(findings_frame(findings, claims, lang))


def _code(code: object) -> str:
    """A region's code as exported: 320106; empty for a region the gazetteer does not know (name:…)."""
    return code if isinstance(code, str) and not code.startswith("name:") else ""


def _str(x: object) -> str:
    return x if isinstance(x, str) else ""


def _year(x: object) -> int | str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else int(x)


def chromium_path() -> str | None:
    """The browser kaleido will use: $BROWSER_PATH, else Debian's chromium."""
    for candidate in (os.environ.get("BROWSER_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def png_bytes(
    fig: go.Figure, width: int = EXPORT_WIDTH, height: int = EXPORT_HEIGHT, scale: float = 1
) -> bytes:
    """The figure as PNG bytes, rendered by the persistent kaleido server (started on first use)."""
    import kaleido

    with _KALEIDO_LOCK:
        if not _KALEIDO_STARTED[0]:
            browser = chromium_path()
            if browser is None:
                raise RuntimeError("chromium not found: apt-get install chromium fonts-noto-cjk")
            os.environ.setdefault("BROWSER_PATH", browser)
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            _KALEIDO_STARTED[0] = True
        return kaleido.calc_fig_sync(
            fig.to_dict(), opts=dict(format="png", width=width, height=height, scale=scale)
        )


def stop_png_server() -> None:
    """Stop the kaleido server if it runs (tests, benchmark)."""
    import kaleido

    with _KALEIDO_LOCK:
        if _KALEIDO_STARTED[0]:
            kaleido.stop_sync_server(silence_warnings=True)
            _KALEIDO_STARTED[0] = False


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
