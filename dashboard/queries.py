"""All SQL the dashboard runs, in one place. Every user value is a bound parameter.

Each function takes an open DuckDB connection first and returns a DataFrame; dashboard.data.read
opens the connection and caches the result on the database file's identity.

One figure per locality, indicator, kind and year: a report may state a year's figure several times
(9 months, then the full year; "over 14,000" then "14,292"). The representative is the fullest
period, then an exact figure over an approximate one, then the latest report, then the latest fact.
Targets are paired and judged by the view target_vs_actual (rules beside it in etl/schema.sql), read
from its stored copy target_actual_pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

NATIONAL = "Cả nước"


@dataclass(frozen=True)
class FactFilter:
    """What the sidebar selects; hashable so results can be cached on it."""

    provinces: tuple[str, ...]
    year_from: int
    year_to: int
    indicators: tuple[str, ...]
    level: str = "province"
    today_provinces: bool = False  # group former provinces under today's (province_today)
    reviewed_only: bool = False    # only facts a person confirmed, corrected or added (facts.status)


_REVIEWED = "AND f.status <> 'extracted'"   # a constant clause: reviewed facts only (no user value in it)


def _scoped_sql(by_level: bool = True, reviewed_only: bool = False) -> str:
    """Facts in scope with their report and the province they are grouped under.

    Parameters, in order: today_provinces, indicators, [level,] year_from, year_to.
    """
    level_clause = ("AND f.level = ?" if by_level else "") + (f" {_REVIEWED}" if reviewed_only else "")
    return f"""
province_map AS (
    SELECT province, any_value(province_2025) AS province_2025 FROM province_today GROUP BY province
),
scoped AS (
    SELECT f.fact_id, f.doc, f.province, f.place, f.level, f.year, f.period, f.indicator, f.kind,
           f.comparator, f.value, f.unit, f.denominator, f.evidence, f.start_offset, f.end_offset,
           coalesce(m.province_2025, f.province) AS province_now,
           CASE WHEN ? THEN coalesce(m.province_2025, f.province) ELSE f.province END AS group_province,
           d.title, d.published, d.source,
           CASE f.period WHEN 'year' THEN 0 WHEN '9M' THEN 1 WHEN 'YTD' THEN 2 WHEN 'H1' THEN 3
                WHEN 'Q4' THEN 4 WHEN 'Q3' THEN 5 WHEN 'Q2' THEN 6 WHEN 'Q1' THEN 7 ELSE 8 END AS period_rank
    FROM facts f
    JOIN documents d ON d.file = f.doc
    LEFT JOIN province_map m ON m.province = f.province
    WHERE list_contains(?::VARCHAR[], f.indicator) {level_clause} AND f.year BETWEEN ? AND ?
      AND f.province IS NOT NULL
)"""


_PICK_ORDER = "ORDER BY period_rank, (comparator <> '=')::INT, published DESC NULLS LAST, fact_id DESC"

def _picked_sql(province_clause: str, partition: str = "indicator, province, place, unit, kind, year") -> str:
    """The representative fact per partition (see the module docstring for the order)."""
    return f"""
picked AS (
    SELECT * FROM scoped WHERE {province_clause}
    QUALIFY row_number() OVER (PARTITION BY {partition} {_PICK_ORDER}) = 1
)"""


_TARGET_COLUMNS = """
    t.target_scope, t.target_horizon, t.target_bound, t.target_set_year, t.trend,
    t.target_reports, t.target_disagreement,
    t.path_first_year, t.path_first_value, t.path_last_year, t.path_last_value"""


def _pairs_sql(reviewed_only: bool = False) -> str:
    """The view target_vs_actual in scope, grouped as the sidebar asks; reviewed_only: pairs whose target and
    actual (if any) a person reviewed.

    Parameters, in order: today_provinces, indicators, level, year_from, year_to, provinces.
    """
    reviewed = ("AND v.target_id IN (SELECT fact_id FROM facts WHERE status <> 'extracted') AND (v.actual_id IS NULL "
                "OR v.actual_id IN (SELECT fact_id FROM facts WHERE status <> 'extracted'))") if reviewed_only else ""
    return f"""
