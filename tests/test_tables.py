"""Figures in tables: spreadsheets (.xlsx, .xls, .csv) and the tables of .docx, HTML and PDF documents, read
cell by cell into claims with their table, row and column, and the 合计 rows checked against their rows.
Every table here is made by the test, with its own figures and real place names (保山市 and its counties, the
townships of 腾冲市 and 龙陵县)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT

from etl.claims.extract import extract_text
from etl.claims.tables import find_blocks
from etl.reading import sheets
from etl.reading.decode import DocumentError
from etl.reading.formats import SUPPORTED, html_to_text, to_text
from etl.storage.ingest import ingest

BAOSHAN = {"隆阳区": "530502", "施甸县": "530521", "龙陵县": "530523", "昌宁县": "530524", "腾冲市": "530581"}


def write_xlsx(path: Path, sheets_rows: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
               formats: dict[str, dict[str, str]] | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets_rows.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        for ref, fmt in (formats or {}).get(name, {}).items():
            ws[ref].number_format = fmt
    wb.save(path)
    return path


def table_claims_of(path: Path, region: str | None = None, date: str | None = None) -> list[dict]:
    return [c for c in extract_text(to_text(path).text, region=region, date=date) if c.get("table")]


def by_cell(claims: list[dict]) -> dict[tuple[int, int], dict]:
    return {(c["table"]["row"], c["table"]["col"]): c for c in claims}


def db_rows(db: Path, sql: str, params: list | None = None) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


COUNTY_ROWS = [
    ["保山市2019年各县（市、区）脱贫攻坚进展情况表"],
    ["单位：户、人、万元"],
    ["县（市、区）", "建档立卡贫困户", "建档立卡贫困人口", "财政专项扶贫资金"],
    ["隆阳区", 5210, 19876, 12650.5],
    ["施甸县", 3120, 11432, 8420.25],
    ["龙陵县", 2860, 10218, 7315],
    ["昌宁县", 2975, 10877, 7702.75],
    ["腾冲市", 4018, 15230, 10486],
    ["合计", 18183, 67633, 46574.5],
    ["注：资金为当年下达数。"],
]


@pytest.fixture()
def county_db(tmp_path) -> tuple[Path, Path]:
    path = write_xlsx(tmp_path / "保山市各县进展.xlsx", {"2019年进展": COUNTY_ROWS}, {"2019年进展": ["A1:D1"]})
    db = tmp_path / "poverty.duckdb"
    report = ingest([path], tmp_path / "documents", db, region="保山市", date="2020-01-15")
    assert not report.problems, report.problems
    return db, path


def test_a_county_table_with_a_total_row_becomes_claims_of_each_county(county_db):
    db, _ = county_db
    rows = db_rows(db, "SELECT * FROM claims WHERE table_name IS NOT NULL ORDER BY table_row, table_col")
    assert len(rows) == 6 * 3
    cells = {(r["table_row"], r["table_col"]): r for r in rows}
    for i, (county, code) in enumerate(BAOSHAN.items()):
        row = COUNTY_ROWS[3 + i]
        households, persons, money = (cells[(i + 1, j)] for j in (1, 2, 3))
        assert households["region_code"] == persons["region_code"] == money["region_code"] == code
        assert (households["value"], households["unit"], households["indicator"]) == (row[1], "household",
                                                                                      "poor_households")
        assert (persons["value"], persons["unit"], persons["indicator"]) == (row[2], "person", "poor_population")
        assert money["unit"] == "yuan" and money["value"] == pytest.approx(row[3] * 10_000)
        assert money["indicator"] == "funding_total"
        assert {households["year"], persons["year"], money["year"]} == {2019}
        assert households["table_name"] == "2019年进展" and households["confidence"] == "high"
        title = COUNTY_ROWS[0][0]
        assert households["sentence"] == f"{title}｜{county}｜建档立卡贫困户：{row[1]}"
    total = cells[(6, 1)]
    assert total["region_code"] == "5305" and total["value"] == 18183
    assert json.loads(total["evidence"])["table"]["total"] == "total"


def test_claims_point_at_their_cells_in_the_document_text(county_db):
    db, _ = county_db
    text = db_rows(db, "SELECT text FROM documents")[0]["text"]
    for r in db_rows(db, "SELECT * FROM claims WHERE table_name IS NOT NULL"):
        line = text[r["sentence_start"]:text.index("\n", r["sentence_start"])]
        assert text[r["char_start"]:r["char_end"]] == r["text"] == line.split("\t")[r["table_col"]]


def test_the_total_row_is_checked_against_the_sum_of_its_rows(county_db):
    db, _ = county_db
    found = db_rows(db, "SELECT * FROM findings WHERE kind = 'table_total' ORDER BY message")
    assert len(found) == 3 and {f["status"] for f in found} == {"ok"}
    ids = {r["id"]: r for r in db_rows(db, "SELECT id, table_row FROM claims WHERE table_name IS NOT NULL")}
    for f in found:
        rows = [ids[i]["table_row"] for i in f["claim_ids"].split(",")]
        assert rows == [6, 1, 2, 3, 4, 5]  # the total first, then the five counties
        assert "2019年进展" in f["message"] and "第7行" in f["message"] and "一致" in f["message"]


def test_a_total_that_does_not_add_up_is_a_mismatch(tmp_path):
    rows = [r[:] for r in COUNTY_ROWS]
    rows[8][2] = 67000  # persons: the counties add up to 67633
    path = write_xlsx(tmp_path / "有误.xlsx", {"2019年进展": rows})
    db = tmp_path / "poverty.duckdb"
    ingest([path], tmp_path / "documents", db, region="保山市", date="2020-01-15")
    found = {f["status"]: f for f in db_rows(db, "SELECT * FROM findings WHERE kind = 'table_total'")}
    assert set(found) == {"ok", "mismatch"}
    bad = db_rows(db, "SELECT * FROM findings WHERE kind = 'table_total' AND status = 'mismatch'")
    assert len(bad) == 1
    assert "第7行第3列" in bad[0]["message"] and "建档立卡贫困人口" in bad[0]["message"]
    assert "67,000" in bad[0]["message"] and "67,633" in bad[0]["message"] and "相差 -633" in bad[0]["message"]
    assert bad[0]["region"] == "保山市" and bad[0]["indicator"] == "poor_population"
    from dashboard import queries  # the 核查 page lists it among the other findings, under its own kind
    from dashboard.i18n import kind_label

    listed = queries.findings(db, kind="table_total", status="mismatch")
    queries.close_all()
    assert list(listed["message"]) == [bad[0]["message"]]
    assert kind_label("table_total", "zh") == "表格合计"


def test_merged_two_row_headers_and_townships_read_in_the_county(tmp_path):
    rows = [["龙陵县2020年各乡镇脱贫情况"],
            ["乡镇", "脱贫户", None, "脱贫人口"],
            [None, "户数", "其中：当年", None],
            ["龙山镇", 812, 95, 3104],
            ["勐糯镇", 450, 61, 1733]]
    path = write_xlsx(tmp_path / "乡镇.xlsx", {"Sheet1": rows}, {"Sheet1": ["A1:D1", "A2:A3", "B2:C2", "D2:D3"]})
    text = to_text(path).text
    assert "乡镇\t脱贫户\t脱贫户\t脱贫人口\n乡镇\t户数\t其中：当年\t脱贫人口" in text
    cells = by_cell(table_claims_of(path, region="龙陵县"))
    assert cells[(2, 1)]["region_code"] == "530523101"  # 龙山镇: fifteen in China, one in 龙陵县
    assert cells[(3, 1)]["region_code"] == "530523103"
    assert (cells[(2, 1)]["unit"], cells[(2, 1)]["indicator"]) == ("household", "lifted_households")
    assert (cells[(2, 3)]["unit"], cells[(2, 3)]["indicator"]) == ("person", "lifted_population")
    assert cells[(2, 1)]["year"] == 2020 and cells[(2, 1)]["year_source"] == "explicit"
    assert "脱贫户/户数" in cells[(2, 1)]["sentence"]


def test_a_unit_line_for_all_columns_and_units_in_the_headers():
    text = ("施甸县扶贫资金使用情况\n单位：万元\n项目\t中央资金\t省级资金\n产业发展\t1250\t830.5\n"
            "基础设施\t960\t410\n\n施甸县收入情况\n乡镇\t农村居民人均可支配收入（元）\t贫困发生率（%）\n"
            "甸阳镇\t9860\t1.2\n")
    claims = {(c["table"]["name"], c["table"]["row"], c["table"]["col"]): c
              for c in extract_text(text, region="施甸县", date="2020-12-31") if c.get("table")}
    assert len(claims) == 6
    money = [c for c in claims.values() if c["table"]["name"] == "表1"]
    assert {c["unit"] for c in money} == {"yuan"} and sorted(c["value"] for c in money) == [
        4_100_000, 8_305_000, 9_600_000, 12_500_000]
    income = next(c for c in claims.values() if c["text"] == "9860")
    assert (income["unit"], income["rate"], income["indicator"]) == ("yuan", "per_person_year",
                                                                      "rural_income_per_capita")
    rate = next(c for c in claims.values() if c["text"] == "1.2")
    assert (rate["unit"], rate["indicator"]) == ("percent", "poverty_incidence")
    assert rate["region_code"] == "530521101" and rate["table"]["name"] == "表2"


def test_years_as_columns(tmp_path):
    rows = [["施甸县脱贫攻坚主要指标"], ["指标", "2018年", "2019年", "2020年"],
            ["贫困户（户）", 3980, 1205, 0], ["贫困人口（人）", 14650, 4321, 0], ["贫困发生率（%）", 5.8, 1.7, 0]]
    cells = by_cell(table_claims_of(write_xlsx(tmp_path / "指标.xlsx", {"主要指标": rows}), region="施甸县"))
    assert [cells[(r, c)]["year"] for r in (1, 2, 3) for c in (1, 2, 3)] == [2018, 2019, 2020] * 3
    assert {cells[(1, c)]["indicator"] for c in (1, 2, 3)} == {"poor_households"}
    assert {cells[(2, c)]["indicator"] for c in (1, 2, 3)} == {"poor_population"}
    assert {cells[(3, c)]["indicator"] for c in (1, 2, 3)} == {"poverty_incidence"}
    assert cells[(3, 2)]["value"] == 1.7 and cells[(3, 2)]["unit"] == "percent"
    assert {c["region_code"] for c in cells.values()} == {"530521"}


def test_years_as_columns_under_a_title_that_names_what_is_counted(tmp_path):
    rows = [["附件2：各县建档立卡贫困户情况表"], ["单位：户"], ["县", "2017年", "2018年"],
            ["施甸县", 5120, 3980], ["龙陵县", 6230, 4410]]
    cells = by_cell(table_claims_of(write_xlsx(tmp_path / "附件.xlsx", {"Sheet1": rows}), region="保山市"))
    assert {c["indicator"] for c in cells.values()} == {"poor_households"}
    assert [cells[(1, c)]["year"] for c in (1, 2)] == [2017, 2018]
    assert cells[(2, 2)]["value"] == 4410 and cells[(2, 2)]["region_code"] == "530523"
    assert "各县建档立卡贫困户" in cells[(2, 2)]["evidence"]["indicator"]["header"]


def test_a_sheet_per_year(tmp_path):
    head = ["乡镇", "监测对象户数", "监测对象人数"]
    book = {"2021年": [head, ["固东镇", 36, 121], ["滇滩镇", 22, 80]],
            "2022年": [head, ["固东镇", 30, 104], ["滇滩镇", 19, 71]]}
    path = write_xlsx(tmp_path / "监测.xlsx", book)
    text = to_text(path).text
    assert text.startswith("【工作表：2021年】\n乡镇\t监测对象户数") and "\n\n【工作表：2022年】\n" in text
    claims = table_claims_of(path, region="腾冲市", date="2023-02-01")
    got = {(c["table"]["name"], c["region_code"], c["indicator"]): (c["value"], c["year"]) for c in claims}
    assert got[("2021年", "530581102", "monitored_households")] == (36, 2021)
    assert got[("2022年", "530581103", "monitored_population")] == (71, 2022)
    assert len(got) == 8


def test_text_blanks_dashes_and_numbers_stored_as_text(tmp_path):
    rows = [["乡镇", "贫困户（户）", "贫困人口（人）"],
            ["固东镇", "暂无", "1,204"], ["滇滩镇", "—", "约300"], ["猴桥镇", None, "待核实"], ["和顺镇", "-", 96]]
    cells = by_cell(table_claims_of(write_xlsx(tmp_path / "杂.xlsx", {"表": rows}), region="腾冲市"))
    assert sorted(cells) == [(1, 2), (2, 2), (4, 2)]
    assert cells[(1, 2)]["value"] == 1204 and cells[(1, 2)]["text"] == "1,204"
    assert cells[(2, 2)]["value"] == 300 and cells[(2, 2)]["qualifier"] == "approx"
    assert cells[(4, 2)]["region_code"] == "530581105"


def test_an_unknown_place_in_a_table_of_places_is_an_unsure_reading():
    text = "乡镇\t贫困户（户）\n固东镇\t120\n新华片区\t35\n"
    cells = by_cell([c for c in extract_text(text, region="腾冲市") if c.get("table")])
    assert cells[(1, 1)]["confidence"] == "high"
    assert (cells[(2, 1)]["region"], cells[(2, 1)]["indicator"], cells[(2, 1)]["confidence"]) == (None, None, "low")
    assert cells[(2, 1)]["indicator_candidate"] == "poor_households"


def test_a_csv_in_gbk(tmp_path):
    path = tmp_path / "昌宁县乡镇.csv"
    content = "昌宁县2019年脱贫情况\n乡镇,脱贫户数,脱贫人口\n田园镇,210,812\n柯街镇,96,377\n合计,306,1189\n"
    path.write_bytes(content.encode("gbk"))
    text = to_text(path).text
    assert text.splitlines()[:3] == ["【工作表：昌宁县乡镇】", "昌宁县2019年脱贫情况", "乡镇\t脱贫户数\t脱贫人口"]
    cells = by_cell(table_claims_of(path, region="昌宁县"))
    assert cells[(1, 1)]["region_code"] == "530524101" and cells[(2, 2)]["region_code"] == "530524103"
    assert (cells[(1, 1)]["unit"], cells[(1, 2)]["unit"]) == ("household", "person")
    assert cells[(1, 1)]["indicator"] == "lifted_households" and cells[(1, 2)]["indicator"] == "lifted_population"
    assert cells[(3, 1)]["region_code"] == "530524" and cells[(3, 1)]["year"] == 2019


def test_an_xls_workbook_with_merged_cells(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("2020年")
    ws.write_merge(0, 0, 0, 2, "保山市2020年各县贫困人口")
    ws.write_merge(1, 2, 0, 0, "县区")
    ws.write_merge(1, 1, 1, 2, "剩余贫困人口")
    ws.write(2, 1, "户数")
    ws.write(2, 2, "人数")
    for i, (county, h, p) in enumerate([("隆阳区", 312, 1011), ("龙陵县", 205, 688)], 3):
        ws.write(i, 0, county)
        ws.write(i, 1, h)
        ws.write(i, 2, float(p))
    path = tmp_path / "剩余.xls"
    book.save(str(path))
    text = to_text(path).text
    assert "县区\t剩余贫困人口\t剩余贫困人口\n县区\t户数\t人数\n隆阳区\t312\t1011" in text
    cells = by_cell(table_claims_of(path, region="保山市"))
    assert cells[(2, 1)]["region_code"] == "530502" and cells[(3, 2)]["region_code"] == "530523"
    assert cells[(3, 2)]["value"] == 688 and cells[(3, 2)]["unit"] == "person" and cells[(3, 2)]["year"] == 2020
    assert cells[(2, 1)]["indicator"] == "remaining_poor_households"


def test_a_docx_table_in_its_place_with_merged_cells(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("龙陵县2020年脱贫攻坚工作总结")
    doc.add_paragraph("全县脱贫攻坚取得决定性成效，各乡镇情况见下表。")
    doc.add_paragraph("表1 各乡镇脱贫情况（单位：户、人）")
    t = doc.add_table(rows=5, cols=3)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "乡镇"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "脱贫户"
    for (r, c), v in {(1, 1): "户数", (1, 2): "人数", (2, 0): "龙山镇", (2, 1): "640", (2, 2): "2310",
                      (3, 0): "勐糯镇", (3, 2): "1450", (4, 0): "合计", (4, 1): "1050", (4, 2): "3760"}.items():
        t.cell(r, c).text = v
    doc.add_paragraph("下一步将巩固拓展脱贫攻坚成果。")
    path = tmp_path / "总结.docx"
    doc.save(str(path))
    text = to_text(path).text
    assert "见下表。\n表1 各乡镇脱贫情况（单位：户、人）\n乡镇\t脱贫户\t脱贫户\n乡镇\t户数\t人数\n" \
           "龙山镇\t640\t2310\n勐糯镇\t\t1450\n合计\t1050\t3760\n下一步" in text
    cells = by_cell(table_claims_of(path, region="龙陵县", date="2021-01-10"))
    assert sorted(cells) == [(2, 1), (2, 2), (3, 2), (4, 1), (4, 2)]
    assert cells[(3, 2)]["unit"] == "person" and cells[(3, 2)]["region_code"] == "530523103"
    assert cells[(2, 1)]["indicator"] == "lifted_households" and cells[(2, 1)]["year"] == 2020
    assert cells[(4, 1)]["region_code"] == "530523" and cells[(2, 1)]["table"]["name"] == "表1"


HTML_TABLE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>腾冲市各乡镇监测帮扶情况</title></head><body>
<div class="article"><h1>腾冲市各乡镇监测帮扶情况</h1>
<p>今年以来，腾冲市持续做好防止返贫动态监测和帮扶工作，各乡镇情况如下表所示。</p>
<table border="1"><tr><th rowspan="2">乡镇</th><th colspan="2">监测对象</th><th rowspan="2">帮扶资金（万元）</th></tr>
<tr><th>户数</th><th>人数</th></tr>
<tr><td>固东镇</td><td>42</td><td>151</td><td>86.5</td></tr>
<tr><td>滇滩镇</td><td></td><td>97</td><td>40</td></tr>
<tr><td>合计</td><td colspan="2">—</td><td>126.5</td></tr></table>
<p>下一步，全市将继续压实责任。</p></div></body></html>"""


