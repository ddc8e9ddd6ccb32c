"""Consistency findings (核查): parts against totals, persons per household, jumps between years, conflicts.
Each finding names the claims involved."""
from __future__ import annotations

import duckdb
import pytest

from etl.storage.build import extract_document


def findings_of(text: str) -> list[dict]:
    return extract_document("doc.txt", text, None).findings


def claim_texts(finding: dict, claims: list[dict]) -> list[str]:
    by_id = {c["id"]: c["text"] for c in claims}
    return [by_id[i] for i in finding["claim_ids"].split(",")]


@pytest.mark.parametrize("sentence,status,named", [
    ("郑州市农业农村局\n2022-10-08\n共争取中央、省资金21651万元;下达市本级资金32820万元;落实县级配套资金23061.78万元;"
     "总投入达到77532.78万元。", "ok", ["77532.78万元", "21651万元", "32820万元", "23061.78万元"]),
    ("郑州市农业农村局\n2022-10-08\n全市共有三类户3345户,其中脱贫不稳定户167户、边缘易致贫户61户、突发严重困难户3117户。",
     "ok", ["3345户", "167户", "61户", "3117户"]),
    ("郑州市农业农村局\n2022-10-08\n全市共有三类户3345户,其中脱贫不稳定户1670户、边缘易致贫户610户、突发严重困难户3117户。",
     "mismatch", ["3345户", "1670户", "610户", "3117户"]),
])
def test_parts_against_the_total_of_the_same_passage(sentence, status, named):
    e = extract_document("doc.txt", sentence, None)
    parts = [f for f in e.findings if f["kind"] == "parts_total"]
    assert [f["status"] for f in parts] == [status]
    assert claim_texts(parts[0], e.claims) == named


def test_a_partial_list_is_not_a_finding():
    assert not [f for f in findings_of("全市共有三类户3345户,其中脱贫不稳定户167户、边缘易致贫户61户。")
                if f["kind"] == "parts_total"]


@pytest.mark.parametrize("text,flagged", [
    ("全市共有建档立卡贫困户26180户96467人。", False),
    ("全市共有建档立卡贫困户2618户96467人。", True),  # 36.8 persons per household
])
def test_persons_per_household_outside_a_plausible_range(text, flagged):
    found = [f for f in findings_of(text) if f["kind"] == "persons_per_household"]
    assert bool(found) == flagged
    if flagged:
        assert found[0]["status"] == "warning" and "36.85" in found[0]["message"]


def test_seed_findings_name_their_claims_in_chinese(seeds_db):
    with duckdb.connect(str(seeds_db), read_only=True) as con:
        rows = con.execute("SELECT f.kind, f.status, f.message, list(c.text ORDER BY c.text) FROM findings f, "
                           "unnest(string_split(f.claim_ids, ',')) AS u(id) JOIN claims c ON c.id = u.id "
                           "GROUP BY ALL").fetchall()
    jumps = [r for r in rows if r[0] == "year_jump" and "脱贫户数" in r[2]]
    assert jumps and jumps[0][1] == "warning" and jumps[0][3] == ["12585户", "25411 户"]
    assert "2018年 25,411 → 2022年 12,585" in jumps[0][2]
    totals = [r for r in rows if r[0] == "parts_total" and "77532.78万元" in r[3]]
    assert totals and totals[0][1] == "ok"
