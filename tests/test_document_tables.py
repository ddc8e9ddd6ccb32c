"""The document page shows the tables of a document's text (blocks of TAB lines) as HTML tables: the title
and unit lines above, a merged header cell joined again, the cells that hold a claim coloured like the claim
marks of prose and linked the same way, the row of the claim opened with ``?claim=ID`` marked; a
spreadsheet's sheet line is a heading. Built by ``etl build`` from text documents written for this test."""
from __future__ import annotations

import importlib

import duckdb
import pytest
from dash import dcc, html
from layout_text import text

from dashboard import queries
from dashboard.components import highlighted_sentence
from etl.storage.build import build

REPORT = (
    "六安市2020年脱贫攻坚工作总结\n六安市乡村振兴局\n2021年1月20日\n"
    "2020年，全市脱贫攻坚取得决定性成效，全年脱贫人口59140人。\n"
    "附件1：各县区脱贫人口情况表\n单位：人\n"
    "县区\t脱贫人口\t脱贫人口\n"
    "县区\t2019年\t2020年\n"
    "金寨县\t21350人\t23800人\n"
    "霍邱县\t18420人\t20110人\n"
    "舒城县\t\t15230人\n"
    "\n下一步，各县区将继续巩固脱贫成果。\n"
)
SHEETS = (
    "【工作表：2020年】\n霍山县各乡镇监测户情况\n单位：户\n乡镇\t监测户\n衡山镇\t36户\n佛子岭镇\t21户\n\n"
    "【工作表：说明】\n数据截至2020年12月31日。\n"
)
LONG = "各组监测户数\n组别\t监测户\n" + "".join(f"第{i + 1}组\t{i % 40 + 3}户\n" for i in range(450))
TABLE_LINES = REPORT.split("\n")[6:11]  # the table block of REPORT, header rows counted


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The database ``etl build`` makes of the two documents, and the ids of the documents."""
    docs = tmp_path_factory.mktemp("table_docs")
    (docs / "luan_report.txt").write_text(REPORT, encoding="utf-8")
    (docs / "huoshan_sheets.txt").write_text(SHEETS, encoding="utf-8")
    (docs / "long_table.txt").write_text(LONG, encoding="utf-8")
    db = docs.parent / "tables.duckdb"
    report = build(docs, db)
    assert not report.problems, report.problems
    with duckdb.connect(str(db), read_only=True) as con:
        ids = dict(con.execute("SELECT file, id FROM documents").fetchall())
    yield db, ids
    queries.close_all()


def render(db, **query):
    """The document page's layout for ``query``, rendered in the app's context."""
    from dashboard.app import create_app

    app = create_app(db)
    page = importlib.import_module("dashboard.pages.document")
    with app.server.app_context():
        return page.layout(**query)


def walk(c):
    """Every component below ``c`` (itself first), depth first."""
    if isinstance(c, list | tuple):
        for x in c:
            yield from walk(x)
    elif hasattr(c, "to_plotly_json"):
        yield c
        yield from walk(getattr(c, "children", None))


def doc_text(layout):
    return next(c for c in walk(layout) if getattr(c, "id", None) == "document-text")


def rows_of(table: html.Table) -> list[list]:
    """The table's rows (header rows first) as lists of their th/td components."""
    return [[c for c in tr.children] for tr in walk(table) if isinstance(tr, html.Tr)]


def cell_claims(db, doc_id: str) -> dict[tuple[int, int], str]:
    """(row, column) in TABLE_LINES -> claim id, for each claim whose figure lies in a cell of the table, by
    the claim's offsets (worked out here from the text, independently of the page)."""
    first = REPORT.index(TABLE_LINES[0])
    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        claims = con.execute("SELECT id, char_start FROM claims WHERE doc_id = ?", [doc_id]).fetchall()
    for cid, start in claims:
        at = first
        for r, line in enumerate(TABLE_LINES):
            if at <= start < at + len(line):
                col = REPORT[at:start].count("\t")
                out[(r, col)] = cid
            at += len(line) + 1
    return out


