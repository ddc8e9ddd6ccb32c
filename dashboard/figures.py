"""Figures: functions taking the DataFrames of ``queries`` and returning a go.Figure.

Every figure carries its source line as an annotation (so the server PNG and the toolbar PNG both
have it), a Chinese title with the unit, and ``customdata = [region_code, year, indicator, claim_id]`` on
every point so a click can open the sentence behind it. Approximate and bounded values get their own
marker and label ("约…", "…以上"); a conflict keeps the other document's value as a ✕ marker; a value a
person accepted or corrected is labelled ✓ (green ring on lines) and says so in its hover text.

The compare figure is assembled as plain dicts and wrapped in one go.Figure call without plotly.py's
per-assignment validation: that validation was most of the callback's time. The tests build every
figure with ``VALIDATE`` on, so an invalid property still fails there.
"""

from __future__ import annotations

import math
import os
import re

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.i18n import FONT_FAMILY, axis_scale, fmt_exact, fmt_value, qualifier_label, rate_label, t

PALETTE = [
    "#3360a9",
    "#2c8465",
    "#be5915",
    "#6d3e91",
    "#996d39",
    "#00847e",
    "#c15065",
    "#18470f",
    "#9a5129",
    "#286bbb",
    "#578145",
    "#970046",
]
SYMBOLS = {"exact": "circle", "approx": "circle-open", "at_least": "triangle-up", "at_most": "triangle-down"}
CONFLICT_COLOR = "#d62728"
REVIEWED_COLOR = "#166534"
REVIEWED_MARK = " ✓"  # after the label of a value a person accepted or corrected
EXPORT_WIDTH, EXPORT_HEIGHT = 1200, 675
# No plotly.py template: a named one is only resolved by the validating path, and a template object costs
# more to build than the whole figure. The few things we take from plotly_white are set explicitly.
TEMPLATE: dict = {}
AXIS = dict(gridcolor="#ebebeb", zerolinecolor="#999", linecolor="#999", showline=False, automargin=True)
VALIDATE = os.environ.get("DASHBOARD_VALIDATE_FIGURES") == "1"  # the tests switch it on
MAX_LABELLED_POINTS = 40
SOURCE_WRAP = 150  # display columns (a CJK character counts 2)
UNIT_GROUP = {
    "zh": {
        "person": "人数",
        "household": "户数",
        "count": "个数",
        "yuan": "金额",
        "percent": "比例",
        "person_time": "人次",
        "percentage_point": "百分点",
        "year": "年数",
        "mu": "面积",
        "km": "里程",
        "ton": "重量",
    },
    "en": {
        "person": "Persons",
        "household": "Households",
        "count": "Count",
        "yuan": "Amount",
        "percent": "Share",
        "person_time": "Person-times",
        "percentage_point": "Points",
        "year": "Years",
        "mu": "Area",
        "km": "Length",
        "ton": "Weight",
    },
}


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def wrap(text: str, columns: int = SOURCE_WRAP) -> list[str]:
    """Split text into lines of at most ``columns`` display columns, at '；' or '; ' where possible."""
    lines, line = [], ""
    for part in text.replace("; ", "; \x00").replace("；", "；\x00").split("\x00"):
        if line and _width(line + part) > columns:
            lines.append(line)
            line = ""
        while _width(part) > columns:  # a single very long part: hard split
            cut = 0
            while _width(part[: cut + 1]) <= columns:
                cut += 1
            lines.append(part[:cut])
            part = part[cut:]
        line += part
    return [x for x in [*lines, line] if x]


def _text(x) -> str:
    return x if isinstance(x, str) else ""


