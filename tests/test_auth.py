"""Who may change a figure, against a real dashboard server in team mode (accounts beside a copy of the seeds
database), with raw HTTP requests built the way Dash's renderer sends them: every write refused unless the
session's role allows it, cross-site POSTs refused, sign-in limited, no password in any file or log, uploads
bounded by the server and XML bombs refused. Also local mode's guard against a page on another site, the
review log's old rows, and ``make serve``'s refusal without an admin."""
from __future__ import annotations

import base64
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest
import requests
from conftest import ROOT, _free_port, dash_callback, serve_dashboard

from dashboard import queries
from etl.reading.formats import DOCX_EXPANDED_LIMIT

PASSWORDS = {"boss": ("admin", "Boss-pw-7731"), "vic": ("viewer", "Vic-pw-2218"),
             "rita": ("reviewer", "Rita-pw-9902"), "ed": ("editor", "Ed-pw-4417"),
             "lock": ("reviewer", "Lock-pw-6650")}
REPORT = ("荥阳市2021年巩固脱贫成果报告\n2021年，荥阳市脱贫人口4321人，监测户123户。\n").encode()


def users(db: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "users", *args, "--db", str(db)], cwd=ROOT,
                          input=(password + "\n") if password else "", capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def team_db(tmp_path_factory, seeds_db) -> Path:
    db = tmp_path_factory.mktemp("team") / "data" / "poverty.duckdb"
    db.parent.mkdir()
    shutil.copy(seeds_db, db)
    for name, (role, password) in PASSWORDS.items():
        done = users(db, "add", name, "--role", role, password=password)
        assert done.returncode == 0, done.stderr
    yield db
    queries.close_all()


@pytest.fixture(scope="module")
def team(team_db):
    """Base URL of `python -m dashboard` over team_db: accounts exist, so team mode; requests of 2 MB at most."""
    env = {"POVERTY_STORE": str(team_db.parent / "documents"), "POVERTY_MAX_REQUEST_MB": "2"}
    with serve_dashboard(team_db, team_db.parent / "server.log", env=env) as url:
        yield url