def test_a_table_block_is_shown_as_a_table_with_its_claimed_cells_highlighted(built):
    db, ids = built
    doc = ids["luan_report.txt"]
    body = doc_text(render(db, doc=doc))
    tables = [c for c in walk(body) if isinstance(c, html.Table)]
    assert len(tables) == 1
    rows = rows_of(tables[0])
    assert [[text(c) for c in row] for row in rows[2:]] == [line.split("\t") for line in TABLE_LINES[2:]]
    assert [text(c) for c in rows[1]] == ["2019年", "2020年"]  # 县区 is shown once, over both header rows
    assert [text(c) for c in rows[0]] == ["县区", "脱贫人口"]
    column, merged = rows[0]  # 脱贫人口 over both years: one header cell again
    assert isinstance(merged, html.Th) and merged.colSpan == 2 and not hasattr(merged, "rowSpan")
    assert column.rowSpan == 2 and not hasattr(column, "colSpan")

    claimed = cell_claims(db, doc)
    assert (2, 2) in claimed and (3, 1) in claimed  # 金寨县 2020, 霍邱县 2019
    for r, row in enumerate(rows[2:], start=2):
        for col, cell in enumerate(row):
            marks = [m for m in walk(cell) if isinstance(m, html.Mark)]
            if (r, col) in claimed:
                assert "cell-claim" in cell.className, (r, col)
                assert [m.id for m in marks] == [f"c-{claimed[r, col]}"]
                link = next(x for x in walk(cell) if isinstance(x, dcc.Link | html.Mark))
                assert isinstance(link, dcc.Link) == ("placed" in cell.className.split())
            else:
                assert not getattr(cell, "className", None) and not marks, (r, col)

    captions = [text(c) for c in walk(body) if getattr(c, "className", None) == "table-caption"]
    assert captions == ["附件1：各县区脱贫人口情况表", "单位：人"]
    children = body.children
    order = [i for i, c in enumerate(children) if getattr(c, "className", None) in ("table-caption", "doc-table-wrap")]
    assert order == [order[0], order[0] + 1, order[0] + 2]  # title, unit line, then the table
    prose = "".join(c for c in children if isinstance(c, str))
    assert "\t" not in prose and "金寨县" not in prose  # no raw tab text left
    assert prose.startswith("六安市2020年脱贫攻坚工作总结\n六安市乡村振兴局") and "下一步，各县区" in prose
    assert any(isinstance(m, html.Mark) and m.children == "59140人" for m in walk(children))  # prose marks kept


def test_the_page_puts_each_table_claim_in_the_row_and_column_the_etl_stored(built):
    db, ids = built
    doc = ids["luan_report.txt"]
    with duckdb.connect(str(db), read_only=True) as con:
        stored = {f"c-{cid}": (row, col) for cid, row, col in con.execute(
            "SELECT id, table_row, table_col FROM claims WHERE doc_id = ? AND table_row IS NOT NULL", [doc]).fetchall()}
    shown = {}
    for tr in walk(doc_text(render(db, doc=doc))):
        if isinstance(tr, html.Tr):
            for td in tr.children if isinstance(tr.children, list) else []:
                for m in walk(td):
                    if isinstance(m, html.Mark):
                        row, col = (x.to_plotly_json()["props"] for x in (tr, td))
                        shown[m.id] = (row["data-row"], col["data-col"])
    figures = sum(1 for line in TABLE_LINES[2:] for cell in line.split("\t")[1:] if cell)
    assert len(stored) == figures and shown == stored


def test_the_claim_opened_by_its_link_has_its_row_marked(built):
    db, ids = built
    doc = ids["luan_report.txt"]
    claimed = cell_claims(db, doc)
    chosen = claimed[(3, 2)]  # 霍邱县 2020
    body = doc_text(render(db, claim=chosen))  # as the source panel of a chart point links it
    rows = [tr for tr in walk(body) if isinstance(tr, html.Tr)]
    marked = [tr for tr in rows if getattr(tr, "className", None) == "row-selected"]
    assert len(marked) == 1 and text(marked[0].children[0]) == "霍邱县"
    assert marked[0].id == "document-selected-row"
    selected = [m for m in walk(body) if isinstance(m, html.Mark) and "claim-selected" in m.className]
    assert [m.id for m in selected] == [f"c-{chosen}"] and selected[0].children == "20110人"
    cell = next(td for td in marked[0].children if f"c-{chosen}" in [getattr(m, "id", None) for m in walk(td)])
    assert "selected" in cell.className.split()


