"""Adding documents in every format officials receive, refusing bad ones, and never losing what is stored."""
from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT, SEEDS

from etl.reading.formats import html_to_text, to_text
from etl.storage.build import build
from etl.storage.ingest import ingest

SEED_NAME = "003_e509f0c5d843c471.txt"
SEED = (SEEDS / SEED_NAME).read_text(encoding="utf-8")
PASSAGE = "截至2013年底,全市共有建档立卡贫困村181个、建档立卡贫困人口 26180 户 96467 人。"


def fixture_pdf(path, lines):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    for i, line in enumerate(lines):
        c.drawString(40, 800 - 16 * i, line)
    c.save()


def fixture_docx(path, paragraphs, title=None):
    from docx import Document

    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    if title:
        doc.core_properties.title = title
    doc.save(str(path))


NAV_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>荒山远村花灿灿_郑州日报</title>
<meta name="publishdate" content="2019-06-18"></head><body>
<div class="top-nav"><a href="/">首页</a> <a>时政</a> <a>郑州</a> <a>扶贫专题12317</a></div>
<div id="breadcrumb">当前位置: 首页 &gt; 扶贫</div>
<div class="article"><h1>荒山远村花灿灿 脱贫春风拂笑颜</h1><p>{body}</p><p>我市将持续推进。</p></div>
<div class="sidebar"><ul><li>热点: 全市新增岗位9999个</li></ul></div>
<footer>版权所有 郑州日报社 电话 0371-67655555 邮编 450000</footer></body></html>"""


def claims_of(db, file_part: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT c.text, c.value, c.year FROM claims c JOIN documents d ON d.id = c.doc_id "
                           "WHERE d.file LIKE ? ORDER BY c.char_start", [f"%{file_part}%"]).fetchall()


@pytest.fixture()
def corpus(tmp_path, seeds_db):
    """A database built from the seeds, and an empty documents folder."""
    db = tmp_path / "data" / "poverty.duckdb"
    db.parent.mkdir()
    db.write_bytes(seeds_db.read_bytes())
    return db, tmp_path / "data" / "documents"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_encodings_of_a_seed_are_detected(tmp_path, encoding):
    path = tmp_path / f"seed_{encoding}.txt"
    path.write_bytes(SEED.replace("\xa0", " ").encode(encoding))
    assert to_text(path).text == SEED.replace("\xa0", " ")


def test_html_keeps_the_article_title_and_date_without_navigation(tmp_path):
    page = html_to_text(NAV_PAGE.format(body=PASSAGE))
    assert page.title == "荒山远村花灿灿 脱贫春风拂笑颜" and page.date == "2019-06-18"
    assert PASSAGE in page.text and "我市将持续推进" in page.text
    for boilerplate in ("首页", "12317", "9999", "版权所有", "0371", "当前位置"):
        assert boilerplate not in page.text


def test_docx_and_pdf_give_their_text(tmp_path):
    fixture_docx(tmp_path / "reply.docx", ["关于巩固脱贫攻坚成果的答复", PASSAGE], title="答复")
    fixture_pdf(tmp_path / "report.pdf", ["关于脱贫攻坚工作进展情况的报告", PASSAGE])
    docx, pdf = to_text(tmp_path / "reply.docx"), to_text(tmp_path / "report.pdf")
    assert PASSAGE in docx.text and docx.title == "答复"
    assert PASSAGE.replace(" ", "") in pdf.text.replace(" ", "")


def test_ingest_adds_every_format_and_refuses_duplicates(corpus, tmp_path):
    db, store = corpus
    page = tmp_path / "article.html"
    page.write_text(NAV_PAGE.format(body=PASSAGE.replace("2013", "2014")), encoding="utf-8")
    fixture_docx(tmp_path / "reply.docx", ["郑州市农业农村局答复", PASSAGE.replace("2013", "2015")])
    fixture_pdf(tmp_path / "report.pdf", ["郑州市扶贫办报告", PASSAGE.replace("2013", "2016")])
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(("郑州市扶贫办\n" + PASSAGE.replace("2013", "2017")).encode("gbk"))
    files = [page, tmp_path / "reply.docx", tmp_path / "report.pdf", gbk]
    report = ingest(files, store, db, region="郑州市")
    assert report.added == [f.name for f in files] and not report.problems
    for year, part in ((2014, "article"), (2015, "reply"), (2016, "report"), (2017, "gbk")):
        assert any(v == 26180 and y == year for _, v, y in claims_of(db, part)), part
    assert (store / "manifest.csv").read_text(encoding="utf-8").count("\n") == 5
    assert len(list((store / "originals").iterdir())) == 4
    again = ingest([gbk, SEEDS / SEED_NAME], store, db)
    assert again.added == [] and len(again.duplicates) == 2


@pytest.mark.parametrize("name,data,reason", [
    ("scan.pdf", None, "without a text layer"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40, "binary"),
    ("table.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "unreadable .xls"),
    ("archive.zip", b"PK\x03\x04" + bytes(range(256)) * 4, "unknown format"),
    ("empty.txt", b"", "no text"),
])
def test_bad_files_are_refused_and_nothing_changes(corpus, tmp_path, name, data, reason):
    db, store = corpus
    path = tmp_path / name
    if data is None:
        from reportlab.pdfgen import canvas

        c = canvas.Canvas(str(path))
        c.rect(50, 50, 200, 300, fill=1)  # a page with a picture and no text
        c.save()
    else:
        path.write_bytes(data)
    before = db.read_bytes()
    report = ingest([path], store, db)
    assert report.problems and report.problems[0].startswith(f"{name}: ") and reason in report.problems[0]
    assert db.read_bytes() == before and not (store / "manifest.csv").exists()


def test_oversized_file_is_refused_with_the_limit(corpus, tmp_path):
    db, store = corpus
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(21 * 1024 * 1024)
    report = ingest([path], store, db)
    assert "limit is 20 MB" in report.problems[0]


def test_cli_ingest_review_and_rebuild_keep_every_review(tmp_path, seeds_db):
    db = tmp_path / "data" / "poverty.duckdb"
    db.parent.mkdir()
    db.write_bytes(seeds_db.read_bytes())
    store = tmp_path / "data" / "documents"
    new = tmp_path / "new.txt"
    text = "郑州市乡村振兴局\n2023-05-01\n截至2022年底,全市共有脱贫户12600户、监测对象3400户。"
    new.write_text(text, encoding="utf-8")

    def etl(*args):
        proc = subprocess.run([sys.executable, "-m", "etl", *args, "--db", str(db)], capture_output=True,
                              text=True, cwd=ROOT, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert "1 added" in etl("ingest", str(new), "--store", str(store))
    stored = next(p.name for p in store.glob("new_*.txt"))
    rows = etl("review", "list", "--doc", stored).splitlines()
    listed = {line.split(",")[2]: line.split(",")[0] for line in rows[1:]}
    etl("review", "reject", listed["3400户"], "--who", "王科长")
    etl("review", "set", listed["12600户"], "value=12585", "indicator=lifted_households", "--who", "王科长")

    def state():
        with duckdb.connect(str(db), read_only=True) as con:
            claims = dict(con.execute("SELECT text, status FROM claims WHERE text IN ('12600户', '3400户')")
                          .fetchall())
            fact = con.execute("SELECT value, reviewed FROM facts WHERE region = '郑州市' AND year = 2022 AND "
                               "indicator = 'lifted_households'").fetchone()
            monitored = con.execute("SELECT value FROM facts WHERE region = '郑州市' AND year = 2022 AND "
                                    "indicator = 'monitored_households'").fetchone()
            reviews = con.execute("SELECT who, action, field, old, new FROM reviews ORDER BY seq").fetchall()
        return claims, fact, monitored, reviews

    before = state()
    assert before[0] == {"12600户": "corrected", "3400户": "rejected"}
    assert before[1] == (12585, True)
    assert before[2] == (3345,)  # the rejected 3400 no longer competes with the seed's 3345
    assert ("王科长", "set", "value", "12600.0", "12585") in before[3]
    db.unlink()
    build([SEEDS, store], db)  # from scratch: the reviews come back from the log
    assert state() == before


def test_a_review_from_the_command_line_waits_for_another_writer(corpus):
    """Writers queue on the database's lock file: a review cannot land in the middle of another write."""
    from etl.storage.locking import write_lock

    db, _ = corpus
    with duckdb.connect(str(db), read_only=True) as con:
        claim = con.execute("SELECT min(id) FROM claims").fetchone()[0]
    with write_lock(db):
        proc = subprocess.Popen([sys.executable, "-m", "etl", "review", "accept", claim, "--db", str(db)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=3)  # held here: the review cannot have been applied
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT status FROM claims WHERE id = ?", [claim]).fetchone()[0] == "machine"
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status FROM claims WHERE id = ?", [claim]).fetchone()[0] == "accepted"
