"""Signing in to change a figure, in real headless Chromium against a team-mode server (accounts beside a
copy of the seeds database): sign in, correct a figure, see the account's name on it, sign out; the correct
button is gone and the same POST sent from the page is refused."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, dash_callback, serve_dashboard

from dashboard import queries

pytestmark = pytest.mark.browser
NAME, PASSWORD = "张审核", "Zhang-pw-5150"
ROWS = "#data-grid .ag-center-cols-container .ag-row"


@pytest.fixture(scope="module")
def team(tmp_path_factory, seeds_db):
    db = tmp_path_factory.mktemp("browser-team") / "data" / "poverty.duckdb"
    db.parent.mkdir()
    shutil.copy(seeds_db, db)
    for name, role in ((NAME, "reviewer"), ("boss", "admin")):
        subprocess.run([sys.executable, "-m", "etl", "users", "add", name, "--role", role, "--db", str(db)],
                       cwd=ROOT, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    with serve_dashboard(db, db.parent / "server.log") as url:
        yield url
    queries.close_all()


@pytest.fixture
def page(browser):
    """A page in a context of its own (its own cookies)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1600, "height": 1000})
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


def cell(page, claim_id: str, column: str, text: str) -> None:
    page.wait_for_function(
        "([sel, t]) => { const e = document.querySelector(sel); return e && e.textContent.trim() === t; }",
        arg=[f"{ROWS}[row-id='{claim_id}'] .ag-cell[col-id={column}]", text], timeout=15000)


def test_sign_in_correct_a_figure_see_the_name_sign_out_and_the_write_is_refused(team, page):
    page.goto(team + "/data")
    page.wait_for_selector(ROWS, timeout=15000)
    assert page.locator("#data-correct").count() == 0 and page.locator("#data-sign-in-note").is_visible()

    page.click("#data-sign-in")
    page.wait_for_url(re.compile(r"/login\?next="))
    assert page.inner_text("h1") == "登录"
    page.fill("#login-name", NAME)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(re.compile(r"/data$"))
    page.wait_for_selector("#data-correct")
    assert page.inner_text("#data-account-name") == f"{NAME}（复核员）"

    cell_box = page.locator(".ag-cell[col-id=mention]", has_text=re.compile(r"^12585户$"))
    row = page.locator(ROWS).filter(has=cell_box).first
    row.wait_for(timeout=15000)
    claim = row.get_attribute("row-id")
    page.locator(f"#data-grid .ag-pinned-left-cols-container .ag-row[row-id='{claim}'] input[type=checkbox]").check()
    page.wait_for_function("() => document.querySelector('#data-fix-value').value === '12585'")
    page.fill("#data-fix-value", "12586")
    page.click("#data-correct")
    page.wait_for_function("() => document.querySelector('#data-review-message').textContent.includes('已更正')")
    cell(page, claim, "label", "12586户")
    cell(page, claim, "reviewed_by", NAME)  # the account's name, not a typed one

    page.click("#data-sign-out")
    page.wait_for_selector("#data-sign-in", timeout=15000)
    page.wait_for_selector(ROWS, timeout=15000)
    assert page.locator("#data-correct").count() == 0

    body = dash_callback(team, "data-review-message", {
        "data-correct.n_clicks": 2, "data-grid.selectedRows": [{"claim_id": claim}], "data-fix-value.value": 1,
        "data-version.data": 0, "data-lang.data": "zh"}, "data-correct.n_clicks")
    status = page.evaluate("""async body => (await fetch('/_dash-update-component', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)})).status""", body)
    assert status == 403
    page.reload()
    cell(page, claim, "label", "12586户")  # unchanged by the refused POST
    cell(page, claim, "reviewed_by", NAME)
    assert [e for e in page.console_errors if "403" not in e] == []
