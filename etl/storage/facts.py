"""Choose one value per region x year x indicator (the region by its code) from the claims that support it
(in DuckDB).

The rule, in order: a figure a person accepted or corrected beats a machine-read one; an exact figure
beats an approximate or bounded one; an explicitly stated year beats one inferred from the document's
date; a newer document beats an older one; then the earlier mention. Rejected claims support nothing, and
neither do low-confidence readings a person has not reviewed; accepting one accepts its indicator candidate.
A claim's region is its ``region_code``; a claim placed in a region the gazetteer does not know has the
``name:<name>`` code the regions table gives it.
Supporting claims at the chosen claim's rate (元/年 is not 元/人/月) that differ from its value by more than
1 % flag a conflict.
"""
from __future__ import annotations

import duckdb

CONFLICT_TOLERANCE = 0.01

FACTS_SQL = """
INSERT INTO facts
WITH read AS (
    SELECT c.* REPLACE (CASE WHEN c.status = 'accepted' THEN coalesce(c.indicator, c.indicator_candidate)
                             ELSE c.indicator END AS indicator,
                        coalesce(c.region_code, 'name:' || c.region) AS region_code),
           d.date AS doc_date
    FROM claims c JOIN documents d ON d.id = c.doc_id
    WHERE c.status <> 'rejected' AND (c.confidence = 'high' OR c.status IN ('accepted', 'corrected'))
), live AS (
    SELECT * FROM read WHERE region IS NOT NULL AND year IS NOT NULL AND indicator IS NOT NULL
), ranked AS (
    SELECT *,
        row_number() OVER (PARTITION BY region_code, year, indicator ORDER BY
            status NOT IN ('accepted', 'corrected'), qualifier <> 'exact', year_source <> 'explicit',
            doc_date DESC NULLS LAST, doc_id, char_start) AS rank,
        count(*) OVER (PARTITION BY region_code, year, indicator) AS n_claims
    FROM live
), chosen AS (SELECT * FROM ranked WHERE rank = 1)
SELECT ch.region_code, coalesce(r.name, ch.region), ch.year, ch.indicator, ch.value, ch.value_high, ch.unit,
       ch.qualifier, ch.n_claims,
       coalesce(bool_or(abs(l.value - ch.value) > ? * abs(ch.value) AND l.rate IS NOT DISTINCT FROM ch.rate),
                false) AS conflict,
       ch.id, ch.doc_id, ch.status IN ('accepted', 'corrected') AS reviewed
FROM chosen ch JOIN live l USING (region_code, year, indicator)
LEFT JOIN regions r ON r.code = ch.region_code
GROUP BY ALL
ORDER BY ch.region_code, ch.year, ch.indicator
"""


def refresh_facts(con: duckdb.DuckDBPyConnection) -> int:
    """Replace the facts table from the claims; returns the number of facts."""
    con.execute("DELETE FROM facts")
    con.execute(FACTS_SQL, [CONFLICT_TOLERANCE])
    return con.execute("SELECT count(*) FROM facts").fetchone()[0]
