"""Query + figure, composed once for the pages, the export routes and the benchmark.

A ``Chart`` is everything a page or an export needs about one chart: the facts behind it, the other
documents' values where documents disagree, the figure and a file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard import figures, queries
from dashboard.i18n import t
from dashboard.params import CompareParams, ViewParams
from dashboard.views import View


@dataclass
class Chart:
    facts: pd.DataFrame
    alternatives: pd.DataFrame
    figure: go.Figure
    filename: str  # without extension
    indicators: pd.DataFrame  # key, name_zh, name_en, unit of the indicators shown
    unsure: pd.DataFrame | None = None  # the unsure points shown (``queries.unsure_points``), when asked for

    def rows(self) -> pd.DataFrame:
        """The facts and, when shown, the unsure points (marked ``unsure``): the chart's table and CSV."""
        if self.unsure is None or self.unsure.empty:
            return self.facts
        return pd.concat([self.facts.assign(unsure=False), self.unsure], ignore_index=True)


def indicator_meta(db: str | Path, keys: list[str]) -> pd.DataFrame:
    """key, name_zh, name_en, unit, theme_zh of ``keys``, in the order given."""
    return queries.indicator_meta(db, keys)


def _safe(text: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in text)


def compare_chart(db: str | Path, p: CompareParams) -> Chart:
    """The compare page's chart for parameters ``p`` (what its callback does, minus the wiring)."""
    meta = indicator_meta(db, [p.indicator])
    ind = meta.iloc[0].to_dict() if not meta.empty else {"key": p.indicator, "unit": ""}
    df = queries.facts(db, [p.indicator], p.regions, p.year_from, p.year_to)
    alts = (
        queries.alternatives(db, [p.indicator], p.regions, p.year_from, p.year_to)
        if df.conflict.any()
        else df.iloc[0:0]
    )
    unsure = queries.unsure_points(db, [p.indicator], p.regions, p.year_from, p.year_to) if p.unsure else None
    if not p.regions:
        fig = figures.message_figure(t("no_regions", p.lang), p.lang)
    else:
        fig = figures.compare_figure(
            df, alts, indicator=ind, mode=p.mode, lang=p.lang, year_from=p.year_from, year_to=p.year_to,
            unsure=unsure,
        )
    name = ind.get("name_en" if p.lang == "en" else "name_zh") or p.indicator
    shown = queries.region_names(db, p.regions)
    filename = _safe(f"{name}_{'_'.join(shown.get(c, c) for c in p.regions)}_{p.year_from}-{p.year_to}")
    return Chart(df, alts, fig, filename, meta, unsure)


def view_chart(db: str | Path, view: View, lang: str = "zh") -> Chart:
    """A ready-made view: the view's indicators for its region, one panel per unit."""
    meta = indicator_meta(db, list(view.indicators))
    df = queries.facts(db, list(view.indicators), [view.code], view.year_from, view.year_to)
    alts = (
        queries.alternatives(db, list(view.indicators), [view.code], view.year_from, view.year_to)
        if df.conflict.any()
        else df.iloc[0:0]
    )
    years = f"{view.year_from}–{view.year_to}" + ("" if lang == "en" else "年")
    fig = figures.view_figure(
        df, alts, indicators=meta, title=view.title(lang), subtitle=f"{view.region} · {years}", lang=lang
    )
    return Chart(df, alts, fig, _safe(view.title(lang).replace(" ", "")), meta)


def chart_for(db: str | Path, p: CompareParams | ViewParams) -> Chart:
    """The chart of an export request."""
    return view_chart(db, p.view, p.lang) if isinstance(p, ViewParams) else compare_chart(db, p)
