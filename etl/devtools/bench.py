"""Benchmarks of the ETL: ``python -m etl.devtools.bench`` prints figures only (nothing here asserts a time).

- extraction throughput on one core, over the seeds repeated to at least 5 MB of text;
- mention F1 and value/unit, qualifier, region, year and indicator agreement on a generated corpus against its truth;
- building 10,000 generated documents from scratch on all cores, then again after adding 10;
- hostile input: time and peak memory of ``python -m etl extract`` on each file of issue 12's table;
- a spreadsheet of 10,000 rows by 10 figures ingested (``python -m etl ingest``): time and peak memory.
"""
from __future__ import annotations

import argparse
import csv
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from etl.claims.extract import extract_text
from etl.claims.regions import document_region
from etl.devtools.corpus import generate
from etl.devtools.hostile import table_files
from etl.reading import budget
from etl.reading.decode import read_document
from etl.reading.metadata import infer_date, read_manifest
from etl.storage.build import build

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TARGET_CHARS = 5_000_000


def extraction_throughput(docs: list[str], repeats: int = 5) -> tuple[float, float, int, int]:
    """(characters per CPU second: median and best of runs, characters, claims) for extracting ``docs``."""
    metas = [(document_region(t), infer_date(t)) for t in docs]
    chars = sum(len(t) for t in docs)
    rates, claims = [], 0
    for _ in range(repeats):
        t0 = time.process_time()
        claims = sum(len(extract_text(t, region=r, date=d)) for t, (r, d) in zip(docs, metas, strict=True))
        rates.append(chars / (time.process_time() - t0))
    return statistics.median(rates), max(rates), chars, claims


def jionlp_money_throughput(docs: list[str], repeats: int = 5) -> float | None:
    """Characters per CPU second of JioNLP's money extractor (``jionlp.ner.extract_money``, which reads money
    only) on the same texts, median of runs; None when JioNLP is not installed (``pip install -e '.[bench]'``)."""
    try:
        import jionlp
    except ImportError:
        return None
    jionlp.ner.extract_money(docs[0])  # its lexicons load on first use
    chars = sum(len(t) for t in docs)
    rates = []
    for _ in range(repeats):
        t0 = time.process_time()
        for t in docs:
            jionlp.ner.extract_money(t)
        rates.append(chars / (time.process_time() - t0))
    return statistics.median(rates)


FIELDS = ("qualifier", "region", "year", "indicator")


def corpus_accuracy(folder: Path) -> dict[str, float]:
    """Mention precision, recall and F1, and value/unit, qualifier, region, year and indicator agreement on
    the required claims, of the extractor on a generated corpus against its truth (matched as the scorer
    does: one to one, largest overlap first)."""
    truth: dict[str, list[dict]] = defaultdict(list)
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            truth[row["doc"]].append(row)
    manifest = read_manifest(folder)
    n_pred = n_fp = n_required = n_found = n_value = 0
    agree = dict.fromkeys(FIELDS, 0)
    for doc, gold in truth.items():
        meta = manifest[doc]
        preds = extract_text((folder / doc).read_text(encoding="utf-8"), region=meta.region, date=meta.date)
        pairs, fp = _match(gold, preds)
        n_pred, n_fp = n_pred + len(preds), n_fp + fp
        n_required += sum(g["required"] == "1" for g in gold)
        for g, p in pairs:
            if g["required"] != "1":
                continue
            n_found += 1
            n_value += g["unit"] == p["unit"] and math.isclose(float(g["value"]), p["value"], rel_tol=1e-6)
            for field in FIELDS:
                agree[field] += _same(g, p, field)
    precision, recall = (n_pred - n_fp) / max(n_pred, 1), n_found / max(n_required, 1)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall),
            "value_unit": n_value / max(n_found, 1), "claims": n_required, "extracted": n_pred,
            **{f: n / max(n_found, 1) for f, n in agree.items()}}


def _match(gold: list[dict], preds: list[dict]) -> tuple[list[tuple[dict, dict]], int]:
    """Greedy one-to-one matching by largest overlap: pairs, and the number of unmatched predictions."""
    cands = sorted(((min(int(g["end"]), p["end"]) - max(int(g["start"]), p["start"]), gi, pi)
                    for gi, g in enumerate(gold) for pi, p in enumerate(preds)
                    if min(int(g["end"]), p["end"]) > max(int(g["start"]), p["start"])), reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold[gi], preds[pi]))
    return pairs, len(preds) - len(used_p)