pairs AS (
    SELECT v.*, coalesce(m.province_2025, v.province) AS province_now,
           CASE WHEN ? THEN coalesce(m.province_2025, v.province) ELSE v.province END AS group_province
    FROM target_actual_pairs v
    LEFT JOIN (SELECT province, any_value(province_2025) AS province_2025 FROM province_today GROUP BY province) m
           ON m.province = v.province
    WHERE list_contains(?::VARCHAR[], v.indicator) AND v.level = ? AND v.year BETWEEN ? AND ? {reviewed}
),
pairs_in AS (SELECT * FROM pairs WHERE list_contains(?::VARCHAR[], group_province))"""


def _points_sql(reviewed_only: bool = False) -> str:
    """One row per locality, indicator and year: its actual (the one the pairing used: year_actual_points, the
    stored rows of the view year_actuals) and the target drawn there (its own before the national benchmark;
    the bound the direction asks for). Both sides are small tables sorted by indicator: no scan of the facts.

    Parameters: those of _pairs_sql, then today_provinces, indicators, level, year_from, year_to, national,
    provinces.
    """
    reviewed = "AND y.fact_id IN (SELECT fact_id FROM facts WHERE status <> 'extracted')" if reviewed_only else ""
    return f"""
WITH {_pairs_sql(reviewed_only)},
actuals AS (
    SELECT y.*, coalesce(m.province_2025, y.province) AS province_now,
           CASE WHEN ? THEN coalesce(m.province_2025, y.province) ELSE y.province END AS group_province
    FROM year_actual_points y
    LEFT JOIN (SELECT province, any_value(province_2025) AS province_2025 FROM province_today GROUP BY province) m
           ON m.province = y.province
    WHERE list_contains(?::VARCHAR[], y.indicator) AND y.level = ? AND y.year BETWEEN ? AND ?
      AND y.province <> ? {reviewed}
),
shown_target AS (
    SELECT * FROM pairs_in
    QUALIFY row_number() OVER (
        PARTITION BY indicator, province, place, unit, year
        ORDER BY target_scope = 'national', target_bound <> CASE direction WHEN 'down' THEN 'max' ELSE 'min' END,
                 target_id) = 1
),
a AS (SELECT * FROM actuals WHERE list_contains(?::VARCHAR[], group_province))
SELECT
    coalesce(a.indicator, t.indicator) AS indicator,
    coalesce(a.group_province, t.group_province) AS group_province,
    coalesce(a.province, t.province) AS province,
    coalesce(a.province_now, t.province_now) AS province_now,
    coalesce(a.place, t.place) AS place,
    coalesce(a.year, t.year) AS year,
    coalesce(a.unit, t.unit) AS unit,
    coalesce(t.direction, i.direction, CASE WHEN coalesce(a.unit, t.unit) = 'rank' THEN 'down' ELSE 'up' END)
        AS direction,
    a.fact_id AS actual_id, a.value AS actual_value, a.comparator AS actual_comparator,
    a.period AS actual_period, a.doc AS actual_doc, a.title AS actual_title,
    a.published AS actual_published, a.source AS actual_source, a.evidence AS actual_evidence,
    t.target_id, t.target_value, t.target_comparator, t.target_period, t.target_doc,
    t.target_title, t.target_published, t.target_source,
    t.target_evidence, t.actual_reports, t.actual_disagreement, {_TARGET_COLUMNS},
    CASE WHEN t.target_id IS NULL THEN 'no_target' ELSE t.attainment END AS attainment
FROM a
FULL OUTER JOIN shown_target t
    ON a.indicator = t.indicator AND a.province = t.province AND a.place IS NOT DISTINCT FROM t.place
   AND a.year = t.year AND a.unit = t.unit
LEFT JOIN indicators i ON i.code = coalesce(a.indicator, t.indicator)"""


def _points_params(flt: FactFilter) -> list:
    provinces = list(flt.provinces)
    return ([flt.today_provinces, list(flt.indicators), flt.level, flt.year_from, flt.year_to, provinces]
            + _scope_params(flt) + [NATIONAL, provinces])


def _scope_params(flt: FactFilter) -> list:
    return [flt.today_provinces, list(flt.indicators), flt.level, flt.year_from, flt.year_to]


def target_actual_points(con: duckdb.DuckDBPyConnection, flt: FactFilter) -> pd.DataFrame:
    """One row per locality, indicator and year: its actual and the target drawn there, judged by the view
    target_vs_actual (attainment: met, not_met, in_progress, no_actual; no_target for an actual alone)."""
    sql = _points_sql(flt.reviewed_only) + "\nORDER BY indicator, group_province, province, place NULLS FIRST, year"
    return con.execute(sql, _points_params(flt)).df()


def target_pairs(con: duckdb.DuckDBPyConnection, flt: FactFilter) -> pd.DataFrame:
    """Every target point in scope with its verdict, as the view judges it: what the summary counts."""
    sql = f"""
