"""Regions by code in the database: facts keyed by 统计用区划代码, a shared name resolved from a document's
context or left for review, and a reviews log written before the codes still applying on a rebuild.

The documents are made up for these tests (places real, figures invented)."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from etl.reading.formats import to_text
from etl.storage.build import build, claim_id, text_id

NANJING_GULOU = """南京市鼓楼区民政局
2021-02-05
鼓楼区2020年社会救助工作总结
2020年，鼓楼区认真落实南京市社会救助政策，全区共有城乡低保对象1286户2311人，全年发放低保金2468.5万元。全区建档立卡低收入户132户。
"""
FUZHOU_GULOU = """福州市鼓楼区民政局
2021-03-10
鼓楼区2020年社会救助工作情况
2020年，鼓楼区按照福州市统一部署，全区共有城乡低保对象975户1640人，全年发放低保金1532万元。全区建档立卡低收入户88户。
"""
BARE_GULOU = """鼓楼区2020年社会救助简报
2020年，鼓楼区共有城乡低保对象640户1103人，全年发放低保金870万元。
"""
NANJING = """南京市民政局
2021-01-20
南京市2020年社会救助工作总结
2020年，全市共有城乡低保对象5120户9876人，全年发放低保金9650万元。全市建档立卡低收入户612户，脱贫户405户。全市特困供养人员830人。
"""
GULOU = ("320106", "320302", "350102", "410204")  # the four 鼓楼区: 南京, 徐州, 福州, 开封


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def gulou_db(tmp_path_factory) -> Path:
    docs = tmp_path_factory.mktemp("gulou")
    for name, text in (("nanjing.txt", NANJING_GULOU), ("fuzhou.txt", FUZHOU_GULOU), ("bare.txt", BARE_GULOU)):
        (docs / name).write_text(text, encoding="utf-8")
    db = docs.parent / "gulou.duckdb"
    report = build(docs, db, workers=1)
    assert not report.problems, report.problems
    return db


def test_two_documents_about_gulou_give_two_regions_by_code(gulou_db):
    facts = rows(gulou_db, "SELECT region_code, region, value FROM facts WHERE indicator = 'dibao_households' "
                           "ORDER BY region_code")
    assert facts == [("320106", "南京市鼓楼区", 1286), ("350102", "福州市鼓楼区", 975)]
    regions = dict(rows(gulou_db, "SELECT code, name FROM regions WHERE list_contains(?, code)", [list(GULOU)]))
    assert regions["320106"] == "南京市鼓楼区" and regions["350102"] == "福州市鼓楼区"


def test_gulou_without_context_is_left_for_review(gulou_db):
    bare = text_id(BARE_GULOU)
    claims = rows(gulou_db, "SELECT text, region, region_code FROM claims WHERE doc_id = ?", [bare])
    assert {t for t, _, _ in claims} == {"640户", "1103人", "870万元"}
    assert all(region is None and code is None for _, region, code in claims)  # not one of the four
    queue = rows(gulou_db, "SELECT text FROM review_queue WHERE doc_id = ?", [bare])
    assert sorted(t for (t,) in queue) == sorted(t for t, _, _ in claims)
    assert rows(gulou_db, "SELECT count(*) FROM facts f JOIN claims c ON c.id = f.claim_id WHERE c.doc_id = ?",
                [bare]) == [(0,)]


# --- a reviews log written before the codes ---------------------------------------------------------------

# mention -> (action, field, new): what a reviewer did through the old name-keyed code. The regions are the
# names that code logged: a standard name, a bare name several places share, an alias, a place it did not know.
OLD_REVIEWS = [
    ("5120户", "accept", None, None),
    ("9876人", "reject", None, None),
    ("9650万元", "set", "indicator", "funding_city"),
    ("9650万元", "set", "value", "97000000"),
    ("9650万元", "set", "region", "江苏"),
    ("612户", "set", "region", "鼓楼区"),  # in a 南京市 document: 南京市's 鼓楼区
    ("405户", "set", "region", "郑州市"),
    ("405户", "set", "year", "2019"),
    ("830人", "set", "indicator", "dibao_population"),
    ("830人", "set", "region", "紫金山科技园"),  # no division of that name: kept as written
    ("612户", "accept", None, None),  # accepting a corrected claim keeps it corrected
]


def write_old_log(path: Path, doc: Path) -> None:
    """The reviews log as the name-keyed code wrote it: keyed by document checksum and offsets."""
    text = to_text(doc).text
    doc_id = text_id(text)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["seq", "reviewed_at", "who", "claim_id", "doc_id", "char_start", "char_end", "action", "field",
                    "old", "new"])
        for seq, (mention, action, field, new) in enumerate(OLD_REVIEWS, 1):
            start = text.index(mention)
            end = start + len(mention)
            old = {"region": "南京市"}.get(field or "", "")
            w.writerow([seq, f"2024-05-0{seq % 9 + 1}T10:00:00+00:00", "李审核", claim_id(doc_id, start, end), doc_id,
                        start, end, action, field or "", old, new or ""])


@pytest.fixture(scope="module")
def reviewed_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("old")
    docs = folder / "documents"
    docs.mkdir()
    (docs / "nanjing.txt").write_text(NANJING, encoding="utf-8")
    log = folder / "reviews.csv"
    write_old_log(log, docs / "nanjing.txt")
    db = folder / "poverty.duckdb"
    report = build(docs, db, reviews_log=log, workers=1)
    assert not report.problems, report.problems
    return db


def claim_rows(db: Path) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in rows(db, "SELECT text, status, value, indicator, year, region, region_code "
                                          "FROM claims")}


def test_every_review_of_an_old_log_applies_after_a_rebuild(reviewed_db):
    claims = claim_rows(reviewed_db)
    assert claims["5120户"] == ("accepted", 5120, "dibao_households", 2020, "南京市", "3201")
    assert claims["9876人"][0] == "rejected"
    assert claims["9650万元"] == ("corrected", 97000000, "funding_city", 2020, "江苏省", "32")
    assert claims["612户"] == ("corrected", 612, "poor_households", 2020, "南京市鼓楼区", "320106")
    assert claims["405户"] == ("corrected", 405, "lifted_households", 2019, "郑州市", "4101")
    assert claims["830人"] == ("corrected", 830, "dibao_population", 2020, "紫金山科技园", None)
    assert len(rows(reviewed_db, "SELECT * FROM reviews")) == len(OLD_REVIEWS)


def test_the_facts_follow_the_reviews_by_code(reviewed_db):
    facts = {r[:3]: r[3:] for r in rows(reviewed_db, "SELECT region_code, year, indicator, region, value, reviewed "
                                                     "FROM facts")}
    assert facts[("3201", 2020, "dibao_households")] == ("南京市", 5120, True)
    assert ("3201", 2020, "dibao_population") not in facts  # rejected
    assert facts[("32", 2020, "funding_city")] == ("江苏省", 97000000, True)
    assert facts[("320106", 2020, "poor_households")] == ("南京市鼓楼区", 612, True)
    assert facts[("4101", 2019, "lifted_households")] == ("郑州市", 405, True)
    assert facts[("name:紫金山科技园", 2020, "dibao_population")] == ("紫金山科技园", 830, True)  # nothing lost
    assert rows(reviewed_db, "SELECT name, level FROM regions WHERE code = 'name:紫金山科技园'") == [
        ("紫金山科技园", "other")]


def test_a_rebuild_on_the_previous_database_gives_the_same_rows(reviewed_db, tmp_path):
    """Re-applying the log to claims it already changed (an incremental rebuild) changes nothing."""
    before = claim_rows(reviewed_db), rows(reviewed_db, "SELECT * FROM facts ORDER BY ALL")
    copy = tmp_path / "poverty.duckdb"
    copy.write_bytes(reviewed_db.read_bytes())
    report = build(reviewed_db.parent / "documents", copy, reviews_log=reviewed_db.parent / "reviews.csv",
                   workers=1)
    assert report.reused == 1
    assert (claim_rows(copy), rows(copy, "SELECT * FROM facts ORDER BY ALL")) == before


def test_a_shared_name_the_claim_does_not_tell_keeps_the_name_and_no_code(tmp_path):
    from etl.storage.reviews import Review, apply_reviews

    claim = {"id": "c", "doc_id": "d", "char_start": 0, "char_end": 3, "region": "郑州市", "region_code": "4101",
             "status": "machine"}
    log = [Review(1, "2024-01-01T00:00:00", "li", "c", "d", 0, 3, "set", "region", "郑州市", "鼓楼区")]
    apply_reviews([claim], log)
    assert (claim["region"], claim["region_code"], claim["status"]) == ("鼓楼区", None, "corrected")


def test_a_new_review_with_a_shared_name_is_refused_with_the_candidates():
    from etl.storage.reviews import ReviewError, make_review

    claim = {"id": "c", "doc_id": "d", "char_start": 0, "char_end": 3, "region": "郑州市", "region_code": "4101"}
    with pytest.raises(ReviewError, match=r"南京市鼓楼区 \(320106\)"):
        make_review(claim, "set", "li", 1, "region", "鼓楼区")
    assert make_review(claim, "set", "li", 1, "region", "350102").new == "福州市鼓楼区"  # logged by its name
    assert make_review({**claim, "region_code": "3501"}, "set", "li", 1, "region", "鼓楼区").new == "福州市鼓楼区"
