"""The dashboard in real headless Chromium (Playwright, Debian's /usr/bin/chromium) against a server
on a free 127.0.0.1 port over the fixture database. Screenshots go to /tmp/shots/ (not the repo)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from dashboard import export, queries

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots")
ZZ_JS = quote("郑州市,江苏省", safe=",")
COMPARE = f"/compare?indicator=poor_population&regions={ZZ_JS}&from=2013&to=2022"
CSV_HEADER = "地区,区划代码,年份,指标代码,指标,数值,单位,限定,核实状态,文件,日期,原文句子,备注"


def state(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_page(page, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(ready, timeout=15000)


def graph_title(page, graph: str) -> str:
    return page.text_content(f"{graph} .gtitle") or ""


def wait_title(page, graph: str, text: str) -> None:
    page.wait_for_function("([g, t]) => { const e = document.querySelector(g + ' .gtitle');"
                           " return e && e.textContent.includes(t); }", arg=[graph, text], timeout=10000)


def click_mark(page, selector: str, n: int = 0) -> None:
    """Click the centre of a plotted point or bar (plotly listens on the layer above it)."""
    box = page.locator(selector).nth(n).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def choose(page, dropdown: str, search: str, option: str) -> None:
    page.click(dropdown)
    page.fill(".dash-dropdown-search", search)
    page.click(f".dash-dropdown-option:has-text('{option}')")


def claim_of(db, region, year, indicator):
    return queries.point_claims(db, region, year, indicator).iloc[0]


def pages(db) -> list[tuple[str, str, str]]:
    c = claim_of(db, "4101", 2013, "poor_population")  # 郑州市
    return [
        ("home", "/", "#home-stats"),
        ("overview", "/overview", "#overview-card-poor_population"),
        ("compare", COMPARE, "#compare-graph .scatterlayer .point"),
        ("view-zhengzhou", "/view/zhengzhou", "#view-graph .barlayer .point"),
        ("view-jiangsu", "/view/jiangsu", "#view-graph .barlayer .point"),
        ("data", "/data", "#data-grid .ag-row"),
        ("document", f"/document?doc={c.doc_id}&claim={c.claim_id}", "mark.claim-selected"),
        ("compare-en", COMPARE + "&lang=en", "#compare-graph .scatterlayer .point"),
        ("checks", "/checks", "#checks-count:has-text('条')"),
        ("data-en", "/data?lang=en", "#data-grid .ag-row"),
    ]


@pytest.mark.parametrize("name", ["home", "overview", "compare", "view-zhengzhou", "view-jiangsu", "data",
                                  "document", "compare-en", "checks", "data-en"])
def test_each_page_loads_without_console_errors(dash_server, dash_db, page, name):
    _, path, ready = next(p for p in pages(dash_db) if p[0] == name)
    open_page(page, dash_server + path, ready)
    page.wait_for_load_state("networkidle")
    shot(page, name)
    assert page.console_errors == []
    assert "Traceback" not in page.content()


def test_changing_the_indicator_redraws_the_chart_and_updates_the_url(dash_server, page):
    open_page(page, dash_server + COMPARE, "#compare-graph .scatterlayer .point")
    assert graph_title(page, "#compare-graph").startswith("建档立卡贫困人口")
    choose(page, "#compare-indicator", "脱贫户数", "脱贫户数")
    wait_title(page, "#compare-graph", "脱贫户数")
    page.wait_for_url(re.compile(r"indicator=lifted_households"))
    assert state(page.url)["regions"] == ["4101,32"]  # the page writes codes (郑州市, 江苏省)
    assert page.get_attribute("#compare-csv", "href").startswith("/export.csv?indicator=lifted_households")
    page.go_back()  # the previous state comes back from the URL
    wait_title(page, "#compare-graph", "建档立卡贫困人口")
    assert state(page.url)["indicator"] == ["poor_population"]
    assert page.console_errors == []


def test_changing_regions_years_and_mode_updates_the_url(dash_server, page):
    open_page(page, dash_server + COMPARE, "#compare-graph .scatterlayer .point")
    page.click("#compare-regions")
    page.click(".dash-dropdown-option:has-text('江苏省')")  # deselect
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: state(url).get("regions") == ["4101"])
    page.wait_for_function("() => !document.querySelector('#compare-graph .gtitle')"
                           " || document.querySelectorAll('#compare-graph .legendtext').length < 3")
    page.click("#compare-mode label:has-text('较首年变化')")
    page.wait_for_url(lambda url: state(url).get("mode") == ["change"])
    slider = page.locator("#compare-years [role=slider]").first
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(lambda url: state(url).get("from") == ["2014"])
    assert state(page.url)["to"] == ["2022"]
    assert page.console_errors == []


def test_a_shared_url_restores_the_state(dash_server, page):
    url = (f"{dash_server}/compare?indicator=lifted_households&regions={quote('郑州市')}"
           "&from=2015&to=2022&mode=change")
    open_page(page, url, "#compare-graph .scatterlayer .point")
    wait_title(page, "#compare-graph", "脱贫户数")
    assert page.inner_text("#compare-indicator") == "脱贫户数"
    assert page.inner_text("#compare-regions").startswith("郑州市")
    assert page.is_checked("#compare-mode input[value=change]")
    assert "较2018年变化" in page.text_content("#compare-graph .g-ytitle")
    assert state(page.url) == {"indicator": ["lifted_households"], "regions": ["4101"], "from": ["2015"],
                               "to": ["2022"], "mode": ["change"]}
    assert page.console_errors == []


def test_clicking_a_point_shows_its_sentence_and_document(dash_server, page):
    open_page(page, dash_server + COMPARE, "#compare-graph .scatterlayer .point")
    click_mark(page, "#compare-graph .scatterlayer .trace:first-child .point")  # 郑州市 2013
    page.wait_for_selector("#compare-source .claim-item")
    panel = page.inner_text("#compare-source")
    assert "截至2013年底,全市共有建档立卡贫困村181个、建档立卡贫困人口 26180 户 96467 人。" in panel
    assert "荒山远村花灿灿 脱贫春风拂笑颜" in panel and "郑州日报" in panel and "2019" in panel
    assert "郑州市扶贫工作总结（测试用）" in panel  # the disagreeing document is shown too
    assert page.inner_text("#compare-source mark") == "96467 人"
    shot(page, "compare-clicked")
    page.click("#compare-source .claim-item:first-child a:has-text('打开文件')")
    page.wait_for_selector("mark.claim-selected")
    assert page.inner_text("mark.claim-selected") == "96467 人"
    assert page.console_errors == []


def test_clicking_a_bar_in_a_view_shows_its_sentence(dash_server, page):
    open_page(page, dash_server + "/view/jiangsu", "#view-graph .barlayer .point")
    bars = page.locator("#view-graph .barlayer .point")
    for n in range(bars.count()):  # the 6 households bar
        box = bars.nth(n).bounding_box()
        if box and box["height"] > 20:
            click_mark(page, "#view-graph .barlayer .point", n)
            break
    page.wait_for_selector("#view-source .claim-item")
    assert "关于脱贫攻坚工作进展情况的报告" in page.inner_text("#view-source")
    assert page.console_errors == []


def test_csv_and_png_downloads(dash_server, page):
    open_page(page, dash_server + COMPARE, "#compare-graph .scatterlayer .point")
    with page.expect_download() as d:
        page.click("#compare-csv")
    csv = Path(d.value.path()).read_bytes()
    assert d.value.suggested_filename == "建档立卡贫困人口_郑州市_江苏省_2013-2022.csv"
    assert csv.startswith(b"\xef\xbb\xbf")
    assert csv[3:].decode("utf-8").splitlines()[0] == CSV_HEADER
    with page.expect_download(timeout=30000) as d:
        page.click("#compare-png")
    png = Path(d.value.path()).read_bytes()
    assert d.value.suggested_filename.endswith(".png")
    assert export.png_size(png) == (1200, 675)
    (SHOTS / "export-compare.png").write_bytes(png)
    page.hover("#compare-graph .plot-container")  # the chart's own toolbar: PNG with the source line inside
    with page.expect_download() as d:
        page.click("#compare-graph .modebar-btn[data-title='下载图表为PNG格式']")
    toolbar = Path(d.value.path()).read_bytes()
    assert d.value.suggested_filename == "建档立卡贫困人口_郑州市_江苏省_2013-2022.png"
    assert export.png_size(toolbar) == (1200, 675)
    (SHOTS / "toolbar-compare.png").write_bytes(toolbar)
    assert page.console_errors == []


def test_a_bad_parameter_gives_a_message_not_a_blank_chart(dash_server, page):
    bad = "/compare?indicator=nope&regions=火星&from=2022&to=2013"
    open_page(page, dash_server + bad, "#compare-error li")
    text = page.inner_text("#compare-error")
    assert "未知指标“nope”" in text and "未知地区“火星”" in text and "起始年份 2022 晚于结束年份 2013" in text
    page.wait_for_selector("#compare-graph .scatterlayer .point")  # a chart of the valid state below it
    shot(page, "compare-bad-parameter")
    assert page.console_errors == []


def test_the_language_toggle_keeps_the_state(dash_server, page):
    open_page(page, dash_server + COMPARE, "#compare-graph .scatterlayer .point")
    choose(page, "#compare-indicator", "脱贫户数", "脱贫户数")
    page.wait_for_url(re.compile(r"indicator=lifted_households"))
    page.click("a.lang-toggle")
    page.wait_for_url(re.compile(r"lang=en"))
    wait_title(page, "#compare-graph", "Households lifted out of poverty")
    assert page.inner_text("a.lang-toggle") == "中文"
    assert state(page.url)["indicator"] == ["lifted_households"]
    assert page.console_errors == []


def test_from_a_claim_to_its_chart_and_back(dash_server, dash_db, page):
    open_page(page, dash_server + "/data?indicator=poor_villages", "#data-grid .ag-row")
    assert page.locator("#data-grid .ag-center-cols-container .ag-row").count() == 1
    page.click("#data-grid .ag-row a:has-text('看图表')")
    page.wait_for_url(re.compile(r"/compare\?indicator=poor_villages"))
    page.wait_for_selector("#compare-graph .barlayer .point")
    click_mark(page, "#compare-graph .barlayer .point")
    page.wait_for_selector("#compare-source .claim-item")
    page.click("#compare-source a:has-text('打开文件')")
    page.wait_for_selector("mark.claim-selected")
    assert page.inner_text("mark.claim-selected") == "181个"
    assert page.console_errors == []


def test_a_shared_name_lists_its_candidates_and_a_code_restores_the_chart(dash_server, page):
    open_page(page, dash_server + f"/compare?indicator=poor_population&regions={quote('鼓楼区')}",
              "#compare-error li")
    text = page.inner_text("#compare-error")
    assert "“鼓楼区”是多个地区的名称" in text
    for candidate in ("南京市鼓楼区 (320106)", "徐州市鼓楼区 (320302)", "福州市鼓楼区 (350102)",
                      "开封市鼓楼区 (410204)"):
        assert candidate in text
    # the page's callback fills the message after the layout's error list: wait for it
    page.wait_for_function("() => document.querySelector('#compare-message').innerText === '请至少选择一个地区。'")
    assert page.inner_text("#compare-message") == "请至少选择一个地区。"  # nothing charted for a guess
    assert page.locator("#compare-graph .scatterlayer .point").count() == 0
    assert state(page.url)["regions"] == ["鼓楼区"]  # the link keeps what it asked
    shot(page, "compare-shared-name")
    open_page(page, dash_server + "/compare?indicator=poor_population&regions=4101,32",
              "#compare-graph .scatterlayer .point")
    assert page.inner_text("#compare-error") == ""
    assert [t.strip() for t in page.locator("#compare-graph .legendtext").all_text_contents()][:2] == ["郑州市",
                                                                                                    "江苏省"]
    page.click("#compare-regions")  # the picker: each place with its parent, found by code too
    page.fill(".dash-dropdown-search", "4101")
    assert page.locator(".dash-dropdown-option").first.inner_text().strip() == "郑州市 · 河南省"
    assert page.console_errors == []


def test_a_candidate_link_opens_its_chart(dash_server, page):
    open_page(page, dash_server + f"/compare?indicator=poor_population&regions={quote('鼓楼区')},32",
              "#compare-error li")
    page.wait_for_selector("#compare-graph .scatterlayer .point")  # 江苏省 is charted, 鼓楼区 asks
    page.click("#compare-error a[data-code='320106']")
    page.wait_for_url(lambda url: state(url).get("regions") == ["32,320106"])
    page.wait_for_selector("#compare-graph .scatterlayer .point")
    assert page.inner_text("#compare-error") == ""
    assert page.console_errors == []
