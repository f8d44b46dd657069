"""Queries and database access on the real ETL output: filters, attainment, safety, freshness."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import data, queries
from dashboard.queries import FactFilter

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
THREE = ("Hà Nội", "Hải Phòng", "Quảng Ninh")


@pytest.fixture
def db(etl_db):
    data.clear_cache()
    return etl_db


def all_indicators(db) -> tuple[str, ...]:
    return tuple(data.read(db, queries.indicator_catalog)["code"])


def test_points_keep_only_the_chosen_provinces_years_and_level(db):
    points = data.read(db, queries.target_actual_points, FactFilter(("Quảng Ninh",), 2016, 2020, all_indicators(db)))
    assert set(points["province"]) <= {"Quảng Ninh"}
    assert points["year"].between(2016, 2020).all()
    everything = data.read(db, queries.target_actual_points, FactFilter(THREE, 2000, 2100, all_indicators(db)))
    assert not everything.empty
    assert "Cả nước" not in set(everything["province"])


def test_one_point_per_locality_indicator_and_year(db):
    points = data.read(db, queries.target_actual_points, FactFilter(THREE, 2000, 2100, all_indicators(db)))
    keys = points[["indicator", "province", "place", "unit", "year"]].astype(str)
    assert not keys.duplicated().any()


def test_attainment_agrees_with_the_view(db):
    """Our representative pairs are judged exactly as target_vs_actual judges the same pair."""
    points = data.read(db, queries.target_actual_points, FactFilter(THREE, 2000, 2100, all_indicators(db)))
    judged = points.dropna(subset=["target_id"])
    con = duckdb.connect(str(db), read_only=True)
    try:
        view = con.execute("SELECT target_id, actual_id, attainment FROM target_vs_actual").df()
    finally:
        con.close()
    pairs = {
        (int(t), None if pd.isna(a) else int(a)): v
        for t, a, v in zip(view["target_id"], view["actual_id"], view["attainment"], strict=True)
    }
    assert not judged.empty
    for row in judged.itertuples():
        actual = None if pd.isna(row.actual_id) else int(row.actual_id)
        assert pairs[(int(row.target_id), actual)] == row.attainment


def test_user_values_are_parameters_not_sql(db):
    hostile = ("x' OR '1'='1", "Hà Nội'); DROP TABLE facts; --")
    points = data.read(db, queries.target_actual_points, FactFilter(hostile, 2000, 2100, hostile))
    assert points.empty
    assert not data.read(db, queries.database_summary)["n_facts"].iloc[0] == 0


def test_today_provinces_groups_former_provinces(db):
    mapping = data.read(db, queries.province_map)
    today = set(data.read(db, queries.province_options, True)["province"])
    assert today <= set(mapping["province_2025"]) | set(THREE)
    merged = mapping[mapping["province"] != mapping["province_2025"]]
    assert "Hải Dương" in set(merged["province"])  # the gazetteer knows the 2025 merger
    assert merged.set_index("province").loc["Hải Dương", "province_2025"] == "Hải Phòng"


def test_facts_table_and_drill_down(db):
    flt = FactFilter(THREE, 2000, 2100, all_indicators(db))
    facts = data.read(db, queries.facts_table, flt, ("target", "actual"), True)
    assert not facts.empty and set(facts["province"]) <= set(THREE)
    first = facts.iloc[0]
    by_id = data.read(db, queries.facts_by_id, (int(first["fact_id"]),)).iloc[0]
    assert by_id["doc_text"][by_id["start_offset"] : by_id["end_offset"]] == by_id["evidence"]
    at_point = data.read(
        db,
        queries.facts_at_points,
        first["indicator"],
        first["level"],
        ((first["province"], first["place"] or "", int(first["year"])),),
    )
    assert int(first["fact_id"]) in set(at_point["fact_id"])


def test_reading_sees_a_replaced_file_at_once(etl_db, tmp_path):
    live = tmp_path / "cchc.duckdb"
    shutil.copy(etl_db, live)
    data.clear_cache()
    before = data.read(live, queries.database_summary)["n_facts"].iloc[0]
    assert data.read(live, queries.database_summary) is data.read(live, queries.database_summary)  # cached
    rebuilt = tmp_path / "next.duckdb"
    shutil.copy(etl_db, rebuilt)
    con = duckdb.connect(str(rebuilt))
    con.execute("DELETE FROM facts WHERE fact_id IN (SELECT fact_id FROM facts LIMIT 1)")
    con.execute("CHECKPOINT")
    con.close()
    os.replace(rebuilt, live)
    assert data.read(live, queries.database_summary)["n_facts"].iloc[0] == before - 1


def test_a_reader_does_not_block_the_etl(etl_db, tmp_path):
    """Reading holds no connection open: the file can be replaced (and written) between reads."""
    live = tmp_path / "cchc.duckdb"
    shutil.copy(etl_db, live)
    data.read(live, queries.database_summary)
    con = duckdb.connect(str(live))  # a writer could not lock the file if a reader kept it open
    con.close()


def test_missing_database_raises_a_named_error(tmp_path):
    with pytest.raises(data.DatabaseMissing):
        data.read(tmp_path / "none.duckdb", queries.database_summary)


def test_ensure_database_builds_when_missing_or_stale_only(tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(REPORTS, reports)
    db = tmp_path / "out" / "cchc.duckdb"
    assert data.needs_rebuild(db, reports)
    assert data.ensure_database(db, reports, progress=False) is True
    assert db.exists() and not data.needs_rebuild(db, reports)
    assert data.ensure_database(db, reports, progress=False) is False
    newer = db.stat().st_mtime + 10
    os.utime(reports / "manifest.csv", (newer, newer))
    assert data.needs_rebuild(db, reports)


def test_database_path_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CCHC_DB", str(tmp_path / "x.duckdb"))
    assert data.db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("CCHC_DB")
    assert data.db_path() == ROOT / "data" / "cchc.duckdb"
