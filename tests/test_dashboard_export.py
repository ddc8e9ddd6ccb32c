"""Exports: CSV bytes (BOM, Chinese header, neutralised formulas), PNG bytes (signature, 1200x675),
and the /export.csv and /export.png routes with their HTTP 400 on bad parameters."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from dashboard import charts, export, figures
from dashboard.params import CompareParams

ZZ, JS = "4101", "32"  # 郑州市, 江苏省 by code
HEADER = ["地区", "区划代码", "年份", "指标代码", "指标", "数值", "单位", "限定", "核实状态", "文件", "日期",
          "原文句子", "备注"]
needs_chromium = pytest.mark.skipif(export.chromium_path() is None, reason="chromium is not installed")


def rows_of(data: bytes) -> list[list[str]]:
    assert data.startswith(export.BOM)
    return list(csv.reader(io.StringIO(data[len(export.BOM):].decode("utf-8"))))


def chart(db, indicator="poor_population", regions=(ZZ, JS), lang="zh"):
    return charts.compare_chart(db, CompareParams(indicator, regions, 2013, 2022, "abs", lang))


def test_csv_starts_with_the_bom_and_has_the_chinese_header(dash_db):
    c = chart(dash_db)
    rows = rows_of(export.csv_bytes(c.facts, c.alternatives))
    assert rows[0] == HEADER
    assert rows[1][:10] == ["郑州市", ZZ, "2013", "poor_population", "建档立卡贫困人口", "96467", "人", "精确",
                            "机器识别", "荒山远村花灿灿 脱贫春风拂笑颜"]
    assert "96467 人" in rows[1][11]
    assert "文件间不一致" in rows[1][12] and "郑州市扶贫工作总结（测试用）" in rows[1][12]
    assert [r[5] for r in rows[1:]] == ["96467", "2770000", "2542114"]
    assert [r[1] for r in rows[1:]] == [ZZ, JS, JS]


def test_csv_marks_qualifiers(dash_db):
    c = chart(dash_db, "lifted_population_annual", (JS,))
    assert rows_of(export.csv_bytes(c.facts, c.alternatives))[1][5:8] == ["551500", "人", "约数"]


def test_csv_in_english(dash_db):
    c = chart(dash_db, lang="en")
    assert rows_of(export.csv_bytes(c.facts, c.alternatives, "en"))[0][:6] == [
        "region", "region_code", "year", "indicator_key", "indicator", "value"]


@pytest.mark.parametrize("cell,expected", [
    ("=1+1", "'=1+1"),
    ("+8613800000000", "'+8613800000000"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'\t=cmd"),
    ("郑州市", "郑州市"),
    ("2013年", "2013年"),
    (-5, -5),
    (96467, 96467),
])
def test_neutralise(cell, expected):
    assert export.neutralise(cell) == expected


def test_formula_cells_are_neutralised_in_the_file(dash_db):
    c = chart(dash_db)
    facts = c.facts.copy()
    facts.loc[0, "sentence"] = '=HYPERLINK("http://evil","点我")'
    facts.loc[0, "doc_title"] = "@cmd"
    row = rows_of(export.csv_bytes(facts, c.alternatives))[1]
    assert row[11] == '\'=HYPERLINK("http://evil","点我")' and row[9] == "'@cmd"


@needs_chromium
def test_png_has_the_signature_and_slide_size(dash_db):
    data = export.png_bytes(chart(dash_db).figure)
    assert data.startswith(export.PNG_SIGNATURE)
    assert export.png_size(data) == (1200, 675)


def test_a_cjk_font_is_installed_for_the_png():
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig is not installed")
    fonts = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True).stdout
    assert any(name in fonts for name in ("Noto Sans CJK SC", "WenQuanYi Micro Hei")), \
        "no CJK font: every Chinese character in the PNG would be a box (apt-get install fonts-noto-cjk)"
    assert figures.FONT_FAMILY.startswith("Noto Sans CJK SC")


# --- routes -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(dash_db):
    from dashboard.app import create_app

    return create_app(dash_db).server.test_client()


def q(**params) -> str:
    return "&".join(f"{k}={quote(str(v))}" for k, v in params.items())


def test_export_csv_route(client):
    r = client.get("/export.csv?" + q(indicator="poor_population", regions="郑州市,江苏省",
                                      **{"from": 2013, "to": 2022}))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert rows_of(r.data)[0] == HEADER and len(rows_of(r.data)) == 4
    name = quote("建档立卡贫困人口_郑州市_江苏省_2013-2022.csv")
    assert "filename*=UTF-8''" + name in r.headers["Content-Disposition"]


def test_export_csv_route_takes_codes(client):
    by_code = client.get("/export.csv?" + q(indicator="poor_population", regions="4101,32",
                                            **{"from": 2013, "to": 2022}))
    by_name = client.get("/export.csv?" + q(indicator="poor_population", regions="郑州市,江苏省",
                                            **{"from": 2013, "to": 2022}))
    assert by_code.status_code == 200 and by_code.data == by_name.data
    assert client.get("/export.png?" + q(indicator="poor_population", regions="999999")).status_code == 400


def test_export_csv_of_a_view(client):
    r = client.get("/export.csv?view=zhengzhou")
    assert r.status_code == 200
    assert {row[3] for row in rows_of(r.data)[1:]} >= {"poor_households", "lifted_households",
                                                     "monitored_households"}


@pytest.mark.parametrize("query,zh,en", [
    (q(indicator="nope", regions="郑州市"), "未知指标“nope”", "unknown indicator 'nope'"),
    (q(indicator="poor_population", regions="火星"), "未知地区“火星”", "unknown region(s): 火星"),
    (q(indicator="poor_population", regions="郑州市", **{"from": 2022, "to": 2013}),
     "起始年份 2022 晚于结束年份 2013", "from year 2022 is after to year 2013"),
    (q(indicator="poor_population"), "缺少参数 regions", "missing parameter: regions"),
    (q(view="mars"), "未知视图“mars”", "unknown view 'mars'"),
    (q(indicator="poor_population", regions="鼓楼区"), "南京市鼓楼区 (320106)", "福州市鼓楼区 (350102)"),
])
@pytest.mark.parametrize("route", ["/export.csv", "/export.png"])
def test_bad_parameters_are_a_400_in_chinese_and_english(client, route, query, zh, en):
    r = client.get(f"{route}?{query}")
    assert r.status_code == 400
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = r.data.decode("utf-8")
    assert zh in text and en in text and "Traceback" not in text


@needs_chromium
def test_export_png_route(client):
    r = client.get("/export.png?" + q(indicator="lifted_households", regions="郑州市"))
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert export.png_size(r.data) == (1200, 675)
    assert ".png" in r.headers["Content-Disposition"]


def test_export_routes_report_a_missing_database(tmp_path):
    from dashboard.app import create_app

    app = create_app(tmp_path / "gone.duckdb")
    r = app.server.test_client().get("/export.csv?" + q(indicator="poor_population", regions="郑州市"))
    assert r.status_code == 503 and "make build" in r.data.decode("utf-8")


def test_page_layouts_render_without_a_browser(dash_db):
    """Every page's layout function builds (the browser tests check they also run)."""
    from dashboard.app import create_app

    app = create_app(dash_db)
    import dash

    with app.server.test_request_context("/"):
        for page in dash.page_registry.values():
            assert page["layout"]() is not None
        layout = dash.page_registry["dashboard.pages.compare"]["layout"](indicator="nope", regions="火星")
        assert "未知指标" in str(layout) and "未知地区" in str(layout)