def test_an_html_table_with_colspan_and_rowspan():
    text = html_to_text(HTML_TABLE).text
    assert "乡镇\t监测对象\t监测对象\t帮扶资金（万元）\n乡镇\t户数\t人数\t帮扶资金（万元）\n" \
           "固东镇\t42\t151\t86.5\n滇滩镇\t\t97\t40\n合计\t—\t—\t126.5" in text
    cells = by_cell([c for c in extract_text(text, region="腾冲市", date="2022-06-30") if c.get("table")])
    assert cells[(3, 2)]["text"] == "97" and cells[(3, 2)]["unit"] == "person"  # the empty cell kept its column
    assert cells[(3, 2)]["indicator"] == "monitored_population" and cells[(3, 2)]["region_code"] == "530581103"
    assert cells[(2, 3)]["value"] == pytest.approx(865_000) and cells[(2, 3)]["unit"] == "yuan"
    assert cells[(4, 3)]["region_code"] == "530581" and cells[(2, 1)]["year"] == 2022
    assert "下一步，全市将继续压实责任。" in text


def test_a_pdf_table(tmp_path):
    pytest.importorskip("pdfplumber")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=11)
    grid = [["县区", "贫困户（户）", "贫困人口（人）"], ["隆阳区", "1320", "4870"], ["施甸县", "870", "3120"],
            ["合计", "2190", "7990"]]
    table = Table(grid)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light"),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    path = tmp_path / "表.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph("保山市2018年部分县区贫困人口情况", style), table, Paragraph("全市贫困发生率下降到2.1%。", style)])
    text = to_text(path).text
    assert "县区\t贫困户（户）\t贫困人口（人）\n隆阳区\t1320\t4870" in text
    claims = extract_text(text, region="保山市")
    cells = by_cell([c for c in claims if c.get("table")])
    assert cells[(1, 1)]["region_code"] == "530502" and cells[(2, 2)]["region_code"] == "530521"
    assert cells[(2, 2)]["value"] == 3120 and cells[(2, 2)]["indicator"] == "poor_population"
    assert {c["year"] for c in cells.values()} == {2018} and cells[(3, 1)]["region_code"] == "5305"
    prose = [c for c in claims if not c.get("table")]
    assert [c["text"] for c in prose] == ["2.1%"]


