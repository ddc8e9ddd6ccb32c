"""The synthetic corpus (etl.devtools.corpus): files, offsets, determinism, and the extractor against its truth."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl.devtools.bench import FIELDS, corpus_accuracy
from etl.devtools.corpus import MANIFEST_COLUMNS, TRUTH_COLUMNS, _times, generate, parse_slot

N_DOCS = 40
GOLD_COLUMNS = ("doc,start,end,text,value,value_high,unit,rate,qualifier,region,year,period_start,cumulative,"
                "indicator,required,note").split(",")
MIN_AGREEMENT = 0.99  # the target for the extractor: mention F1 >= 0.99


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(N_DOCS, out, seed=1, jobs=2)  # in chunks on two processes
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_files_manifest_and_truth(corpus):
    docs = sorted(p.name for p in corpus.glob("doc_*.txt"))
    assert docs == [f"doc_{i:05d}.txt" for i in range(1, N_DOCS + 1)]
    manifest = read_csv(corpus / "manifest.csv")
    assert tuple(manifest[0]) == MANIFEST_COLUMNS
    assert [m["file"] for m in manifest] == docs
    assert all(m["region"] and len(m["date"]) == 10 and "2014" <= m["date"][:4] <= "2023" for m in manifest)
    with (corpus / "truth.csv").open(encoding="utf-8") as f:
        assert f.readline().rstrip("\n").split(",") == GOLD_COLUMNS == list(TRUTH_COLUMNS)


def test_truth_offsets_give_the_text(corpus):
    texts = {p.name: p.read_text(encoding="utf-8") for p in corpus.glob("doc_*.txt")}
    assert all(1500 <= len(t) <= 5000 for t in texts.values())
    rows = read_csv(corpus / "truth.csv")
    assert len(rows) > 40 * N_DOCS
    for r in rows:
        assert texts[r["doc"]][int(r["start"]):int(r["end"])] == r["text"], r
    dates = {m["file"]: m["date"] for m in read_csv(corpus / "manifest.csv")}
    assert all(not r["year"] or 2013 <= int(r["year"]) <= int(dates[r["doc"]][:4]) for r in rows)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_different_seed_different(corpus, tmp_path):
    generate(N_DOCS, tmp_path / "again", seed=1, jobs=1)  # one process: the bytes do not depend on it
    assert _files(tmp_path / "again") == _files(corpus)
    generate(N_DOCS, tmp_path / "other", seed=2)
    other = _files(tmp_path / "other")
    assert other.keys() == _files(corpus).keys()
    assert other["truth.csv"] != _files(corpus)["truth.csv"]
    assert all(other[k] != v for k, v in _files(corpus).items() if k.startswith("doc_"))


def test_command_line_output_does_not_depend_on_the_hash_seed(corpus, tmp_path):
    """The command, in a fresh interpreter with another string-hash seed, writes the same bytes."""
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "etl.devtools.corpus", "--n", str(N_DOCS), "--out", str(tmp_path / "cli"),
                    "--seed", "1"], check=True, env=env, capture_output=True, cwd=Path(__file__).parents[1])
    assert _files(tmp_path / "cli") == _files(corpus)


def test_extractor_finds_the_generated_claims(corpus):
    """The real point: the extractor on the generated documents, scored against the generated truth."""
    acc = corpus_accuracy(corpus)
    print(f"\ncorpus of {N_DOCS} documents: {acc['claims']} required claims, {acc['extracted']} extracted; "
          f"precision {acc['precision']:.4f}, recall {acc['recall']:.4f}, value/unit {acc['value_unit']:.4f}; "
          + ", ".join(f"{k} {acc[k]:.4f}" for k in FIELDS))
    assert acc["precision"] >= MIN_AGREEMENT
    assert acc["recall"] >= MIN_AGREEMENT
    assert acc["value_unit"] >= MIN_AGREEMENT
    assert all(acc[k] >= MIN_AGREEMENT for k in FIELDS), acc


@pytest.mark.parametrize(("num", "factor", "expected"), [
    ("36.99", 10_000, "369900"), ("0.75", 10_000, "7500"), ("2.973", 100_000_000, "297300000"),
    ("14946.16", 1, "14946.16"), ("0.0001", 10, "0.001"), ("5", 10_000, "50000"),
])
def test_times_is_exact(num, factor, expected):
    assert _times(num, factor) == expected


@pytest.mark.parametrize(("spec", "expected"), [
    ("hh =poor_households 3000-60000", {"kind": "hh", "indicator": "poor_households", "lo": 3000, "hi": 60000}),
    ("pp + =lifted_population *3.2", {"cumulative": True, "factor": 3.2, "ref": ""}),
    ("wan ? ~ <超过 1-5", {"required": False, "fixed": True, "prefix": ("超过",)}),
    ("n次 ^余 10-40", {"inside": ("余",), "unit": "count"}),
    ("yuan /per_person_month @now", {"rate": "per_person_month", "year": "now"}),
    ("hh share:h", {"relation": "share", "ref": "h"}),
])
def test_parse_slot(spec, expected):
    slot = parse_slot(spec)
    for key, value in expected.items():
        assert (slot.spec.unit if key == "unit" else getattr(slot, key)) == value


def test_parse_slot_rejects_unknown_attributes():
    with pytest.raises(ValueError):
        parse_slot("hh !")
