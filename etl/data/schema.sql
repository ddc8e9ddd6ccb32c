-- Fact store for extracted claims. Layers as in dbt: documents (raw), claims (one row per mention),
-- facts (one row per region x year x indicator). Column checks live in etl/storage/checks.py (claims and findings
-- keep their unique ids by those checks, not an index, so that loading a million claims stays fast).
CREATE TABLE documents (
    id        VARCHAR PRIMARY KEY,      -- SHA-256 of the decoded text
    file      VARCHAR NOT NULL,         -- file name in the documents folder
    title     VARCHAR,
    issuer    VARCHAR,
    region    VARCHAR,                  -- standard region name, or NULL when unknown
    date      VARCHAR,                  -- YYYY-MM-DD, YYYY-MM or YYYY as far as known
    year      INTEGER,                  -- year of the date
    report_year INTEGER,                -- the year it reports on when its title says so (2021年…工作总结), else NULL
    provenance VARCHAR,                 -- JSON: field -> given | manifest | text | file (where title, issuer, region, date, report_year came from)
    source    VARCHAR,
    n_chars   INTEGER NOT NULL,
    text      VARCHAR NOT NULL,
    extract_key VARCHAR NOT NULL        -- text, metadata and extractor version: unchanged key, claims reused
);

CREATE TABLE indicators (
    key        VARCHAR PRIMARY KEY,
    theme      VARCHAR NOT NULL,
    theme_zh   VARCHAR NOT NULL,
    name_zh    VARCHAR NOT NULL,
    name_en    VARCHAR NOT NULL,
    unit       VARCHAR NOT NULL,
    definition VARCHAR,
    sort_order INTEGER NOT NULL
);

CREATE TABLE regions (
    code       VARCHAR PRIMARY KEY,     -- 统计用区划代码 cut to its level (32, 3201, 320106, 320106001), CN, or
                                        -- 'name:' + the name for a region the gazetteer does not know
    name       VARCHAR NOT NULL,        -- the name unique in China it is shown by: 南京市鼓楼区, 腾冲市荷花镇
    level      VARCHAR NOT NULL,        -- country, province, prefecture, county, township, village, other
    parent     VARCHAR,                 -- the parent's name (as shown)
    parent_code VARCHAR,
    aliases    VARCHAR,                 -- '|'-separated
    sort_order INTEGER NOT NULL
);

CREATE TABLE claims (
    id           VARCHAR NOT NULL,      -- first 16 hex of sha256(doc_id:char_start:char_end); unique (checks.py)
    doc_id       VARCHAR NOT NULL,
    char_start   INTEGER NOT NULL,      -- Python str offsets of the mention in documents.text
    char_end     INTEGER NOT NULL,
    text         VARCHAR NOT NULL,      -- the mention as written
    value        DOUBLE NOT NULL,       -- base units (yuan, person, percent as written ...)
    value_high   DOUBLE,                -- upper end of a range
    unit         VARCHAR NOT NULL,
    rate         VARCHAR,
    qualifier    VARCHAR NOT NULL,      -- exact, approx, at_least, at_most
    region       VARCHAR,               -- the name unique in China it is shown by (regions.name)
    region_code  VARCHAR,               -- its code (regions.code); NULL for a region the gazetteer does not know
    year         INTEGER,
    period_start INTEGER,
    cumulative   BOOLEAN NOT NULL,
    indicator    VARCHAR,               -- the indicator when the reading is sure (confidence high), else NULL
    indicator_candidate VARCHAR,        -- the best guess, kept when the extractor abstains
    confidence   VARCHAR NOT NULL,      -- high, low (etl/claims/indicators.py states the rule)
    evidence     VARCHAR NOT NULL,      -- JSON: the cue words and rules that chose indicator, year and place
    year_source  VARCHAR NOT NULL,      -- explicit, document, none
    sentence     VARCHAR NOT NULL,
    sentence_start INTEGER NOT NULL,
    status       VARCHAR NOT NULL,      -- machine, accepted, rejected, corrected (see reviews)
    table_name   VARCHAR,               -- a figure in a table: the sheet's name or 表N (Nth table of the document); NULL in prose
    table_row    INTEGER,               -- its row within the table (0-based, header rows counted)
    table_col    INTEGER                -- its column (0-based)
);

CREATE TABLE facts (
    region_code VARCHAR NOT NULL,       -- regions.code: the 统计用区划代码, or 'name:' + the name of a region the
                                        -- gazetteer does not know
    region     VARCHAR NOT NULL,        -- the name it is shown by (regions.name)
    year       INTEGER NOT NULL,
    indicator  VARCHAR NOT NULL,
    value      DOUBLE NOT NULL,
    value_high DOUBLE,
    unit       VARCHAR NOT NULL,
    qualifier  VARCHAR NOT NULL,
    n_claims   INTEGER NOT NULL,        -- supporting claims (same region, year, indicator)
    conflict   BOOLEAN NOT NULL,        -- supporting claims differ by more than 1 %
    claim_id   VARCHAR NOT NULL,        -- the chosen claim
    doc_id     VARCHAR NOT NULL,
    reviewed   BOOLEAN NOT NULL,        -- the chosen claim was accepted or corrected by a person
    PRIMARY KEY (region_code, year, indicator)
);

-- Every review ever made, in order (a copy of the reviews log, which survives rebuilds).
CREATE TABLE reviews (
    seq        INTEGER PRIMARY KEY,
    reviewed_at VARCHAR NOT NULL,       -- ISO timestamp
    who        VARCHAR NOT NULL,
    claim_id   VARCHAR NOT NULL,
    doc_id     VARCHAR NOT NULL,
    char_start INTEGER NOT NULL,
    char_end   INTEGER NOT NULL,
    action     VARCHAR NOT NULL,        -- accept, reject, set
    field      VARCHAR,
    old        VARCHAR,
    new        VARCHAR,                 -- for field region: the name as written (郑州市, 南京市鼓楼区) or a code
    auth       VARCHAR,                 -- how who is known: account, local, cli; NULL: before accounts (typed)
    address    VARCHAR                  -- the client's address, for reviews made in the dashboard
);

-- Consistency findings (核查): parts against totals, persons per household, jumps between years, conflicts.
CREATE TABLE findings (
    id         VARCHAR NOT NULL,        -- unique (checked by etl/storage/checks.py; no index: loading stays fast)
    kind       VARCHAR NOT NULL,        -- parts_total, table_total, persons_per_household, year_jump, conflict
    status     VARCHAR NOT NULL,        -- ok, mismatch, warning
    message    VARCHAR NOT NULL,
    region     VARCHAR,
    year       INTEGER,
    indicator  VARCHAR,
    claim_ids  VARCHAR NOT NULL,        -- comma-separated claims.id
    doc_id     VARCHAR                  -- the document, for findings within one document
);

-- Claims a person should look at, not yet reviewed: low-confidence readings (their candidate awaits a yes)
-- first, then claims not placed (no region, year or indicator).
CREATE VIEW review_queue AS
SELECT * FROM claims
WHERE status = 'machine' AND (confidence = 'low' OR region IS NULL OR year IS NULL OR indicator IS NULL)
ORDER BY confidence = 'low' DESC, doc_id, char_start;