def test_sheet_lines_are_headings_and_each_sheet_keeps_its_table(built):
    db, ids = built
    body = doc_text(render(db, doc=ids["huoshan_sheets.txt"]))
    headings = [text(c) for c in walk(body) if isinstance(c, html.H3)]
    assert headings == ["工作表：2020年", "工作表：说明"]
    english = doc_text(render(db, doc=ids["huoshan_sheets.txt"], lang="en"))
    assert [text(c) for c in walk(english) if isinstance(c, html.H3)] == ["Sheet: 2020年", "Sheet: 说明"]
    tables = [c for c in walk(body) if isinstance(c, html.Table)]
    assert len(tables) == 1
    assert [[text(c) for c in row] for row in rows_of(tables[0])] == [["乡镇", "监测户"], ["衡山镇", "36户"],
                                                                       ["佛子岭镇", "21户"]]
    assert "【工作表" not in "".join(c for c in body.children if isinstance(c, str))


def shown_rows(body) -> tuple[list[str], list[str]]:
    """(first cells of the drawn rows, texts of the note rows) of the one table in ``body``."""
    notes = [text(tr) for tr in walk(body) if getattr(tr, "className", None) == "rows-hidden"]
    rows = [text(tr.children[0]) for tr in walk(body) if isinstance(tr, html.Tr) and isinstance(tr.children, list)
            and isinstance(tr.children[0], html.Td)]
    return rows, notes


def test_a_long_table_is_drawn_in_part_around_the_opened_claim(built):
    db, ids = built
    doc = ids["long_table.txt"]
    page = importlib.import_module("dashboard.pages.document")
    rows, notes = shown_rows(doc_text(render(db, doc=doc)))
    assert rows[0] == "第1组" and len(rows) == page.ROWS_SHOWN
    assert notes == [f"……此处略去 {450 - page.ROWS_SHOWN} 行（全部数字见“数据”页）"]
    with duckdb.connect(str(db), read_only=True) as con:
        start = LONG.index("第300组\t") + len("第300组\t")
        claim = con.execute("SELECT id FROM claims WHERE doc_id = ? AND char_start = ?", [doc, start]).fetchone()[0]
    body = doc_text(render(db, claim=claim))
    rows, notes = shown_rows(body)
    assert "第300组" in rows and len(rows) == page.ROWS_SHOWN
    assert [int(n.split("略去 ")[1].split(" 行")[0]) for n in notes] == [
        int(rows[0][1:-1]) - 1, 450 - int(rows[-1][1:-1])]  # before and after the rows drawn
    marked = [tr for tr in walk(body) if getattr(tr, "className", None) == "row-selected"]
    assert [text(tr.children[0]) for tr in marked] == ["第300组"]


def test_the_source_panel_marks_a_table_figure_in_its_cell_not_in_its_title():
    shown = highlighted_sentence("全市4个县监测户数表｜霍山县｜监测户：4", "4")
    before, mark, after = shown.children
    assert (before, mark.children, after) == ("全市4个县监测户数表｜霍山县｜监测户：", "4", "")
    prose = highlighted_sentence("全县4个乡镇共有监测户4户：已全部帮扶", "4户")
    assert prose.children[1].children == "4户" and prose.children[0] == "全县4个乡镇共有监测户"


def test_a_paragraph_indented_by_a_tab_is_prose_not_a_table():
    from dashboard.doc_tables import blocks

    kinds = [b.kind for b in blocks("\t一、基本情况\n\t全县共有贫困户1250户。\n乡镇\t贫困户\n甲乡\t12户\n")]
    assert kinds[:2] == ["prose", "table"] and kinds.count("table") == 1
