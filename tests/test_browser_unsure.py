"""Unsure readings in real headless Chromium: the compare page's toggle shows them hollow and marked, keeps
the choice in the URL, and the 待复核 queue accepts a candidate with one click (the server in local mode, on a
database built from a county report written for the test)."""
from __future__ import annotations

import duckdb
import pytest
from conftest import serve_dashboard
from test_unsure_claims import REPORT

from dashboard import queries
from etl.storage.build import build

pytestmark = pytest.mark.browser
CHART = "/compare?indicator=rural_income_per_capita&regions=410225&from=2018&to=2019"
ROWS = "#data-grid .ag-center-cols-container .ag-row"


@pytest.fixture(scope="module")
def unsure_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("unsure")
    (root / "docs").mkdir()
    (root / "docs" / "lankao.txt").write_text(REPORT, encoding="utf-8")
    db = root / "data" / "poverty.duckdb"
    db.parent.mkdir()
    assert not build(root / "docs", db).problems
    with serve_dashboard(db, root / "server.log", env={"POVERTY_STORE": str(root / "store")}) as url:
        yield url, db
    queries.close_all()


def _traces(page) -> list[dict]:
    return page.evaluate("() => document.querySelector('#compare-graph .js-plotly-plot').data"
                         ".map(t => ({name: t.name, n: (t.x || []).filter(x => x !== null).length,"
                         " color: t.marker && t.marker.color}))")


def test_the_toggle_shows_unsure_figures_hollow_and_keeps_it_in_the_url(unsure_server, page):
    url, _ = unsure_server
    page.goto(url + CHART)
    page.wait_for_selector("#compare-graph .js-plotly-plot")
    assert not any("未确定" in (t["name"] or "") for t in _traces(page))
    page.get_by_label("显示未确定的数字").check()
    page.wait_for_function("() => location.search.includes('unsure=1')")
    page.wait_for_function("() => document.querySelector('#compare-graph .js-plotly-plot').data"
                           ".some(t => (t.name || '').includes('未确定') && (t.x || []).length === 2)")
    unsure = next(t for t in _traces(page) if "· 未确定" in (t["name"] or ""))
    assert unsure["color"] == "white"
    page.locator("#compare-grid").scroll_into_view_if_needed()  # the grid paints its rows once in view
    page.wait_for_function("() => document.querySelector('#compare-grid').innerText.includes('未确定（待复核）')")
    page.reload()  # the URL restores the toggle
    page.wait_for_function("() => document.querySelector('#compare-graph .js-plotly-plot') && "
                           "document.querySelector('#compare-graph .js-plotly-plot').data"
                           ".some(t => (t.name || '').includes('未确定'))")
    assert page.is_checked("#compare-unsure input")
    assert not page.console_errors


def test_one_click_in_the_queue_accepts_the_candidate(unsure_server, page):
    url, db = unsure_server
    page.goto(url + "/data?status=queue")
    first = page.locator(ROWS).first
    first.wait_for(timeout=15000)
    assert "？" in first.locator(".ag-cell[col-id=indicator]").inner_text()  # the guess, marked unsure
    claim = first.get_attribute("row-id")
    first.locator(".ag-cell[col-id=accept_candidate]").click()
    page.wait_for_function("() => document.querySelector('#data-review-message').textContent.includes('1')")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status, indicator_candidate FROM claims WHERE id = ?", [claim]).fetchone() \
            == ("accepted", "rural_income_per_capita")
    page.goto(url + CHART)
    page.wait_for_selector("#compare-graph .js-plotly-plot")
    page.wait_for_function("() => document.querySelector('#compare-graph .js-plotly-plot').data"
                           ".some(t => (t.x || []).filter(x => x !== null).length === 2 && t.type === 'scatter'"
                           " && !(t.name || '').includes('未确定'))")
