"""dashboard.figures: DataFrames in, go.Figure out (no browser)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard import charts, figures, queries
from dashboard.params import CompareParams
from dashboard.views import VIEWS

ZZ, JS = "4101", "32"  # regions are passed by code
NAMES = {ZZ: "郑州市", JS: "江苏省"}  # and shown by name


@pytest.fixture(autouse=True)
def validated_figures(monkeypatch):
    """Build every figure here with plotly.py's validation on: an invalid property fails the test."""
    monkeypatch.setattr(figures, "VALIDATE", True)


def compare(db, indicator, regions, y0=2013, y1=2022, mode="abs", lang="zh"):
    return charts.compare_chart(db, CompareParams(indicator, tuple(regions), y0, y1, mode, lang)).figure


def data_traces(fig, name=None):
    return [tr for tr in fig.data
            if tr.x is not None and tr.x[0] is not None and (name is None or tr.name == NAMES.get(name, name))]


def test_a_series_is_a_line_chart_with_one_line_per_region(dash_db):
    fig = compare(dash_db, "poor_population", [ZZ, JS])
    assert fig.layout.meta["kind"] == "line"
    lines = [tr for tr in data_traces(fig) if tr.type == "scatter" and tr.mode.startswith("lines")]
    assert [tr.name for tr in lines] == ["郑州市", "江苏省"]
    assert list(lines[1].x) == [2016, 2019]
    assert list(lines[1].y) == pytest.approx([277, 254.2114])  # in 万人
    assert list(lines[1].customdata[0][:3]) == [JS, 2016, "poor_population"]


def test_title_axis_and_source_line_are_chinese_with_units(dash_db):
    fig = compare(dash_db, "poor_population", [ZZ, JS])
    assert fig.layout.title.text == "建档立卡贫困人口（万人）"
    assert fig.layout.yaxis.title.text == "建档立卡贫困人口（万人）"
    assert fig.layout.xaxis.title.text == "年份"
    source = fig.layout.annotations[0].text
    assert source.startswith("来源：") and "郑州日报《荒山远村花灿灿 脱贫春风拂笑颜》（2019）" in source
    assert "《关于脱贫攻坚工作进展情况的报告》（2020-03-26）" in source
    assert "Noto Sans CJK SC" in fig.layout.font.family


def test_a_snapshot_is_a_grouped_bar_chart(dash_db):
    fig = compare(dash_db, "lifted_population_annual", [JS])
    assert fig.layout.meta["kind"] == "bar" and fig.layout.barmode == "group"
    bar = data_traces(fig, JS)[0]
    assert bar.type == "bar" and list(bar.x) == ["2019"]


def test_approximate_and_bounded_values_are_marked(dash_db):
    bar = data_traces(compare(dash_db, "lifted_population_annual", [JS]), JS)[0]
    assert bar.text == ("约55.15万人",) and bar.marker.pattern.shape == ("/",)
    bar = data_traces(compare(dash_db, "poverty_exit_rate", [JS]), JS)[0]
    assert bar.text == ("99.99%以上",)
    legend = [tr.name for tr in compare(dash_db, "lifted_population_annual", [JS]).data if tr.x[0] is None]
    assert legend == ["约数"]


def test_a_line_marks_approximate_points_with_an_open_symbol(dash_db):
    df = queries.facts(dash_db, ["poor_population"], [JS], 2013, 2022)
    df.loc[df.year == 2019, "qualifier"] = "approx"
    fig = figures.compare_figure(df, None, indicator={"name_zh": "建档立卡贫困人口", "unit": "person"})
    line = data_traces(fig, JS)[0]
    assert list(line.marker.symbol) == ["circle", "circle-open"]
    assert line.text[1].startswith("约")


def test_a_conflict_shows_both_values_instead_of_averaging(dash_db):
    fig = compare(dash_db, "poor_population", [ZZ, JS])
    line = data_traces(fig, ZZ)[0]
    assert list(line.y) == pytest.approx([9.6467])  # the chosen value, not a mean
    assert line.marker.line.color[0] == figures.CONFLICT_COLOR
    other = [tr for tr in data_traces(fig) if tr.marker.symbol == "x"]
    assert len(other) == 1 and list(other[0].y) == pytest.approx([9.8])
    assert "另一文件的数值" in other[0].hovertext[0]
    assert "郑州市扶贫工作总结（测试用）" in fig.layout.annotations[0].text  # both documents are named


def test_change_since_first_year(dash_db):
    fig = compare(dash_db, "poor_population", [JS], mode="change")
    line = data_traces(fig, JS)[0]
    assert list(line.y) == pytest.approx([0, -22.7886])
    assert fig.layout.yaxis.title.text == "较2016年变化（万人）"
    assert line.text[1] == "-22.79万人"


