"""Reviews, uploads and consistency findings in the dashboard: plain functions on a copy of the database
built from the seeds (queries, writes, page helpers, exports, figures), no browser."""
from __future__ import annotations

import csv
import importlib
import io
import shutil

import duckdb
import pandas as pd
import pytest

from dashboard import export, figures, queries, writes
from dashboard.i18n import reason_text, status_label

ZZ = "郑州市"
ZZ_CODE = "4101"
REPORT = ("郑州市2021年巩固脱贫成果工作报告\n"
          "2021年，郑州市脱贫人口5000人，监测户300户，全年投入帮扶资金1200万元。\n").encode()
FINDINGS_HEADER = ["类型", "结果", "说明", "地区", "年份", "指标代码", "指标", "涉及数字", "数字编号", "文件"]


@pytest.fixture(scope="module")
def data_page(seeds_db):
    """dashboard.pages.data (a page module can be imported once an app exists)."""
    from dashboard.app import create_app

    create_app(seeds_db)
    return importlib.import_module("dashboard.pages.data")


@pytest.fixture(scope="module")
def checks_page(data_page):
    return importlib.import_module("dashboard.pages.checks")


@pytest.fixture
def db(tmp_path, seeds_db):
    """A writable copy of the seeds database in its own folder (documents store and reviews log beside it)."""
    path = tmp_path / "data" / "poverty.duckdb"
    path.parent.mkdir()
    shutil.copy(seeds_db, path)
    yield path
    queries.close_all()


def uploaded(db) -> tuple[writes.UploadResult, pd.DataFrame]:
    """Upload the 2021 report; its result and its claims by mention."""
    result = writes.upload(db, [writes.Upload("郑州市2021年报告.txt", REPORT)], date="2021-12-31")
    claims = queries.claims(db, doc_id=result.new_docs[0])
    return result, claims.set_index("mention")


# --- queries ------------------------------------------------------------------------------------


def test_claims_carry_their_status_and_the_queue_is_the_unplaced_ones(seeds_db):
    every = queries.claims(seeds_db)
    queue = queries.claims(seeds_db, status="queue")
    assert set(every.status) == {"machine"} and 0 < len(queue) < len(every)
    assert (queue.region.isna() | queue.year.isna() | queue.indicator.isna()).all()
    with duckdb.connect(str(seeds_db), read_only=True) as con:
        assert len(queue) == con.execute("SELECT count(*) FROM review_queue").fetchone()[0]
    counts = queries.status_counts(seeds_db)
    assert counts["queue"] == len(queue) and counts["machine"] == len(every) and counts["rejected"] == 0


def test_findings_put_mismatches_and_warnings_first_and_filter(seeds_db):
    found = queries.findings(seeds_db)
    order = {"mismatch": 0, "warning": 1, "ok": 2}
    assert list(found.status.map(order)) == sorted(found.status.map(order))
    assert set(queries.findings(seeds_db, status="ok").status) <= {"ok"}
    assert set(queries.findings(seeds_db, kind="year_jump").kind) <= {"year_jump"}
    counts = queries.finding_counts(seeds_db)
    assert sum(counts.values()) == len(found)


def test_regions_are_found_by_name_as_one_types(seeds_db):
    assert queries.region_matches(seeds_db, "郑州").name.iloc[0] == ZZ  # names starting with it first
    assert len(queries.region_matches(seeds_db, "", limit=30)) == 30
    assert queries.region_matches(seeds_db, "火星").empty


def test_region_choices_keep_the_chosen_region(seeds_db, data_page):
    options = data_page.region_choices(str(seeds_db), "江宁", "郑州市")
    assert [o["value"] for o in options][:2] == ["郑州市", "江宁区"]


@pytest.mark.parametrize(("lang", "household", "count"), [("zh", "户", "个"), ("en", "households", "count")])
def test_the_correction_form_names_units_in_the_page_language(seeds_db, data_page, lang, household, count):
    labels = {o["value"]: o["label"] for o in data_page.fix_options(seeds_db, lang)["unit"]}
    assert (labels["household"], labels["count"]) == (household, count)


