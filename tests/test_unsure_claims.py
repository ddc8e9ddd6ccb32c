"""Unsure readings in the dashboard: not facts by default, shown marked on request (``unsure=1``), and first in the
待复核 queue, ordered by how much a yes would change a chart, with one click to accept the candidate.

A county report written for this test: two sure register stocks, one sure rural income, and two readings of
"全县人均可支配收入" (whose income is not said: low confidence, candidate rural_income_per_capita). The 2018 one
would add a point where there is none; the 2019 one competes with the sure 13,500 元 of the same year.
"""
from __future__ import annotations

import importlib
import io

import dash
import duckdb
import pandas as pd
import pytest

from dashboard import charts, export, queries
from dashboard.params import CompareParams, parse_compare
from etl.storage.build import build

REPORT = """兰考县2019年脱贫攻坚工作总结
截至2019年底，兰考县共有建档立卡贫困人口8120人。2019年全县人均可支配收入13100元。
2019年，兰考县农村居民人均可支配收入13500元。
截至2018年底，兰考县共有建档立卡贫困人口9050人。2018年全县人均可支配收入12050元。
"""
LANKAO = "410225"
INCOME = "rural_income_per_capita"


@pytest.fixture
def db(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "lankao.txt").write_text(REPORT, encoding="utf-8")
    path = tmp_path / "poverty.duckdb"
    assert not build(docs, path).problems
    return path


@pytest.fixture(scope="module")
def data_page(seeds_db):
    from dashboard.app import create_app

    create_app(seeds_db)
    return importlib.import_module("dashboard.pages.data")


def _income_facts(db) -> dict[int, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT year, value FROM facts WHERE region_code = ? AND indicator = ?",
                           [LANKAO, INCOME]).fetchall()
    return dict(rows)


def _compare(db, unsure: bool) -> charts.Chart:
    return charts.compare_chart(db, CompareParams(INCOME, (LANKAO,), 2018, 2019, "abs", "zh", unsure))


def test_unsure_readings_are_not_facts(db):
    assert _income_facts(db) == {2019: 13500.0}
    assert all("未确定" not in (trace.name or "") for trace in _compare(db, False).figure.data)


def test_the_toggle_shows_them_hollow_and_marked_in_chart_table_and_csv(db):
    chart = _compare(db, True)
    unsure = [trace for trace in chart.figure.data if trace.customdata is not None and
              trace.customdata[0][-1] == "unsure"]
    divisor = chart.figure.layout.meta["divisor"]
    assert len(unsure) == 1 and [str(x) for x in unsure[0].x] == ["2018", "2019"]
    assert [round(y * divisor) for y in unsure[0].y] == [12050, 13100]
    assert unsure[0].mode == "markers" and "open" in unsure[0].marker.symbol
    assert all("未确定" in text for text in unsure[0].hovertext)
    assert any(trace.name == "未确定（待复核）" for trace in chart.figure.data)  # the legend says what hollow means
    table = pd.read_csv(io.BytesIO(export.csv_bytes(chart.rows(), chart.alternatives)), encoding="utf-8-sig")
    assert dict(zip(table["数值"], table["核实状态"], strict=True)) == {
        13500: "机器识别", 12050: "未确定（待复核）", 13100: "未确定（待复核）"}


def test_the_toggle_lives_in_the_url(db):
    p = parse_compare({"indicator": INCOME, "regions": LANKAO, "from": "2018", "to": "2019", "unsure": "1"}, db)
    assert p.unsure and "unsure=1" in p.search()
    assert "unsure" not in CompareParams(INCOME, (LANKAO,), 2018, 2019).search()


def test_a_click_on_an_unsure_point_shows_its_sentence_marked(db):
    claims = queries.point_claims(db, LANKAO, 2019, INCOME, unsure=True)
    assert list(zip(claims.value, claims.unsure, strict=True)) == [(13500, False), (13100, True)]
    assert list(queries.point_claims(db, LANKAO, 2019, INCOME).value) == [13500]


def test_the_queue_puts_unsure_readings_first_the_biggest_change_on_top(db):
    queue = queries.claims(db, status=queries.QUEUE)
    low = queue[queue.confidence == "low"]
    assert list(queue.confidence[: len(low)]) == ["low"] * len(low)  # low-confidence readings first
    assert list(low.value[:2]) == [12050, 13100]  # a new point (2018) before a 3 % change to one (2019)
    assert set(low.candidate[:2]) == {INCOME}


def test_one_click_accepts_the_candidate_and_the_fact_appears(db, data_page, monkeypatch):
    monkeypatch.setattr(data_page, "db_path", lambda: str(db))
    queue = queries.claims(db, status=queries.QUEUE)
    row = next(r for r in data_page.claim_rows(queue, "zh") if r["value"] == 12050)
    assert row["indicator"].startswith("农村居民人均可支配收入？") and row["accept_candidate"]
    message, state, version = data_page.accept_candidate(
        {"colId": "accept_candidate", "rowId": row["claim_id"], "value": row["accept_candidate"]}, "张三", 0, "zh")
    assert state.endswith("ok") and version == 1, message
    assert _income_facts(db) == {2018: 12050.0, 2019: 13500.0}
    assert row["claim_id"] not in set(queries.claims(db, status=queries.QUEUE).claim_id)



def test_a_click_elsewhere_in_the_row_accepts_nothing(db, data_page, monkeypatch):
    monkeypatch.setattr(data_page, "db_path", lambda: str(db))
    claim = queries.claims(db, status=queries.QUEUE).claim_id.iloc[0]
    out = data_page.accept_candidate({"colId": "sentence", "rowId": claim, "value": "x"}, "张三", 0, "zh")
    assert all(x is dash.no_update for x in out)
    assert _income_facts(db) == {2019: 13500.0}