WITH {_pairs_sql(flt.reviewed_only)}
SELECT indicator, group_province, province, place, year, unit, direction, target_id, target_value,
       target_comparator, target_period, actual_id, actual_value, actual_period, attainment,
       target_fact_ids, actual_fact_ids, actual_reports, actual_disagreement, {_TARGET_COLUMNS.replace("t.", "")}
FROM pairs_in
ORDER BY attainment, group_province, province, place NULLS FIRST, year, target_id"""
    return con.execute(sql, [flt.today_provinces, list(flt.indicators), flt.level, flt.year_from, flt.year_to,
                             list(flt.provinces)]).df()


def indicators_by_pairs(
    con: duckdb.DuckDBPyConnection, provinces: tuple[str, ...], year_from: int | None, year_to: int | None, level: str
) -> pd.DataFrame:
    """Indicators with the number of targets judged against a full-year actual for the provinces and years
    (None: no bound), most first: the first page opens on the top one."""
    return con.execute(
        """
SELECT indicator, count(*) FILTER (WHERE attainment IN ('met', 'not_met')) AS n_pairs, count(*) AS n_targets
FROM target_actual_pairs
WHERE list_contains(?::VARCHAR[], province) AND year BETWEEN coalesce(?, year) AND coalesce(?, year) AND level = ?
GROUP BY indicator
ORDER BY n_pairs DESC, n_targets DESC, indicator""",
        [list(provinces), year_from, year_to, level],
    ).df()


def national_points(con: duckdb.DuckDBPyConnection, indicator: str, year_from: int, year_to: int) -> pd.DataFrame:
    """The national figure (province 'Cả nước') per year, for the benchmark line; any level."""
    sql = f"""
WITH {_scoped_sql(by_level=False)},
{_picked_sql("province = ? AND kind = 'actual'", partition="indicator, unit, year")}
SELECT indicator, year, unit, fact_id AS actual_id, value AS actual_value, comparator AS actual_comparator,
       period AS actual_period, doc AS actual_doc, title AS actual_title, published AS actual_published,
       source AS actual_source, evidence AS actual_evidence
FROM picked ORDER BY year"""
    return con.execute(sql, [False, [indicator], year_from, year_to, NATIONAL]).df()


def latest_against_target(con: duckdb.DuckDBPyConnection, flt: FactFilter) -> pd.DataFrame:
    """Province x indicator, for the overview: the latest year judged met / not met, else the latest year
    with a target, else the latest year with a figure; when that year has no actual, the latest actual
    before it (last_*)."""
    sql = f"""
WITH p AS ({_points_sql(flt.reviewed_only)}),
latest AS (
    SELECT * FROM p
    QUALIFY row_number() OVER (
        PARTITION BY indicator, province, place
        ORDER BY attainment IN ('met', 'not_met') DESC, target_id IS NOT NULL DESC, year DESC, unit) = 1
),
last_actual AS (
    SELECT indicator, province, place, year AS last_year, actual_value AS last_value, actual_id AS last_id
    FROM p WHERE actual_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY indicator, province, place ORDER BY year DESC, unit) = 1
)
SELECT latest.*, l.last_year, l.last_value, l.last_id
FROM latest
LEFT JOIN last_actual l
    ON l.indicator = latest.indicator AND l.province = latest.province
   AND l.place IS NOT DISTINCT FROM latest.place AND latest.actual_id IS NULL
ORDER BY group_province, province, place NULLS FIRST, indicator"""
    return con.execute(sql, _points_params(flt)).df()


def coverage(con: duckdb.DuckDBPyConnection, indicator: str, level: str, today_provinces: bool) -> pd.DataFrame:
    """For an indicator, every locality's years with targets (its own) and with actuals, in any year: to state
    gaps. Read from the stored pairing tables (sorted by indicator), not the facts; n_facts counts points."""
    return con.execute(
        """