def test_prose_leaves_table_lines_to_the_table_reader():
    text = "全县共有贫困户300户。\n乡镇\t贫困户（户）\n固东镇\t120户\n滇滩镇\t180"
    claims = extract_text(text, region="腾冲市")
    assert [(c["text"], bool(c.get("table"))) for c in claims] == [("300户", False), ("120户", True),
                                                                    ("180", True)]


def test_prose_indented_by_tabs_or_with_a_stray_tab_keeps_its_figures():
    text = ("\t截至2019年底，全县共有贫困户1250户。\n\t2020年全县脱贫310户。\n"
            "二、主要成效\t全县累计脱贫人口4620人。\n")
    claims = extract_text(text, region="安龙县", date="2021-01-05")
    assert [(c["text"], c["indicator"], c.get("table")) for c in claims] == [
        ("1250户", "poor_households", None), ("310户", "lifted_households_annual", None),
        ("4620人", "lifted_population", None)]


@pytest.mark.parametrize("folder", ["seeds", "tests/heldout", "tests/metadata"])
def test_no_gold_text_has_table_lines(folder):
    """The gold scores are unchanged by the table reader: no seed, dev or held-out text holds a tab line."""
    texts = [p for p in (ROOT / folder).rglob("*.txt")]
    assert texts
    assert [p.name for p in texts if find_blocks(p.read_text(encoding="utf-8"))] == []


