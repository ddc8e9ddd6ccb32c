"""Hostile and odd input (issue 12): every file of a generated fuzz corpus ends within its budget, with claims
or a clear reason; a refused file changes nothing stored; the rest of a batch goes on; a stopped build leaves
no temporaries behind; a review does not wait behind an upload's extraction."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest
from conftest import ROOT, SEEDS

from etl.devtools.hostile import digit_run, fuzz_files, long_lines, long_lists, write
from etl.reading import budget
from etl.storage.build import build
from etl.storage.checks import run_checks
from etl.storage.ingest import ingest

# What each file of the corpus comes to: added (with claims, or none where it holds no figure), refused, or
# (the largest, whose time depends on the machine) either added or refused for being over its budget.
EXPECTED = {
    "digits_5000.txt": "added", "digits_10000.txt": "added", "digits_20000.txt": "added",
    "digits_200000.txt": "added",  # a run of digits is no figure: added, without claims
    "lists_20x2000.txt": "added", "unpunctuated.txt": "added", "mixed_encodings.txt": "added",
    "random_alphabet_1m.txt": "budget", "lines_150x1000.txt": "budget", "pages_5000.pdf": "budget",
    "nested.html": "refused", "big_part.docx": "refused",
}
REASONS = {"nested.html": "HTML page without article text", "big_part.docx": "unpacks to 50 MB"}


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(db) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims)").fetchone()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write(tmp_path_factory.mktemp("fuzz"), fuzz_files())


@pytest.fixture()
def db(tmp_path, seeds_db):
    path = tmp_path / "poverty.duckdb"
    shutil.copy(seeds_db, path)
    return path


def test_the_fuzz_corpus_in_one_batch_each_file_added_or_refused_by_name(corpus, db, tmp_path):
    store = tmp_path / "documents"
    report = ingest(corpus, store, db)
    refused = {line.split(": ", 1)[0]: line.split(": ", 1)[1] for line in report.problems}
    for path in corpus:
        want, reason = EXPECTED[path.name], refused.get(path.name, "")
        if want == "budget":
            assert path.name in report.added or "longer than" in reason or "memory" in reason, (path.name, report)
        else:
            assert (path.name in report.added if want == "added" else path.name in refused), (path.name, report)
        if path.name in REASONS:
            assert REASONS[path.name] in refused[path.name]
    over = [r for r in refused.values() if "longer than" in r or "memory" in r]
    assert all(r.endswith("; not added") for r in over)
    with duckdb.connect(str(db), read_only=True) as con:
        files = {f for (f,) in con.execute("SELECT file FROM documents").fetchall()}
        lists = con.execute("SELECT count(*), max(length(sentence)) FROM claims c JOIN documents d ON d.id = c.doc_id "
                            "WHERE d.file LIKE 'lists_20x2000%'").fetchone()
    assert len([f for f in files if not (SEEDS / f).exists()]) == len(report.added)
    assert lists[0] == 40_000 and lists[1] <= 1000  # each claim keeps a bounded window of its sentence
    stored = {p.name.rsplit("_", 1)[0] for p in store.glob("*.txt")}
    assert not stored & {n.rsplit(".", 1)[0] for n in refused}  # nothing of a refused file is stored


def test_refused_files_leave_the_database_and_the_documents_folder_unchanged(corpus, db, tmp_path, monkeypatch):
    store = tmp_path / "documents"
    ingest([corpus[0]], store, db)
    before, listing = digest(db), sorted(p.name for p in store.rglob("*"))
    monkeypatch.setattr(budget, "DOC_SECONDS", 0.5)
    bad = [p for p in corpus if p.name in ("big_part.docx", "nested.html", "lines_150x1000.txt")]
    report = ingest(bad, store, db)
    assert not report.added and len(report.problems) == 3
    assert any(p.startswith("lines_150x1000.txt: took longer than 0.5 s; not added") for p in report.problems)
    assert digest(db) == before and sorted(p.name for p in store.rglob("*")) == listing


def test_extract_names_a_file_over_its_budget_and_goes_on(tmp_path):
    slow = tmp_path / "slow.txt"
    slow.write_text(long_lines(40, 1000), encoding="utf-8")
    seed = sorted(SEEDS.glob("*.txt"))[0]
    run = subprocess.run([sys.executable, "-m", "etl", "extract", str(slow), str(seed)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120, env={**os.environ, "ETL_DOC_SECONDS": "0.5"})
    assert run.returncode == 1
    assert f"{slow}: took longer than 0.5 s; skipped" in run.stderr
    assert run.stdout.count(f'"doc": "{seed.name}"') > 10 and "slow.txt" not in run.stdout


def test_build_reports_a_file_over_its_budget_and_builds_the_rest(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "slow.txt").write_text(long_lines(40, 1000), encoding="utf-8")
    monkeypatch.setattr(budget, "DOC_SECONDS", 0.5)
    report = build(docs, tmp_path / "poverty.duckdb", workers=1)
    assert report.problems == [f"{docs / 'slow.txt'}: took longer than 0.5 s; not added"]
    assert report.documents == len(list(SEEDS.glob("*.txt")))


def test_the_span_check_reads_long_documents_too(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "lists.txt").write_text(long_lists(), encoding="utf-8")
    db = tmp_path / "poverty.duckdb"
    assert build(docs, db).claims == 40_000
    with duckdb.connect(str(db)) as con:
        assert run_checks(con) == []
        con.execute("UPDATE claims SET text = 'x' WHERE id = (SELECT min(id) FROM claims)")
        assert run_checks(con) == ["claims: 1 rows whose text is not documents.text[char_start:char_end]"]


def _start_build(docs, db) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", "build", "--docs", str(docs), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_temporary(db, proc) -> bool:
    for _ in range(600):
        if list(db.parent.glob(f"{db.name}.*.tmp")):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def test_a_stopped_build_leaves_no_temporaries_and_a_killed_one_is_cleaned_up_by_the_next(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "long.txt").write_text(long_lines(60, 1000), encoding="utf-8")  # keeps the build busy for a while
    db = tmp_path / "poverty.duckdb"
    leftovers = lambda: sorted(p.name for p in tmp_path.iterdir() if ".tmp" in p.name)  # noqa: E731

    proc = _start_build(docs, db)
    assert _wait_for_temporary(db, proc)
    proc.send_signal(signal.SIGTERM)  # stopped: cleans up on the way out
    proc.wait(timeout=60)
    assert leftovers() == [] and not db.exists()

    proc = _start_build(docs, db)
    assert _wait_for_temporary(db, proc)
    proc.kill()  # killed: cannot clean up…
    proc.wait(timeout=60)
    assert leftovers()
    report = build(docs, db)  # …so the next build does
    assert leftovers() == [] and report.documents >= len(list(SEEDS.glob("*.txt")))


def test_a_review_completes_while_another_user_uploads_the_200_kb_digit_file(db, tmp_path, monkeypatch):
    from dashboard.writes import Upload, upload
    from etl.storage.review_store import record

    monkeypatch.setenv("POVERTY_STORE", str(tmp_path / "documents"))
    with duckdb.connect(str(db), read_only=True) as con:
        claim = con.execute("SELECT id FROM claims ORDER BY id LIMIT 1").fetchone()[0]
    done: dict = {}
    files = [Upload("digits.txt", digit_run(200_000).encode()),
             Upload("long.txt", long_lines(30, 1000).encode())]  # and one more to extract, to be sure to overlap
    uploading = threading.Thread(target=lambda: done.setdefault("result", upload(db, files)))
    uploading.start()
    time.sleep(0.5)  # the upload is extracting
    t0 = time.monotonic()
    assert record(db, [claim], "accept", who="second user") == 1
    took = time.monotonic() - t0
    busy = uploading.is_alive()
    uploading.join(timeout=120)
    assert took < 5 and busy, (took, busy)
    assert "digits.txt" in [name for name, _ in done["result"].added]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status FROM claims WHERE id = ?", [claim]).fetchone()[0] == "accepted"