WITH province_map AS (
    SELECT province, any_value(province_2025) AS province_2025 FROM province_today GROUP BY province
),
years AS (
    SELECT province, place, year, 'target' AS kind FROM target_actual_pairs
    WHERE indicator = ? AND level = ? AND target_scope = 'own'
    UNION ALL
    SELECT province, place, year, 'actual' AS kind FROM year_actual_points WHERE indicator = ? AND level = ?
)
SELECT CASE WHEN ? THEN coalesce(m.province_2025, f.province) ELSE f.province END AS group_province,
       f.province, f.place,
       list(DISTINCT f.year ORDER BY f.year) FILTER (WHERE f.kind = 'target') AS target_years,
       list(DISTINCT f.year ORDER BY f.year) FILTER (WHERE f.kind = 'actual') AS actual_years,
       count(*) AS n_facts
FROM years f LEFT JOIN province_map m ON m.province = f.province
GROUP BY 1, 2, 3
ORDER BY group_province = ?, group_province, f.province, f.place NULLS FIRST""",
        [indicator, level, indicator, level, today_provinces, NATIONAL],
    ).df()


def facts_table(
    con: duckdb.DuckDBPyConnection, flt: FactFilter, kinds: tuple[str, ...], all_indicators: bool
) -> pd.DataFrame:
    """The facts behind the current view, with their report: the table people export and drill into."""
    indicator_clause = "TRUE" if all_indicators else "list_contains(?::VARCHAR[], f.indicator)"
    sql = f"""
WITH province_map AS (
    SELECT province, any_value(province_2025) AS province_2025 FROM province_today GROUP BY province
)
SELECT f.fact_id, f.province, f.place, f.level, f.year, f.period, f.indicator, f.kind, f.comparator,
       f.value, f.unit, f.denominator, f.evidence, f.doc, d.title, d.published, d.source,
       f.start_offset, f.end_offset, f.status,
       CASE WHEN ? THEN coalesce(m.province_2025, f.province) ELSE f.province END AS group_province
FROM facts f
JOIN documents d ON d.file = f.doc
LEFT JOIN province_map m ON m.province = f.province
WHERE {indicator_clause} AND f.level = ? AND f.year BETWEEN ? AND ?
  AND list_contains(?::VARCHAR[], f.kind)
  AND list_contains(?::VARCHAR[], CASE WHEN ? THEN coalesce(m.province_2025, f.province) ELSE f.province END)
  {_REVIEWED if flt.reviewed_only else ""}
ORDER BY group_province, f.province, f.indicator, f.year, f.fact_id"""
    params: list = [flt.today_provinces]
    if not all_indicators:
        params.append(list(flt.indicators))
    params += [flt.level, flt.year_from, flt.year_to, list(kinds), list(flt.provinces), flt.today_provinces]
    return con.execute(sql, params).df()


def facts_at_points(
    con: duckdb.DuckDBPyConnection, indicator: str, level: str, points: tuple[tuple[str, str, int], ...]
) -> pd.DataFrame:
    """Every fact stated for the given (province, place or '', year) points of an indicator."""
    provinces = [p[0] for p in points]
    places = [p[1] or "" for p in points]
    years = [int(p[2]) for p in points]
    sql = """
WITH wanted AS (
    SELECT unnest(?::VARCHAR[]) AS province, unnest(?::VARCHAR[]) AS place, unnest(?::INTEGER[]) AS year
)
SELECT DISTINCT f.fact_id, f.province, f.place, f.level, f.year, f.period, f.indicator, f.kind, f.comparator,
       f.value, f.unit, f.evidence, f.doc, d.title, d.published, d.source, f.start_offset, f.end_offset,
       d.text AS doc_text
FROM facts f
JOIN wanted w ON w.province = f.province AND w.place = coalesce(f.place, '') AND w.year = f.year
JOIN documents d ON d.file = f.doc
WHERE f.indicator = ? AND (f.level = ? OR f.province = ?)
ORDER BY f.province, f.year, f.kind, f.fact_id"""
    return con.execute(sql, [provinces, places, years, indicator, level, NATIONAL]).df()


def facts_by_id(con: duckdb.DuckDBPyConnection, fact_ids: tuple[int, ...]) -> pd.DataFrame:
    """Facts with their report and its text, for showing the sentence each was read from."""
    sql = """