def test_spreadsheets_are_supported_formats():
    assert {".xlsx", ".xls", ".csv"} <= set(SUPPORTED)


# -- bad tables ----------------------------------------------------------------------------------------------

def _break_cell(path: Path, good: bytes, bad: bytes) -> None:
    """Rewrite one cell's stored value in the sheet's XML (a damaged file)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert good in parts[sheet]
    parts[sheet] = parts[sheet].replace(good, bad, 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_damaged_cell_names_the_file_sheet_and_cell_and_nothing_changes(tmp_path, county_db):
    db, _ = county_db
    before = db.read_bytes()
    bad = write_xlsx(tmp_path / "坏表.xlsx", {"2020年": [["乡镇", "贫困户（户）"], ["固东镇", 120], ["滇滩镇", 80]]})
    _break_cell(bad, b"<v>80</v>", b"<v>8O</v>")
    with pytest.raises(DocumentError) as err:
        to_text(bad)
    assert "'2020年'" in str(err.value) and "B3" in str(err.value)
    good = tmp_path / "好表.csv"
    good.write_text("乡镇,贫困户数\n固东镇,31\n滇滩镇,17\n", encoding="utf-8")
    report = ingest([bad, good], tmp_path / "documents", db, region="腾冲市")
    assert report.added == ["好表.csv"]
    assert len(report.problems) == 1 and report.problems[0].startswith("坏表.xlsx: ")
    assert "B3" in report.problems[0] and "2020年" in report.problems[0]
    report = ingest([bad], tmp_path / "documents", db, region="腾冲市")
    assert report.problems and not report.added
    stored = db_rows(db, "SELECT count(*) AS n FROM documents")[0]["n"]
    assert stored == 2 and db.read_bytes() != before  # the good one went in; then the bad one alone changed nothing
    after = db.read_bytes()
    ingest([bad], tmp_path / "documents", db, region="腾冲市")
    assert db.read_bytes() == after


@pytest.mark.parametrize("name,data", [("断.xlsx", b"PK\x03\x04broken"), ("断.xls", b"\xd0\xcf\x11\xe0broken"),
                                       ("改名.xlsx", b"just text renamed"), ("坏.csv", b"\x00\x01\x02\x03" * 50)])
def test_broken_spreadsheets_are_refused_by_name(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    report = ingest([path], tmp_path / "documents", tmp_path / "p.duckdb")
    assert len(report.problems) == 1 and report.problems[0].startswith(f"{name}: ")
    assert not (tmp_path / "p.duckdb").exists()


def test_a_spreadsheet_past_the_text_limit_is_refused_at_its_sheet_and_row(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_BYTES", 2000)
    rows = [["乡镇", "贫困户数"]] + [[f"村{i}", i] for i in range(400)]
    with pytest.raises(DocumentError, match=r"sheet '大表', row \d+: .*split it"):
        to_text(write_xlsx(tmp_path / "大.xlsx", {"大表": rows}))


def test_numbers_are_written_as_a_spreadsheet_shows_them(tmp_path):
    rows = [["项目", "金额（元）", "比例"], ["甲", 12345.600000000002, 0.125], ["乙", 10_000_000, 0.5]]
    path = write_xlsx(tmp_path / "数.xlsx", {"数": rows}, formats={"数": {"C2": "0.0%", "C3": "0%"}})
    assert to_text(path).text.splitlines()[2:] == ["甲\t12345.6\t12.5%", "乙\t10000000\t50%"]


def test_an_html_table_whose_spans_would_fill_millions_of_cells_is_refused():
    cells = "".join('<td colspan="200" rowspan="200">1</td>' for _ in range(30))
    page = f"<html><body><p>正文内容足够长的一段文字，说明各乡镇情况。</p><table><tr>{cells}</tr></table></body></html>"
    with pytest.raises(DocumentError, match="HTML table of more than"):
        html_to_text(page)


def test_build_and_extract_read_spreadsheets_in_a_folder(tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "docs"
    folder.mkdir()
    write_xlsx(folder / "腾冲市乡镇.xlsx", {"2020年": [["乡镇", "脱贫户数"], ["固东镇", 64], ["滇滩镇", 51]]})
    from etl.storage.build import build

    db = tmp_path / "p.duckdb"
    report = build(folder, db)
    assert not report.problems
    rows = db_rows(db, "SELECT value, region, year, table_name FROM claims ORDER BY table_row")
    assert rows == [{"value": 64, "region": "腾冲市固东镇", "year": 2020, "table_name": "2020年"},
                    {"value": 51, "region": "腾冲市滇滩镇", "year": 2020, "table_name": "2020年"}]
    proc = subprocess.run([sys.executable, "-m", "etl", "extract", str(folder / "腾冲市乡镇.xlsx")], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    lines = [json.loads(ln) for ln in proc.stdout.splitlines()]
    assert [(c["value"], c["table"]["row"], c["table"]["col"]) for c in lines] == [(64, 1, 1), (51, 2, 1)]


def test_places_as_columns():
    text = ("保山市2020年各县区主要指标\n指标\t隆阳区\t施甸县\t全市\n脱贫户数（户）\t5210\t3120\t8330\n"
            "农村居民人均可支配收入（元）\t12850\t11930\t12400\n")
    cells = by_cell([c for c in extract_text(text, region="保山市") if c.get("table")])
    assert [cells[(1, j)]["region_code"] for j in (1, 2, 3)] == ["530502", "530521", "5305"]
    assert {cells[(1, j)]["indicator"] for j in (1, 2, 3)} == {"lifted_households"}
    assert {cells[(2, j)]["indicator"] for j in (1, 2, 3)} == {"rural_income_per_capita"}
    assert cells[(2, 2)]["value"] == 11930 and cells[(2, 2)]["unit"] == "yuan" and cells[(2, 2)]["year"] == 2020


def test_a_column_of_totals_is_checked_against_its_row(tmp_path):
    rows = [["保山市2020年各县区脱贫户数"], ["指标", "隆阳区", "施甸县", "龙陵县", "全市"],
            ["脱贫户数（户）", 5210, 3120, 2860, 11190], ["脱贫人口（人）", 19876, 11432, 10218, 41000]]
    db = tmp_path / "poverty.duckdb"
    ingest([write_xlsx(tmp_path / "列.xlsx", {"县区": rows})], tmp_path / "documents", db, region="保山市")
    found = {f["indicator"]: f for f in db_rows(db, "SELECT * FROM findings WHERE kind = 'table_total'")}
    assert found["lifted_households"]["status"] == "ok"
    assert found["lifted_population"]["status"] == "mismatch" and "其余 3 列之和 41,526" in found[
        "lifted_population"]["message"]
    assert found["lifted_population"]["region"] == "保山市"