def test_english(dash_db):
    fig = compare(dash_db, "poor_population", [JS], lang="en")
    assert fig.layout.title.text == "Registered poor population (million persons)"
    assert fig.layout.annotations[0].text.startswith("Source: ")


def test_no_data_says_so(dash_db):
    fig = compare(dash_db, "poor_population", [JS], 2020, 2022)
    assert fig.layout.meta["kind"] == "message"
    assert fig.layout.annotations[0].text == "所选范围内没有数据。"
    fig = compare(dash_db, "poor_population", [], 2013, 2022)
    assert fig.layout.annotations[0].text in ("请至少选择一个地区。", "所选范围内没有数据。")


@pytest.mark.parametrize("view,units,indicators", [
    ("zhengzhou", ["count", "household", "person"],
     {"poor_villages", "villages_exited_poverty", "poor_households", "lifted_households",
      "remaining_poor_households", "monitored_households", "poor_population", "lifted_population",
      "remaining_poor_population"}),
    ("jiangsu", ["person", "household", "count", "percent"],
     {"poor_population", "lifted_population", "lifted_population_annual", "remaining_poor_population",
      "remaining_poor_households", "weak_villages", "poverty_exit_rate"}),
])
def test_views_put_one_panel_per_unit(dash_db, view, units, indicators):
    chart = charts.view_chart(dash_db, VIEWS[view])
    fig = chart.figure
    assert fig.layout.meta["kind"] == "view" and fig.layout.meta["units"] == units
    bars = [tr for tr in fig.data if tr.type == "bar" and tr.x[0] is not None]
    assert {tr.customdata[0][2] for tr in bars} == indicators
    assert fig.layout.title.text == VIEWS[view].title_zh
    assert len({tr.xaxis for tr in bars}) == len(units)


def test_jiangsu_view_shows_the_remaining_six_households_and_17_persons(dash_db):
    fig = charts.view_chart(dash_db, VIEWS["jiangsu"]).figure
    by_indicator = {tr.customdata[0][2]: tr for tr in fig.data if tr.type == "bar" and tr.x[0] is not None}
    assert by_indicator["remaining_poor_households"].text == ("6",)
    assert by_indicator["remaining_poor_population"].text == ("17",)
    assert by_indicator["lifted_population_annual"].text == ("约55.15<br>万",)  # four bars in 2019: stacked


def test_view_bars_of_a_year_sit_side_by_side_without_empty_slots():
    part = pd.DataFrame({"year": [2022, 2022, 2019], "indicator": ["a", "b", "a"]})
    slots = figures._slots(part, {"a": 0, "b": 1})
    assert slots[(2019, "a")][0] == pytest.approx(0)  # alone: centred on its year
    assert slots[(2022, "a")][0] < 1 < slots[(2022, "b")][0]


def test_source_lines_wrap_at_semicolons():
    lines = figures.wrap("来源：" + "；".join(["郑州日报《" + "很长的标题" * 6 + "》（2019）"] * 4))
    assert len(lines) > 1 and all(figures._width(x) <= figures.SOURCE_WRAP for x in lines)


def test_toolbar_download_is_a_slide_sized_png_in_chinese():
    name = "建档立卡贫困人口_郑州市_2013-2022"
    config = figures.chart_config(name)
    assert config["locale"] == "zh-CN"
    assert config["toImageButtonOptions"] == {"format": "png", "filename": name, "width": 1200, "height": 675,
                                              "scale": 1}


@pytest.mark.parametrize("indicator,regions,mode", [
    ("poor_population", (ZZ, JS), "abs"),
    ("poor_population", (JS,), "change"),
    ("lifted_population_annual", (JS,), "abs"),
])
def test_the_fast_unvalidated_figure_equals_the_validated_one(dash_db, monkeypatch, indicator, regions, mode):
    validated = json.loads(compare(dash_db, indicator, regions, mode=mode).to_json())
    monkeypatch.setattr(figures, "VALIDATE", False)
    fast = json.loads(compare(dash_db, indicator, regions, mode=mode).to_json())
    # the validating path fills the empty template with a no-op default ({"scatter": [{"type": "scatter"}]})
    assert fast["layout"].pop("template") == {}
    validated["layout"].pop("template")
    assert fast == validated


def test_a_figure_with_a_rate_says_so_on_the_chart(tmp_path):
    from etl.storage.build import build

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("郑州市民政局\n2021-06-01\n2020年,全市农村低保标准为每人每月400元。", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    build(docs, db)
    fig = compare(db, "rural_dibao_standard", [ZZ], 2020, 2020)
    points = data_traces(fig, ZZ)[0]
    assert points.text[0] == "400元/人/月" and "400元/人/月" in points.hovertext[0]
    queries.close_all()