def test_a_replaced_file_is_seen_while_the_old_one_is_still_open(db, tmp_path):
    """DuckDB keeps one instance per path in a process: the dashboard must not get the old file back."""
    assert queries.facts(db, ["lifted_households"], [ZZ_CODE], 2022, 2022).value.iloc[0] == 12585
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(db, rebuilt)
    with duckdb.connect(str(rebuilt)) as con:
        con.execute("UPDATE facts SET value = 12586 WHERE indicator = 'lifted_households' AND year = 2022")
    rebuilt.replace(db)  # no close_all(): the old connection stays open, as during a request
    assert queries.facts(db, ["lifted_households"], [ZZ_CODE], 2022, 2022).value.iloc[0] == 12586


# --- writes: uploads and reviews ------------------------------------------------------------------


def test_an_upload_adds_the_document_beside_the_database_and_counts_its_claims(db):
    result, claims = uploaded(db)
    assert result.added == [("郑州市2021年报告.txt", len(claims))] and result.claims == len(claims) >= 2
    assert {"5000人", "300户"} <= set(claims.index)
    store = db.parent / "documents"
    manifest = (store / "manifest.csv").read_text(encoding="utf-8")
    assert "上传: 郑州市2021年报告.txt" in manifest and "2021-12-31" in manifest


