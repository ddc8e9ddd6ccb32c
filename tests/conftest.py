"""Shared fixtures. ETL section first; the dashboard's fixtures follow in their own section."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def marked(example: str) -> tuple[str, int, int]:
    """'共有【181个】' -> ('共有181个', 2, 6): the text and the span marked with 【】."""
    m = re.search("【(.+?)】", example)
    assert m, f"example without a 【marked】 mention: {example}"
    text = example[:m.start()] + m.group(1) + example[m.end():]
    return text, m.start(), m.start() + len(m.group(1))


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> Path:
    """The database built from the bundled seed documents, once per test session."""
    from etl.storage.build import build

    db = tmp_path_factory.mktemp("db") / "poverty.duckdb"
    report = build(SEEDS, db)
    assert not report.problems, report.problems
    return db


# ==================================================================================================
# Dashboard fixtures (dashboard/ tests: test_dashboard_*.py, test_browser_*.py). Appended; ETL above.
# A small database built from the seed texts with hand-checked claims, until `etl build` is used.
# ==================================================================================================
import contextlib as _contextlib  # noqa: E402
import csv as _csv  # noqa: E402
import hashlib as _hashlib  # noqa: E402
import os as _os  # noqa: E402
import socket as _socket  # noqa: E402
import subprocess as _subprocess  # noqa: E402
import sys as _sys  # noqa: E402
import time as _time  # noqa: E402
import urllib.request as _urlreq  # noqa: E402

SCHEMA_SQL = ROOT / "etl" / "data" / "schema.sql"
INDICATORS_CSV = ROOT / "etl" / "data" / "indicators.csv"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# A second, made-up document that disagrees with the 郑州日报 on 2013's registered population (a conflict).
FIXTURE_DOC = ("999_fixture.txt", "郑州市扶贫工作总结（测试用）", "郑州市扶贫办", "郑州市", "2016-12-30",
               "测试用文件\n郑州市扶贫工作总结\n截至2013年底,全市建档立卡贫困人口约9.8万人,贫困户2.6万户。\n")
DASH_DOCS = {  # key -> (file, title, issuer, region, date)
    "zz2022": ("000_9041893887b21c3d.txt", "关于巩固脱贫攻坚成果的提案的答复", "郑州市农业农村工作委员会",
               "郑州市", "2022-10-08"),
    "zzrb": ("003_e509f0c5d843c471.txt", "荒山远村花灿灿 脱贫春风拂笑颜", "郑州日报", "郑州市", "2019"),
    "js": ("004_2029d448e398c879.txt", "关于脱贫攻坚工作进展情况的报告", None, "江苏省", "2020-03-26"),
}
# One claim per line: doc | text just before the mention | mention | value | unit | qualifier | region |
# year | indicator ('-' = none) | cumulative (1/0) | year_source | status.
# The rejected 116户 must stay out of the facts.
DASH_CLAIMS_TABLE = """
zzrb    | 建档立卡贫困村         | 181个       | 181       | count     | exact    | 郑州市 | 2013 | poor_villages             | 0 | explicit | machine
zzrb    | 建档立卡贫困人口       | 26180 户    | 26180     | household | exact    | 郑州市 | 2013 | poor_households           | 0 | explicit | machine
zzrb    | 26180 户               | 96467 人    | 96467     | person    | exact    | 郑州市 | 2013 | poor_population           | 0 | explicit | machine
zzrb    | 未脱贫家庭劳动力就业   | 1330人      | 1330      | person    | exact    | 郑州市 | 2017 | -                         | 0 | explicit | machine
zzrb    | 截至2018年底,全市      | 181个       | 181       | count     | exact    | 郑州市 | 2018 | villages_exited_poverty   | 1 | explicit | machine
zzrb    | 累计完成脱贫           | 25411 户    | 25411     | household | exact    | 郑州市 | 2018 | lifted_households         | 1 | explicit | machine
zzrb    | 25411 户               | 94682 人    | 94682     | person    | exact    | 郑州市 | 2018 | lifted_population         | 1 | explicit | machine
zzrb    | 目前剩余贫困人口       | 769户       | 769       | household | exact    | 郑州市 | 2019 | remaining_poor_households | 0 | document | machine
zzrb    | 769户                  | 1785人      | 1785      | person    | exact    | 郑州市 | 2019 | remaining_poor_population | 0 | document | machine
zz2022  | 共有脱贫村             | 181个       | 181       | count     | exact    | 郑州市 | 2022 | villages_exited_poverty   | 0 | document | machine
zz2022  | 建档立卡脱贫户         | 12585户     | 12585     | household | exact    | 郑州市 | 2022 | lifted_households         | 0 | document | machine
zz2022  | 12585户                | 46819 人    | 46819     | person    | exact    | 郑州市 | 2022 | lifted_population         | 0 | document | machine
zz2022  | 三类户                 | 3345户      | 3345      | household | exact    | 郑州市 | 2022 | monitored_households      | 0 | document | machine
zz2022  | 消除风险户             | 116户       | 116       | household | exact    | 郑州市 | 2022 | monitored_households      | 0 | document | rejected
zz2022  | 人均可支配收入达到     | 14946.16元  | 14946.16  | yuan      | exact    | 郑州市 | 2022 | lifted_per_capita_income  | 0 | document | machine
zz2022  | 总投入达到             | 77532.78万元 | 775327800 | yuan     | exact    | 郑州市 | 2022 | funding_total             | 0 | document | machine
fixture | 建档立卡贫困人口       | 约9.8万人   | 98000     | person    | approx   | 郑州市 | 2013 | poor_population           | 0 | explicit | machine
js      | 2016年初确             | 277万人     | 2770000   | person    | exact    | 江苏省 | 2016 | poor_population           | 0 | explicit | machine
js      | 6000元以下低收入人口   | 2542114人   | 2542114   | person    | exact    | 江苏省 | 2019 | poor_population           | 0 | document | machine
js      | 已实现脱贫             | 254万人     | 2540000   | person    | exact    | 江苏省 | 2019 | lifted_population         | 1 | document | machine
js      | 脱贫率达到             | 99.99%以上  | 99.99     | percent   | at_least | 江苏省 | 2019 | poverty_exit_rate         | 1 | document | machine
js      | 2019年脱贫             | 约55.15万人 | 551500    | person    | approx   | 江苏省 | 2019 | lifted_population_annual  | 0 | explicit | machine
js      | 目前还剩               | 6户         | 6         | household | exact    | 江苏省 | 2019 | remaining_poor_households | 0 | document | machine
js      | 6户、                  | 17人        | 17        | person    | exact    | 江苏省 | 2019 | remaining_poor_population | 0 | document | machine
js      | 未脱贫;                | 821个       | 821       | count     | exact    | 江苏省 | 2019 | weak_villages             | 0 | document | machine
"""  # noqa: E501 (a table reads better unwrapped)


def _dash_claims() -> list[tuple]:
    """DASH_CLAIMS_TABLE as tuples (spaces inside a mention, like '26180 户', are kept)."""
    out = []
    for line in DASH_CLAIMS_TABLE.strip().splitlines():
        doc, before, mention, value, unit, qual, region, year, ind, cum, ysrc, status = (
            c.strip() for c in line.split("|"))
        out.append((doc, before, mention, float(value), unit, qual, region, int(year),
                    None if ind == "-" else ind, cum == "1", ysrc, status))
    return out


DASH_REGIONS = [("河南省", "province", None, "豫", 1), ("郑州市", "prefecture", "河南省", "郑州", 2),
                ("江苏省", "province", None, "苏|江苏", 3), ("常德市", "prefecture", "湖南省", "常德", 4)]


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end]: from after the previous 。/newline to the next 。 (inclusive)."""
    left = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find("。", end), text.find("\n", end)) if i >= 0]
    right = min(stops) + 1 if stops else len(text)
    return left, right


