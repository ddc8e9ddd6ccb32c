"""Read-only queries: each takes the database path and parameters and returns a DataFrame (or a dict).

The file is attached read-only to an in-memory DuckDB, once per process and database version; each
thread gets its own cursor (DuckDB's way of sharing one database between threads). A rebuilt file (new
inode or mtime) is reopened on the next query. Values are always bound parameters; aggregation happens
in DuckDB.

Regions are passed and matched by code (``regions.code``, ``facts.region_code``: 统计用区划代码 such as "4101",
or ``name:<name>`` for a region the gazetteer does not know); names are for showing.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
import weakref
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

DEFAULT_DB = Path("data/poverty.duckdb")
CLAIM_LIMIT = 5000


class DatabaseMissing(FileNotFoundError):
    """The database file does not exist (build it with ``make build``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        super().__init__(
            f"database {self.path} not found; build it with `make build` "
            f"(python -m etl build --docs seeds --db {self.path})"
        )


_LOCK = threading.Lock()
_OPEN: dict[str, tuple[tuple[int, int, int], duckdb.DuckDBPyConnection]] = {}
# Cursors per file, weakly held: a finished request thread drops its thread-local cursor and it goes.
_CURSORS: dict[str, weakref.WeakSet] = {}
_LOCAL = threading.local()
_RETIRED: list[tuple[float, str, weakref.WeakSet, duckdb.DuckDBPyConnection]] = []
RETIRE_AFTER = 120.0  # seconds a replaced database stays open for the requests still using it
_GENERATION = [0]  # bumped by close_all() so threads drop their cached cursors
_HAS_COLUMN: dict[tuple[str, tuple[int, int, int], str, str], bool] = {}
ALIAS = "poverty"  # the attached database file


def _stamp(path: Path) -> tuple[int, int, int]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DatabaseMissing(path) from None
    return st.st_ino, st.st_mtime_ns, st.st_size


def cursor(db: str | Path) -> duckdb.DuckDBPyConnection:
    """This thread's read-only cursor on ``db`` (reopened when the file was rebuilt)."""
    path = Path(db).resolve()
    key, stamp = str(path), _stamp(path)
    version = (stamp, _GENERATION[0])
    cursors = _LOCAL.__dict__.setdefault("cursors", {})
    cached = cursors.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _LOCK:
        opened = _OPEN.get(key)
        if opened is None or opened[0] != stamp:
            if opened is not None:  # the file was rebuilt: retire the old instance, open the new file
                _retire(key)
            opened = (stamp, _attach(key))
            _OPEN[key] = opened
        cur = opened[1].cursor()
        cur.execute(f"USE {ALIAS}")
        _CURSORS.setdefault(key, weakref.WeakSet()).add(cur)
    cursors[key] = (version, cur)
    return cur


def _attach(path: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the file attached read-only.

    Not ``duckdb.connect(path)``: DuckDB caches one instance per path in a process, so while a retired
    connection keeps the replaced file open, connecting again would hand back the old file (a review or
    an upload made by this process would stay invisible).
    """
    con = duckdb.connect(":memory:")
    quoted = path.replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS {ALIAS} (READ_ONLY)")
    return con


def _retire(key: str) -> None:
    """Set aside the connection to a replaced file without closing it: requests still running on it
    finish on the old file. Instances retired over RETIRE_AFTER seconds ago are closed (caller holds _LOCK)."""
    now = time.monotonic()
    for when, old_key, cursors, conn in [r for r in _RETIRED if now - r[0] > RETIRE_AFTER]:
        for cur in list(cursors):
            cur.close()
        conn.close()
        _RETIRED.remove((when, old_key, cursors, conn))
    _RETIRED.append((now, key, _CURSORS.pop(key, weakref.WeakSet()), _OPEN.pop(key)[1]))


def _close_instance(key: str) -> None:
    """Close the connection to ``key`` and every cursor on it (caller holds _LOCK)."""
    for cur in list(_CURSORS.pop(key, ())):
        cur.close()
    opened = _OPEN.pop(key, None)
    if opened is not None:
        opened[1].close()


def close_all() -> None:
    """Close every connection and cursor this module opened (tests' teardown, process exit)."""
    with _LOCK:
        for key in list(_OPEN):
            _close_instance(key)
        for _, _, cursors, conn in _RETIRED:
            for cur in list(cursors):
                cur.close()
            conn.close()
        _RETIRED.clear()
        _GENERATION[0] += 1
    _LOCAL.__dict__.pop("cursors", None)


atexit.register(close_all)


def query(db: str | Path, sql: str, params: Sequence | dict | None = None) -> pd.DataFrame:
    """Run one parametrised query on ``db`` and return a DataFrame."""
    return cursor(db).execute(sql, params or []).df()


def _has_column(db: str | Path, table: str, column: str) -> bool:
    """Whether ``table`` has ``column`` (databases built before reviews have no status), cached per file."""
    path = Path(db).resolve()
    key = (str(path), _stamp(path), table, column)
    if key not in _HAS_COLUMN:
        n = (
            cursor(db)
            .execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_catalog = ? "
                "AND table_name = ? AND column_name = ?",
                [ALIAS, table, column],
            )
            .fetchone()[0]
        )
        _HAS_COLUMN[key] = bool(n)
    return _HAS_COLUMN[key]


def _reviewer(db: str | Path) -> str:
    """SQL columns reviewed_by, reviewed_at, reviewed_auth: the claim's last review (NULL when none)."""
    if not _has_column(db, "reviews", "auth"):
        return "NULL AS reviewed_by, NULL AS reviewed_at, NULL AS reviewed_auth"
    return "rv.who AS reviewed_by, rv.reviewed_at, rv.auth AS reviewed_auth"


def _reviews_join(db: str | Path) -> str:
    if not _has_column(db, "reviews", "auth"):
        return ""
    return """LEFT JOIN (SELECT doc_id, char_start, char_end, arg_max(who, seq) AS who,
                         arg_max(reviewed_at, seq) AS reviewed_at, arg_max(auth, seq) AS auth
                         FROM reviews GROUP BY ALL) rv
        ON rv.doc_id = c.doc_id AND rv.char_start = c.char_start AND rv.char_end = c.char_end"""


def _live(db: str | Path) -> str:
    """SQL condition on claims ``c`` that leaves out rejected claims (when the schema has a status)."""
    return "c.status <> 'rejected'" if _has_column(db, "claims", "status") else "TRUE"


def _status(db: str | Path) -> str:
    """SQL expression for the review status of claim ``c``: machine, accepted, rejected or corrected."""
    return "c.status" if _has_column(db, "claims", "status") else "'machine'"


CLAIM_CODE = "coalesce(c.region_code, 'name:' || c.region)"  # a claim's region as facts key it (etl facts.py)


def _reviewed(db: str | Path) -> str:
    """SQL expression: whether fact ``f``'s value was accepted or corrected by a person."""
    return "f.reviewed" if _has_column(db, "facts", "reviewed") else "false"


# --- metadata -------------------------------------------------------------------------------------


def indicators(db: str | Path) -> pd.DataFrame:
    """All indicators in theme and sort order, with the number of facts and regions each has."""
    return query(
        db,
        """
        WITH counts AS (SELECT indicator, count(*) AS n_facts, count(DISTINCT region_code) AS n_regions
                        FROM facts GROUP BY indicator)
        SELECT i.key, i.theme, i.theme_zh, i.name_zh, i.name_en, i.unit, i.definition, i.sort_order,
               coalesce(c.n_facts, 0) AS n_facts, coalesce(c.n_regions, 0) AS n_regions
        FROM indicators i LEFT JOIN counts c ON c.indicator = i.key
        ORDER BY min(i.sort_order) OVER (PARTITION BY i.theme), i.sort_order, i.key""",
    )


def indicator_meta(db: str | Path, keys: Sequence[str]) -> pd.DataFrame:
    """key, theme, theme_zh, name_zh, name_en, unit of ``keys`` in the order given (no fact counts: cheap)."""
    return query(
        db,
        """
        SELECT key, theme, theme_zh, name_zh, name_en, unit, definition, sort_order FROM indicators
        WHERE list_contains(?::VARCHAR[], key) ORDER BY list_position(?::VARCHAR[], key)""",
        [list(keys), list(keys)],
    )


_PER_FILE: dict[tuple[str, str], tuple[tuple[int, int, int], object]] = {}


def per_file(db: str | Path, name: str, make):
    """``make(db)``, computed once per database file version (a rebuilt file computes it again): for what
    only a rebuild changes, such as the regions and their lookups."""
    path = Path(db).resolve()
    stamp = _stamp(path)
    cached = _PER_FILE.get((str(path), name))
    if cached is None or cached[0] != stamp:
        cached = (stamp, make(db))
        _PER_FILE[(str(path), name)] = cached
    return cached[1]


def regions(db: str | Path) -> pd.DataFrame:
    """Regions of the database (see ``_regions``), read once per database file version."""
    return per_file(db, "regions", _regions).copy()


def _regions(db: str | Path) -> pd.DataFrame:
    """Regions of the database (code, name, level, parent, parent_code, aliases) plus any region that has facts,
    in sort order, with fact counts (``n_facts``) and whether a region with facts lies within it
    (``has_data``: it has facts itself or is an ancestor of one that has)."""
    df = query(
        db,
        """
        WITH named AS (
            SELECT code, name, level, parent, parent_code, aliases, sort_order FROM regions
            UNION ALL
            SELECT f.region_code, any_value(f.region), NULL, NULL, NULL, NULL, NULL FROM facts f
            WHERE f.region_code NOT IN (SELECT code FROM regions) GROUP BY f.region_code
        ), counts AS (SELECT region_code, count(*) AS n_facts FROM facts GROUP BY region_code)
        SELECT n.code, n.name, n.level, n.parent, n.parent_code, coalesce(n.aliases, '') AS aliases,
               coalesce(n.sort_order, 1000000000) AS sort_order, coalesce(c.n_facts, 0) AS n_facts
        FROM named n LEFT JOIN counts c ON c.region_code = n.code
        ORDER BY sort_order, n.name""",
    )
    parents = dict(zip(df.code, df.parent_code, strict=True))
    within: set[str] = set()
    for code in df.code[df.n_facts > 0]:
        while isinstance(code, str) and code not in within:
            within.add(code)
            code = parents.get(code)
    df["has_data"] = df.code.isin(within)
    return df


def region_matches(db: str | Path, text: str, limit: int = 30) -> pd.DataFrame:
    """Regions whose name or an alias contains ``text``, or whose code starts with it (all when empty), in sort
    order."""
    return query(
        db,
        """
        SELECT code, name, level, parent, parent_code, coalesce(aliases, '') AS aliases, sort_order FROM regions
        WHERE ? = '' OR contains(name, ?) OR contains(coalesce(aliases, ''), ?) OR starts_with(code, ?)
        ORDER BY NOT starts_with(name, ?), sort_order, name
        LIMIT ?""",
        [text, text, text, text, text, limit],
    )


def region_names(db: str | Path, codes: Sequence[str]) -> dict[str, str]:
    """Code -> the name it is shown by, for the codes the database knows (regions or facts)."""
    rows = (
        cursor(db)
        .execute(
            """
        SELECT code, name FROM regions WHERE list_contains(?::VARCHAR[], code)
        UNION ALL
        SELECT region_code, any_value(region) FROM facts WHERE list_contains(?::VARCHAR[], region_code)
          AND region_code NOT IN (SELECT code FROM regions) GROUP BY region_code""",
            [list(codes), list(codes)],
        )
        .fetchall()
    )
    return dict(rows)


def year_bounds(
    db: str | Path, indicator: str | None = None, regions_: Sequence[str] | None = None
) -> tuple[int, int] | None:
    """(first, last) year with facts, for one indicator (and regions) if given; None when there are none."""
    row = (
        cursor(db)
        .execute(
            """
        SELECT min(year), max(year) FROM facts
        WHERE (?::VARCHAR IS NULL OR indicator = ?)
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], region_code))""",
            [indicator, indicator, regions_, regions_],
        )
        .fetchone()
    )
    return None if row is None or row[0] is None else (int(row[0]), int(row[1]))


def summary(db: str | Path) -> dict[str, int]:
    """Counts of documents, claims, facts and regions with facts."""
    row = (
        cursor(db)
        .execute("""
        SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims), (SELECT count(*) FROM facts),
               (SELECT count(DISTINCT region_code) FROM facts)""")
        .fetchone()
    )
    return dict(zip(("documents", "claims", "facts", "regions"), row, strict=True))


def documents(db: str | Path) -> pd.DataFrame:
    """Documents (id, title, issuer, date, region, file) newest first, with their number of claims."""
    return query(
        db,
        """
        SELECT d.id, coalesce(d.title, d.file) AS title, d.issuer, d.date, d.region, d.file,
               (SELECT count(*) FROM claims c WHERE c.doc_id = d.id) AS n_claims
        FROM documents d ORDER BY d.date DESC NULLS LAST, title""",
    )


# --- facts behind a chart -------------------------------------------------------------------------

FACTS_SQL = """
SELECT f.region_code, f.region, f.year, f.indicator, f.value, f.value_high, f.unit, f.qualifier, f.n_claims, f.conflict,
       f.claim_id, f.doc_id, {reviewed} AS reviewed, c.rate, c.text AS mention, c.sentence,
       coalesce(d.title, d.file) AS doc_title, d.issuer, d.date AS doc_date,
       coalesce(r.sort_order, 1000000000) AS region_order, i.sort_order AS indicator_order,
       i.name_zh, i.name_en
FROM facts f
LEFT JOIN claims c ON c.id = f.claim_id
LEFT JOIN documents d ON d.id = f.doc_id
LEFT JOIN regions r ON r.code = f.region_code
LEFT JOIN indicators i ON i.key = f.indicator
WHERE list_contains(?::VARCHAR[], f.indicator) AND list_contains(?::VARCHAR[], f.region_code)
  AND f.year BETWEEN ? AND ?
ORDER BY indicator_order, region_order, f.region_code, f.year
"""


def facts(
    db: str | Path, indicators_: Sequence[str], regions_: Sequence[str], year_from: int, year_to: int
) -> pd.DataFrame:
    """One row per region (by code) x year x indicator in range, with the chosen claim's sentence and document, and
    whether a person reviewed its value (``reviewed``)."""
    sql = FACTS_SQL.format(reviewed=_reviewed(db))
    return query(db, sql, [list(indicators_), list(regions_), year_from, year_to])


def alternatives(
    db: str | Path, indicators_: Sequence[str], regions_: Sequence[str], year_from: int, year_to: int
) -> pd.DataFrame:
    """Claims that disagree (> 1 %) with the chosen value of a conflicting fact, at its rate: the other
    documents' word."""
    return query(
        db,
        f"""
        SELECT f.region_code, f.region, c.year, c.indicator, c.value, c.value_high, c.unit, c.rate, c.qualifier,
               c.id AS claim_id, c.doc_id, c.sentence, coalesce(d.title, d.file) AS doc_title, d.issuer,
               d.date AS doc_date, f.value AS chosen_value
        FROM facts f
        JOIN claims ch ON ch.id = f.claim_id
        JOIN claims c ON {CLAIM_CODE} = f.region_code AND c.year = f.year AND c.indicator = f.indicator
          AND c.rate IS NOT DISTINCT FROM ch.rate
        LEFT JOIN documents d ON d.id = c.doc_id
        WHERE f.conflict
          AND list_contains(?::VARCHAR[], f.indicator) AND list_contains(?::VARCHAR[], f.region_code)
          AND f.year BETWEEN ? AND ?
          AND list_contains(?::VARCHAR[], c.indicator) AND c.region IS NOT NULL
          AND c.year BETWEEN ? AND ?
          AND c.id <> f.claim_id AND {_live(db)} AND abs(c.value - f.value) > 0.01 * abs(f.value)
        ORDER BY f.region_code, c.year, c.value""",
        [list(indicators_), list(regions_), year_from, year_to, list(indicators_), year_from, year_to],
    )


UNSURE = "c.confidence = 'low' AND c.status = 'machine'"  # a guess nobody has confirmed (not a fact)


def _can_be_unsure(db: str | Path) -> bool:
    """Whether the database keeps low-confidence readings (built since claims carry a confidence)."""
    return _has_column(db, "claims", "confidence") and _has_column(db, "claims", "status")


def unsure_points(
    db: str | Path, indicators_: Sequence[str], regions_: Sequence[str], year_from: int, year_to: int
) -> pd.DataFrame:
    """The points the unsure claims would add: low-confidence readings nobody reviewed whose best guess
    (``indicator_candidate``) is one of ``indicators_``, one per region (by code) x year x indicator chosen as
    facts are (exact, stated year, newest document first); shaped like ``facts``, with ``unsure`` true."""
    if not _can_be_unsure(db):
        return query(db, FACTS_SQL.format(reviewed="false") + " LIMIT 0", [[], [], 0, 0]).assign(unsure=True)
    return query(
        db,
        f"""
        SELECT {CLAIM_CODE} AS region_code, coalesce(r.name, c.region) AS region, c.year,
               c.indicator_candidate AS indicator, c.value, c.value_high, c.unit, c.qualifier,
               count(*) OVER (PARTITION BY {CLAIM_CODE}, c.year, c.indicator_candidate) AS n_claims,
               false AS conflict, c.id AS claim_id, c.doc_id, false AS reviewed, c.rate, c.text AS mention,
               c.sentence, coalesce(d.title, d.file) AS doc_title, d.issuer, d.date AS doc_date,
               coalesce(r.sort_order, 1000000000) AS region_order, i.sort_order AS indicator_order,
               i.name_zh, i.name_en, true AS unsure
        FROM claims c
        JOIN documents d ON d.id = c.doc_id
        LEFT JOIN regions r ON r.code = {CLAIM_CODE}
        LEFT JOIN indicators i ON i.key = c.indicator_candidate
        WHERE {UNSURE} AND c.region IS NOT NULL AND c.year BETWEEN ? AND ?
          AND list_contains(?::VARCHAR[], c.indicator_candidate) AND list_contains(?::VARCHAR[], {CLAIM_CODE})
        QUALIFY row_number() OVER (PARTITION BY {CLAIM_CODE}, c.year, c.indicator_candidate ORDER BY
            c.qualifier <> 'exact', c.year_source <> 'explicit', d.date DESC NULLS LAST, c.doc_id, c.char_start) = 1
        ORDER BY indicator_order, region_order, region_code, c.year""",
        [year_from, year_to, list(indicators_), list(regions_)],
    )


def point_claims(
    db: str | Path, region_code: str, year: int, indicator: str, unsure: bool = False
) -> pd.DataFrame:
    """Every live claim behind one chart point (a region by its code), the chosen one first, with its document
    and the region's name; with ``unsure``, also the unreviewed low-confidence claims that guess ``indicator``
    (their ``unsure`` column true)."""
    guessed = f"OR ({UNSURE} AND c.indicator_candidate = ?)" if unsure and _can_be_unsure(db) else ""
    return query(
        db,
        f"""
        SELECT c.id AS claim_id, c.doc_id, c.region, c.text AS mention, c.value, c.value_high, c.unit, c.rate,
               c.qualifier, c.sentence, c.sentence_start, c.char_start, c.char_end, c.year_source,
               coalesce(d.title, d.file) AS doc_title, d.issuer, d.date AS doc_date,
               coalesce(c.id = f.claim_id, false) AS chosen, coalesce(f.conflict, false) AS conflict,
               c.indicator IS DISTINCT FROM ? AS unsure
        FROM claims c
        LEFT JOIN documents d ON d.id = c.doc_id
        LEFT JOIN facts f ON f.region_code = {CLAIM_CODE} AND f.year = c.year AND f.indicator = c.indicator
        WHERE c.region IS NOT NULL AND {CLAIM_CODE} = ? AND c.year = ? AND (c.indicator = ? {guessed})
          AND {_live(db)}
        ORDER BY chosen DESC, unsure, d.date DESC NULLS LAST, c.char_start""",
        [indicator, region_code, year, indicator] + ([indicator] if guessed else []),
    )


def latest(db: str | Path, region_code: str, indicators_: Sequence[str]) -> pd.DataFrame:
    """For each indicator, the region's (by code) fact of the latest year, with its source; in indicator
    order."""
    return query(
        db,
        f"""
        SELECT f.indicator, f.year, f.value, f.value_high, f.unit, f.qualifier, f.conflict, f.n_claims,
               f.claim_id, f.doc_id, {_reviewed(db)} AS reviewed, c.rate, c.sentence,
               coalesce(d.title, d.file) AS doc_title, d.issuer, d.date AS doc_date, i.name_zh, i.name_en,
               i.sort_order,
               count(*) OVER (PARTITION BY f.indicator) AS n_years
        FROM facts f
        LEFT JOIN claims c ON c.id = f.claim_id
        LEFT JOIN documents d ON d.id = f.doc_id
        LEFT JOIN indicators i ON i.key = f.indicator
        WHERE f.region_code = ? AND list_contains(?::VARCHAR[], f.indicator)
        QUALIFY row_number() OVER (PARTITION BY f.indicator ORDER BY f.year DESC) = 1
        ORDER BY list_position(?::VARCHAR[], f.indicator)""",
        [region_code, list(indicators_), list(indicators_)],
    )


# --- claims and documents -------------------------------------------------------------------------


STATUSES = ("machine", "accepted", "rejected", "corrected")
QUEUE = "queue"  # the to-review queue: machine-read claims without a region, year or indicator
# How much a reviewer's yes would change a chart (the queue's order): a low-confidence reading counts 1, plus 2
# when its candidate would add a point where there is none, or the relative change (at most 1) of the machine-read
# point it would compete with; a claim without region or year, or without a candidate, changes no chart.
IMPACT = """(CASE WHEN {confidence} <> 'low' THEN 0
      WHEN c.region IS NULL OR c.year IS NULL OR {candidate} IS NULL OR g.reviewed THEN 1
      WHEN g.region_code IS NULL THEN 3
      ELSE 1 + least(abs(c.value - g.value) / greatest(abs(g.value), 1e-9), 1) END)"""


def _status_filter(db: str | Path) -> str:
    """SQL condition on claims ``c`` for a bound status parameter given three times (None = any)."""
    status = _status(db)
    return (
        f"(?::VARCHAR IS NULL OR (? = '{QUEUE}' AND {status} = 'machine' "
        f"AND (c.region IS NULL OR c.year IS NULL OR c.indicator IS NULL)) OR {status} = ?)"
    )


def claims(
    db: str | Path,
    *,
    region: str | None = None,
    year: int | None = None,
    indicator: str | None = None,
    doc_id: str | None = None,
    unit: str | None = None,
    qualifier: str | None = None,
    status: str | None = None,
    limit: int = CLAIM_LIMIT,
) -> pd.DataFrame:
    """Every claim matching the filters (None = any; ``region`` a code), newest document first, with its document,
    indicator (or, for a low-confidence reading, its candidate), region code, review status and ``impact``;
    ``status='queue'`` gives the to-review queue (the ``review_queue`` view's rule) in the order a reviewer
    should take it: low-confidence readings first, those whose acceptance would change a chart most at the top."""
    sure = _can_be_unsure(db)
    confidence, candidate = ("c.confidence", "c.indicator_candidate") if sure else ("'high'", "NULL::VARCHAR")
    order = "impact DESC, " if status == QUEUE else ""
    return query(
        db,
        f"""
        SELECT c.id AS claim_id, c.region, CASE WHEN c.region IS NOT NULL THEN {CLAIM_CODE} END AS region_code,
               c.year, c.indicator, i.name_zh, i.name_en, c.value, c.value_high,
               c.unit, c.rate, c.qualifier, c.text AS mention, c.sentence, c.doc_id,
               coalesce(d.title, d.file) AS doc_title, d.date AS doc_date, c.char_start,
               coalesce(f.claim_id = c.id, false) AS chosen, {_status(db)} AS status,
               {confidence} AS confidence, {candidate} AS candidate, ci.name_zh AS candidate_zh,
               ci.name_en AS candidate_en,
               {IMPACT.format(candidate=candidate, confidence=confidence)} AS impact,
               {_reviewer(db)}
        FROM claims c
        {_reviews_join(db)}
        LEFT JOIN documents d ON d.id = c.doc_id
        LEFT JOIN indicators i ON i.key = c.indicator
        LEFT JOIN indicators ci ON ci.key = {candidate}
        LEFT JOIN facts f ON f.region_code = {CLAIM_CODE} AND f.year = c.year AND f.indicator = c.indicator
        LEFT JOIN facts g ON g.region_code = {CLAIM_CODE} AND g.year = c.year AND g.indicator = {candidate}
        WHERE (?::VARCHAR IS NULL OR (c.region IS NOT NULL AND {CLAIM_CODE} = ?)) AND (?::INTEGER IS NULL OR c.year = ?)
          AND (?::VARCHAR IS NULL OR c.indicator = ?) AND (?::VARCHAR IS NULL OR c.doc_id = ?)
          AND (?::VARCHAR IS NULL OR c.unit = ?) AND (?::VARCHAR IS NULL OR c.qualifier = ?)
          AND {_status_filter(db)}
        ORDER BY {order}d.date DESC NULLS LAST, c.doc_id, c.char_start
        LIMIT ?""",
        [
            region,
            region,
            year,
            year,
            indicator,
            indicator,
            doc_id,
            doc_id,
            unit,
            unit,
            qualifier,
            qualifier,
            status,
            status,
            status,
            limit,
        ],
    )


def status_counts(db: str | Path) -> dict[str, int]:
    """Claims per review status, plus the size of the to-review queue under ``'queue'``."""
    status = _status(db)
    rows = (
        cursor(db)
        .execute(
            f"""
        SELECT {status} AS status, count(*),
               count(*) FILTER (WHERE c.region IS NULL OR c.year IS NULL OR c.indicator IS NULL)
        FROM claims c GROUP BY ALL"""
        )
        .fetchall()
    )
    counts = dict.fromkeys(STATUSES, 0) | {s: int(n) for s, n, _ in rows}
    counts[QUEUE] = sum(int(q) for s, _, q in rows if s == "machine")
    return counts


def claims_by_id(db: str | Path, ids: Sequence[str]) -> pd.DataFrame:
    """The claims with these ids (any order), with their document title and review status."""
    return query(
        db,
        f"""
        SELECT c.id AS claim_id, c.doc_id, c.text AS mention, c.value, c.value_high, c.unit, c.qualifier,
               c.region, c.year, c.indicator, {_status(db)} AS status, coalesce(d.title, d.file) AS doc_title
        FROM claims c LEFT JOIN documents d ON d.id = c.doc_id
        WHERE list_contains(?::VARCHAR[], c.id)""",
        [list(ids)],
    )


def document_ids(db: str | Path) -> set[str]:
    """Ids of every document in the database."""
    return {r[0] for r in cursor(db).execute("SELECT id FROM documents").fetchall()}


# --- consistency findings (核查) ------------------------------------------------------------------

FINDING_KINDS = ("parts_total", "table_total", "persons_per_household", "year_jump", "conflict")
FINDING_STATUSES = ("mismatch", "warning", "ok")


def findings(
    db: str | Path, kind: str | None = None, status: str | None = None, limit: int | None = CLAIM_LIMIT
) -> pd.DataFrame:
    """Consistency findings (None = any kind or status): mismatches first, then warnings, then checks that
    passed; with the indicator's names and the document's title."""
    return query(
        db,
        """
        SELECT f.id, f.kind, f.status, f.message, f.region, f.year, f.indicator, i.name_zh, i.name_en,
               f.claim_ids, f.doc_id, coalesce(d.title, d.file) AS doc_title
        FROM findings f
        LEFT JOIN indicators i ON i.key = f.indicator
        LEFT JOIN documents d ON d.id = f.doc_id
        WHERE (?::VARCHAR IS NULL OR f.kind = ?) AND (?::VARCHAR IS NULL OR f.status = ?)
        ORDER BY list_position(?::VARCHAR[], f.status), list_position(?::VARCHAR[], f.kind),
                 f.region, f.year, f.indicator, f.id
        LIMIT ?""",
        [kind, kind, status, status, list(FINDING_STATUSES), list(FINDING_KINDS), limit],
    )


def finding_counts(db: str | Path) -> dict[str, int]:
    """Findings per status (mismatch, warning, ok)."""
    rows = cursor(db).execute("SELECT status, count(*) FROM findings GROUP BY status").fetchall()
    return dict.fromkeys(FINDING_STATUSES, 0) | {s: int(n) for s, n in rows}


def claim_facets(db: str | Path) -> dict[str, list]:
    """Distinct values of the data page's filters: regions (as (code, name, parent) triples), years, indicators,
    units, qualifiers."""
    cur = cursor(db)
    one = lambda sql: [r[0] for r in cur.execute(sql).fetchall()]  # noqa: E731
    return {
        "region": [tuple(r) for r in cur.execute(f"""
            SELECT {CLAIM_CODE} AS code, any_value(coalesce(r.name, c.region)), any_value(r.parent) FROM claims c
            LEFT JOIN regions r ON r.code = {CLAIM_CODE}
            WHERE c.region IS NOT NULL GROUP BY ALL
            ORDER BY min(coalesce(r.sort_order, 1000000000)), code""").fetchall()],
        "year": one("SELECT DISTINCT year FROM claims WHERE year IS NOT NULL ORDER BY year"),
        "indicator": one("""SELECT c.indicator FROM claims c LEFT JOIN indicators i ON i.key = c.indicator
                            WHERE c.indicator IS NOT NULL GROUP BY c.indicator
                            ORDER BY min(i.sort_order), c.indicator"""),
        "unit": one("SELECT DISTINCT unit FROM claims ORDER BY unit"),
        "qualifier": one("SELECT DISTINCT qualifier FROM claims ORDER BY qualifier"),
    }


def document(db: str | Path, doc_id: str) -> dict | None:
    """One document's row (with its full text) as a dict, or None."""
    df = query(
        db,
        "SELECT id, file, coalesce(title, file) AS title, issuer, region, date, source, n_chars, text "
        "FROM documents WHERE id = ?",
        [doc_id],
    )
    return None if df.empty else df.iloc[0].to_dict()


def document_claims(db: str | Path, doc_id: str) -> pd.DataFrame:
    """The claims of one document in text order, with indicator names and whether each is a chart point."""
    return query(
        db,
        f"""
        SELECT c.id AS claim_id, c.char_start, c.char_end, c.text AS mention, c.value, c.value_high, c.unit,
               c.rate, c.qualifier, c.region, c.region_code, c.year, c.indicator, i.name_zh, i.name_en,
               coalesce(f.claim_id = c.id, false) AS chosen, {_live(db)} AS live
        FROM claims c
        LEFT JOIN indicators i ON i.key = c.indicator
        LEFT JOIN facts f ON f.region_code = {CLAIM_CODE} AND f.year = c.year AND f.indicator = c.indicator
        WHERE c.doc_id = ?
        ORDER BY c.char_start, c.char_end""",
        [doc_id],
    )


def claim(db: str | Path, claim_id: str) -> dict | None:
    """One claim (region, year, indicator, doc_id ...) as a dict, or None."""
    df = query(
        db,
        "SELECT c.id AS claim_id, c.doc_id, c.region, c.region_code, c.year, c.indicator, c.value, c.unit, "
        "c.qualifier, c.text AS mention, c.sentence FROM claims c WHERE c.id = ?",
        [claim_id],
    )
    return None if df.empty else df.iloc[0].to_dict()
