"""The document page in real headless Chromium: an HTML page added with its furniture shows its issuer,
region, date and reporting year with where each came from, and a correction there sticks."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import serve_dashboard

from dashboard import queries
from etl.storage.ingest import ingest

pytestmark = pytest.mark.browser
PAGES = Path(__file__).parent / "metadata"


@pytest.fixture(scope="module")
def served(tmp_path_factory, seeds_db):
    db = tmp_path_factory.mktemp("docpage") / "data" / "poverty.duckdb"
    db.parent.mkdir()
    shutil.copy(seeds_db, db)
    store = db.parent / "documents"
    report = ingest([PAGES / "county_page.html"], store, db)
    assert report.added == ["county_page.html"], report.problems
    with duckdb.connect(str(db), read_only=True) as con:
        doc = con.execute("SELECT id FROM documents WHERE file LIKE 'county_page%'").fetchone()[0]
    with serve_dashboard(db, db.parent / "server.log", env={"POVERTY_STORE": str(store)}) as url:
        yield url, doc
    queries.close_all()


def test_provenance_is_shown_and_a_correction_is_saved(served, page):
    url, doc = served
    page.goto(f"{url}/document?doc={doc}")
    page.wait_for_selector("#document-prov-issuer", timeout=20000)
    assert page.inner_text("#document-meta-issuer") == "五河县乡村振兴局"
    assert page.inner_text("#document-prov-issuer") == "正文推断"
    assert page.inner_text("#document-meta-report_year") == "2022"
    page.click("#document-fix summary")
    page.fill("#document-fix-issuer", "五河县人民政府")
    page.click("#document-fix-save")
    page.wait_for_selector("#document-fix-saved", timeout=30000)
    assert page.inner_text("#document-meta-issuer") == "五河县人民政府"
    assert page.inner_text("#document-prov-issuer") == "清单"
    page.goto(f"{url}/document?doc={doc}&lang=en")
    page.wait_for_selector("#document-prov-issuer", timeout=20000)
    assert page.inner_text("#document-prov-issuer") == "manifest"
    Path("/tmp/shots").mkdir(exist_ok=True)
    page.screenshot(path="/tmp/shots/document_provenance.png")
    assert not page.console_errors, page.console_errors
