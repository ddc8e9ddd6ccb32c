"""Uploading, reviewing and checking in real headless Chromium (Playwright, Debian's /usr/bin/chromium),
against a server on a temporary copy of the database built from the seeds, with its own documents folder
and reviews log (never data/). Screenshots go to /tmp/shots/."""
from __future__ import annotations

import csv
import getpass
import io
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import serve_dashboard

from dashboard import queries

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots")
ZZ = "郑州市"
REPORT_NAME = "郑州市2021年巩固脱贫成果报告.txt"
REPORT = ("郑州市2021年巩固脱贫成果工作报告\n"
          "2021年，郑州市脱贫人口5000人，监测户300户，全年投入帮扶资金1200万元。\n").encode()
ROWS = "#data-grid .ag-center-cols-container .ag-row"


@pytest.fixture(scope="module")
def review_db(tmp_path_factory, seeds_db) -> Path:
    """A writable copy of the seeds database; uploads and reviews go beside it."""
    db = tmp_path_factory.mktemp("review") / "data" / "poverty.duckdb"
    db.parent.mkdir()
    shutil.copy(seeds_db, db)
    yield db
    queries.close_all()


@pytest.fixture(scope="module")
def review_server(review_db):
    store = review_db.parent / "documents"
    with serve_dashboard(review_db, review_db.parent / "server.log", env={"POVERTY_STORE": str(store)}) as url:
        yield url


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def row_id(page, mention: str) -> str:
    """The grid row (its id is the claim id) whose mention is exactly ``mention``."""
    cell = page.locator(".ag-cell[col-id=mention]", has_text=re.compile(f"^{re.escape(mention)}$"))
    row = page.locator(ROWS).filter(has=cell).first
    row.wait_for(timeout=15000)
    return row.get_attribute("row-id")


def cell(page, claim_id: str, column: str) -> str:
    return page.inner_text(f"{ROWS}[row-id='{claim_id}'] .ag-cell[col-id={column}]")


def wait_cell(page, claim_id: str, column: str, text: str) -> None:
    page.wait_for_function(
        "([sel, t]) => { const e = document.querySelector(sel); return e && e.textContent.trim() === t; }",
        arg=[f"{ROWS}[row-id='{claim_id}'] .ag-cell[col-id={column}]", text], timeout=15000)


def tick(page, claim_id: str, on: bool = True) -> None:
    box = page.locator(f"#data-grid .ag-pinned-left-cols-container .ag-row[row-id='{claim_id}'] "
                       "input[type=checkbox]")
    box.check() if on else box.uncheck()


def csv_rows(page, url: str) -> list[list[str]]:
    r = page.request.get(url)
    assert r.ok and r.body().startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(r.body()[3:].decode("utf-8"))))


def test_upload_reject_correct_reload_and_the_chart_follows(review_server, review_db, page):
    page.goto(review_server + "/data")
    page.wait_for_selector(f"{ROWS}", timeout=15000)
    page.click("#data-upload-panel summary")
    page.fill("#data-upload-date", "2021-12-31")
    page.set_input_files("#data-upload input[type=file]",
                         files=[{"name": REPORT_NAME, "mimeType": "text/plain", "buffer": REPORT}])
    page.wait_for_selector("#data-upload-result .added li", timeout=30000)
    result = page.inner_text("#data-upload-result")
    assert "已处理 1/1 份文件" in result and REPORT_NAME in result and "条数字" in result
    page.wait_for_url(re.compile(r"/data\?doc="))  # the grid shows the new document's claims
    people, households = row_id(page, "5000人"), row_id(page, "300户")
    assert cell(page, people, "status") == "机器识别" and cell(page, households, "region") == ZZ

    tick(page, people)
    page.wait_for_function("() => document.querySelector('#data-selected').textContent.includes('1')")
    page.click("#data-reject")
    page.wait_for_selector("#data-review-message.ok")
    assert page.inner_text("#data-review-message") == "已驳回 1 条数字。"
    wait_cell(page, people, "status", "已驳回")
    wait_cell(page, people, "reviewed_by", getpass.getuser())  # local mode: the review is this machine's login

    tick(page, people, on=False)
    tick(page, households)
    page.wait_for_function("() => document.querySelector('#data-fix-value').value === '300'")
    assert page.inner_text("#data-fix-region") == "郑州市 · 河南省"  # the claim's region (with its parent), year, …
    assert page.input_value("#data-fix-year") == "2021"
    page.fill("#data-fix-value", "350")
    page.click("#data-correct")
    page.wait_for_function("() => document.querySelector('#data-review-message').textContent.includes('已更正')")
    assert page.inner_text("#data-review-message") == "已更正 1 条数字：数值 300 → 350。"
    wait_cell(page, households, "status", "已更正")
    wait_cell(page, households, "label", "350户")
    shot(page, "data-review")

    page.reload()
    page.wait_for_selector(f"{ROWS}[row-id='{households}']", timeout=15000)
    wait_cell(page, people, "status", "已驳回")  # both reviews survive the reload
    wait_cell(page, households, "status", "已更正")
    wait_cell(page, households, "label", "350户")
    wait_cell(page, households, "mention", "300户")  # the text as written is kept

    claim = queries.claims_by_id(review_db, [households, people]).set_index("claim_id")
    indicator, rejected_indicator = claim.loc[households, "indicator"], claim.loc[people, "indicator"]
    page.goto(f"{review_server}/compare?indicator={indicator}&regions={quote(ZZ)}&from=2021&to=2022")
    page.wait_for_selector("#compare-graph .point")
    assert "350户 ✓" in page.locator("#compare-graph .textpoint").all_text_contents()
    assert "已人工核实 ✓" in page.locator("#compare-graph .legendtext").all_text_contents()
    page.locator("#compare-grid").scroll_into_view_if_needed()  # the grid paints its rows once in view
    page.wait_for_function("() => document.querySelector('#compare-grid .ag-center-cols-container')"
                           ".innerText.includes('350户')")
    table = page.inner_text("#compare-grid .ag-center-cols-container")
    assert "350户" in table and "已人工核实" in table
    shot(page, "compare-reviewed")
    rows = csv_rows(page, f"{review_server}/export.csv?indicator={indicator}&regions={quote(ZZ)}&from=2021&to=2021")
    assert rows[0][8] == "核实状态" and [(r[2], r[5], r[8]) for r in rows[1:]] == [("2021", "350", "已人工核实")]
    assert rows[1][:2] == [ZZ, "4101"]  # the name and its code
    rows = csv_rows(page, f"{review_server}/export.csv?indicator={rejected_indicator}&regions={quote(ZZ)}"
                          "&from=2021&to=2021")
    assert "5000" not in [r[5] for r in rows[1:]]  # the rejected claim is not a chart point
    assert page.console_errors == []