SELECT f.fact_id, f.province, f.place, f.level, f.year, f.period, f.indicator, f.kind, f.comparator,
       f.value, f.unit, f.evidence, f.doc, d.title, d.published, d.source, f.start_offset, f.end_offset,
       d.text AS doc_text
FROM facts f JOIN documents d ON d.file = f.doc
WHERE list_contains(?::INTEGER[], f.fact_id)
ORDER BY f.fact_id"""
    return con.execute(sql, [list(fact_ids)]).df()


def database_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row: how many facts and reports, when the last run finished, how many reports were skipped."""
    return con.execute("""
SELECT (SELECT count(*) FROM facts) AS n_facts,
       (SELECT count(*) FROM documents) AS n_documents,
       (SELECT count(*) FROM skipped_reports) AS n_skipped,
       (SELECT max(finished_at) FROM runs) AS finished_at,
       (SELECT min(year) FROM facts WHERE year IS NOT NULL) AS year_min,
       (SELECT max(year) FROM facts WHERE year IS NOT NULL) AS year_max""").df()


def skipped_reports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT file, reason FROM skipped_reports ORDER BY file").df()


def province_options(con: duckdb.DuckDBPyConnection, today_provinces: bool) -> pd.DataFrame:
    """Provinces the facts are about (grouped under today's when asked), most figures first."""
    return con.execute(
        """
WITH province_map AS (
    SELECT province, any_value(province_2025) AS province_2025 FROM province_today GROUP BY province
)
SELECT CASE WHEN ? THEN coalesce(m.province_2025, f.province) ELSE f.province END AS province,
       count(*) AS n_facts
FROM facts f LEFT JOIN province_map m ON m.province = f.province
WHERE f.province IS NOT NULL AND f.province <> ?
GROUP BY 1 ORDER BY n_facts DESC, province""",
        [today_provinces, NATIONAL],
    ).df()