def _insert_rows(con, table: str, rows: list[dict]) -> None:
    """INSERT dict rows; NOT NULL columns this fixture does not know (the schema grows) get a neutral
    value."""
    info = con.execute("SELECT column_name, data_type, is_nullable, column_default "
                       "FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                       [table]).fetchall()
    neutral = {"BOOLEAN": False, "INTEGER": 0, "BIGINT": 0, "DOUBLE": 0.0}
    cols = [c for c, *_ in info]
    filled = []
    for row in rows:
        unknown = set(row) - set(cols)
        assert not unknown, f"{table} has no columns {unknown}"
        filled.append([row[c] if c in row else None if null == "YES" or default is not None
                       else neutral.get(dtype, "") for c, dtype, null, default in info])
    con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", filled)


def build_dashboard_db(path: Path) -> Path:
    """Create the dashboard's fixture database at ``path`` (schema.sql + the rows above); returns path."""
    import duckdb

    from etl.claims.regions import GAZETTEER

    docs = {}
    for key, (file, title, issuer, region, date) in DASH_DOCS.items():
        docs[key] = (file, title, issuer, region, date, (SEEDS / file).read_text(encoding="utf-8"))
    file, title, issuer, region, date, text = FIXTURE_DOC
    docs["fixture"] = (file, title, issuer, region, date, text)
    doc_ids = {k: _hashlib.sha256(v[5].encode("utf-8")).hexdigest() for k, v in docs.items()}
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        _insert_rows(con, "documents", [
            dict(id=doc_ids[key], file=file, title=title, issuer=issuer, region=region, date=date,
                 year=int(date[:4]), source="fixture", n_chars=len(text), text=text)
            for key, (file, title, issuer, region, date, text) in docs.items()])
        with INDICATORS_CSV.open(encoding="utf-8", newline="") as f:
            _insert_rows(con, "indicators", [
                dict(key=r["key"], theme=r["theme"], theme_zh=r["theme_zh"], name_zh=r["name_zh"],
                     name_en=r["name_en"], unit=r["unit"], definition=r["definition"], sort_order=order)
                for order, r in enumerate(_csv.DictReader(f))])
        _insert_rows(con, "regions", [dict(code=GAZETTEER.parse(n) or f"name:{n}", name=n, level=lv, parent=p,
                                           parent_code=GAZETTEER.parse(p), aliases=a, sort_order=o)
                                      for n, lv, p, a, o in DASH_REGIONS])
        rows = []
        for doc, before, mention, value, unit, qual, region, year, ind, cum, ysrc, status in _dash_claims():
            text = docs[doc][5]
            anchor = text.index(before)
            start = anchor + len(before)
            while text[start] == " " and not mention.startswith(" "):  # the table strips cells
                start += 1
            assert text.startswith(mention, start), (before, mention)
            end = start + len(mention)
            s0, s1 = _sentence_span(text, start, end)
            cid = _hashlib.sha256(f"{doc_ids[doc]}:{start}:{end}".encode()).hexdigest()[:16]
            rows.append(dict(id=cid, doc_id=doc_ids[doc], char_start=start, char_end=end, text=mention,
                             value=value, value_high=None, unit=unit, rate=None, qualifier=qual,
                             region=region, region_code=GAZETTEER.parse(region), year=year,
                             period_start=None, cumulative=cum, indicator=ind,
                             year_source=ysrc, sentence=text[s0:s1], sentence_start=s0, status=status,
                             doc_date=docs[doc][4]))
        _insert_rows(con, "claims", [{k: v for k, v in r.items() if k != "doc_date"} for r in rows])
        cells: dict[tuple, list[dict]] = {}
        for r in rows:
            if r["region"] and r["year"] and r["indicator"] and r["status"] != "rejected":
                cells.setdefault((r["region"], r["year"], r["indicator"]), []).append(r)
        for (region, year, ind), group in sorted(cells.items()):
            group.sort(key=lambda r: (r["qualifier"] != "exact", r["year_source"] != "explicit",
                                      "".join(chr(0x10FFFF - ord(ch)) for ch in r["doc_date"]), r["doc_id"],
                                      r["char_start"]))
            ch = group[0]
            conflict = any(abs(r["value"] - ch["value"]) > 0.01 * abs(ch["value"]) for r in group)
            _insert_rows(con, "facts", [dict(
                region_code=GAZETTEER.parse(region), region=region,
                year=year, indicator=ind, value=ch["value"], value_high=ch["value_high"],
                unit=ch["unit"], qualifier=ch["qualifier"], n_claims=len(group), conflict=conflict,
                claim_id=ch["id"], doc_id=ch["doc_id"])])
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def dash_db(tmp_path_factory) -> Path:
    """The dashboard's fixture database (read-only use), built once per session."""
    from dashboard import queries

    db = build_dashboard_db(tmp_path_factory.mktemp("dashdb") / "fixture.duckdb")
    yield db
    queries.close_all()


def _free_port() -> int:
    with _socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@_contextlib.contextmanager
def serve_dashboard(db: Path, log_path: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()):
    """Base URL of `python -m dashboard --db <db> [args]` running in a subprocess on a free 127.0.0.1 port."""
    port = _free_port()
    log = open(log_path, "wb")  # noqa: SIM115
    proc = _subprocess.Popen([_sys.executable, "-m", "dashboard", "--db", str(db), "--port", str(port), *args],
                             cwd=ROOT, stdout=log, stderr=_subprocess.STDOUT,
                             env={**_os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with _urlreq.urlopen(url + "/login", timeout=1) as r:  # open even on a private server
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(log_path.read_text()) from None
                _time.sleep(0.1)
        else:
            raise RuntimeError("dashboard did not start: " + log_path.read_text())
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except _subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def dash_callback(url: str, first_output: str, values: dict, changed: str) -> dict:
    """The body Dash's renderer POSTs to /_dash-update-component for the callback whose first output is
    ``first_output``: output, outputs, inputs, state (``values`` by 'id.property'), changedPropIds."""
    import json

    with _urlreq.urlopen(url + "/_dash-dependencies", timeout=10) as r:
        deps = json.load(r)
    dep = next(d for d in deps if d["output"].startswith(f"..{first_output}.")
               and any(f"{i['id']}.{i['property']}" == changed for i in d["inputs"]))  # the one ``changed`` fires
    outputs = [dict(zip(("id", "property"), o.rsplit(".", 1), strict=True))
               for o in dep["output"][2:-2].split("...")]

    def filled(items):
        return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    return {"output": dep["output"], "outputs": outputs, "inputs": filled(dep["inputs"]),
            "state": filled(dep["state"]), "changedPropIds": [changed]}


@pytest.fixture(scope="session")
def dash_server(dash_db):
    """Base URL of the dashboard over the fixture database (read-only use)."""
    with serve_dashboard(dash_db, dash_db.parent / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium through Playwright (skipped when /usr/bin/chromium is absent)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def browser_context(browser):
    """One zh-CN context for the session, so the Dash/plotly bundles are fetched once (HTTP cache)."""
    context = browser.new_context(accept_downloads=True, locale="zh-CN",
                                  viewport={"width": 1400, "height": 1000})
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A fresh page that records console errors in ``page.console_errors``."""
    pg = browser_context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    pg.close()


# Three county documents (text written for these tests) for the map of 郑州市's counties: built by the real ETL.
COUNTY_DOCS = {
    "zhongmu.txt": "中牟县脱贫攻坚工作情况汇报\n中牟县扶贫开发办公室\n2019年3月5日\n"
                   "截至2018年底，中牟县共有建档立卡贫困人口3120人，分布在全县42个村。\n",
    "xinzheng.txt": "新郑市扶贫工作总结\n新郑市扶贫办\n2019年1月10日\n"
                    "2018年，新郑市建档立卡贫困人口约2500人，贫困发生率降至0.4%。\n",
    "dengfeng.txt": "登封市脱贫攻坚进展\n登封市扶贫办\n2020年2月1日\n截至2019年底，登封市建档立卡贫困人口1876人。\n",
}


@pytest.fixture(scope="session")
def county_db(tmp_path_factory) -> Path:
    """A database built by ``etl build`` from COUNTY_DOCS: figures for three counties of 郑州市."""
    from dashboard import queries
    from etl.storage.build import build

    docs = tmp_path_factory.mktemp("county_docs")
    for name, text in COUNTY_DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    db = docs.parent / "county.duckdb"
    report = build(docs, db)
    assert not report.problems, report.problems
    yield db
    queries.close_all()


@pytest.fixture(scope="session")
def county_server(county_db):
    """Base URL of the dashboard over the county database."""
    with serve_dashboard(county_db, county_db.parent / "county-server.log") as url:
        yield url
