#!/usr/bin/env python3
"""Build the held-out documents and their gold CSVs from marked-up sources.

Each ``<stem>.src`` is the document text with claims marked as
``⟦mention|key=value|...⟧`` and default changes as ``⟪key=value|...⟫``.
The markup is stripped to give ``../<stem>.txt``; every claim becomes a row of
``../<stem>.csv`` with offsets computed here (never by hand).

Claim keys: v (value), vh (value_high), u (unit), r (rate), q (qualifier),
reg (region), y (year), ps (period_start), c (cumulative), i (indicator),
req (required), n (note).  Missing v/u/q are derived from the mention and
its context and printed for review.
"""
from __future__ import annotations

import csv
import re
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
COLUMNS = ["doc", "start", "end", "text", "value", "value_high", "unit", "rate", "qualifier",
           "region", "year", "period_start", "cumulative", "indicator", "required", "note"]

DOCS = {
    "h1_county_reply": {"reg": "雷山县", "y": "2022"},
    "h2_city_work_report": {"reg": "邵阳市", "y": "2020"},
    "h3_province_progress": {"reg": "云南省", "y": "2019"},
    "h4_newspaper": {"reg": "张家口市", "y": "2019"},
    "h5_survey_anonymised": {"reg": "", "y": ""},
    "h6_mixed_traps": {"reg": "贵阳市", "y": "2021"},
    "h7_county_summary": {"reg": "会宁县", "y": "2022"},
    "h8_provincial_newspaper": {"reg": "安康市", "y": "2018"},
    "h9_city_reply": {"reg": "阜阳市", "y": "2024"},
    "h10_provincial_feature": {"reg": "广西壮族自治区", "y": "2020"},
    "h11_county_cppcc_reply": {"reg": "郧西县", "y": "2021"},
    "h12_city_npc_survey": {"reg": "海东市", "y": "2023"},
    "h13_county_gov_work_report": {"reg": "卢氏县", "y": "2020"},
    "h14_provincial_press_release": {"reg": "吉林省", "y": "2023"},
    "h15_city_halfyear_summary": {"reg": "赣州市", "y": "2023"},
    "h16_county_interview_feature": {"reg": "西吉县", "y": "2020"},
    "h17_prefecture_press_conference": {"reg": "恩施土家族苗族自治州", "y": "2020"},
    "h18_county_npc_report": {"reg": "泰顺县", "y": "2024"},
    "h19_city_agri_cppcc_reply": {"reg": "南阳市", "y": "2022"},
    "h20_province_annual_report": {"reg": "四川省", "y": "2018"},
}

FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
MULT = {"万": Decimal(10**4), "亿": Decimal(10**8), "千": Decimal(10**3)}
COUNT_UNITS = "个项支家座件期次条处份头所批村"
UNIT_SUFFIX = [("个百分点", "percentage_point"), ("人次", "person_time"), ("元", "yuan"),
               ("户", "household"), ("人", "person"), ("名", "person"), ("位", "person"),
               ("%", "percent"), ("亩", "mu"), ("公里", "km"), ("吨", "ton"), ("年", "year")]
NUM = r"(\d+(?:\.\d+)?)"
TOKEN = re.compile(r"⟦([^⟧|]+)((?:\|[^⟧]*)?)⟧|⟪([^⟫]*)⟫")


def fmt(d: Decimal) -> str:
    d = d.normalize()
    if d == d.to_integral_value():
        return str(int(d))
    return format(d, "f")


def unit_of(rest: str) -> str:
    rest = rest.strip()
    for suf, unit in UNIT_SUFFIX:
        if rest == suf or rest.endswith(suf) and rest[: -len(suf)] in ("", "万", "亿"):
            return unit
    if rest and rest[0] in COUNT_UNITS:
        return "count"
    return ""


def derive(text: str):
    """Return (value, value_high, unit, inner_at_least) derived from a digit mention."""
    t = text.translate(FULLWIDTH).replace(",", "")
    m = re.fullmatch(NUM + r"(%|万|亿)?(?:—|至|～|~|-|到)" + NUM + r"(万|亿)?(.*)", t)
    if m:
        lo, m1, hi, m2, rest = m.groups()
        mult = MULT.get(m2 or m1 or "", Decimal(1)) if (m1 or m2) != "%" else Decimal(1)
        unit = unit_of(rest) or ("percent" if m1 == "%" else "")
        return fmt(Decimal(lo) * mult), fmt(Decimal(hi) * mult), unit, False
    m = re.fullmatch(NUM + r"(万|亿|千)?(余|多)?(.*)", t)
    if not m:
        return None, "", "", False
    num, mult, extra, rest = m.groups()
    value = Decimal(num) * MULT.get(mult or "", Decimal(1))
    return fmt(value), "", unit_of(rest), bool(extra)