def province_map(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every province name of either era with the province it is part of today."""
    return con.execute("""
SELECT province, any_value(province_2025) AS province_2025 FROM province_today GROUP BY province
ORDER BY province""").df()


def indicator_catalog(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every indicator: those of the indicators table (with or without facts) and the other:<label> ones
    the facts use, with how many facts each has and per level."""
    return con.execute("""
WITH counts AS (
    SELECT indicator, count(*) AS n_facts, any_value(unit) AS unit,
           count(*) FILTER (WHERE level = 'province') AS n_province,
           count(*) FILTER (WHERE level = 'district') AS n_district,
           count(*) FILTER (WHERE level = 'commune') AS n_commune
    FROM facts GROUP BY indicator
)
SELECT i.code, i.unit, i.direction, i.theme, i.name_vi, i.name_en,
       coalesce(c.n_facts, 0) AS n_facts, coalesce(c.n_province, 0) AS n_province,
       coalesce(c.n_district, 0) AS n_district, coalesce(c.n_commune, 0) AS n_commune, i.rowid AS position
FROM indicators i LEFT JOIN counts c ON c.indicator = i.code
UNION ALL
SELECT c.indicator, c.unit, CASE WHEN c.unit = 'rank' THEN 'down' ELSE 'up' END, 'other', NULL, NULL,
       c.n_facts, c.n_province, c.n_district, c.n_commune, 100000
FROM counts c WHERE c.indicator NOT IN (SELECT code FROM indicators)
ORDER BY position, code""").df()


def documents_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("""
SELECT d.file, d.title, d.published, d.province, d.place, d.source, d.year, d.format,
       (SELECT count(*) FROM facts f WHERE f.doc = d.file) AS n_facts
FROM documents d ORDER BY d.published DESC NULLS LAST, d.file""").df()


def document(con: duckdb.DuckDBPyConnection, file: str) -> pd.DataFrame:
    return con.execute(
        """
SELECT file, title, published, province, place, source, year, format, encoding, warnings, text, doc_hash
FROM documents WHERE file = ?""",
        [file],
    ).df()


def document_facts(con: duckdb.DuckDBPyConnection, file: str) -> pd.DataFrame:
    return con.execute(
        """
SELECT fact_id, province, place, level, year, period, indicator, kind, comparator, value, unit, evidence,
       start_offset, end_offset, status
FROM facts WHERE doc = ? ORDER BY start_offset, fact_id""",
        [file],
    ).df()


def document_flags(con: duckdb.DuckDBPyConnection, file: str) -> pd.DataFrame:
    return con.execute(
        """
SELECT flag, message, start_offset, end_offset FROM quality_flags WHERE doc = ?
ORDER BY start_offset NULLS LAST""",
        [file],
    ).df()


@dataclass(frozen=True)
class MapFilter:
    """What the map draws: one indicator (in its unit) at province level, over a range of years, on the
    63-province map (today_provinces False) or the 34-province one (True)."""

    indicator: str
    unit: str
    year_from: int
    year_to: int
    today_provinces: bool = False

    @property
    def era(self) -> str:
        return "2025" if self.today_provinces else "legacy"


def map_figures(con: duckdb.DuckDBPyConnection, flt: MapFilter) -> pd.DataFrame:
    """One row per province and year with a province-level figure of the indicator: the area it is drawn
    on (`code`, the official code of group_province in the map's era: joined by code, never by name), its
    representative actual (as picked for the charts), the verdict of its target as the view
    target_vs_actual judges it (read from its stored rows, target_actual_pairs), and how many reports state
    its figures (actual_reports; reports, both kinds). Every year of the range at once, so that moving the
    map's year needs no query."""
    sql = f"""
WITH province_map AS (
    SELECT province, any_value(province_2025) AS province_2025 FROM province_today GROUP BY province
),
scoped AS (
    SELECT f.fact_id, f.doc, f.province, f.year, f.period, f.kind, f.comparator, f.value, d.title, d.published,
           CASE f.period WHEN 'year' THEN 0 WHEN '9M' THEN 1 WHEN 'YTD' THEN 2 WHEN 'H1' THEN 3
                WHEN 'Q4' THEN 4 WHEN 'Q3' THEN 5 WHEN 'Q2' THEN 6 WHEN 'Q1' THEN 7 ELSE 8 END AS period_rank
    FROM facts f JOIN documents d ON d.file = f.doc
    WHERE f.indicator = $indicator AND f.unit = $unit AND f.level = 'province' AND f.place IS NULL
      AND f.year BETWEEN $year_from AND $year_to AND f.province IS NOT NULL AND f.province <> $national
),
actual AS (
    SELECT * FROM scoped WHERE kind = 'actual'
    QUALIFY row_number() OVER (PARTITION BY province, year {_PICK_ORDER}) = 1
),
sources AS (
    SELECT province, year, count(DISTINCT doc) FILTER (WHERE kind = 'actual') AS actual_reports,
           count(DISTINCT doc) AS reports
    FROM scoped GROUP BY province, year
),
verdict AS (
    SELECT v.province, v.year, v.target_id, v.target_comparator, v.target_value, v.target_period,
           v.actual_value AS judged_value, v.actual_period AS judged_period, v.attainment
    FROM target_actual_pairs v
    LEFT JOIN documents td ON td.file = v.target_doc
    LEFT JOIN documents ad ON ad.file = v.actual_doc
    WHERE v.indicator = $indicator AND v.unit = $unit AND v.level = 'province' AND v.place IS NULL
      AND v.year BETWEEN $year_from AND $year_to AND v.province IS NOT NULL AND v.province <> $national
    QUALIFY row_number() OVER (
        PARTITION BY v.province, v.year
        ORDER BY v.target_period <> 'year', td.published DESC NULLS LAST, v.target_id DESC,
                 v.actual_period IS DISTINCT FROM 'year', ad.published DESC NULLS LAST, v.actual_id DESC NULLS LAST
    ) = 1
),
keyed AS (
    SELECT province, year FROM scoped UNION SELECT province, year FROM verdict
),
codes AS (
    SELECT province AS name, province_code AS code FROM localities WHERE level = 'province' AND era = $era
    UNION ALL
    -- a name of the other era only, with one province of this era behind it (Huế -> Thừa Thiên Huế)
    SELECT o.province, any_value(n.province_code) FROM localities o
    JOIN localities n ON n.level = 'province' AND n.era = $era
     AND (CASE WHEN $era = '2025' THEN n.province = o.province_2025 ELSE n.province_2025 = o.province END)
    WHERE o.level = 'province' AND o.era <> $era
      AND o.province NOT IN (SELECT province FROM localities WHERE level = 'province' AND era = $era)
    GROUP BY o.province HAVING count(DISTINCT n.province_code) = 1
)
SELECT CASE WHEN $today THEN coalesce(m.province_2025, k.province) ELSE k.province END AS group_province,
       k.province, k.year, c.code,
       a.fact_id AS actual_id, a.value AS actual_value, a.comparator AS actual_comparator,
       a.period AS actual_period, a.doc AS actual_doc, a.title AS actual_title, a.published AS actual_published,
       v.target_id, v.target_value, v.target_comparator, v.target_period, v.judged_value, v.judged_period,
       v.attainment, coalesce(s.actual_reports, 0) AS actual_reports, coalesce(s.reports, 0) AS reports
FROM keyed k
LEFT JOIN province_map m ON m.province = k.province
LEFT JOIN codes c ON c.name = CASE WHEN $today THEN coalesce(m.province_2025, k.province) ELSE k.province END
LEFT JOIN actual a ON a.province = k.province AND a.year = k.year
LEFT JOIN verdict v ON v.province = k.province AND v.year = k.year
LEFT JOIN sources s ON s.province = k.province AND s.year = k.year
ORDER BY k.year, group_province, k.province"""
    params = {
        "indicator": flt.indicator,
        "unit": flt.unit,
        "year_from": flt.year_from,
        "year_to": flt.year_to,
        "national": NATIONAL,
        "era": flt.era,
        "today": flt.today_provinces,
    }
    return con.execute(sql, params).df()


def province_codes(con: duckdb.DuckDBPyConnection, era: str) -> pd.DataFrame:
    """Every province of an era ('legacy': 63, '2025': 34) with its official code: names for the map's
    provinces without figures, and codes for the provinces of the filter."""
    return con.execute(
        "SELECT province, province_code AS code FROM localities WHERE level = 'province' AND era = ? ORDER BY code",
        [era],
    ).df()


def map_sources(con: duckdb.DuckDBPyConnection, flt: MapFilter, year: int, kinds: tuple[str, ...]) -> pd.DataFrame:
    """The reports behind a map's year (province-level figures of the kinds drawn), latest first, each once:
    the sources line of an exported map. Read when an image is exported, not on every click."""
    return con.execute(
        """
SELECT DISTINCT d.file, d.title, d.published
FROM facts f JOIN documents d ON d.file = f.doc
WHERE f.indicator = ? AND f.unit = ? AND f.level = 'province' AND f.place IS NULL AND f.year = ?
  AND f.province IS NOT NULL AND f.province <> ? AND list_contains(?::VARCHAR[], f.kind)
ORDER BY d.published DESC NULLS LAST, d.file""",
        [flt.indicator, flt.unit, year, NATIONAL, list(kinds)],
    ).df()


# Reviews and uploads (etl/reviews.py, etl/ingest.py)


def facts_of_documents(con: duckdb.DuckDBPyConnection, files: tuple[str, ...]) -> pd.DataFrame:
    """What some reports brought in: facts per report, indicator and kind."""
    return con.execute(
        """
SELECT f.doc, f.indicator, f.kind, count(*) AS n_facts, min(f.year) AS year_min, max(f.year) AS year_max
FROM facts f WHERE list_contains(?::VARCHAR[], f.doc)
GROUP BY ALL ORDER BY f.doc, n_facts DESC, f.indicator, f.kind""",
        [list(files)],
    ).df()


def documents_by_file(con: duckdb.DuckDBPyConnection, files: tuple[str, ...]) -> pd.DataFrame:
    return con.execute(
        "SELECT file, title, province, year, format, n_chars FROM documents WHERE list_contains(?::VARCHAR[], file) "
        "ORDER BY file",
        [list(files)],
    ).df()


def orphaned_reviews(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Reviews that found no fact in this build (the report changed or is gone)."""
    return con.execute(
        """
SELECT review_id, doc, start_offset, end_offset, action, evidence, fact, reviewer, reviewed_at, note, reason
FROM orphaned_reviews ORDER BY review_id"""
    ).df()


def status_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT status, count(*) AS n FROM facts GROUP BY status ORDER BY status").df()


def last_reports_dir(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The reports folder the database was last built from."""
    return con.execute("SELECT reports_dir FROM runs ORDER BY finished_at DESC LIMIT 1").df()
