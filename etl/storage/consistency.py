"""Consistency checks (核查) over claims and facts. Each finding names the claims involved.

- parts_total: parts listed with a total in one sentence (…其中A、B、C; or A;B;C;总投入T) against the total.
  Parts adding up (within 1 %) are ok; more than the total is a mismatch; less is a partial list, not shown.
- table_total: a total row of a table (合计, 总计, 全市; 小计 for the rows since the previous total) against the
  sum of the other rows, column by column: equal within the rounding of the cells is ok, else a mismatch.
- persons_per_household: 3345户10314人 — persons per household outside 1 to 8.
- year_jump: the same region and indicator changing by more than half between two reported years.
- conflict: documents disagreeing on one region × year × indicator (more than 1 %), in SQL (CONFLICTS_SQL).

The first two read one document's text as written (``document_findings``); the last two read the facts.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict

import regex

from etl.reading.segment import SENTENCE_MAX

TOTAL_CUE = regex.compile(r"(?:总投入|总计|合计|共计|总额|总数|总投资)[^，,。；;\d]{0,4}$")
SUBSET_LIST = regex.compile(r"[，,]?其中[:：]?[^，,。；;]*")  # the parts: from 其中 to the end of its clause
LIST_GAP = regex.compile(r"^[、和及与 ]{0,2}$")
PERSONS_PER_HOUSEHOLD = (1.0, 8.0)
JUMP = 0.5
STOCKS = {"household", "person", "count"}


def _finding(kind: str, status: str, message: str, claims: list[dict], region=None, year=None,
             indicator=None) -> dict:
    ids = ",".join(c["id"] for c in claims)
    return {"id": hashlib.sha256(f"{kind}:{ids}".encode()).hexdigest()[:16], "kind": kind, "status": status,
            "message": message, "region": region, "year": year, "indicator": indicator, "claim_ids": ids}


def _fmt(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _by_sentence(claims: list[dict]) -> dict[int, list[dict]]:
    groups: dict[int, list[dict]] = defaultdict(list)
    for c in claims:
        groups[c["sentence_start"]].append(c)
    return groups


def _group_ends(sent: list[dict], text: str) -> list[int]:
    """For each claim of a sentence (in order), the end of the list it heads (3345户10314人 …)."""
    ends = [c["char_end"] for c in sent]
    for i in range(len(sent) - 2, -1, -1):
        if LIST_GAP.match(text[sent[i]["char_end"]:sent[i + 1]["char_start"]]):
            ends[i] = ends[i + 1]
    return ends


def parts_against_totals(claims: list[dict], text: str) -> list[dict]:
    """Totals (a total cue before them, or a 其中 after them) against their parts in the same sentence."""
    out = []
    for sent in _by_sentence(claims).values():
        sent = sorted(sent, key=lambda c: c["char_start"])
        ends = _group_ends(sent, text)
        for i, total in enumerate(sent):
            parts = []
            if TOTAL_CUE.search(text, max(0, total["char_start"] - 12), total["char_start"]):
                parts = [c for c in sent[:i] if c["unit"] == total["unit"] and c.get("indicator")]
            else:
                listed = SUBSET_LIST.match(text, ends[i], ends[i] + SENTENCE_MAX)  # bounded: no scan to the end
                if listed:
                    parts = [c for c in sent[i + 1:] if c["unit"] == total["unit"]
                             and listed.start() <= c["char_start"] < listed.end()]
            if len(parts) < 2:
                continue
            s = sum(c["value"] for c in parts)
            status = "ok" if abs(s - total["value"]) <= 0.01 * abs(total["value"]) else \
                "mismatch" if s > total["value"] else None
            if status:
                terms = " + ".join(_fmt(c["value"]) for c in parts)
                out.append(_finding("parts_total", status, f"{terms} = {_fmt(s)}; 总数 {_fmt(total['value'])}",
                                    [total, *parts], total.get("region"), total.get("year"), total.get("indicator")))
    return out


def persons_per_household(claims: list[dict], text: str) -> list[dict]:
    """N户M人 written together: M/N outside the plausible range."""
    out = []
    ordered = sorted(claims, key=lambda c: c["char_start"])
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a["unit"] != "household" or b["unit"] != "person":
            continue
        if not LIST_GAP.match(text[a["char_end"]:b["char_start"]]) or not a["value"]:
            continue
        ratio = b["value"] / a["value"]
        lo, hi = PERSONS_PER_HOUSEHOLD
        if not lo <= ratio <= hi:
            out.append(_finding("persons_per_household", "warning",
                                f"{_fmt(a['value'])}户 {_fmt(b['value'])}人: 户均 {ratio:.2f} 人 (应在 {lo:g}–{hi:g})",
                                [a, b], a.get("region"), a.get("year"), a.get("indicator")))
    return out


YEAR_JUMPS_SQL = f"""
SELECT j.*, coalesce(i.name_zh, j.indicator) AS indicator_name FROM (
    SELECT region, indicator, year AS year_b, value AS value_b, claim_id AS claim_b,
           lag(year) OVER w AS year_a, lag(value) OVER w AS value_a, lag(claim_id) OVER w AS claim_a
    FROM facts WHERE list_contains({sorted(STOCKS)}, unit)
    WINDOW w AS (PARTITION BY region, indicator ORDER BY year)) j