BEFORE = [("不超过", "at_most"), ("超过", "at_least"), ("突破", "at_least"), ("不低于", "at_least"),
          ("不少于", "at_least"), ("至少", "at_least"), ("逾", "at_least"), ("不到", "at_most"),
          ("不足", "at_most"), ("近", "approx"), ("约", "approx")]  # longer words first: 不超过 before 超过
AFTER = [("以上", "at_least"), ("左右", "approx"), ("以内", "at_most"), ("以下", "at_most")]


def context_qualifier(doc: str, start: int, end: int, inner: bool) -> str:
    if inner:
        return "at_least"
    for word, q in BEFORE:
        if doc[max(0, start - len(word)):start] == word:
            return q
    for word, q in AFTER:
        if doc[end:end + len(word)] == word:
            return q
    return "exact"


def build(stem: str, defaults: dict) -> list[dict]:
    src = (HERE / f"{stem}.src").read_text(encoding="utf-8")
    state = dict(defaults)
    parts, claims, pos = [], [], 0
    for m in TOKEN.finditer(src):
        parts.append(src[pos:m.start()])
        pos = m.end()
        if m.group(3) is not None:  # directive
            for kv in filter(None, m.group(3).split("|")):
                k, v = kv.split("=", 1)
                state[k] = v
            continue
        mention, opts = m.group(1), {}
        for kv in filter(None, m.group(2).split("|")):
            k, v = kv.split("=", 1)
            opts[k] = v
        start = sum(len(p) for p in parts)
        parts.append(mention)
        claims.append((start, start + len(mention), mention, opts, dict(state)))
    parts.append(src[pos:])
    doc = "".join(parts)
    assert "⟦" not in doc and "⟧" not in doc and "⟪" not in doc, stem
    (OUT / f"{stem}.txt").write_text(doc, encoding="utf-8", newline="\n")

    rows = []
    for start, end, mention, o, st in claims:
        assert doc[start:end] == mention
        v, vh, u, inner = derive(mention)
        value = o.get("v", v)
        if value is None:
            raise SystemExit(f"{stem}: no value for {mention!r}; give v=")
        unit = o.get("u", u)
        if not unit:
            raise SystemExit(f"{stem}: no unit for {mention!r}; give u=")
        rows.append({
            "doc": f"{stem}.txt", "start": start, "end": end, "text": mention,
            "value": value, "value_high": o.get("vh", vh), "unit": unit, "rate": o.get("r", ""),
            "qualifier": o.get("q", context_qualifier(doc, start, end, inner)),
            "region": o.get("reg", st.get("reg", "")), "year": o.get("y", st.get("y", "")),
            "period_start": o.get("ps", st.get("ps", "")), "cumulative": o.get("c", st.get("c", "0")),
            "indicator": o.get("i", ""), "required": o.get("req", "1"), "note": o.get("n", ""),
        })
    with (OUT / f"{stem}.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return rows


def main(argv: list[str]) -> int:
    stems = argv or [s for s in DOCS if (HERE / f"{s}.src").exists()]
    for stem in stems:
        rows = build(stem, DOCS[stem])
        doc = (OUT / f"{stem}.txt").read_text(encoding="utf-8")
        print(f"== {stem}: {len(doc)} chars, {len(rows)} rows "
              f"({sum(r['required'] == '1' for r in rows)} required)")
        for r in rows:
            print(f"  {r['start']:>5} {r['text']:<14} v={r['value']:<12} vh={r['value_high']:<6} "
                  f"{r['unit']:<16} {r['rate']:<16} {r['qualifier']:<8} {r['region']:<6} {r['year']:<4} "
                  f"ps={r['period_start']:<4} c={r['cumulative']} req={r['required']} {r['indicator']}")
    # one combined file for ../../../shared/tools/score_extraction.py --gold
    combined = []
    for stem in DOCS:
        if (OUT / f"{stem}.csv").exists():
            with (OUT / f"{stem}.csv").open(encoding="utf-8", newline="") as f:
                combined += list(csv.DictReader(f))
    with (OUT / "gold_all.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(combined)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