def signed_in(url: str, name: str) -> requests.Session:
    s = requests.Session()
    r = s.post(url + "/login", data={"name": name, "password": PASSWORDS[name][1], "next": "/data"},
               headers={"Origin": url}, allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"] == "/data", r.text
    return s


def post(session, url: str, body: dict, origin: str | None = "same", **headers) -> requests.Response:
    if origin is not None:
        headers["Origin"] = url if origin == "same" else origin
    return session.post(url + "/_dash-update-component", json=body, headers=headers, timeout=120)


def upload_body(url: str, name: str, data: bytes) -> dict:
    contents = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    values = {"data-upload.contents": [contents], "data-upload.filename": [name], "data-version.data": 0,
              "data-lang.data": "zh"}
    return dash_callback(url, "data-upload-result", values, "data-upload.contents")


def review_body(url: str, claim_id: str, button: str = "data-accept") -> dict:
    values = {f"{button}.n_clicks": 1, "data-grid.selectedRows": [{"claim_id": claim_id}], "data-version.data": 0,
              "data-lang.data": "zh"}
    return dash_callback(url, "data-review-message", values, f"{button}.n_clicks")


def stored(db: Path) -> tuple[int, list[str], bytes]:
    """What a write would change: documents in the database, files in the store, the reviews log."""
    with duckdb.connect(str(db), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    store = db.parent / "documents"
    log = db.parent / "reviews.csv"
    files = sorted(str(p.relative_to(store)) for p in store.rglob("*") if p.is_file()) if store.exists() else []
    return n, files, log.read_bytes() if log.exists() else b""


def a_claim(db: Path, nth: int = 0) -> tuple[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT id, status FROM claims ORDER BY doc_id, char_start LIMIT 1 OFFSET ?",
                           [nth]).fetchone()


def log_rows(db: Path) -> list[dict]:
    path = db.parent / "reviews.csv"
    return list(csv.DictReader(path.open(encoding="utf-8"))) if path.exists() else []


# --- every write checks the session's role ------------------------------------------------------------


def test_an_anonymous_upload_is_refused_and_nothing_is_stored(team, team_db):
    before = stored(team_db)
    body = upload_body(team, "匿名.txt", REPORT)
    assert post(requests.Session(), team, body).status_code == 403  # with a same-site Origin: the role decides
    assert post(requests.Session(), team, body, origin=None).status_code == 403  # the raw POST
    assert stored(team_db) == before


def test_a_viewer_review_is_refused(team, team_db):
    claim, status = a_claim(team_db)
    before = stored(team_db)
    r = post(signed_in(team, "vic"), team, review_body(team, claim, "data-reject"))
    assert r.status_code == 403 and "reviewer" in r.text
    assert stored(team_db) == before and a_claim(team_db) == (claim, status)


def test_a_reviewer_review_is_accepted_and_logged_under_the_account(team, team_db):
    claim, _ = a_claim(team_db, 1)
    r = post(signed_in(team, "rita"), team, review_body(team, claim, "data-reject"))
    assert r.status_code == 200
    assert "已驳回 1 条数字" in json.dumps(r.json(), ensure_ascii=False)
    assert a_claim(team_db, 1) == (claim, "rejected")
    last = log_rows(team_db)[-1]
    assert (last["who"], last["auth"], last["address"], last["claim_id"], last["action"]) == (
        "rita", "account", "127.0.0.1", claim, "reject")


def test_the_one_click_accept_of_a_candidate_needs_a_reviewer(team, team_db):
    claim, status = a_claim(team_db, 2)
    values = {"data-grid.cellClicked": {"colId": "accept_candidate", "rowId": claim, "value": "✓ 采纳"},
              "data-version.data": 0, "data-lang.data": "zh"}
    body = dash_callback(team, "data-review-message", values, "data-grid.cellClicked")
    before = stored(team_db)
    for session in (requests.Session(), signed_in(team, "vic")):
        assert post(session, team, body).status_code == 403
    assert stored(team_db) == before and a_claim(team_db, 2) == (claim, status)


def test_a_reviewer_upload_is_refused(team, team_db):
    before = stored(team_db)
    assert post(signed_in(team, "rita"), team, upload_body(team, "复核员.txt", REPORT)).status_code == 403
    assert stored(team_db) == before


def test_an_editor_upload_is_accepted(team, team_db):
    n, files, _ = stored(team_db)
    r = post(signed_in(team, "ed"), team, upload_body(team, "编辑上传.txt", REPORT))
    assert r.status_code == 200 and "编辑上传.txt" in json.dumps(r.json(), ensure_ascii=False)
    after, names, _ = stored(team_db)
    assert after == n + 1 and any(Path(f).name.startswith("编辑上传") for f in names)
    audit = list(csv.DictReader((team_db.parent / "audit.csv").open(encoding="utf-8")))
    assert [(a["who"], a["auth"], a["address"], a["action"]) for a in audit if "编辑上传" in a["detail"]] == [
        ("ed", "account", "127.0.0.1", "upload")]


def test_a_correction_of_document_details_needs_an_editor(team, team_db):
    with duckdb.connect(str(team_db), read_only=True) as con:
        doc, title = con.execute("SELECT id, title FROM documents ORDER BY id LIMIT 1").fetchone()
    values = {"document-fix-save.n_clicks": 1, "document-fix-title.value": "改过的标题", "document-id.data": doc,
              "document-lang.data": "zh"}
    body = dash_callback(team, "document-meta", values, "document-fix-save.n_clicks")
    assert post(signed_in(team, "rita"), team, body).status_code == 403
    with duckdb.connect(str(team_db), read_only=True) as con:
        assert con.execute("SELECT title FROM documents WHERE id = ?", [doc]).fetchone()[0] == title


def test_a_disabled_account_or_a_reset_password_ends_its_sessions(team, team_db):
    session = signed_in(team, "rita")
    claim, status = a_claim(team_db, 2)
    assert users(team_db, "disable", "rita").returncode == 0
    try:
        assert post(session, team, review_body(team, claim)).status_code == 403
    finally:
        assert users(team_db, "enable", "rita").returncode == 0
    assert post(session, team, review_body(team, claim)).status_code == 200  # enabled again, same password
    assert users(team_db, "reset-password", "rita", password=PASSWORDS["rita"][1]).returncode == 0
    assert post(session, team, review_body(team, claim, "data-reject")).status_code == 403  # the old session
    assert a_claim(team_db, 2) == (claim, "accepted")


def test_a_session_cookie_kept_from_before_sign_out_no_longer_writes(team, team_db):
    """Signing out ends the session on the server: a copy of its cookie (a request still in flight when the
    user signed out brings one back) is anonymous afterwards, and the same account signs in again."""
    session = signed_in(team, "rita")
    kept = session.cookies.get("poverty_session")
    claim, status = a_claim(team_db, 5)
    r = session.post(team + "/logout", data={"next": "/data"}, headers={"Origin": team}, allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"] == "/data"
    r = requests.post(team + "/_dash-update-component", json=review_body(team, claim, "data-reject"),
                      headers={"Origin": team}, cookies={"poverty_session": kept}, timeout=30)
    assert r.status_code == 403
    assert a_claim(team_db, 5) == (claim, status)
    assert post(signed_in(team, "rita"), team, review_body(team, claim, "data-reject")).status_code == 200


def test_a_forged_or_tampered_session_cookie_is_anonymous(team, team_db):
    session = signed_in(team, "ed")
    cookie = session.cookies.get("poverty_session")
    body = review_body(team, a_claim(team_db, 4)[0])
    before = stored(team_db)
    for forged in (cookie[:-3] + ("AAA" if not cookie.endswith("AAA") else "BBB"), cookie.split(".")[0] + ".x.y"):
        r = requests.post(team + "/_dash-update-component", json=body, headers={"Origin": team},
                          cookies={"poverty_session": forged}, timeout=30)
        assert r.status_code == 403
    assert stored(team_db) == before


def test_a_read_only_server_refuses_every_write_even_from_an_editor(team_db, tmp_path):
    with serve_dashboard(team_db, tmp_path / "read-only.log", args=("--read-only",)) as url:
        before = stored(team_db)
        editor = signed_in(url, "ed")
        assert post(editor, url, upload_body(url, "只读.txt", REPORT)).status_code == 403
        assert post(editor, url, review_body(url, a_claim(team_db, 4)[0])).status_code == 403
        assert stored(team_db) == before


def test_the_users_commands_refuse_bad_input_and_list_the_accounts(team_db):
    listed = users(team_db, "list")
    assert listed.returncode == 0 and "boss,admin,active" in listed.stdout.splitlines()
    for args, password, says in ((("add", "boss", "--role", "viewer"), "Another-pw-1", "exists already"),
                                 (("add", "新人", "--role", "viewer"), "short", "too short"),
                                 (("add", "a b", "--role", "viewer"), "Another-pw-1", "bad name"),
                                 (("set-role", "nobody", "editor"), None, "no account 'nobody'")):
        done = users(team_db, *args, password=password)
        assert done.returncode == 2 and says in done.stderr, (args, done.stderr)
    assert users(team_db, "list").stdout == listed.stdout


# --- cross-site requests, sign-in limits, headers -------------------------------------------------------


def test_a_cross_site_post_is_refused(team, team_db):
    editor = signed_in(team, "ed")
    before = stored(team_db)
    body = upload_body(team, "跨站.txt", REPORT)
    assert post(editor, team, body, origin="http://evil.example").status_code == 403
    assert post(editor, team, body, origin=None, Referer="http://evil.example/page").status_code == 403
    assert post(editor, team, body, origin="null").status_code == 403
    assert post(editor, team, body, origin=None).status_code == 403  # neither Origin nor Referer
    assert stored(team_db) == before
    r = requests.post(team + "/login", data={"name": "ed", "password": PASSWORDS["ed"][1]},
                      headers={"Origin": "http://evil.example"}, allow_redirects=False)
    assert r.status_code == 403 and "poverty_session" not in r.cookies  # no sign-in from another site either


def test_the_sixth_wrong_password_in_a_minute_is_refused_even_when_right(team, team_db):
    s = requests.Session()
    for _ in range(5):
        r = s.post(team + "/login", data={"name": "lock", "password": "wrong-guess"}, headers={"Origin": team})
        assert r.status_code == 401 and "账号或密码不对" in r.text
    r = s.post(team + "/login", data={"name": "lock", "password": PASSWORDS["lock"][1]}, headers={"Origin": team},
               allow_redirects=False)
    assert r.status_code == 429 and "一分钟后再试" in r.text
    assert post(s, team, review_body(team, a_claim(team_db, 3)[0])).status_code == 403  # not signed in
    assert "sign-in failed for 'lock' from 127.0.0.1" in (team_db.parent / "server.log").read_text()
    assert signed_in(team, "ed")  # another account from the same address still signs in


def test_the_session_cookie_and_the_security_headers(team):
    r = requests.post(team + "/login", data={"name": "vic", "password": PASSWORDS["vic"][1]},
                      headers={"Origin": team}, allow_redirects=False)
    cookie = r.headers["Set-Cookie"]
    assert "poverty_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP here; Secure whenever the request came over HTTPS
    for path in ("/", "/data", "/login", "/export.csv?indicator=poor_population"):
        h = requests.get(team + path, timeout=30).headers
        assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY", path
        csp = h["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp


def test_sign_in_goes_back_only_to_a_page_of_this_server(team):
    for target, expected in (("/data?lang=en", "/data?lang=en"), ("//evil.example/x", "/"),
                             ("https://evil.example/", "/"), ("/\\evil.example", "/"),
                             ("/\t/evil.example", "/")):
        r = requests.post(team + "/login", data={"name": "vic", "password": PASSWORDS["vic"][1], "next": target},
                          headers={"Origin": team}, allow_redirects=False)
        assert r.headers["Location"] == expected, target


def test_the_sign_in_page_is_chinese_with_an_english_toggle(team):
    zh = requests.get(team + "/login?next=/data", timeout=10).text
    assert "<h1>登录</h1>" in zh and 'href="/login?next=%2Fdata&amp;lang=en"' in zh
    en = requests.get(team + "/login?next=/data&lang=en", timeout=10).text
    assert "<h1>Sign in</h1>" in en and "Password" in en


def test_a_private_server_asks_for_an_account_to_read_and_sessions_end_after_inactivity(team_db, tmp_path):
    env = {"POVERTY_SESSION_MINUTES": "0.05"}  # 3 s without a request ends a session
    with serve_dashboard(team_db, tmp_path / "private.log", env=env, args=("--private",)) as url:
        r = requests.get(url + "/data?region=4101", allow_redirects=False, timeout=10)
        assert r.status_code == 302 and r.headers["Location"] == "/login?next=%2Fdata%3Fregion%3D4101"
        assert requests.get(url + "/_dash-layout", timeout=10).status_code == 401
        assert requests.get(url + "/export.csv?indicator=poor_population", allow_redirects=False).status_code == 302
        viewer = signed_in(url, "vic")
        assert viewer.get(url + "/_dash-layout", timeout=10).status_code == 200
        time.sleep(5)
        assert viewer.get(url + "/_dash-layout", timeout=10).status_code == 401


# --- uploads bounded by the server ---------------------------------------------------------------------


def docx(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx whose word/document.xml is ``document_xml``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_docx_bomb_and_xml_entities_are_refused_with_a_clear_message(team, team_db):
    editor = signed_in(team, "ed")
    word = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    bomb = docx(word, {"word/media/zeros.bin": bytes(DOCX_EXPANDED_LIMIT + 1024)})
    lol = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><d>&b;</d>'
    files = {"炸弹.docx": (bomb, "解压后过大"), "实体.docx": (docx(lol), "XML 实体"),
             "实体.html": (b"<!DOCTYPE html [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><html><p>&x;</p></html>",
                         "XML 实体"),
             "实体16.html": ("<!DOCTYPE html [<!ENTITY y 'z'>]><html><p>脱贫&y;</p></html>".encode("utf-16"),
                           "XML 实体"),
             "藏起来.docx": (docx(word, {"word/part.bin": lol}), "XML 实体")}
    before = stored(team_db)
    for name, (data, reason) in files.items():
        assert len(data) < 1024 * 1024
        r = post(editor, team, upload_body(team, name, data))
        text = json.dumps(r.json(), ensure_ascii=False)
        assert r.status_code == 200 and "拒收" in text and reason in text and name in text, text
    assert stored(team_db) == before


def test_a_request_past_the_servers_limit_is_refused_before_it_is_read(team, team_db):
    before = stored(team_db)
    r = post(signed_in(team, "ed"), team, upload_body(team, "大.txt", b"x" * (3 * 1024 * 1024)))
    assert r.status_code == 413
    assert stored(team_db) == before


# --- last: what the module left behind ----------------------------------------------------------------


def test_no_password_appears_in_any_file_or_log(team, team_db):
    requests.get(team + "/", timeout=10)  # the server has written its log
    files = [p for p in team_db.parent.rglob("*") if p.is_file()]
    assert any(p.name == "accounts.sqlite" for p in files) and any(p.name == "server.log" for p in files)
    assert (team_db.parent / "accounts.sqlite").stat().st_mode & 0o077 == 0  # the hashes: the owner's only
    for path in files:
        data = path.read_bytes()
        for _, password in PASSWORDS.values():
            assert password.encode() not in data, f"{password} in {path}"
            assert base64.b64encode(password.encode()) not in data, path


# --- local mode, the review log's old rows, make serve's refusal ----------------------------------------


def test_local_mode_refuses_a_page_on_another_site_that_rebinds_its_name(tmp_path, seeds_db):
    """Local mode (no account, 127.0.0.1) writes as this machine's login, but only for a request addressed to
    127.0.0.1 or localhost: a site whose name now points at 127.0.0.1 sends its own Host and Origin."""
    db = tmp_path / "data" / "poverty.duckdb"
    db.parent.mkdir()
    shutil.copy(seeds_db, db)
    with serve_dashboard(db, tmp_path / "server.log") as url:
        claim, status = a_claim(db)
        port = url.rsplit(":", 1)[1]
        rebound = f"http://rebind.example:{port}"
        body = review_body(url, claim)
        assert post(requests.Session(), url, body, origin=rebound, Host=f"rebind.example:{port}").status_code == 403
        assert a_claim(db) == (claim, status) and not log_rows(db)
        assert post(requests.Session(), url, body).status_code == 200
        row = log_rows(db)[-1]
        assert (row["auth"], row["address"]) == ("local", "127.0.0.1") and row["who"]
    assert not (db.parent / "accounts.sqlite").exists()  # local mode makes no accounts file


def test_old_review_log_rows_are_kept_and_marked_unauthenticated(tmp_path, seeds_db):
    from dashboard.app import create_app
    from etl.storage.review_store import record

    db = tmp_path / "poverty.duckdb"
    shutil.copy(seeds_db, db)
    create_app(db)  # pages import once an app exists
    from dashboard.pages.data import reviewer_text

    claim, _ = a_claim(db)
    with duckdb.connect(str(db), read_only=True) as con:
        doc, start, end = con.execute("SELECT doc_id, char_start, char_end FROM claims WHERE id = ?",
                                      [claim]).fetchone()
    old = ("seq,reviewed_at,who,claim_id,doc_id,char_start,char_end,action,field,old,new\n"
           f"1,2024-03-01T08:00:00+00:00,随便写的名字,{claim},{doc},{start},{end},accept,,,\n")
    (tmp_path / "reviews.csv").write_text(old, encoding="utf-8")
    record(db, [claim], "reject", who="rita", auth="account", address="10.1.2.3")
    rows = log_rows(db)
    assert [(r["seq"], r["reviewed_at"], r["who"], r["auth"]) for r in rows] == [
        ("1", "2024-03-01T08:00:00+00:00", "随便写的名字", ""), ("2", rows[1]["reviewed_at"], "rita", "account")]
    assert reviewer_text("随便写的名字", None, "zh") == "随便写的名字（未验证）"
    assert reviewer_text("rita", "account", "zh") == "rita"


def test_make_serve_refuses_to_start_without_an_admin(tmp_path, seeds_db):
    db = tmp_path / "poverty.duckdb"
    shutil.copy(seeds_db, db)
    assert users(db, "add", "rita", "--role", "reviewer", password=PASSWORDS["rita"][1]).returncode == 0
    gunicorn = Path(sys.executable).parent / "gunicorn"
    run = subprocess.run([str(gunicorn), "--preload", "--bind", f"127.0.0.1:{_free_port()}", "dashboard.wsgi:server"],
                         cwd=ROOT, env={**os.environ, "POVERTY_DB": str(db)}, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0
    assert "No admin account" in run.stderr and "python -m etl users add NAME --role admin" in run.stderr