def test_an_upload_reports_duplicates_and_bad_files_by_name(db):
    writes.upload(db, [writes.Upload("a.txt", REPORT)])
    before = db.read_bytes()
    result = writes.upload(db, [
        writes.Upload("again.txt", REPORT),
        writes.Upload("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40),
        writes.Upload("table.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        writes.Upload("../../etc/evil.txt", b""),
    ])
    assert result.added == [] and result.new_docs == [] and result.total == 4
    assert result.duplicates[0].startswith("again.txt: already stored")
    assert [p.split(":")[0] for p in result.problems] == ["photo.jpg", "table.xls", "../../etc/evil.txt"]
    assert db.read_bytes() == before


def test_reviews_show_at_once_in_claims_facts_and_the_log(db):
    _, claims = uploaded(db)
    people, households = claims.loc["5000人"], claims.loc["300户"]
    assert writes.review(db, [people.claim_id], "reject", who="李") == 1
    assert writes.review(db, [households.claim_id], "set", "李", changes=[("value", "350")], address="10.0.0.7") == 1
    after = queries.claims(db, doc_id=people.doc_id).set_index("mention")
    assert after.loc["5000人", "status"] == "rejected" and after.loc["300户", "status"] == "corrected"
    assert after.loc["300户", "reviewed_by"] == "李" and after.loc["300户", "reviewed_at"].startswith("20")
    fact = queries.facts(db, ["monitored_households"], [ZZ_CODE], 2021, 2021).iloc[0]
    assert (fact.value, bool(fact.reviewed)) == (350, True)
    assert people.claim_id not in set(queries.facts(db, ["lifted_population"], [ZZ_CODE], 2021, 2021).claim_id)
    log = list(csv.DictReader((db.parent / "reviews.csv").open(encoding="utf-8")))
    assert [(r["who"], r["action"], r["old"], r["new"], r["auth"], r["address"]) for r in log] == [
        ("李", "reject", "", "", "account", ""), ("李", "set", "300.0", "350", "account", "10.0.0.7")]


@pytest.mark.parametrize("action,changes,message", [
    ("set", [("unit", "furlong")], "unit"),
    ("set", [("year", "twenty")], "year"),
    ("set", [], "nothing to correct"),
    ("frobnicate", None, "unknown action"),
])
def test_a_bad_review_raises_and_changes_nothing(db, action, changes, message):
    claim = queries.claims(db, limit=1).claim_id.iloc[0]
    before = db.read_bytes()
    with pytest.raises(writes.ReviewError, match=message):
        writes.review(db, [claim], action, "李", changes=changes)
    assert db.read_bytes() == before


@pytest.mark.parametrize("form,current,expected", [
    ({"value": 350, "unit": "household", "year": 2021}, {"value": 300.0, "unit": "household", "year": 2021},
     [("value", "350")]),
    ({"value": 300, "year": 2021.0}, {"value": 300.0, "year": 2021}, []),
    ({"value": 300, "region": None, "indicator": "poor_households"},
     {"value": 300.0, "region": ZZ, "indicator": None}, [("region", ""), ("indicator", "poor_households")]),
    ({"value": None, "unit": None}, {"value": 300.0, "unit": "household"}, []),  # value and unit never cleared
    ({"year": 2020, "unit": None}, None, [("year", "2020")]),  # several claims: filled fields only
])
def test_corrections_send_the_changed_fields_only(form, current, expected):
    assert writes.corrections(form, current) == expected


@pytest.mark.parametrize("given,expected", [("", None), (" 2021 ", "2021"), ("2021-12", "2021-12"),
                                            ("2021-12-31", "2021-12-31")])
def test_check_date(given, expected):
    assert writes.check_date(given) == expected


@pytest.mark.parametrize("bad", ["12/31/2021", "2021年", "21-12-31"])
def test_check_date_refuses(bad):
    with pytest.raises(ValueError):
        writes.check_date(bad)


def test_uploaded_names_stay_inside_the_temporary_folder():
    assert writes._file_name("../../etc/passwd") == "passwd"
    assert writes._file_name("C:\\Users\\李\\报告.docx") == "报告.docx"
    long = writes._file_name("很" * 200 + ".pdf")
    assert len(long.encode()) <= 200 and long.endswith("很.pdf")


def test_the_store_is_beside_the_database_unless_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("POVERTY_STORE", raising=False)
    assert writes.store_of(tmp_path / "data" / "poverty.duckdb") == tmp_path / "data" / "documents"
    monkeypatch.setenv("POVERTY_STORE", str(tmp_path / "elsewhere"))
    assert writes.store_of(tmp_path / "data" / "poverty.duckdb") == tmp_path / "elsewhere"


# --- the data page's helpers ----------------------------------------------------------------------


def test_the_page_reports_each_outcome(db, data_page):
    from dashboard.auth import Actor

    wang = Actor("王", "reviewer", "account")
    _, claims = uploaded(db)
    people, households = claims.loc["5000人"], claims.loc["300户"]
    assert data_page.apply_review(str(db), "reject", [], wang, {}, "zh") == (False, "请先在表格左侧勾选数字。")
    form = {"value": 300, "unit": "household", "qualifier": "exact", "region": ZZ, "year": 2021,
            "indicator": households.indicator}
    assert data_page.apply_review(str(db), "set", [households.claim_id], wang, form, "zh") == (
        False, "没有改动任何字段。")
    assert data_page.apply_review(str(db), "reject", [people.claim_id], wang, {}, "zh") == (True, "已驳回 1 条数字。")
    ok, message = data_page.apply_review(str(db), "set", [households.claim_id], wang, form | {"value": 350}, "zh")
    assert ok and message == "已更正 1 条数字：数值 300 → 350。"
    ok, message = data_page.apply_review(str(db), "set", [households.claim_id], wang, form | {"unit": "x"}, "en")
    assert not ok and message.startswith("Not saved: unit")
    rows = data_page.claim_rows(queries.claims(db, doc_id=people.doc_id), "zh")
    assert {r["mention"]: r["status"] for r in rows}["5000人"] == "已驳回"


def test_the_upload_message_lists_added_duplicates_and_refused_files(data_page):
    result = writes.UploadResult(added=[("a.txt", 3)], duplicates=["b.txt: already stored (same text); not added"],
                                 problems=["c.pdf: PDF without a text layer (a scan?): run OCR first"],
                                 claims=3, total=3)
    text = str(data_page.upload_message(result, "zh"))
    for part in ("已处理 3/3 份文件，找到 3 条数字。", "a.txt（3 条数字）", "已存在，未重复添加",
                 "b.txt：已有相同文本的文件", "未能添加", "c.pdf：PDF 没有文字层"):
        assert part in text, part


@pytest.mark.parametrize("status,zh,en", [("machine", "机器识别", "machine-read"), ("rejected", "已驳回", "rejected"),
                                          ("corrected", "已更正", "corrected"), ("accepted", "已确认", "accepted"),
                                          ("queue", "待复核", "to review")])
def test_status_labels(status, zh, en):
    assert (status_label(status, "zh"), status_label(status, "en")) == (zh, en)


def test_reasons_are_in_chinese_with_the_original_kept():
    assert reason_text("x.bin: binary file (contains NUL bytes), not a text document") == (
        "x.bin", "二进制文件，不是文本文件 · binary file (contains NUL bytes), not a text document")
    assert reason_text("y.txt: something new", "zh") == ("y.txt", "something new")
    assert reason_text("z.docx: too large (1 bytes)", "en") == ("z.docx", "too large (1 bytes)")


# --- findings: page rows and CSV ------------------------------------------------------------------


def findings_of(db):
    found = queries.findings(db)
    ids = sorted({i for x in found.claim_ids for i in x.split(",")})
    return found, queries.claims_by_id(db, ids)


def test_each_finding_links_every_claim_to_its_place_in_the_document(seeds_db, checks_page):
    found, claims = findings_of(seeds_db)
    rows = checks_page.finding_rows(found, claims, "zh")
    assert len(rows) == len(found) > 0
    for row, f in zip(rows, found.itertuples(), strict=True):
        for claim_id in f.claim_ids.split(","):
            assert f"claim={claim_id})" in row["claims"]
    assert {r["kind"] for r in rows} <= {"分项与总数", "户均人数", "年度跳变", "文件间不一致"}


def test_findings_csv_has_the_bom_the_chinese_header_and_no_formulas(seeds_db):
    found, claims = findings_of(seeds_db)
    found.loc[0, "message"] = "=1+1"
    data = export.findings_csv_bytes(found, claims)
    assert data.startswith(export.BOM)
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
    assert rows[0] == FINDINGS_HEADER and len(rows) == len(found) + 1
    assert rows[1][2] == "'=1+1" and rows[1][8] == found.claim_ids.iloc[0]


def test_findings_csv_route(seeds_db):
    from dashboard.app import create_app

    client = create_app(seeds_db).server.test_client()
    r = client.get("/export/findings.csv?status=ok")
    assert r.status_code == 200 and r.data.startswith(export.BOM)
    rows = list(csv.reader(io.StringIO(r.data[3:].decode("utf-8"))))
    assert rows[0] == FINDINGS_HEADER and {row[1] for row in rows[1:]} <= {"一致"}
    assert "filename*=UTF-8''%E6%A0%B8%E6%9F%A5%E7%BB%93%E6%9E%9C" in r.headers["Content-Disposition"]
    assert client.get("/export/findings.csv?kind=nope").status_code == 400


# --- reviewed values in exports and figures -------------------------------------------------------


def test_reviewed_values_are_marked_in_the_csv_the_chart_and_its_table(db):
    _, claims = uploaded(db)
    writes.review(db, [claims.loc["300户", "claim_id"]], "set", "李", changes=[("value", "350")])
    facts = queries.facts(db, ["monitored_households"], [ZZ_CODE], 2021, 2022)
    rows = list(csv.reader(io.StringIO(export.csv_bytes(facts, facts.iloc[0:0])[3:].decode("utf-8"))))
    assert [(r[2], r[5], r[8]) for r in rows[1:]] == [("2021", "350", "已人工核实"), ("2022", "3345", "机器识别")]
    fig = figures.compare_figure(facts, None, indicator={"name_zh": "监测户", "unit": "household"})
    trace = fig.data[0]
    assert list(trace.text) == ["350户 ✓", "3345户"]
    assert "核实状态：已人工核实" in trace.hovertext[0] and "核实状态：机器识别" in trace.hovertext[1]
    assert "已人工核实 ✓" in [t.name for t in fig.data]
    from dashboard.components import fact_rows

    assert [r["review"] for r in fact_rows(facts, "en")] == ["reviewed by a person ✓", "machine-read"]