def teardown_module():
    export.stop_png_server()


assert Path(__file__).name.startswith("test_dashboard_")


@needs_chromium
def test_concurrent_png_exports_each_get_their_own_image(dash_db):
    """The persistent kaleido server mixed up concurrent callers (DASH-NOTES); the lock prevents it."""
    from concurrent.futures import ThreadPoolExecutor

    indicators = ("poor_population", "lifted_households", "poor_villages")
    figs = [chart(dash_db, ind, (ZZ, JS)).figure for ind in indicators]
    reference = [export.png_bytes(f) for f in figs]
    assert len(set(reference)) == 3
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda n: (n, export.png_bytes(figs[n])), [0, 1, 2] * 3))
    assert all(png == reference[n] for n, png in results)


def test_pages_take_a_region_by_code_or_by_name(dash_db):
    """/overview?region=… and /compare?regions=… by code or name; a shared name asks which one."""
    import dash

    from dashboard.app import create_app

    app = create_app(dash_db)
    with app.server.test_request_context("/"):
        overview = dash.page_registry["dashboard.pages.overview"]["layout"]
        assert "value='4101'" in str(overview(region="郑州市")) and "value='4101'" in str(overview(region="4101"))
        assert "未知地区“火星”" in str(overview(region="火星"))
        compare = dash.page_registry["dashboard.pages.compare"]["layout"]
        shared = str(compare(indicator="poor_population", regions="鼓楼区"))
        assert "是多个地区的名称" in shared and "regions=320106" in shared and "regions=350102" in shared
