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
    label        VARCHAR,              -- other:<label> facts: the report's words behind the label
    status       VARCHAR NOT NULL DEFAULT 'extracted'  -- extracted, confirmed, corrected, added (etl/reviews.py);
                                       -- rejected facts are removed
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
    province_2025 VARCHAR NOT NULL,    -- the province it belongs to today: Hải Dương -> Hải Phòng
    province_code VARCHAR              -- official two-digit code of `province` in `era` ('30' Hải Dương, legacy);
                                       -- maps join to shapes by it (data/geo/), never across eras
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

-- skipped_reports: one row per file of the run that was left out, with why: a file that cannot be read
-- (error NULL), or a report that raised inside a stage (error: the exception's type, reason: its message).
CREATE TABLE skipped_reports (
    run_id VARCHAR NOT NULL,
    file   VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    stage  VARCHAR NOT NULL,           -- read, settle, extract: where it stopped
    error  VARCHAR                     -- e.g. 'ValueError'; NULL for a file's own fault (empty, damaged, ...)
);

-- quality_flags: one row per disagreement found inside a report (parts that do not add up, ...).
CREATE TABLE quality_flags (
    doc          VARCHAR NOT NULL,
    flag         VARCHAR NOT NULL,
    message      VARCHAR NOT NULL,
    start_offset INTEGER,
    end_offset   INTEGER
);

-- orphaned_reviews: one row per stored review (etl/reviews.py) that found no fact in this build: the report
-- changed or is gone. The review itself stays in its store beside the database.
CREATE TABLE orphaned_reviews (
    review_id    INTEGER NOT NULL,     -- id in <db>.reviews.sqlite
    doc          VARCHAR NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    action       VARCHAR NOT NULL,     -- confirm, correct, reject, add
    evidence     VARCHAR,
    fact         VARCHAR NOT NULL,     -- JSON: the fact as the reviewer left it
    reviewer     VARCHAR NOT NULL,
    reviewed_at  VARCHAR NOT NULL,
    note         VARCHAR,
    reason       VARCHAR NOT NULL      -- why it no longer applies
);

-- province_today: one row per province name of either era, with the province it is part of today.
CREATE VIEW province_today AS
SELECT DISTINCT province, province_2025 FROM localities WHERE level = 'province'
UNION ALL SELECT 'Cả nước', 'Cả nước';

-- ---------------------------------------------------------------------------------------------------
-- Pairing targets with actuals. The rules, each held by a test in tests/test_pairing.py:
--
-- 1. One point per figure. The same target or actual stated by several reports (or twice in one) is
--    one point: same province, place, level, indicator, unit, kind, year and period, and for a target
--    the same bound (see 5). Its statement is the latest published exact one (an '=' actual before a
--    "hơn 14.000"); the others are listed beside it (fact_ids). Two reports that state different
--    values for one point (beyond 0,05 points of a percentage) flag it: `disagreement`, shown, never
--    silently resolved.
-- 2. A yearly target meets the full-year actual (period 'year') of its own year. An actual for part of
--    the year (Q1..Q4, H1, 9M, YTD) is progress so far: status 'in_progress', never met / not met.
--    The fullest part is shown (9M before YTD before H1 before quarters), then the latest published.
-- 3. A target's year is the year it must be met (spec). A target stated two or more years before its
--    year ("đến năm 2025" in a 2021 plan; the stated year is the report's publication year, else the
--    year the report is about) is a 'by' target (horizon 'by'). It is judged in its year, like any
--    target. Before that, the full-year actuals from the year before it was set up to the year before
--    its deadline are its path (path_*). With a path of two or more years and a bound to reach, a
--    straight line from the first path actual to the target says where the latest should be: at or
--    beyond it is 'on_track', short of it 'behind' (already meeting the target is 'on_track'). With one
--    path year, an exact target or no bound, there is no trend verdict (NULL).
-- 4. A national target (province 'Cả nước', no place) is the benchmark of every province that has
--    actuals of that indicator, level and unit but set no target of its own for that year: a row per
--    province with target_scope 'national' (own targets are 'own'), judged by the same rules. A rank
--    target of the country is no benchmark: the country has no rank among provinces.
-- 5. The comparator and the indicator's direction decide met / not met (macro meets): '>=', '>', '<=',
--    '<' as written; '=' and '~' read as "at least" on an up-indicator and "at most" on a down one (a
--    rank target "xếp thứ 3" is met by rank <= 3; "top 10" is '<=' 10); on an indicator with no
--    direction, '=' asks for the same value. The bound of a target follows: 'min' (at least), 'max'
--    (at most), 'exact'.
-- ---------------------------------------------------------------------------------------------------

CREATE MACRO meets(actual, comparator, target, direction) AS
    CASE comparator
        WHEN '>=' THEN actual >= target
        WHEN '>'  THEN actual >  target
        WHEN '<=' THEN actual <= target
        WHEN '<'  THEN actual <  target
        ELSE CASE direction
                WHEN 'up'   THEN actual >= target
                WHEN 'down' THEN actual <= target
                ELSE abs(actual - target) < 1e-9 END
    END;

-- Order of the parts of a year, fullest first (rule 2).
CREATE MACRO period_rank(period) AS
    CASE period WHEN 'year' THEN 0 WHEN '9M' THEN 1 WHEN 'YTD' THEN 2 WHEN 'H1' THEN 3
                WHEN 'Q4' THEN 4 WHEN 'Q3' THEN 5 WHEN 'Q2' THEN 6 WHEN 'Q1' THEN 7 ELSE 8 END;

-- fact_points: one row per point (rule 1): a figure however many times it is stated.
CREATE VIEW fact_points AS
WITH stated AS (
    SELECT f.fact_id, f.doc, f.province, f.place, f.level, f.year, f.period, f.indicator, f.kind,
           f.comparator, f.value, f.unit, d.published,
           coalesce(year(d.published), d.year, f.year) AS stated_year,
           coalesce(i.direction, CASE WHEN f.unit = 'rank' THEN 'down' ELSE 'up' END) AS direction
    FROM facts f
    JOIN documents d ON d.file = f.doc
    LEFT JOIN indicators i ON i.code = f.indicator
    WHERE f.year IS NOT NULL AND f.province IS NOT NULL
),
bounded AS (
    SELECT *,
           CASE WHEN kind = 'actual' THEN ''
                WHEN comparator IN ('>=', '>') THEN 'min'
                WHEN comparator IN ('<=', '<') THEN 'max'
                WHEN direction = 'up' THEN 'min'
                WHEN direction = 'down' THEN 'max'
                ELSE 'exact' END AS bound,
           kind = 'target' OR comparator = '=' AS exact_statement
    FROM stated
),
grouped AS (
    SELECT province, place, level, indicator, unit, kind, year, period, bound,
           any_value(direction) AS direction,
           arg_max(fact_id, (exact_statement, coalesce(published, DATE '0001-01-01'), fact_id)) AS fact_id,
           min(stated_year) AS set_year,
           list(fact_id ORDER BY fact_id) AS fact_ids,
           count(DISTINCT doc) AS n_reports,
           count(DISTINCT doc) > 1
               AND max(value) FILTER (WHERE exact_statement) - min(value) FILTER (WHERE exact_statement)
                   > CASE WHEN any_value(unit) = 'percent' THEN 0.05 ELSE 1e-9 END AS disagreement
    FROM bounded
    GROUP BY province, place, level, indicator, unit, kind, year, period, bound
)
SELECT g.*, f.value, f.comparator, f.doc, f.evidence, d.published, d.title, d.source
FROM grouped g
JOIN facts f ON f.fact_id = g.fact_id
JOIN documents d ON d.file = f.doc;

-- year_actuals: one row per locality, indicator and year with an actual: the one a target of that year is
-- paired with (rule 2): the full-year figure, else the fullest part of the year, then the latest published.
CREATE VIEW year_actuals AS
SELECT * FROM fact_points
WHERE kind = 'actual'
QUALIFY row_number() OVER (PARTITION BY province, place, level, indicator, unit, year
                           ORDER BY period_rank(period), published DESC NULLS LAST, fact_id DESC) = 1;

-- target_vs_actual: one row per target point and the province it is judged for (rules 1-5). The load
-- stage stores its rows as the table target_actual_pairs at the end of a run (etl/load.py), which the
-- dashboard reads. status
-- ('attainment'): met, not_met, in_progress (part-year actual or a 'by' target's path), no_actual.
CREATE VIEW target_vs_actual AS
WITH actual_points AS (
    SELECT * FROM fact_points WHERE kind = 'actual'
),
-- the actual of a target's year: the full-year figure, else the fullest part of the year (rule 2)
year_actual AS (
    SELECT * FROM year_actuals
),
own AS (
    SELECT *, 'own' AS target_scope FROM fact_points WHERE kind = 'target' AND province <> 'Cả nước'
),
national AS (   -- rule 4
    SELECT n.* REPLACE (a.province AS province), 'national' AS target_scope
    FROM fact_points n
    JOIN (SELECT DISTINCT province, level, indicator, unit FROM actual_points
          WHERE province <> 'Cả nước' AND place IS NULL) a
      ON a.level = n.level AND a.indicator = n.indicator AND a.unit = n.unit
    WHERE n.kind = 'target' AND n.province = 'Cả nước' AND n.place IS NULL AND n.unit <> 'rank'
      AND NOT EXISTS (SELECT 1 FROM own o
                      WHERE o.province = a.province AND o.place IS NULL AND o.level = n.level
                        AND o.indicator = n.indicator AND o.unit = n.unit AND o.year = n.year)
),
targets AS (
    SELECT *, CASE WHEN year - set_year >= 2 THEN 'by' ELSE 'year' END AS horizon
    FROM (SELECT * FROM own UNION ALL BY NAME SELECT * FROM national)
),
path AS (       -- rule 3: full-year actuals before a 'by' target's year
    SELECT t.fact_id AS target_id, t.province,
           min(a.year) AS path_first_year, arg_min(a.value, a.year) AS path_first_value,
           max(a.year) AS path_last_year, arg_max(a.value, a.year) AS path_last_value,
           list(a.fact_id ORDER BY a.year) AS path_ids
    FROM targets t
    JOIN actual_points a
      ON a.period = 'year' AND a.province = t.province AND a.place IS NOT DISTINCT FROM t.place
     AND a.level = t.level AND a.indicator = t.indicator AND a.unit = t.unit
     AND a.year < t.year AND a.year >= t.set_year - 1
    WHERE t.horizon = 'by'
    GROUP BY t.fact_id, t.province
),
judged AS (
    SELECT t.fact_id AS target_id,
           t.province, t.place, t.level, t.indicator, t.unit, t.year, t.direction,
           t.period AS target_period, t.comparator AS target_comparator, t.value AS target_value,
           t.doc AS target_doc, t.evidence AS target_evidence, t.title AS target_title,
           t.published AS target_published, t.source AS target_source,
           t.bound AS target_bound, t.target_scope, t.horizon AS target_horizon,
           t.set_year AS target_set_year, t.fact_ids AS target_fact_ids, t.n_reports AS target_reports,
           t.disagreement AS target_disagreement,
           a.fact_id AS actual_id, a.period AS actual_period, a.comparator AS actual_comparator,
           a.value AS actual_value, a.doc AS actual_doc, a.fact_ids AS actual_fact_ids,
           a.n_reports AS actual_reports, a.disagreement AS actual_disagreement,
           p.path_first_year, p.path_first_value, p.path_last_year, p.path_last_value, p.path_ids,
           CASE
               WHEN a.period = 'year' THEN
                   CASE WHEN meets(a.value, t.comparator, t.value, t.direction) THEN 'met' ELSE 'not_met' END
               WHEN a.fact_id IS NOT NULL OR p.path_last_year IS NOT NULL THEN 'in_progress'
               ELSE 'no_actual'
           END AS attainment
    FROM targets t
    LEFT JOIN year_actual a
      ON a.province = t.province AND a.place IS NOT DISTINCT FROM t.place AND a.level = t.level
     AND a.indicator = t.indicator AND a.unit = t.unit AND a.year = t.year
    LEFT JOIN path p ON p.target_id = t.fact_id AND p.province = t.province
)
SELECT *,
       CASE
           WHEN attainment <> 'in_progress' OR path_last_year IS NULL OR target_bound = 'exact' THEN NULL
           WHEN meets(path_last_value, target_comparator, target_value, direction) THEN 'on_track'
           WHEN path_last_year = path_first_year THEN NULL
           WHEN CASE target_bound
                    WHEN 'min' THEN path_last_value >= path_first_value + (target_value - path_first_value)
                                    * (path_last_year - path_first_year) / (year - path_first_year)
                    ELSE path_last_value <= path_first_value + (target_value - path_first_value)
                                    * (path_last_year - path_first_year) / (year - path_first_year)
                END THEN 'on_track'
           ELSE 'behind'
       END AS trend
FROM judged;

-- target_actual_pairs: the rows of target_vs_actual, stored by the load stage at the end of a run (sorted by
-- indicator) so that the dashboard reads a table; empty in a database that no run has finished.
CREATE TABLE target_actual_pairs AS SELECT * FROM target_vs_actual LIMIT 0;

-- year_actual_points: the rows of year_actuals, stored the same way: the actual the dashboard draws for each
-- locality and year, the one the pairing used.
CREATE TABLE year_actual_points AS SELECT * FROM year_actuals LIMIT 0;
