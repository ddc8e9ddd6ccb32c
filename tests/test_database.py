"""The built database: declared checks pass, the headline facts are right, builds are deterministic."""
from __future__ import annotations

import duckdb
import pytest
from conftest import SEEDS

from etl.storage.build import build
from etl.storage.checks import run_checks

TABLES = ("documents", "indicators", "regions", "claims", "facts")


def fact(db, region: str, year: int, indicator: str) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT value, qualifier FROM facts WHERE region_code = ? AND year = ? AND indicator = ?",
                           [region, year, indicator]).fetchone()


def test_declared_checks_pass(seeds_db):
    with duckdb.connect(str(seeds_db), read_only=True) as con:
        assert run_checks(con) == []


def test_checks_catch_a_broken_table(seeds_db, tmp_path):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(seeds_db.read_bytes())
    with duckdb.connect(str(broken)) as con:
        con.execute("UPDATE claims SET unit = 'furlong', char_end = char_end + 1 "
                    "WHERE id = (SELECT min(id) FROM claims)")
        con.execute("INSERT INTO facts SELECT region_code, region, year + 1000, 'no_such_indicator', value, "
                    "value_high, unit, "
                    "qualifier, n_claims, conflict, claim_id, doc_id, reviewed FROM facts LIMIT 1")
        failures = run_checks(con)
    assert any("claims.unit" in f for f in failures)
    assert any("facts.indicator" in f for f in failures)
    assert any("documents.text[char_start:char_end]" in f for f in failures)


def test_checks_of_an_added_document_read_its_spans(seeds_db, tmp_path):
    """An incremental build skips the span check only for documents checked before, not for new ones."""
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(seeds_db.read_bytes())
    with duckdb.connect(str(broken)) as con:
        new_doc = con.execute("SELECT min(doc_id) FROM claims").fetchone()[0]
        con.execute("CREATE TEMP TABLE checked AS SELECT id FROM documents WHERE id <> ?", [new_doc])
        con.execute("UPDATE claims SET char_end = char_end + 1 WHERE id = "
                    "(SELECT min(id) FROM claims WHERE doc_id = ?)", [new_doc])
        assert any("documents.text[char_start:char_end]" in f for f in run_checks(con, "checked"))


@pytest.mark.parametrize("region,year,indicator,value,qualifier", [
    ("4101", 2013, "poor_population", 96467, "exact"),  # 郑州市
    ("4101", 2013, "poor_households", 26180, "exact"),
    ("4101", 2022, "lifted_population", 46819, "exact"),
    ("32", 2016, "poor_population", 2770000, "exact"),  # 江苏省
    ("32", 2019, "lifted_population_annual", 551500, "approx"),
])
def test_headline_facts(seeds_db, region, year, indicator, value, qualifier):
    assert fact(seeds_db, region, year, indicator) == (value, qualifier)


def test_every_claim_keeps_its_provenance(seeds_db):
    with duckdb.connect(str(seeds_db), read_only=True) as con:
        rows = con.execute("SELECT d.text, c.char_start, c.char_end, c.text, c.sentence FROM claims c "
                           "JOIN documents d ON d.id = c.doc_id").fetchall()
    assert len(rows) > 200
    for doc, start, end, text, sentence in rows:
        assert doc[start:end] == text and text in sentence


def test_facts_flag_disagreeing_documents(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, date, value in (("a.txt", "2020-06-01", 1000), ("b.txt", "2021-06-01", 1200)):
        text = f"郑州市农业农村局\n{date}\n截至2019年底,全市建档立卡贫困户{value}户。"
        (docs / name).write_text(text, encoding="utf-8")
    db = tmp_path / "x.duckdb"
    build(docs, db)
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT f.value, f.n_claims, f.conflict, d.file FROM facts f JOIN documents d "
                          "ON d.id = f.doc_id WHERE indicator = 'poor_households'").fetchone()
    assert row == (1200, 2, True, "b.txt")  # the newer document wins, the disagreement is flagged
    with duckdb.connect(str(db), read_only=True) as con:  # and listed among the findings, naming both claims
        found = con.execute("SELECT status, message, claim_ids FROM findings WHERE kind = 'conflict'").fetchall()
        named = con.execute("SELECT list(text ORDER BY text) FROM claims WHERE list_contains(string_split(?, ','), id)",
                            [found[0][2]]).fetchone()[0]
    assert len(found) == 1 and found[0][0] == "mismatch"
    assert found[0][1] == "郑州市 2019年 建档立卡贫困户数: 不同来源数值不一致 (1,000、1,200)"
    assert named == ["1000户", "1200户"]


def test_same_documents_give_the_same_rows(seeds_db, tmp_path):
    again = tmp_path / "again.duckdb"
    build(SEEDS, again)
    for table in TABLES:
        query = f"SELECT * FROM {table} ORDER BY ALL"
        with duckdb.connect(str(seeds_db), read_only=True) as a, duckdb.connect(str(again), read_only=True) as b:
            assert a.execute(query).fetchall() == b.execute(query).fetchall(), table


def test_a_bad_document_does_not_stop_the_build_or_touch_the_old_database(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (docs / seed.name).write_bytes(seed.read_bytes())
    (docs / "scan.pdf").write_bytes(b"%PDF-1.4" + bytes(range(256)) * 10)
    db = tmp_path / "poverty.duckdb"
    report = build(docs, db)
    assert report.documents == 2 and len(report.problems) == 1 and "scan.pdf" in report.problems[0]
    before = db.read_bytes()
    report = build(tmp_path / "missing", db)
    assert report.problems and db.read_bytes() == before


def test_rebuild_reuses_unchanged_documents_and_extracts_new_ones(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (docs / seed.name).write_bytes(seed.read_bytes())
    db = tmp_path / "poverty.duckdb"
    first = build(docs, db, workers=2)
    assert (first.extracted, first.reused) == (5, 0)
    (docs / "new.txt").write_text("常德市扶贫办\n2021-05-01\n截至2020年底,全市剩余贫困人口0人,脱贫率100%。",
                                  encoding="utf-8")
    second = build(docs, db, workers=2)
    assert (second.extracted, second.reused) == (1, 5) and second.documents == 6
    scratch = tmp_path / "scratch.duckdb"
    build(docs, scratch, reuse=False)
    for table in TABLES:
        query = f"SELECT * FROM {table} ORDER BY ALL"
        with duckdb.connect(str(db), read_only=True) as a, duckdb.connect(str(scratch), read_only=True) as b:
            assert a.execute(query).fetchall() == b.execute(query).fetchall(), table


@pytest.mark.parametrize("second,conflict", [
    ("2020年,全市农村低保标准为每人每月450元。", True),  # the same measure, another figure: a disagreement
    ("2020年,全市农村低保标准为4800元/年。", False),  # per year against per person per month: not the same measure
])
def test_conflicts_compare_figures_at_the_same_rate(tmp_path, second, conflict):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("郑州市民政局\n2021-06-01\n2020年,全市农村低保标准为每人每月400元。", encoding="utf-8")
    (docs / "b.txt").write_text(f"郑州市民政局\n2020-06-01\n{second}", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    build(docs, db)
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT f.value, c.rate, f.n_claims, f.conflict FROM facts f JOIN claims c "
                          "ON c.id = f.claim_id WHERE f.indicator = 'rural_dibao_standard'").fetchone()
        kinds = [k for (k,) in con.execute("SELECT kind FROM findings WHERE kind = 'conflict'").fetchall()]
    assert row == (400, "per_person_month", 2, conflict)
    assert bool(kinds) == conflict
