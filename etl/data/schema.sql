-- Fact store for extracted claims. Layers as in dbt: documents (raw), claims (one row per mention),
-- facts (one row per region x year x indicator). Column checks live in etl/checks.py.
CREATE TABLE documents (
    id        VARCHAR PRIMARY KEY,      -- SHA-256 of the decoded text
    file      VARCHAR NOT NULL,         -- file name in the documents folder
    title     VARCHAR,
    issuer    VARCHAR,
    region    VARCHAR,                  -- standard region name, or NULL when unknown
    date      VARCHAR,                  -- YYYY-MM-DD, YYYY-MM or YYYY as far as known
    year      INTEGER,                  -- year of the date
    source    VARCHAR,
    n_chars   INTEGER NOT NULL,
    text      VARCHAR NOT NULL
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
    name       VARCHAR PRIMARY KEY,     -- standard name: 郑州市, 江苏省
    level      VARCHAR NOT NULL,        -- country, province, prefecture, county
    parent     VARCHAR,
    aliases    VARCHAR,                 -- '|'-separated
    sort_order INTEGER NOT NULL
);

CREATE TABLE claims (
    id           VARCHAR PRIMARY KEY,   -- first 16 hex of sha256(doc_id:char_start:char_end)
    doc_id       VARCHAR NOT NULL,
    char_start   INTEGER NOT NULL,      -- Python str offsets of the mention in documents.text
    char_end     INTEGER NOT NULL,
    text         VARCHAR NOT NULL,      -- the mention as written
    value        DOUBLE NOT NULL,       -- base units (yuan, person, percent as written ...)
    value_high   DOUBLE,                -- upper end of a range
    unit         VARCHAR NOT NULL,
    rate         VARCHAR,
    qualifier    VARCHAR NOT NULL,      -- exact, approx, at_least, at_most
    region       VARCHAR,
    year         INTEGER,
    period_start INTEGER,
    cumulative   BOOLEAN NOT NULL,
    indicator    VARCHAR,
    year_source  VARCHAR NOT NULL,      -- explicit, document, none
    sentence     VARCHAR NOT NULL,
    sentence_start INTEGER NOT NULL
);

CREATE TABLE facts (
    region     VARCHAR NOT NULL,
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
    PRIMARY KEY (region, year, indicator)
);
