-- The database the ETL writes and the dashboard reads. Each table says its grain.

-- documents: one row per report read (or reused) in the run.
CREATE TABLE documents (
    file        VARCHAR PRIMARY KEY,   -- file name, relative to the reports folder; the `doc` of facts
    doc_hash    VARCHAR NOT NULL,      -- sha256 of the file's bytes
    doc_key     VARCHAR NOT NULL,      -- doc_hash + manifest row + extractor version: reuse key
    title       VARCHAR,
    published   DATE,
    province    VARCHAR,               -- NULL: the province could not be told (never guessed)
    place       VARCHAR,
    source      VARCHAR,
    year        INTEGER,               -- the year the report is about, when it can be told
    format      VARCHAR NOT NULL,      -- txt, md, html, pdf, docx
    encoding    VARCHAR,
    n_chars     INTEGER NOT NULL,
    warnings    VARCHAR[] NOT NULL,    -- reading warnings (legacy encoding, pages without text, ...)
    text        VARCHAR NOT NULL,      -- normalised text; fact offsets point into it
    run_id      VARCHAR NOT NULL       -- the run that extracted it
);

-- facts: one row per figure stated in a report.
CREATE TABLE facts (
    fact_id      INTEGER PRIMARY KEY,  -- stable: order of (doc, start_offset, indicator, level)
    doc          VARCHAR NOT NULL,     -- documents.file
    province     VARCHAR,              -- 'Cả nước' for national figures; NULL when unknown
    place        VARCHAR,
    level        VARCHAR NOT NULL,     -- province, district, commune
    year         INTEGER,
    period       VARCHAR NOT NULL,     -- year, Q1..Q4, H1, 9M, YTD
    indicator    VARCHAR NOT NULL,     -- indicators.code, or other:<label>
    kind         VARCHAR NOT NULL,     -- target, actual
    comparator   VARCHAR NOT NULL,     -- =, >=, >, <=, <, ~
    value        DOUBLE NOT NULL,
    unit         VARCHAR NOT NULL,     -- percent, count, rank, score
    denominator  DOUBLE,               -- "1.048/1.383": 1383
    evidence     VARCHAR NOT NULL,     -- = substring(documents.text, start_offset + 1, end_offset - start_offset)
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    run_id       VARCHAR NOT NULL,
    label        VARCHAR               -- other:<label> facts: the report's words behind the label
);

-- indicators: one row per indicator code: those of data/indicators.yaml, then every other:<code> the
-- facts use (theme 'other', named from the report's words or the indicator it derives from).
CREATE TABLE indicators (
    code      VARCHAR PRIMARY KEY,
    unit      VARCHAR NOT NULL,
    direction VARCHAR NOT NULL,        -- up (higher is better), down (lower is better), none
    theme     VARCHAR NOT NULL,        -- indices, procedures, dossiers, online, egov, staff
    name_vi   VARCHAR NOT NULL,
    name_en   VARCHAR NOT NULL
);

-- localities: one row per administrative unit of either era (from the gazetteer + data/place_aliases.yaml).
CREATE TABLE localities (
    era           VARCHAR NOT NULL,    -- 'legacy' (63 provinces, before 1 July 2025) or '2025' (34 provinces)
    province      VARCHAR NOT NULL,    -- short name: 'Hải Dương'
    place         VARCHAR,             -- NULL for the province row itself
    place_type    VARCHAR,             -- Quận, Huyện, Thành phố, Thị xã, Phường, Xã, ...
    level         VARCHAR NOT NULL,    -- province, district, commune
    province_2025 VARCHAR NOT NULL     -- the province it belongs to today: Hải Dương -> Hải Phòng
);

-- runs: one row per ETL run that wrote this file (the last one).
CREATE TABLE runs (
    run_id            VARCHAR PRIMARY KEY,
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP NOT NULL,
    reports_dir       VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    reports_seen      INTEGER NOT NULL,
    reports_extracted INTEGER NOT NULL,
    reports_reused    INTEGER NOT NULL,
    reports_skipped   INTEGER NOT NULL,
    facts             INTEGER NOT NULL
);

-- skipped_reports: one row per file of the run that could not be read, with why.
CREATE TABLE skipped_reports (
    run_id VARCHAR NOT NULL,
    file   VARCHAR NOT NULL,
    reason VARCHAR NOT NULL
);

-- quality_flags: one row per disagreement found inside a report (parts that do not add up, ...).
CREATE TABLE quality_flags (
    doc          VARCHAR NOT NULL,
    flag         VARCHAR NOT NULL,
    message      VARCHAR NOT NULL,
    start_offset INTEGER,
    end_offset   INTEGER
);

-- province_today: one row per province name of either era, with the province it is part of today.
CREATE VIEW province_today AS
SELECT DISTINCT province, province_2025 FROM localities WHERE level = 'province'
UNION ALL SELECT 'Cả nước', 'Cả nước';

-- target_vs_actual: one row per (target fact, matching actual fact); a target with no actual has one
-- row with NULL actual. Matching: same province, place, level, indicator, unit and year.
CREATE VIEW target_vs_actual AS
SELECT
    t.fact_id       AS target_id,
    t.province, t.place, t.level, t.indicator, t.unit, t.year,
    t.period        AS target_period,
    t.comparator    AS target_comparator,
    t.value         AS target_value,
    t.doc           AS target_doc,
    a.fact_id       AS actual_id,
    a.period        AS actual_period,
    a.comparator    AS actual_comparator,
    a.value         AS actual_value,
    a.doc           AS actual_doc,
    coalesce(i.direction, CASE WHEN t.unit = 'rank' THEN 'down' ELSE 'up' END) AS direction,
    CASE
        WHEN a.fact_id IS NULL THEN 'no_actual'
        WHEN CASE t.comparator
                WHEN '>=' THEN a.value >= t.value
                WHEN '>'  THEN a.value >  t.value
                WHEN '<=' THEN a.value <= t.value
                WHEN '<'  THEN a.value <  t.value
                ELSE CASE coalesce(i.direction, CASE WHEN t.unit = 'rank' THEN 'down' ELSE 'up' END)
                        WHEN 'down' THEN a.value <= t.value
                        WHEN 'up'   THEN a.value >= t.value
                        ELSE abs(a.value - t.value) < 1e-9 END
             END THEN 'met'
        ELSE 'not_met'
    END AS attainment
FROM facts t
LEFT JOIN facts a
    ON a.kind = 'actual'
   AND a.indicator = t.indicator AND a.unit = t.unit AND a.year = t.year AND a.level = t.level
   AND a.province IS NOT DISTINCT FROM t.province
   AND a.place IS NOT DISTINCT FROM t.place
LEFT JOIN indicators i ON i.code = t.indicator
WHERE t.kind = 'target';