def _same(gold: dict, pred: dict, field: str) -> bool:
    got = pred.get(field)
    got = "" if got is None else str(int(got)) if isinstance(got, bool | int) else str(got)
    return got == (gold[field] or ("exact" if field == "qualifier" else ""))


def build_times(n: int, workers: int) -> tuple[float, float, int]:
    """(seconds from scratch, seconds after adding 10 documents, claims) for ``n`` generated documents."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        generate(n + 10, tmp / "all")
        docs = tmp / "docs"
        docs.mkdir()
        files = sorted((tmp / "all").glob("doc_*.txt"))
        for f in files[:n]:
            shutil.copy(f, docs / f.name)
        shutil.copy(tmp / "all" / "manifest.csv", docs / "manifest.csv")
        db = tmp / "poverty.duckdb"
        t0 = time.perf_counter()
        first = build(docs, db, workers=workers)
        scratch = time.perf_counter() - t0
        for f in files[n:]:
            shutil.copy(f, docs / f.name)
        t0 = time.perf_counter()
        second = build(docs, db, workers=workers)
        incremental = time.perf_counter() - t0
        assert second.extracted == 10 and second.reused == first.documents, second
        return scratch, incremental, first.claims
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# Runs one command and prints its wall time and peak memory: a small process of its own, so that the peak is
# the command's (a child forked from this one would count this one's memory too).
MEASURE = ("import resource, subprocess, sys, time\n"
           "t0 = time.perf_counter()\n"
           "with open(sys.argv[1], 'wb') as out, open(sys.argv[2], 'wb') as err:\n"
           "    subprocess.run(sys.argv[3:], stdout=out, stderr=err, check=False)\n"
           "print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


def hostile_input(folder: Path) -> list[tuple[str, int, float, float, int, str]]:
    """(file, bytes, seconds, peak memory in MB, claims, what stderr said) of ``python -m etl extract`` run on
    each file of issue 12's table, one process per file."""
    out = []
    root = Path(__file__).resolve().parents[2]
    for name, make in table_files().items():
        path, stdout, stderr = folder / name, folder / "stdout", folder / "stderr"
        path.write_text(make(), encoding="utf-8")
        run = subprocess.run([sys.executable, "-c", MEASURE, str(stdout), str(stderr), sys.executable, "-m", "etl",
                              "extract", str(path)], cwd=root, capture_output=True, text=True, check=True)
        seconds, kb = run.stdout.split()
        claims = stdout.read_bytes().count(b"\n")
        said = stderr.read_text(encoding="utf-8", errors="replace").strip().replace(f"{path}: ", "")
        out.append((name, path.stat().st_size, float(seconds), int(kb) / 1024, claims, said))
    return out


def print_hostile_input() -> None:
    """The hostile input section: one line per file of issue 12's table."""
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        rows = hostile_input(Path(tmp))
    print(f"hostile input (python -m etl extract, one file each; budget {budget.DOC_SECONDS:g} s and "
          f"{budget.DOC_MEMORY_MB:g} MB per document; target <= 10 s and <= 585 MB, or refused within it):")
    for name, size, seconds, mb, n, said in rows:
        print(f"  {name:<24} {size / 1024:>8,.0f} KB  {seconds:5.1f} s  {mb:5.0f} MB peak  {n:>7,} claims"
              + (f"  ({said})" if said else ""))


TOWNSHIPS = ("固东镇", "滇滩镇", "猴桥镇", "和顺镇", "界头镇", "曲石镇", "明光镇", "中和镇", "芒棒镇", "五合乡")


