"""A spreadsheet in real headless Chromium (Playwright, Debian's /usr/bin/chromium): a user uploads an .xlsx of
六安市's counties (their 脱贫人口 in 2019 and 2020; figures made up for this test) on the data page, the compare
page charts those counties, and clicking a point, then its 打开文件 link, opens the document page with the
spreadsheet's table drawn as a table and the clicked figure's row marked and scrolled into view."""
from __future__ import annotations

import io
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import serve_dashboard

from dashboard import queries

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAME = "六安市各县区脱贫人口情况表.xlsx"
COUNTIES = {  # county -> (region code, 脱贫人口 2019, 2020)
    "金寨县": ("341524", 21350, 23800),
    "霍邱县": ("341522", 18420, 20110),
    "舒城县": ("341523", 12960, 15230),
    "霍山县": ("341525", 8840, 9615),
}


def workbook() -> bytes:
    """The upload: a title, a unit line, a two-row header (脱贫人口 merged over the years), one row a county."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2020年"
    ws.append(["六安市各县区脱贫人口情况表"])
    ws.append(["单位：人"])
    ws.append(["县区", "脱贫人口", None])
    ws.append([None, "2019年", "2020年"])
    ws.merge_cells("B3:C3")
    ws.merge_cells("A3:A4")
    for county, (_, y2019, y2020) in COUNTIES.items():
        ws.append([county, y2019, y2020])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory, seeds_db):
    """The dashboard over a writable copy of the seeds database, its documents folder beside it."""
    db = tmp_path_factory.mktemp("sheets") / "data" / "poverty.duckdb"
    db.parent.mkdir()
    shutil.copy(seeds_db, db)
    with serve_dashboard(db, db.parent / "server.log", env={"POVERTY_STORE": str(db.parent / "documents")}) as url:
        yield url
    queries.close_all()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def point_of(page, code: str, year: int) -> tuple[int, int]:
    """(trace, point) index of the chart point of region ``code`` in ``year`` (customdata = [code, year, …])."""
    found = page.evaluate(
        "([code, year]) => { const gd = document.querySelector('#compare-graph .js-plotly-plot');"
        " for (let i = 0; i < gd.data.length; i++) { const cd = gd.data[i].customdata || [];"
        "  for (let k = 0; k < cd.length; k++) { if (cd[k] && cd[k][0] === code && Number(cd[k][1]) === year)"
        "   { return [i, k]; } } } return null; }", [code, year])
    assert found, f"no point for {code} {year}"
    return found[0], found[1]


def test_an_uploaded_spreadsheet_is_charted_and_a_point_opens_its_row(server, page):
    page.goto(server + "/data")
    page.wait_for_selector("#data-grid .ag-row", timeout=15000)
    page.click("#data-upload-panel summary")
    upload = page.locator("#data-upload input[type=file]")
    assert ".xlsx" in upload.get_attribute("accept").split(",")
    assert ".xlsx" in page.inner_text("#data-upload-panel")  # the formats line says so
    upload.set_input_files(files=[{"name": NAME, "mimeType": XLSX, "buffer": workbook()}])
    page.wait_for_selector("#data-upload-result .added li", timeout=60000)
    result = page.inner_text("#data-upload-result")
    assert NAME in result and "已处理 1/1 份文件" in result, result

    regions = quote(",".join(COUNTIES), safe=",")
    page.goto(f"{server}/compare?indicator=lifted_population&regions={regions}&from=2019&to=2020")
    page.wait_for_selector("#compare-graph .scatterlayer .point", timeout=20000)
    legend = page.locator("#compare-graph .legendtext").all_text_contents()
    assert all(any(county in entry for entry in legend) for county in COUNTIES), legend
    shot(page, "sheet-compare")

    code, _, shown = COUNTIES["霍山县"]
    trace, point = point_of(page, code, 2020)
    box = page.locator("#compare-graph .scatterlayer .trace").nth(trace).locator(".point").nth(point).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#compare-source .claim-item", timeout=15000)
    panel = page.inner_text("#compare-source")
    assert "霍山县" in panel and str(shown) in panel and "2020年" in panel, panel
    assert page.inner_text("#compare-source .claim-item:first-child .sentence mark") == str(shown)

    page.set_viewport_size({"width": 1400, "height": 420})  # the table's last rows start below the fold
    page.click("#compare-source .claim-item:first-child a:has-text('打开文件')")
    page.wait_for_selector("#document-text table.doc-table tr.row-selected", timeout=20000)
    row = page.locator("#document-text tr.row-selected")
    assert row.locator("td").first.inner_text() == "霍山县"
    assert row.locator("mark.claim-selected").inner_text() == str(shown)
    assert page.locator("#document-text tr.row-selected").count() == 1
    assert page.inner_text("#document-text h3.sheet-heading") == "工作表：2020年"
    captions = page.locator("#document-text .table-caption").all_inner_texts()
    assert captions == ["六安市各县区脱贫人口情况表", "单位：人"]
    assert page.locator("#document-text th[colspan='2']").inner_text() == "脱贫人口"  # merged cells stay merged
    assert page.locator("#document-text th[rowspan='2']").inner_text() == "县区"
    body = page.locator("#document-text table.doc-table tbody tr")
    assert [body.nth(i).locator("td").first.inner_text() for i in range(body.count())] == list(COUNTIES)
    assert page.locator("#document-text td.cell-claim.placed").count() == 2 * len(COUNTIES)
    page.wait_for_function("() => { const r = document.querySelector('#document-text tr.row-selected')"
                           ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }",
                           timeout=10000)  # scrolled into view
    shot(page, "sheet-document-row")
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert not page.console_errors, page.console_errors