LEFT JOIN indicators i ON i.key = j.indicator
WHERE value_a IS NOT NULL AND value_a <> 0 AND abs(value_b - value_a) > {JUMP} * value_a
ORDER BY region, indicator, year_b
"""


def year_jumps(pairs: list[dict]) -> list[dict]:
    """Findings for consecutive reported years of a stock changing by more than half (the rows of
    YEAR_JUMPS_SQL)."""
    return [_finding("year_jump", "warning",
                     f"{p['region']} {p.get('indicator_name') or p['indicator']}: "
                     f"{p['year_a']}年 {_fmt(p['value_a'])} → {p['year_b']}年 {_fmt(p['value_b'])}",
                     [{"id": p["claim_a"]}, {"id": p["claim_b"]}], p["region"], p["year_b"], p["indicator"])
            for p in pairs]


# Facts whose supporting claims (by region, year, indicator) disagree, as findings; values formatted as _fmt.
FMT_SQL = "rtrim(rtrim(format('{:,.2f}', c.value), '0'), '.')"
CONFLICTS_SQL = f"""
INSERT INTO findings
SELECT sha256('conflict:' || ids)[:16], 'conflict', 'mismatch',
       region || ' ' || year || '年 ' || name || ': 不同来源数值不一致 (' || vals || ')',
       region, year, indicator, ids, NULL
FROM (
    SELECT f.region, f.year, f.indicator, any_value(coalesce(i.name_zh, f.indicator)) AS name,
           string_agg(c.id, ',' ORDER BY c.id) AS ids,
           array_to_string(list_sort(list_distinct(list({FMT_SQL}))), '、') AS vals
    FROM facts f JOIN claims ch ON ch.id = f.claim_id
    JOIN claims c ON c.region = f.region AND c.year = f.year AND c.indicator = f.indicator
    LEFT JOIN indicators i ON i.key = f.indicator
    WHERE f.conflict AND c.status <> 'rejected' AND c.rate IS NOT DISTINCT FROM ch.rate
    GROUP BY ALL)
ORDER BY region, year, indicator
"""


def table_totals(claims: list[dict]) -> list[dict]:
    """Each total row's figure against the sum of the rows it totals, in its column: a grand total (合计, 全市)
    against every row of its table that is not a total, a subtotal (小计) against the rows since the previous
    total; likewise a column of totals (合计, 全市 as a column header) against the other columns of its row.
    Columns of rates and shares (percent) are not added up."""
    summed = [c for c in claims if c.get("table_name") is not None and not c.get("rate")
              and c["unit"] in STOCKS | {"yuan", "person_time", "mu", "km", "ton"}]
    by_column: dict[tuple[int, int], list[dict]] = defaultdict(list)
    by_row: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for c in summed:
        if not c.get("_col_total"):
            by_column[(c["_block"], c["table_col"])].append(c)
        if not c.get("_total"):
            by_row[(c["_block"], c["table_row"])].append(c)
    out = []
    for line in by_column.values():
        out += _totals(line, "table_row", "_total", "行")
    for line in by_row.values():
        out += _totals(line, "table_col", "_col_total", "列")
    return out


def _totals(line: list[dict], order: str, role: str, part: str) -> list[dict]:
    """Findings for the totals of one column (or row) of a table against its other cells."""
    line.sort(key=lambda c: c[order])
    out, since = [], []
    for c in line:
        if not c.get(role):
            since.append(c)
            continue
        parts = since if c[role] == "subtotal" else [p for p in line if not p.get(role)]
        since = []
        parts = [p for p in parts if p["unit"] == c["unit"]]
        if len(parts) < 2:
            continue
        s = sum(p["value"] for p in parts)
        slack = sum(0.5 * 10 ** -p["_decimals"] * p["_scale"] for p in [c, *parts])
        status = "ok" if abs(s - c["value"]) <= slack + 1e-9 * abs(c["value"]) else "mismatch"
        head = c["sentence"].rsplit("：", 1)[0]
        verdict = "一致" if status == "ok" else f"不一致，相差 {_fmt(c['value'] - s)}"
        message = (f"{c['table_name']} 第{c['table_row'] + 1}行第{c['table_col'] + 1}列（{head}）："
                   f"{_fmt(c['value'])}，其余 {len(parts)} {part}之和 {_fmt(s)}，{verdict}")
        out.append(_finding("table_total", status, message, [c, *parts], c.get("region"), c.get("year"),
                            c.get("indicator") or c.get("indicator_candidate")))
    return out


def document_findings(claims: list[dict], text: str) -> list[dict]:
    """Findings within one document: parts against totals, persons per household (in prose), a table's total
    rows against their rows."""
    prose = [c for c in claims if c.get("table_name") is None]
    return parts_against_totals(prose, text) + persons_per_household(prose, text) + table_totals(claims)
