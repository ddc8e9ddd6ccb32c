"""End to end: an HTML page and a text copy of a government page, with their furniture, added with
``python -m etl ingest``; the database and the dashboard's document page show the issuer, region, date
and reporting year inferred, and where each came from; a reviewer's correction goes into the documents
folder's manifest and survives a rebuild from scratch."""
from __future__ import annotations

import csv
import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SEEDS
from layout_text import text

from dashboard import queries
from etl.storage.build import build

PAGES = Path(__file__).parent / "metadata"


@pytest.fixture()
def ingested(tmp_path, seeds_db):
    """A copy of the seeds database with the two pages added through the command line."""
    db = tmp_path / "data" / "poverty.duckdb"
    db.parent.mkdir()
    shutil.copy(seeds_db, db)
    store = tmp_path / "data" / "documents"
    files = [shutil.copy(PAGES / name, tmp_path / name) for name in ("county_page.html", "reply_page.txt")]
    proc = subprocess.run([sys.executable, "-m", "etl", "ingest", *map(str, files), "--store", str(store),
                           "--db", str(db)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "2 added" in proc.stdout
    yield db, store
    queries.close_all()


def documents(db: Path) -> dict[str, dict]:
    """Stored name prefix -> the document's metadata row."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT id, file, title, issuer, region, date, report_year, provenance FROM documents "
                           "WHERE file LIKE 'county_page%' OR file LIKE 'reply_page%'").fetchall()
    cols = ["id", "file", "title", "issuer", "region", "date", "report_year", "provenance"]
    return {r[1].split("_page")[0]: dict(zip(cols, r, strict=True)) | {"provenance": json.loads(r[7])} for r in rows}


def test_ingested_pages_carry_their_inferred_metadata_and_its_provenance(ingested):
    db, _ = ingested
    docs = documents(db)
    county, reply = docs["county"], docs["reply"]
    assert (county["issuer"], county["region"], county["date"], county["report_year"]) == (
        "五河县乡村振兴局", "五河县", "2023-01-16", 2022)
    assert county["provenance"] == {"title": "file", "issuer": "text", "region": "text", "date": "text",
                                    "report_year": "text"}
    assert (reply["title"], reply["issuer"], reply["region"], reply["date"], reply["report_year"]) == (
        "关于加快发展南陵县庭院经济的提案的答复", "南陵县农业农村局", "南陵县", "2020-11-02", None)
    assert reply["provenance"] == {"title": "text", "issuer": "text", "region": "text", "date": "text"}
    with duckdb.connect(str(db), read_only=True) as con:  # the title's reporting year reaches the claims
        year = con.execute("SELECT year FROM claims WHERE doc_id = ? AND text = '3861万元'", [county["id"]]).fetchone()
    assert year == (2022,)


def _texts(component) -> dict[str, str]:
    """id -> text of every component with an id in a rendered layout."""
    out: dict[str, str] = {}

    def walk(c) -> None:
        if isinstance(c, list | tuple):
            for x in c:
                walk(x)
        elif hasattr(c, "children") or hasattr(c, "id"):
            if getattr(c, "id", None):
                out[c.id] = text(c)
            walk(getattr(c, "children", None))

    walk(component)
    return out


def test_the_document_page_shows_where_each_field_came_from_and_a_correction_survives_a_rebuild(ingested):
    from dashboard.app import create_app

    db, store = ingested
    app = create_app(db)
    page = importlib.import_module("dashboard.pages.document")
    county = documents(db)["county"]
    with app.server.app_context():
        shown = _texts(page.layout(doc=county["id"]))
        english = _texts(page.layout(doc=county["id"], lang="en"))
    assert shown["document-meta-issuer"] == "五河县乡村振兴局" and shown["document-prov-issuer"] == "正文推断"
    assert shown["document-meta-region"] == "五河县" and shown["document-meta-report_year"] == "2022"
    assert shown["document-meta-date"] == "2023-01-16" and shown["document-prov-date"] == "正文推断"
    assert english["document-prov-issuer"] == "inferred from the text"

    form = {"title": county["title"], "issuer": "五河县人民政府", "region": "五河县", "date": "2023-01-18",
            "report_year": "2022"}
    meta, title, message = page.apply_details(str(db), county["id"], form, "zh")
    assert "已保存" in _texts(message)["document-fix-saved"] and "发文单位" in _texts(message)["document-fix-saved"]
    after = _texts(meta)
    assert after["document-meta-issuer"] == "五河县人民政府" and after["document-prov-issuer"] == "清单"
    assert after["document-meta-date"] == "2023-01-18" and after["document-prov-region"] == "正文推断"
    with (store / "manifest.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["file"] == county["file"])
    assert row["issuer"] == "五河县人民政府" and json.loads(row["provenance"])["issuer"] == "manifest"

    queries.close_all()
    db.unlink()
    build([SEEDS, store], db)  # from scratch: the manifest row brings the correction back
    rebuilt = documents(db)["county"]
    assert (rebuilt["issuer"], rebuilt["date"], rebuilt["region"]) == ("五河县人民政府", "2023-01-18", "五河县")
    assert rebuilt["provenance"]["issuer"] == "manifest" and rebuilt["provenance"]["title"] == "file"
    assert page.apply_details(str(db), county["id"], form | {"issuer": "五河县人民政府", "date": "2023-01-18"},
                              "zh")[2] == "没有改动。"
    bad = page.apply_details(str(db), county["id"], form | {"date": "18/01/2023"}, "zh")[2]
    assert bad.children.startswith("未能保存") and "2021-12-31" in bad.children  # says how to write a date


def test_values_given_at_ingest_show_as_given(tmp_path, seeds_db):
    db = tmp_path / "poverty.duckdb"
    shutil.copy(seeds_db, db)
    page = tmp_path / "reply.txt"
    shutil.copy(PAGES / "reply_page.txt", page)
    proc = subprocess.run([sys.executable, "-m", "etl", "ingest", str(page), "--store", str(tmp_path / "docs"),
                           "--db", str(db), "--date", "2020-11-05"], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        date, prov = con.execute("SELECT date, provenance FROM documents WHERE file LIKE 'reply%'").fetchone()
    assert date == "2020-11-05" and json.loads(prov)["date"] == "given" and json.loads(prov)["issuer"] == "text"


def test_a_manifest_written_before_provenance_keeps_its_rows(tmp_path, seeds_db):
    from etl.storage.ingest import ingest

    db = tmp_path / "poverty.duckdb"
    shutil.copy(seeds_db, db)
    store = tmp_path / "docs"
    store.mkdir()
    (store / "old.txt").write_text("南陵县水利局\n2019年全县新修水渠12公里。\n", encoding="utf-8")
    (store / "manifest.csv").write_text("file,title,issuer,region,date,source,sha256,original,added\n"
                                        "old.txt,水渠建设,南陵县水利局,南陵县,2019,,abc,,\n", encoding="utf-8")
    report = ingest([PAGES / "reply_page.txt"], store, db)
    assert report.added == ["reply_page.txt"]
    with (store / "manifest.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["file"] == "old.txt" and rows[0]["issuer"] == "南陵县水利局" and rows[0]["provenance"] == ""
    assert json.loads(rows[1]["provenance"])["issuer"] == "text"