def _is_num(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def source_text(frames: list[pd.DataFrame | None], lang: str = "zh", max_docs: int = 6) -> str:
    """'来源：郑州日报《…》（2019）；…' naming each distinct document behind the figure, oldest first."""
    used = [f[["doc_title", "issuer", "doc_date"]] for f in frames if f is not None and not f.empty]
    if not used:
        return ""
    rows = pd.concat(used, ignore_index=True).drop_duplicates().sort_values("doc_date", na_position="last")
    parts = []
    for r in rows.head(max_docs).to_dict("records"):
        issuer, date, title = _text(r["issuer"]), _text(r["doc_date"]), _text(r["doc_title"])
        if lang == "en":
            parts.append(f"{issuer + ', ' if issuer else ''}《{title}》{' (' + date + ')' if date else ''}")
        else:
            parts.append(f"{issuer}《{title}》{'（' + date + '）' if date else ''}")
    if len(rows) > max_docs:
        parts.append(f"and {len(rows) - max_docs} more" if lang == "en" else f"等 {len(rows)} 份文件")
    return t("source_prefix", lang) + ("; " if lang == "en" else "；").join(parts)


def base_layout(*, title: str, subtitle: str, source: str, note: str = "", legend_rows: int = 1) -> dict:
    """Fonts, title, legend, margins and the source annotation shared by every figure, as a dict.

    The figure is always EXPORT_HEIGHT tall (page and PNG alike), so positions given as fractions of
    the container are the same pixels everywhere.
    """
    lines = wrap(source) + (wrap(note) if note else [])
    top = 96 + 24 * legend_rows + (24 if legend_rows > 1 else 0)
    layout = dict(
        template=TEMPLATE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=PALETTE,
        height=EXPORT_HEIGHT,
        font=dict(family=FONT_FAMILY, size=13, color="#333"),
        title=dict(
            text=title,
            subtitle=dict(text=subtitle, font=dict(size=13, color="#666")),
            x=0.01,
            xanchor="left",
            yref="container",
            y=1 - 14 / EXPORT_HEIGHT,
            yanchor="top",
            font=dict(size=20),
        ),
        legend=dict(
            orientation="h",
            x=0,
            xanchor="left",
            yref="container",
            y=1 - 78 / EXPORT_HEIGHT,
            yanchor="top",
            font=dict(size=12),
            bgcolor="rgba(0,0,0,0)",
        ),
        margin=dict(l=70, r=30, t=top, b=70 + 16 * len(lines)),
        hoverlabel=dict(font=dict(family=FONT_FAMILY)),
        separators=".,",
        annotations=[],
    )
    if lines:
        layout["annotations"].append(
            dict(
                text="<br>".join(lines),
                xref="paper",
                yref="paper",
                x=0,
                y=0,
                xanchor="left",
                yanchor="top",
                yshift=-48,
                align="left",
                showarrow=False,
                font=dict(size=11, color="#666"),
            )
        )
    return layout


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """One go.Figure from plain dicts (validated only when VALIDATE is on)."""
    return go.Figure(dict(data=traces, layout=layout), _validate=VALIDATE)


def message_figure(message: str, lang: str = "zh") -> go.Figure:
    """An empty chart that says why it is empty (no data, a bad parameter) instead of a blank plot."""
    return _figure(
        [],
        dict(
            template=TEMPLATE,
            font=dict(family=FONT_FAMILY),
            xaxis=dict(visible=False),
            yaxis=dict(visible=False),
            margin=dict(l=20, r=20, t=40, b=20),
            meta={"kind": "message"},
            annotations=[
                dict(
                    text=message,
                    x=0.5,
                    y=0.5,
                    xref="paper",
                    yref="paper",
                    showarrow=False,
                    font=dict(size=16, color="#666"),
                )
            ],
        ),
    )


def _in_brackets(unit: str, lang: str) -> str:
    """'万人' -> '（万人）'; ' (persons)' in English; nothing for a unit without a name."""
    if not unit:
        return ""
    return f" ({unit})" if lang == "en" else f"（{unit}）"


def _hover(r: dict, name: str, lang: str, shown: str, extra: str = "") -> str:
    """Hover text of one point: region, year, the exact value, qualifier, conflict, document."""
    colon = ": " if lang == "en" else "："
    year = f"{r['year']}" if lang == "en" else f"{r['year']}年"
    lines = [f"<b>{r['region']} · {year}</b>", f"{name}{colon}{shown}{rate_label(r.get('rate'), lang)}"]
    qual = qualifier_label(r["qualifier"], lang)
    if qual:
        lines.append(f"{t('qualifier', lang)}{colon}{qual}")
    if extra:
        lines.append(extra)
    if bool(r.get("unsure", False)):
        lines.append(f"{t('review_status', lang)}{colon}{t('unsure', lang)}")
    elif "reviewed" in r:
        review = t("reviewed_mark", lang) + REVIEWED_MARK if r["reviewed"] else t("machine_read", lang)
        lines.append(f"{t('review_status', lang)}{colon}{review}")
    if _text(r.get("doc_title")):
        lines.append(f"《{r['doc_title'][:40]}》{_text(r.get('doc_date'))}")
    lines.append(f"<i>{t('click_hint', lang)}</i>")
    return "<br>".join(lines)


def _reviewed(r: dict) -> bool:
    return bool(r.get("reviewed"))


def _marked(label: str, r: dict) -> str:
    """A point's label, with ✓ when a person reviewed its value."""
    return label + REVIEWED_MARK if _reviewed(r) else label


def _alt_hover(r: dict, unit: str, lang: str) -> str:
    colon = ": " if lang == "en" else "："
    return (
        f"<b>{r['region']} · {r['year']}</b><br>{t('other_value', lang)}{colon}"
        f"{fmt_value(r['value'], unit, lang, r['qualifier'], rate=r.get('rate'))}"
        f"<br>《{_text(r.get('doc_title'))[:40]}》"
        f"{_text(r.get('doc_date'))}"
    )


def _prepare(df: pd.DataFrame, alts: pd.DataFrame | None, mode: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``y``: the value, or in ``mode='change'`` the change since the region's first year shown."""
    df = df.copy()
    alts = alts.copy() if alts is not None else df.iloc[0:0].copy()
    if mode == "change" and not df.empty:
        base = df.sort_values("year").groupby(["region", "indicator"], as_index=False)["value"].first()
        base = base.rename(columns={"value": "base"})
        df = df.merge(base, on=["region", "indicator"], how="left")
        df["y"] = df.value - df.base
        if not alts.empty:
            alts = alts.merge(base, on=["region", "indicator"], how="left")
            alts["y"] = alts.value - alts.base.fillna(alts.value)
    else:
        df["y"] = df.value
        alts["y"] = alts.value
    return df, alts


UNSURE_MARKER = dict(symbol="circle-open-dot", size=11, line=dict(width=2))


def _prepare_unsure(unsure: pd.DataFrame | None, df: pd.DataFrame, mode: str) -> pd.DataFrame:
    """The unsure points with ``y``: their value, or in ``mode='change'`` the change since the region's first
    charted fact (a region without a fact has no base, so its unsure points are left out of that mode)."""
    if unsure is None or unsure.empty:
        return pd.DataFrame(columns=["region", "year", "y", "region_order"])
    out = unsure.copy()
    if mode != "change":
        return out.assign(y=out.value)
    if df.empty:
        return out.iloc[0:0].assign(y=[])
    base = df.sort_values("year").groupby("region").value.first().rename("base")
    out = out.join(base, on="region", how="inner")
    return out.assign(y=out.value - out.base)


def _unsure_trace(
    rows: list[dict], x: list, divisor: float, color: str, name: str, unit: str, lang: str, region: str, **extra
) -> dict:
    """One region's unsure points: hollow markers, never a line, hover text saying why they are not facts."""
    hover = [_hover(r, name, lang, fmt_exact(r["value"], unit, lang)) for r in rows]
    return dict(
        type="scatter",
        mode="markers",
        x=x,
        y=[r["y"] / divisor for r in rows],
        name=f"{region} · {t('unsure', lang)}",
        legendgroup=region,
        showlegend=False,
        marker=UNSURE_MARKER | dict(color=color),
        customdata=[[*c, "unsure"] for c in _custom(rows)],
        hoverinfo="text",
        hovertext=hover,
        cliponaxis=False,
        **extra,
    )


def _others(alts: pd.DataFrame) -> dict[tuple, list[dict]]:
    """(region, year, indicator) -> the other documents' claims."""
    out: dict[tuple, list[dict]] = {}
    for a in alts.to_dict("records"):
        out.setdefault((a["region"], a["year"], a["indicator"]), []).append(a)
    return out


def _conflict_extra(r: dict, others: dict[tuple, list[dict]], unit: str, lang: str) -> str:
    if not r["conflict"]:
        return ""
    vals = "、".join(
        fmt_value(a["value"], unit, lang, a["qualifier"], rate=a.get("rate"))
        for a in others.get((r["region"], r["year"], r["indicator"]), [])
    )
    return f"※ {t('conflict', lang)}" + ((": " if lang == "en" else "：") + vals if vals else "")


def _custom(rows: list[dict]) -> list[list]:
    return [[r.get("region_code", r["region"]), int(r["year"]), r["indicator"], r["claim_id"]] for r in rows]


def _key(name: str, marker: dict, bars: bool = False) -> dict:
    """A legend-only trace (no data, so it does not change the axes)."""
    trace = dict(type="bar" if bars else "scatter", x=[None], y=[None], name=name, legendgroup="_q",
                 hoverinfo="skip", marker=marker)
    return trace if bars else {**trace, "mode": "markers"}


def _legend_keys(
    qualifiers: set[str], conflict: bool, lang: str, bars: bool, reviewed: bool = False
) -> list[dict]:
    """Legend-only traces explaining the markers: reviewed values, approximate or bounded ones, conflicts."""
    out = []
    if reviewed:
        out.append(_key(t("reviewed_mark", lang) + REVIEWED_MARK,
                        dict(symbol="circle", size=10, color="white", line=dict(color=REVIEWED_COLOR, width=2))))
    for q in ("approx", "at_least", "at_most"):
        if q in qualifiers:
            marker = (dict(color="#bbb", pattern=dict(shape="/")) if bars
                      else dict(symbol=SYMBOLS[q], size=10, color="#777"))
            out.append(_key(qualifier_label(q, lang), marker, bars))
    if conflict:
        out.append(_key(t("other_value", lang), dict(symbol="x", size=10, color=CONFLICT_COLOR)))
    return out


def _bar_marker(rows: list[dict], color: str) -> dict:
    """Bar colour, a red outline on conflicts, hatching on approximate or bounded values."""
    conflict = [bool(r["conflict"]) for r in rows]
    return dict(
        color=color,
        line=dict(
            color=[CONFLICT_COLOR if c else color for c in conflict], width=[3 if c else 0 for c in conflict]
        ),
        pattern=dict(
            shape=["" if r["qualifier"] == "exact" else "/" for r in rows], fgcolor="white", solidity=0.3
        ),
    )


def _other_trace(other: list[dict], x: list, y: list, unit: str, lang: str, **kw) -> dict:
    return dict(
        type="scatter",
        x=x,
        y=y,
        mode="markers",
        showlegend=False,
        name=t("other_value", lang),
        marker=dict(symbol="x", size=11, color=CONFLICT_COLOR, line=dict(width=1, color="white")),
        hovertext=[_alt_hover(a, unit, lang) for a in other],
        hoverinfo="text",
        customdata=_custom(other),
        **kw,
    )


def compare_figure(
    df: pd.DataFrame,
    alts: pd.DataFrame | None,
    *,
    indicator: dict,
    mode: str = "abs",
    lang: str = "zh",
    year_from: int | None = None,
    year_to: int | None = None,
    unsure: pd.DataFrame | None = None,
) -> go.Figure:
    """One indicator across regions: lines when a region has a series, grouped bars for snapshots.

    ``df`` is ``queries.facts`` for one indicator, ``alts`` is ``queries.alternatives`` (the other
    documents' values of conflicting facts), ``indicator`` a dict with name_zh, name_en and unit;
    ``unsure`` (``queries.unsure_points``) adds the unreviewed low-confidence readings as hollow dashed-ring
    points in their region's colour, named unsure in the legend and the hover text, never joined to the line.
    """
    name = indicator.get("name_en" if lang == "en" else "name_zh") or indicator.get("key", "")
    unit = indicator.get("unit") or (df.unit.iloc[0] if not df.empty else "")
    df, alts = _prepare(df, alts, mode)
    guesses = _prepare_unsure(unsure, df, mode)
    if df.empty and guesses.empty:
        return message_figure(t("no_data", lang), lang)
    shown = pd.concat([x for x in (df, guesses) if not x.empty], ignore_index=True)
    peak = max(float(shown.y.abs().max()), float(alts.y.abs().max()) if not alts.empty else 0.0)
    divisor, axis_unit = axis_scale(unit, peak, lang)
    kind = "line" if not df.empty and df.groupby("region").year.nunique().max() >= 2 else "bar"
    labelled = len(df) <= MAX_LABELLED_POINTS
    records = df.sort_values(["region_order", "region", "year"]).to_dict("records")
    guessed = guesses.to_dict("records")
    others = _others(alts)
    regions = list(dict.fromkeys(shown.sort_values(["region_order", "region", "year"]).region))
    traces: list[dict] = []
    for n, region in enumerate(regions):
        color = PALETTE[n % len(PALETTE)]
        rows = [r for r in records if r["region"] == region]
        unsure_rows = [r for r in guessed if r["region"] == region]
        if unsure_rows:
            x = [r["year"] if kind == "line" else str(r["year"]) for r in unsure_rows]
            extra = dict(offsetgroup=region) if kind == "bar" else {}
            traces.append(_unsure_trace(unsure_rows, x, divisor, color, name, unit, lang, region, **extra))
        if not rows:
            continue
        if mode == "change":
            labels = [_marked(("+" if r["y"] > 0 else "") + fmt_value(r["y"], unit, lang), r) for r in rows]
        else:
            labels = [
                _marked(
                    fmt_value(
                        r["value"],
                        unit,
                        lang,
                        r["qualifier"],
                        r["value_high"] if _is_num(r["value_high"]) else None,
                        rate=r.get("rate"),
                    ),
                    r,
                )
                for r in rows
            ]
        common = dict(
            name=region,
            y=[r["y"] / divisor for r in rows],
            customdata=_custom(rows),
            hoverinfo="text",
            hovertext=[
                _hover(
                    r, name, lang, fmt_exact(r["value"], unit, lang), _conflict_extra(r, others, unit, lang)
                )
                for r in rows
            ],
            legendgroup=region,
            cliponaxis=False,
        )
        conflict = [bool(r["conflict"]) for r in rows]
        if kind == "line":
            traces.append(
                dict(
                    type="scatter",
                    x=[r["year"] for r in rows],
                    text=labels if labelled else None,
                    mode="lines+markers+text" if labelled else "lines+markers",
                    textposition="top center",
                    textfont=dict(size=12, color=color),
                    line=dict(color=color, width=2.5),
                    marker=dict(
                        size=[13 if c else 9 for c in conflict],
                        color=color,
                        symbol=[SYMBOLS.get(r["qualifier"], "circle") for r in rows],
                        line=dict(
                            color=[
                                CONFLICT_COLOR if c else REVIEWED_COLOR if _reviewed(r) else color
                                for c, r in zip(conflict, rows, strict=True)
                            ],
                            width=[
                                3 if c else 2.5 if _reviewed(r) else 1
                                for c, r in zip(conflict, rows, strict=True)
                            ],
                        ),
                    ),
                    **common,
                )
            )
        else:
            traces.append(
                dict(
                    type="bar",
                    x=[str(r["year"]) for r in rows],
                    offsetgroup=region,
                    text=labels,
                    textposition="outside",
                    textfont=dict(size=12),
                    marker=_bar_marker(rows, color),
                    **common,
                )
            )
        other = [a for key, group in others.items() if key[0] == region for a in group]
        if other:
            x = [a["year"] if kind == "line" else str(a["year"]) for a in other]
            extra = dict(offsetgroup=region) if kind == "bar" else {}
            traces.append(
                _other_trace(
                    other, x, [a["y"] / divisor for a in other], unit, lang, legendgroup=region, **extra
                )
            )
    has_conflict = bool(df.conflict.any()) and not alts.empty
    reviewed = "reviewed" in df and bool(df.reviewed.fillna(False).astype(bool).any())
    traces += _legend_keys(set(df.qualifier), has_conflict, lang, kind == "bar", reviewed)
    if not guesses.empty:
        traces.append(_key(t("unsure", lang), UNSURE_MARKER | dict(color="#777")))
    unit_text = _in_brackets(axis_unit, lang)
    y_title = t("change_since", lang, year=int(df.year.min())) if mode == "change" else name
    y0 = year_from if year_from is not None else int(shown.year.min())
    y1 = year_to if year_to is not None else int(shown.year.max())
    subtitle = f"{(', ' if lang == 'en' else '、').join(regions)} · {y0}–{y1}{'' if lang == 'en' else '年'}"
    if mode == "change":
        subtitle += " · " + t("mode_change", lang)
    notes = [t("conflict_note", lang).replace("✕", "×")] if has_conflict else []
    notes += [t("unsure_note", lang)] if not guesses.empty else []
    layout = base_layout(
        title=name + unit_text, subtitle=subtitle, source=source_text([df, alts, guesses], lang),
        note=("；" if lang != "en" else "; ").join(notes),
    )
    if kind == "line":
        layout["xaxis"] = dict(
            **AXIS,
            title=dict(text=t("year", lang), standoff=15),
            range=[y0 - 0.4, y1 + 0.4],
            tickformat="d",
            showgrid=False,
            dtick=1 if y1 - y0 <= 15 else None,
        )
    else:
        years = sorted(shown.year.unique())
        pad = max(0.0, (3 - len(years)) / 2)  # a lone snapshot is not one slide-wide bar
        layout["xaxis"] = dict(
            **AXIS,
            title=dict(text=t("year", lang), standoff=15),
            type="category",
            showgrid=False,
            categoryorder="array",
            categoryarray=[str(y) for y in years],
            range=[-0.5 - pad, len(years) - 0.5 + pad],
        )
        layout.update(barmode="group", scattermode="group", bargap=0.3)
    layout["yaxis"] = dict(
        **AXIS,
        title=dict(text=y_title + unit_text),
        tickformat=",~g",
        zeroline=True,
        rangemode="tozero" if mode == "abs" else "normal",
    )
    layout["meta"] = {"kind": kind, "divisor": divisor, "unit": axis_unit}
    return _figure(traces, layout)


def _slots(part: pd.DataFrame, order: dict[str, int]) -> dict[tuple[int, str], tuple[float, float]]:
    """(year, indicator) -> (x, width): the bars of one year side by side around the year's position."""
    slots = {}
    for pos, year in enumerate(sorted(part.year.unique())):
        keys = sorted(set(part[part.year == year].indicator), key=lambda k: order.get(k, 999))
        width = min(0.9 / len(keys), 0.4)
        start = pos - width * len(keys) / 2
        for j, key in enumerate(keys):
            slots[(int(year), key)] = (start + width * (j + 0.5), width * 0.92)
    return slots


_NUMBER_THEN_SUFFIX = re.compile(r"^(约?[-+]?[\d.,]+)(\D.*)$")


def _stack(label: str, crowded: bool) -> str:
    """'254.21万' -> '254.21<br>万' when the bar is one of several narrow ones in its year."""
    return _NUMBER_THEN_SUFFIX.sub(r"\1<br>\2", label) if crowded else label


def _crowding(part: pd.DataFrame) -> dict[tuple[int, str], int]:
    """(year, indicator) -> how many bars share that year."""
    per_year = part.groupby("year").indicator.nunique()
    return {(int(y), k): int(per_year[y]) for y, k in zip(part.year, part.indicator, strict=True)}


def view_figure(
    df: pd.DataFrame,
    alts: pd.DataFrame | None,
    *,
    indicators: pd.DataFrame,
    title: str,
    subtitle: str = "",
    lang: str = "zh",
) -> go.Figure:
    """Several indicators of one region side by side: one panel per unit, years on x, a bar per indicator.

    ``indicators`` lists the view's indicators in display order (key, name_zh, name_en, unit). Within a
    year only the indicators that have a value there get a bar, so no empty slots.
    """
    if df.empty:
        return message_figure(t("no_data", lang), lang)
    df, alts = _prepare(df, alts, "abs")
    order = {k: n for n, k in enumerate(indicators.key)}
    meta = indicators.set_index("key")
    units = list(dict.fromkeys(meta.unit[k] for k in indicators.key if k in set(df.indicator)))
    scales = {u: axis_scale(u, float(df[df.unit == u].value.abs().max()), lang) for u in units}
    groups = UNIT_GROUP.get(lang, UNIT_GROUP["zh"])
    titles = [groups.get(u, u) + _in_brackets(scales[u][1], lang) for u in units]
    weights = [float((df.unit == u).sum()) + 0.8 for u in units]
    fig = make_subplots(
        rows=1,
        cols=len(units),
        subplot_titles=titles,
        horizontal_spacing=0.05,
        column_widths=[w / sum(weights) for w in weights],
    )
    others = _others(alts)
    for col, u in enumerate(units, start=1):
        divisor = scales[u][0]
        part = df[df.unit == u]
        slots = _slots(part, order)
        for key in sorted(set(part.indicator), key=lambda k: order.get(k, 999)):
            rows = part[part.indicator == key].sort_values("year").to_dict("records")
            name = meta.name_en[key] if lang == "en" else meta.name_zh[key]
            xs = [slots[(int(r["year"]), key)] for r in rows]
            crowd = {k: n >= 3 for k, n in _crowding(part).items()}
            fig.add_trace(
                go.Bar(
                    x=[x for x, _ in xs],
                    width=[w for _, w in xs],
                    y=[r["value"] / divisor for r in rows],
                    name=name,
                    text=[
                        _stack(
                            _marked(
                                fmt_value(r["value"], u, lang, r["qualifier"], with_unit=u == "percent",
                                          rate=r.get("rate")),
                                r,
                            ),
                            crowd[(int(r["year"]), key)],
                        )
                        for r in rows
                    ],
                    textposition="outside",
                    textfont=dict(size=11),
                    constraintext="none",
                    cliponaxis=False,
                    hovertext=[
                        _hover(
                            r, name, lang, fmt_exact(r["value"], u, lang), _conflict_extra(r, others, u, lang)
                        )
                        for r in rows
                    ],
                    hoverinfo="text",
                    legendgroup=key,
                    customdata=_custom(rows),
                    marker=_bar_marker(rows, PALETTE[order.get(key, 0) % len(PALETTE)]),
                ),
                row=1,
                col=col,
            )
            other = [a for (_, _, k), group in others.items() if k == key for a in group]
            if other:
                x = [slots[(int(a["year"]), key)][0] for a in other]
                fig.add_trace(
                    go.Scatter(
                        _other_trace(
                            other, x, [a["value"] / divisor for a in other], u, lang, legendgroup="_q"
                        )
                    ),
                    row=1,
                    col=col,
                )
        years = sorted(part.year.unique())
        fig.update_xaxes(
            tickvals=list(range(len(years))),
            ticktext=[str(y) for y in years],
            range=[-0.6, len(years) - 0.4],
            showgrid=False,
            row=1,
            col=col,
        )
        fig.update_yaxes(tickformat=",~g", rangemode="tozero", row=1, col=col, **AXIS)
    conflict = bool(df.conflict.any()) and not alts.empty
    reviewed = "reviewed" in df and bool(df.reviewed.fillna(False).astype(bool).any())
    fig.add_traces(_legend_keys(set(df.qualifier), conflict, lang, bars=True, reviewed=reviewed))
    fig.update_annotations(font=dict(size=13, color="#444"))  # the panel titles
    note = t("per_unit_note", lang) + (" " + t("conflict_note", lang).replace("✕", "×") if conflict else "")
    layout = base_layout(
        title=title, subtitle=subtitle, source=source_text([df, alts], lang), note=note, legend_rows=2
    )
    for annotation in layout.pop("annotations"):
        fig.add_annotation(annotation)
    fig.update_layout(**layout, barmode="overlay", meta={"kind": "view", "units": units})
    return fig


def chart_config(filename: str, lang: str = "zh") -> dict:
    """dcc.Graph config: Chinese toolbar, PNG download at slide size with the same file name as the export."""
    return {
        "locale": "en" if lang == "en" else "zh-CN",
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendChartToCloud"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": EXPORT_WIDTH,
            "height": EXPORT_HEIGHT,
            "scale": 1,
        },
    }
