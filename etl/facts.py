"""Choose one value per region x year x indicator from the claims that support it.

The rule, in order: an exact figure beats an approximate or bounded one; an explicitly stated year beats
one inferred from the document's date; a newer document beats an older one; then the earlier mention.
Supporting claims that differ from the chosen value by more than 1 % flag a conflict.

>>> rows = [dict(id="a", region="X", year=2020, indicator="k", value=100.0, value_high=None, unit="person",
...              qualifier="approx", year_source="explicit", doc_date="2020", doc_id="d", char_start=5),
...         dict(id="b", region="X", year=2020, indicator="k", value=98.0, value_high=None, unit="person",
...              qualifier="exact", year_source="explicit", doc_date="2020", doc_id="d", char_start=9)]
>>> [(f["claim_id"], f["n_claims"], f["conflict"]) for f in choose_facts(rows)]
[('b', 2, True)]
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

CONFLICT_TOLERANCE = 0.01


def _preference(c: dict) -> tuple:
    return (
        c["qualifier"] != "exact",
        c["year_source"] != "explicit",
        _negated(c.get("doc_date") or ""),
        c["doc_id"],
        c["char_start"],
    )


def _negated(date: str) -> tuple[int, ...]:
    """Sort key that puts newer dates first."""
    return tuple(-ord(ch) for ch in date)


def choose_facts(claims: Iterable[dict]) -> list[dict]:
    """Fact rows (region, year, indicator, value, …, n_claims, conflict, claim_id, doc_id), sorted."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for c in claims:
        if c["region"] and c["year"] is not None and c["indicator"]:
            groups[(c["region"], c["year"], c["indicator"])].append(c)
    facts = []
    for (region, year, indicator), group in sorted(groups.items()):
        chosen = min(group, key=_preference)
        conflict = any(abs(c["value"] - chosen["value"]) > CONFLICT_TOLERANCE * abs(chosen["value"])
                       for c in group)
        facts.append({
            "region": region, "year": year, "indicator": indicator, "value": chosen["value"],
            "value_high": chosen["value_high"], "unit": chosen["unit"], "qualifier": chosen["qualifier"],
            "n_claims": len(group), "conflict": conflict, "claim_id": chosen["id"], "doc_id": chosen["doc_id"],
        })
    return facts
