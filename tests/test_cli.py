"""The command-line contract other tools depend on: python -m etl extract / build."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

KEYS = {"doc", "start", "end", "text", "value", "value_high", "unit", "rate", "qualifier", "region", "year",
        "period_start", "cumulative", "indicator", "sentence"}


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=cwd,
                          encoding="utf-8", timeout=120)


def test_every_command_has_help():
    for command in ([], ["extract"], ["build"]):
        proc = run(*command, "--help")
        assert proc.returncode == 0 and "usage" in proc.stdout


def test_extract_prints_json_lines_with_the_contract_keys():
    doc = SEEDS / "003_e509f0c5d843c471.txt"
    proc = run("extract", str(doc))
    assert proc.returncode == 0, proc.stderr
    claims = [json.loads(line) for line in proc.stdout.splitlines()]
    text = doc.read_text(encoding="utf-8")
    assert claims and all(KEYS <= c.keys() for c in claims)
    assert all(text[c["start"]:c["end"]] == c["text"] and c["doc"] == doc.name for c in claims)
    by_text = {c["text"]: c for c in claims}
    assert by_text["96467 人"]["value"] == 96467 and by_text["96467 人"]["year"] == 2013


def test_extract_region_and_date_options_apply(tmp_path):
    doc = tmp_path / "reply.txt"
    doc.write_text("今年以来,全县新增公益性岗位120个。", encoding="utf-8")
    proc = run("extract", str(doc), "--region", "中牟县", "--date", "2023-06-01")
    (claim,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert (claim["region"], claim["year"], claim["indicator"]) == ("中牟县", 2023, "public_welfare_jobs")


def test_unreadable_file_is_reported_and_the_batch_goes_on(tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\x00\x01\x02\x03" * 50)
    missing = tmp_path / "missing.txt"
    good = SEEDS / "000_9041893887b21c3d.txt"
    proc = run("extract", str(bad), str(missing), str(good))
    assert proc.returncode == 1
    assert f"{bad}: unreadable PDF" in proc.stderr and f"{missing}: No such file" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert any(json.loads(line)["doc"] == good.name for line in proc.stdout.splitlines())


def test_build_writes_the_database_and_reports(tmp_path):
    db = tmp_path / "out" / "poverty.duckdb"
    proc = run("build", "--docs", str(SEEDS), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert db.exists() and "5 documents" in proc.stdout
    assert not list(db.parent.glob("*.tmp"))


@pytest.mark.parametrize("missing", ["no-such-folder"])
def test_build_from_a_missing_folder_fails_clearly(tmp_path, missing):
    proc = run("build", "--docs", str(tmp_path / missing), "--db", str(tmp_path / "x.duckdb"))
    assert proc.returncode == 1 and "not a folder of documents" in proc.stderr


def test_build_shows_progress_documents_and_claims(tmp_path):
    proc = run("build", "--docs", str(SEEDS), "--db", str(tmp_path / "p.duckdb"), "--progress")
    assert proc.returncode == 0, proc.stderr
    last = proc.stderr.replace("\r", "\n").strip().splitlines()[-1]
    assert "5/5 documents" in last and int(last.split(", ")[-1].split()[0]) > 200  # claims found so far
