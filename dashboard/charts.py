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
    latest_only: bool = False  # the table and downloads keep each place's latest value (``latest=1``)

    def rows(self) -> pd.DataFrame:
        """The facts and, when shown, the unsure points (marked ``unsure``): the chart's table and CSV; with
        ``latest_only``, each place's latest value (a fact before an unsure reading), marked ``latest``."""
        if self.unsure is None or self.unsure.empty:
            rows = self.facts
        else:
            rows = pd.concat([self.facts.assign(unsure=False), self.unsure], ignore_index=True)
        if not self.latest_only:
            return rows
        order = ["region_code", "year"] + (["unsure"] if "unsure" in rows else [])
        newest = rows.sort_values(order, ascending=[True, False] + [True] * (len(order) - 2))
        newest = newest.drop_duplicates("region_code").assign(latest=True)
        return newest.sort_values(["region_order", "region_code"]).reset_index(drop=True)


def indicator_meta(db: str | Path, keys: list[str]) -> pd.DataFrame:
    """key, name_zh, name_en, unit, theme_zh of ``keys``, in the order given."""
    return queries.indicator_meta(db, keys)


def safe_name(text: str) -> str:
    """A file name without the characters Windows refuses."""
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
    if p.mode == "slope":  # only the two end years, drawn side by side
        ends = {p.year_from, p.year_to}
        df, alts = df[df.year.isin(ends)], alts[alts.year.isin(ends)]
        unsure = unsure[unsure.year.isin(ends)] if unsure is not None else None
    if not p.regions:
        fig = figures.message_figure(t("no_regions", p.lang), p.lang)
    else:
        fig = figures.compare_figure(
            df, alts, indicator=ind, mode="abs" if p.mode == "slope" else p.mode, lang=p.lang, year_from=p.year_from,
            year_to=p.year_to, unsure=unsure,
        )
        if p.mode == "slope":
            fig.update_xaxes(type="category", categoryorder="array", categoryarray=sorted(ends))
        if p.scale == "log" and p.mode != "change":  # a change can be negative: no log axis for it
            fig.update_yaxes(type="log")
    name = ind.get("name_en" if p.lang == "en" else "name_zh") or p.indicator
    shown = queries.region_names(db, p.regions)
    filename = safe_name(f"{name}_{'_'.join(shown.get(c, c) for c in p.regions)}_{p.year_from}-{p.year_to}")
    return Chart(df, alts, fig, filename, meta, unsure, p.latest)


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
    return Chart(df, alts, fig, safe_name(view.title(lang).replace(" ", "")), meta)


def chart_for(db: str | Path, p: CompareParams | ViewParams) -> Chart:
    """The chart (or map) of an export request."""
    if isinstance(p, ViewParams):
        return view_chart(db, p.view, p.lang)
    if p.view == "map":
        from dashboard import maps  # maps builds on Chart

        return maps.map_view(db, p)
    return compare_chart(db, p)