def test_the_checks_page_lists_findings_with_their_claims_and_exports_them(review_server, review_db, page):
    page.goto(review_server + "/checks")
    page.wait_for_selector("#checks-grid .ag-row", timeout=15000)
    found = queries.findings(review_db)
    assert page.locator("#checks-grid .ag-center-cols-container .ag-row").count() == len(found) > 0
    assert f"{len(found)} 条" in page.inner_text("#checks-count")
    shot(page, "checks-findings")
    first = found.iloc[0]
    row = f"#checks-grid .ag-center-cols-container .ag-row[row-id='{first.id}']"
    assert page.inner_text(f"{row} .ag-cell[col-id=kind]") in {"分项与总数", "户均人数", "年度跳变", "文件间不一致"}
    with page.expect_download() as d:
        page.click("#checks-csv")
    data = Path(d.value.path()).read_bytes()
    assert d.value.suggested_filename == "核查结果.csv" and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
    assert rows[0][:3] == ["类型", "结果", "说明"] and len(rows) == len(found) + 1
    claim_id = first.claim_ids.split(",")[0]
    page.click(f"{row} .ag-cell[col-id=claims] a >> nth=0")
    page.wait_for_selector("mark.claim-selected")
    assert page.get_attribute("mark.claim-selected", "id") == f"c-{claim_id}"
    page.goto(review_server + "/checks?status=ok")
    page.wait_for_selector("#checks-grid .ag-row")
    statuses = page.locator("#checks-grid .ag-center-cols-container .ag-cell[col-id=status]").all_inner_texts()
    assert set(statuses) == {"一致"}
    assert page.get_attribute("#checks-csv", "href") == "/export/findings.csv?status=ok"
    assert page.console_errors == []


def test_the_queue_link_lists_the_claims_to_review(dash_server, dash_db, page):
    page.goto(dash_server + "/data")
    page.wait_for_selector(ROWS, timeout=15000)
    queue = queries.claims(dash_db, status="queue")
    assert len(queue) > 0
    page.wait_for_function(  # the link's count comes with the page's callbacks: wait for it, then check it
        "t => (document.querySelector('#data-queue') || {}).innerText === t", arg=f"待复核 {len(queue)} 条")
    page.click("#data-queue")
    page.wait_for_url(re.compile(r"status=queue"))
    page.wait_for_function(f"() => document.querySelectorAll('{ROWS}').length === {len(queue)}")
    page.wait_for_function("() => (document.querySelector('#data-status') || {}).innerText === '待复核'")
    # every row of the queue is machine-read (checked in one go: the grid may redraw between two reads)
    page.wait_for_function(
        "([sel, n]) => { const t = [...document.querySelectorAll(sel)].map(c => c.innerText);"
        " return t.length === n && t.every(x => x === '机器识别'); }",
        arg=[f"{ROWS} .ag-cell[col-id=status]", len(queue)], timeout=15000)
    assert page.console_errors == []