def spreadsheet(path: Path, n_rows: int = 10_000, n_cols: int = 10) -> Path:
    """An .xlsx of ``n_rows`` rows (townships of 腾冲市, in turn) by ``n_cols`` columns of figures, written
    streaming (openpyxl's write-only mode)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("2021年")
    ws.append(["腾冲市2021年防返贫监测对象情况"])
    ws.append(["单位：户"])
    ws.append(["乡镇"] + [f"监测对象户数（第{j + 1}批）" for j in range(n_cols)])
    for i in range(n_rows):
        ws.append([TOWNSHIPS[i % len(TOWNSHIPS)]] + [(i * 7 + j * 13) % 500 + 1 for j in range(n_cols)])
    wb.save(path)
    return path


def spreadsheet_ingest(folder: Path, n_rows: int = 10_000, n_cols: int = 10) -> tuple[float, float, str]:
    """(seconds, peak memory in MB, what it printed) of ``python -m etl ingest`` adding a spreadsheet of
    ``n_rows`` × ``n_cols`` figures to a database that holds one document, in a process of its own."""
    root = Path(__file__).resolve().parents[2]
    db, store = folder / "poverty.duckdb", folder / "documents"
    first = folder / "first.txt"
    first.write_text("截至2020年底，全市共有建档立卡贫困户1200户。", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "etl", "ingest", str(first), "--db", str(db), "--store", str(store)],
                   cwd=root, capture_output=True, check=True)
    path = spreadsheet(folder / "monitoring.xlsx", n_rows, n_cols)
    stdout, stderr = folder / "stdout", folder / "stderr"
    run = subprocess.run([sys.executable, "-c", MEASURE, str(stdout), str(stderr), sys.executable, "-m", "etl",
                          "ingest", str(path), "--db", str(db), "--store", str(store), "--region", "腾冲市"],
                         cwd=root, capture_output=True, text=True, check=True)
    seconds, kb = run.stdout.split()
    said = (stdout.read_text(encoding="utf-8").strip().splitlines() or [""])[-1]
    problems = stderr.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return float(seconds), int(kb) / 1024, "; ".join([said, *[p for p in problems if ":" in p][:1]])


def print_spreadsheet_ingest() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-sheet-") as tmp:
        seconds, mb, said = spreadsheet_ingest(Path(tmp))
    print(f"spreadsheet: 10,000 rows x 10 figures (.xlsx) ingested in {seconds:.1f} s, {mb:.0f} MB peak "
          f"(budget {budget.DOC_SECONDS:g} s per document for reading and extracting): {said}")


def machine() -> str:
    mem = ""
    try:
        kb = int(next(ln for ln in open("/proc/meminfo") if ln.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} cores{mem}"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m etl.devtools.bench", description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=10_000, help="generated documents to build (default 10000)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--hostile-only", action="store_true", help="only the hostile input section")
    p.add_argument("--tables-only", action="store_true", help="only the spreadsheet section")
    a = p.parse_args(argv)
    print(f"machine: {machine()}")
    if a.hostile_only:
        print_hostile_input()
        return
    if a.tables_only:
        print_spreadsheet_ingest()
        return
    seeds = [read_document(f) for f in sorted(SEEDS.glob("*.txt"))]
    docs = seeds * -(-TARGET_CHARS // sum(len(t) for t in seeds))
    median, best, chars, claims = extraction_throughput(docs)
    print(f"extraction: {median:,.0f} characters/s on one core, median of 5 runs (best {best:,.0f}); "
          f"{chars:,} characters of the seeds repeated, {claims:,} claims; target >= 1,000,000")
    money = jionlp_money_throughput(docs)
    if money is None:
        print("JioNLP's extract_money: not installed (pip install -e '.[bench]')")
    else:
        print(f"JioNLP's extract_money (money only) on the same text: {money:,.0f} characters/s; ours reads every "
              f"unit, place, year and indicator at {median / money:.2f} times its speed (target >= 0.8)")
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        generate(500, Path(tmp))
        acc = corpus_accuracy(Path(tmp))
    print(f"accuracy on 500 generated documents ({acc['claims']:,} true claims): mention precision "
          f"{acc['precision']:.4f}, recall {acc['recall']:.4f}, F1 {acc['f1']:.4f} (target >= 0.99); "
          f"value/unit {acc['value_unit']:.4f}, " + ", ".join(f"{f} {acc[f]:.4f}" for f in FIELDS))
    print_hostile_input()
    print_spreadsheet_ingest()
    scratch, incremental, n_claims = build_times(a.docs, a.workers)
    print(f"build: {a.docs:,} generated documents ({n_claims:,} claims) on {a.workers} cores from scratch "
          f"{scratch:.1f} s (target <= 60 s); after adding 10 documents {incremental:.1f} s (target <= 5 s)")


if __name__ == "__main__":
    main()
