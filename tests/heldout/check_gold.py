#!/usr/bin/env python3
"""Check the held-out gold files against their documents and the schema.

Run from anywhere: python3 tests/heldout/check_gold.py
Checks: header identical to seeds_gold.csv; doc names; 0-based offsets with
text == document[start:end]; no overlapping spans; value / value_high parse;
unit, qualifier, cumulative, required in their allowed sets; year and
period_start are empty or 4-digit with period_start <= year; indicator keys
exist in indicators.csv; document length 2,000-5,000 characters; manifest rows.
It also lists every digit run (ASCII or full-width) of each document that no
gold row covers, for a human to confirm each is a trap.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path("/work/shared/gold")
UNITS = {"yuan", "household", "person", "person_time", "percent", "percentage_point", "count",
         "year", "mu", "km", "ton"}
QUALS = {"exact", "approx", "at_least", "at_most"}
IND_UNIT_OK = {  # indicator unit -> row units accepted
    "count": {"count"}, "household": {"household"}, "person": {"person"},
    "person_time": {"person_time"}, "percent": {"percent"}, "yuan": {"yuan"},
}


def main() -> int:
    header = next(csv.reader(open(SHARED / "seeds_gold.csv", encoding="utf-8")))
    indicators = {r["key"]: r for r in csv.DictReader(open(SHARED / "indicators.csv", encoding="utf-8"))}
    errors: list[str] = []
    summary = []
    golds = sorted(p for p in HERE.glob("h*.csv"))
    for gp in golds:
        stem = gp.stem
        dp = HERE / f"{stem}.txt"
        raw = dp.read_bytes()
        doc = raw.decode("utf-8")  # strict
        if raw.startswith(b"\xef\xbb\xbf"):
            errors.append(f"{dp.name}: BOM")
        if not 2000 <= len(doc) <= 5000:
            errors.append(f"{dp.name}: length {len(doc)} outside 2000-5000")
        with gp.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            h = next(reader)
            if h != header:
                errors.append(f"{gp.name}: header {h} != {header}")
            rows = [dict(zip(h, r, strict=False)) for r in reader]
        spans = []
        for n, r in enumerate(rows, 2):
            where = f"{gp.name}:{n}"
            if r["doc"] != dp.name:
                errors.append(f"{where}: doc {r['doc']!r}")
            s, e = int(r["start"]), int(r["end"])
            if not (0 <= s < e <= len(doc)):
                errors.append(f"{where}: bad span {s}-{e}")
            if doc[s:e] != r["text"]:
                errors.append(f"{where}: text {r['text']!r} != doc[{s}:{e}] {doc[s:e]!r}")
            if r["text"] != r["text"].strip():
                errors.append(f"{where}: text has outer whitespace")
            spans.append((s, e, where))
            try:
                v = float(r["value"])
            except ValueError:
                errors.append(f"{where}: value {r['value']!r}")
                v = None
            if r["value_high"]:
                try:
                    if v is not None and float(r["value_high"]) <= v:
                        errors.append(f"{where}: value_high <= value")
                except ValueError:
                    errors.append(f"{where}: value_high {r['value_high']!r}")
            if r["unit"] not in UNITS:
                errors.append(f"{where}: unit {r['unit']!r}")
            if r["qualifier"] not in QUALS:
                errors.append(f"{where}: qualifier {r['qualifier']!r}")
            if r["cumulative"] not in ("0", "1"):
                errors.append(f"{where}: cumulative {r['cumulative']!r}")
            if r["required"] not in ("0", "1"):
                errors.append(f"{where}: required {r['required']!r}")
            for col in ("year", "period_start"):
                if r[col] and not re.fullmatch(r"(19|20)\d\d", r[col]):
                    errors.append(f"{where}: {col} {r[col]!r}")
            if r["period_start"] and (not r["year"] or int(r["period_start"]) > int(r["year"])):
                errors.append(f"{where}: period_start {r['period_start']} vs year {r['year']}")
            if r["rate"] and r["unit"] != "yuan":
                errors.append(f"{where}: rate on a non-money unit")
            if r["indicator"]:
                ind = indicators.get(r["indicator"])
                if ind is None:
                    errors.append(f"{where}: unknown indicator {r['indicator']!r}")
                elif r["unit"] not in IND_UNIT_OK.get(ind["unit"], {ind["unit"]}):
                    errors.append(f"{where}: unit {r['unit']} does not fit {r['indicator']} ({ind['unit']})")
            if r["unit"] == "yuan" and r["text"].endswith("万元") and v is not None and v < 1e4:
                errors.append(f"{where}: 万元 value not scaled")
        spans.sort()
        for (_s1, e1, w1), (s2, _e2, w2) in zip(spans, spans[1:], strict=False):
            if s2 < e1:
                errors.append(f"{w1} overlaps {w2}")
        # digit runs not covered by any row: to be reviewed by hand as traps
        covered = [False] * len(doc)
        for s, e, _ in spans:
            for i in range(s, e):
                covered[i] = True
        uncovered = []
        for m in re.finditer(r"[0-9０-９]+(?:[.,．][0-9０-９]+)*", doc):
            if not any(covered[m.start():m.end()]):
                ctx = doc[max(0, m.start() - 8):m.end() + 8].replace("\n", "⏎")
                uncovered.append(f"{m.group()!r} … {ctx}")
        req = sum(r["required"] == "1" for r in rows)
        summary.append((gp.name, len(doc), len(rows), req, len(rows) - req,
                        sum(bool(r["indicator"]) for r in rows), uncovered))
    # manifest
    mp = HERE / "manifest.csv"
    man = list(csv.DictReader(open(mp, encoding="utf-8")))
    if list(man[0].keys()) != ["file", "title", "issuer", "region", "date", "source"]:
        errors.append(f"manifest header {list(man[0].keys())}")
    files = {m["file"] for m in man}
    for gp in golds:
        if f"{gp.stem}.txt" not in files:
            errors.append(f"manifest lacks {gp.stem}.txt")
    for m in man:
        if not (HERE / m["file"]).exists():
            errors.append(f"manifest names missing file {m['file']}")

    print(f"{'gold file':<30}{'chars':>6}{'rows':>6}{'req':>5}{'opt':>5}{'ind':>5}")
    for name, n, rows, req, opt, ind, _ in summary:
        print(f"{name:<30}{n:>6}{rows:>6}{req:>5}{opt:>5}{ind:>5}")
    tot = [sum(x[i] for x in summary) for i in (2, 3, 4, 5)]
    print(f"{'TOTAL':<36}{tot[0]:>6}{tot[1]:>5}{tot[2]:>5}{tot[3]:>5}")
    if "-v" in sys.argv:
        for name, *_, unc in summary:
            print(f"\n-- digit runs with no gold row in {name} (traps, check by eye): {len(unc)}")
            for u in unc:
                print("   ", u)
    print("\nerrors:", len(errors))
    for e in errors:
        print("  ", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
