"""Column checks on the built database, declared once (as dbt's tests): unique, not null, accepted values.

``run_checks(con)`` returns the failures as sentences; the build refuses a database with any.
"""
from __future__ import annotations

import duckdb

UNITS = ("yuan", "household", "person", "person_time", "percent", "percentage_point", "count", "year",
         "mu", "km", "ton")
QUALIFIERS = ("exact", "approx", "at_least", "at_most")
YEAR_SOURCES = ("explicit", "document", "none")

UNIQUE = {
    "documents": ["id"],
    "claims": ["id"],
    "indicators": ["key"],
    "regions": ["name"],
    "facts": ["region_code", "year", "indicator"],
    "findings": ["id"],
    "reviews": ["seq"],
}
NOT_NULL = {
    "documents": ["id", "file", "text"],
    "claims": ["id", "doc_id", "char_start", "char_end", "text", "value", "unit", "qualifier", "sentence"],
    "facts": ["region_code", "region", "year", "indicator", "value", "unit", "claim_id", "doc_id", "reviewed"],
}
ACCEPTED = {
    ("claims", "unit"): UNITS,
    ("claims", "qualifier"): QUALIFIERS,
    ("claims", "year_source"): YEAR_SOURCES,
    ("facts", "unit"): UNITS,
    ("facts", "qualifier"): QUALIFIERS,
    ("claims", "status"): ("machine", "accepted", "rejected", "corrected"),
    ("reviews", "action"): ("accept", "reject", "set"),
}
REFERENCES = {  # (table, column) -> (table, column) it must be found in
    ("claims", "doc_id"): ("documents", "id"),
    ("claims", "indicator"): ("indicators", "key"),
    ("facts", "indicator"): ("indicators", "key"),
    ("facts", "claim_id"): ("claims", "id"),
    ("facts", "region"): ("regions", "name"),
    ("facts", "region_code"): ("regions", "code"),
}


def run_checks(con: duckdb.DuckDBPyConnection, checked: str | None = None) -> list[str]:
    """Every failed check, as a sentence naming the table, column and count. ``checked`` names a table of
    document ids whose claims passed these checks before and were not changed since: their spans (the
    costliest check) are not compared again."""
    failures = []
    for table, cols in UNIQUE.items():
        keys = ", ".join(cols)
        n = con.execute(f"SELECT count(*) FROM (SELECT {keys} FROM {table} GROUP BY {keys} HAVING count(*) > 1)"
                        ).fetchone()[0]
        if n:
            failures.append(f"{table}({keys}): {n} duplicated keys")
    for table, cols in NOT_NULL.items():
        for col in cols:
            n = con.execute(f"SELECT count(*) FROM {table} WHERE {col} IS NULL").fetchone()[0]
            if n:
                failures.append(f"{table}.{col}: {n} NULLs")
    for (table, col), allowed in ACCEPTED.items():
        n = con.execute(f"SELECT count(*) FROM {table} WHERE {col} IS NOT NULL AND NOT list_contains(?, {col})",
                        [list(allowed)]).fetchone()[0]
        if n:
            failures.append(f"{table}.{col}: {n} values outside {allowed}")
    for (table, col), (ref, ref_col) in REFERENCES.items():
        n = con.execute(f"SELECT count(*) FROM {table} WHERE {col} IS NOT NULL AND {col} NOT IN "
                        f"(SELECT {ref_col} FROM {ref})").fetchone()[0]
        if n:
            failures.append(f"{table}.{col}: {n} values not in {ref}.{ref_col}")
    n = _misplaced_spans(con, checked)
    if n:
        failures.append(f"claims: {n} rows whose text is not documents.text[char_start:char_end]")
    return failures


LONG_TEXT = 50_000  # characters: substr walks a text from its start, so long documents are compared here


def _misplaced_spans(con: duckdb.DuckDBPyConnection, checked: str | None) -> int:
    """Claims whose text is not their document's text at their offsets (documents not in ``checked``): in
    SQL for ordinary documents, one by one in Python for long ones (linear where substr would not be)."""
    new = f"id NOT IN (SELECT id FROM {checked})" if checked else "true"
    n = con.execute(f"SELECT count(*) FROM claims c JOIN (SELECT id, text FROM documents WHERE {new} "
                    f"AND n_chars <= {LONG_TEXT}) d ON c.doc_id = d.id "
                    "WHERE substr(d.text, c.char_start + 1, c.char_end - c.char_start) <> c.text").fetchone()[0]
    long_docs = con.execute(f"SELECT id FROM documents WHERE {new} AND n_chars > {LONG_TEXT}"
                            ).fetchall()
    for (doc_id,) in long_docs:
        text = con.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
        spans = con.execute("SELECT char_start, char_end, text FROM claims WHERE doc_id = ?", [doc_id]).fetchall()
        n += sum(text[a:b] != t for a, b, t in spans)
    return n
