"""The pairing rules of etl/schema.sql (target_vs_actual), one test per rule, each on a real DuckDB file
written by the real loader."""

from __future__ import annotations

from datetime import date

from conftest import query
from pairing_db import fact, write

COLUMNS = ("province", "year", "target_value", "attainment", "actual_value", "actual_period", "trend",
           "target_scope")


def rows(db, where: str = "TRUE") -> list[dict]:
    sql = f"SELECT {', '.join(COLUMNS)} FROM target_vs_actual WHERE {where} ORDER BY province, year, target_value"
    return [dict(zip(COLUMNS, r, strict=True)) for r in query(db, sql)]


def test_a_yearly_target_meets_the_full_year_actual_of_its_own_year(tmp_path):
    db = write(tmp_path / "p.duckdb", {"plan.txt": date(2023, 1, 10), "result.txt": date(2024, 1, 20)}, [
        fact("plan.txt", "Hà Nội", 2023, "target", 30, ">="),
        fact("plan.txt", "Hải Phòng", 2023, "target", 30, ">="),
        fact("result.txt", "Hà Nội", 2023, "actual", 35),
        fact("result.txt", "Hà Nội", 2022, "actual", 20),       # another year: not its actual
        fact("result.txt", "Hải Phòng", 2023, "actual", 25),
        fact("result.txt", "Hải Phòng", 2024, "actual", 40),
    ])
    got = {(r["province"], r["attainment"], r["actual_value"]) for r in rows(db)}
    assert got == {("Hà Nội", "met", 35), ("Hải Phòng", "not_met", 25)}


def test_a_part_year_actual_is_progress_so_far_never_met_or_missed(tmp_path):
    db = write(tmp_path / "p.duckdb", {"plan.txt": date(2024, 1, 5), "q3.txt": date(2024, 10, 5),
                                       "h1.txt": date(2024, 7, 5), "year.txt": date(2025, 1, 9)}, [
        fact("plan.txt", "Hà Nội", 2024, "target", 90, ">="),
        fact("plan.txt", "Quảng Ninh", 2024, "target", 90, ">="),
        fact("h1.txt", "Hà Nội", 2024, "actual", 80, period="H1"),
        fact("q3.txt", "Hà Nội", 2024, "actual", 95, period="9M"),  # above the target, still not "met"
        fact("h1.txt", "Quảng Ninh", 2024, "actual", 70, period="H1"),
        fact("year.txt", "Quảng Ninh", 2024, "actual", 92),         # the full year decides
    ])
    hn, qn = rows(db)
    assert (hn["attainment"], hn["actual_period"], hn["actual_value"]) == ("in_progress", "9M", 95)
    assert (qn["attainment"], qn["actual_period"], qn["actual_value"]) == ("met", "year", 92)


def test_a_target_by_a_later_year_is_judged_then_with_earlier_actuals_as_its_path(tmp_path):
    # A 2021 plan: "đến năm 2025 đạt tối thiểu 80%". The straight line from the first path actual
    # (2020: 40%) to 80% in 2025 asks for 64% in 2023.
    facts = [fact("plan2021.txt", p, 2025, "target", 80, ">=") for p in ("Hà Nội", "Hải Phòng", "Quảng Ninh",
                                                                         "Đà Nẵng")]
    facts += [
        fact("r.txt", "Hà Nội", 2020, "actual", 40), fact("r.txt", "Hà Nội", 2023, "actual", 70),      # above
        fact("r.txt", "Hải Phòng", 2020, "actual", 40), fact("r.txt", "Hải Phòng", 2023, "actual", 50),  # below
        fact("r.txt", "Quảng Ninh", 2023, "actual", 50),                      # one path year: no verdict
        fact("r.txt", "Đà Nẵng", 2020, "actual", 40), fact("r.txt", "Đà Nẵng", 2025, "actual", 78),
        fact("r.txt", "Hà Nội", 2016, "actual", 5),                           # before the plan: not path
        # a yearly target (set the year before) has no path: earlier actuals do not judge it
        fact("plan2025.txt", "Hà Nội", 2026, "target", 95, ">="),
    ]
    db = write(tmp_path / "p.duckdb", {"plan2021.txt": date(2021, 3, 1), "plan2025.txt": date(2025, 12, 20),
                                       "r.txt": date(2025, 6, 1)}, facts)
    got = {(r["province"], r["year"]): (r["attainment"], r["trend"]) for r in rows(db)}
    assert got == {
        ("Hà Nội", 2025): ("in_progress", "on_track"),
        ("Hải Phòng", 2025): ("in_progress", "behind"),
        ("Quảng Ninh", 2025): ("in_progress", None),
        ("Đà Nẵng", 2025): ("not_met", None),
        ("Hà Nội", 2026): ("no_actual", None),
    }
    path = query(db, "SELECT path_first_year, path_last_year, target_horizon FROM target_vs_actual "
                     "WHERE province = 'Hà Nội' AND year = 2025")
    assert path == [(2020, 2023, "by")]


def test_the_same_figure_stated_by_several_reports_is_one_point_and_a_disagreement_is_flagged(tmp_path):
    db = write(tmp_path / "p.duckdb", {"a.txt": date(2023, 2, 1), "b.txt": date(2023, 8, 1),
                                       "c.txt": date(2024, 1, 15), "d.txt": date(2024, 2, 1)}, [
        fact("a.txt", "Hà Nội", 2023, "target", 50, ">="),
        fact("b.txt", "Hà Nội", 2023, "target", 60, ">="),   # later plan, other value: it wins, flagged
        fact("a.txt", "Hải Phòng", 2023, "target", 40, ">="),
        fact("b.txt", "Hải Phòng", 2023, "target", 40, "="),  # same bound, same value: one point, no flag
        fact("c.txt", "Hà Nội", 2023, "actual", 55.0),
        fact("d.txt", "Hà Nội", 2023, "actual", 55.02),       # within 0,05 points: the same figure
        fact("c.txt", "Hải Phòng", 2023, "actual", 45),
        fact("d.txt", "Hải Phòng", 2023, "actual", 44, ">"),  # "hơn 44%": the exact statement wins
    ])
    got = query(db, """SELECT province, target_value, len(target_fact_ids), target_reports, target_disagreement,
                              actual_value, len(actual_fact_ids), actual_disagreement, attainment
                       FROM target_vs_actual ORDER BY province""")
    assert got == [
        ("Hà Nội", 60.0, 2, 2, True, 55.02, 2, False, "not_met"),
        ("Hải Phòng", 40.0, 2, 2, False, 45.0, 2, False, "met"),
    ]
    disagree = write(tmp_path / "q.duckdb", {"c.txt": date(2024, 1, 15), "d.txt": date(2024, 2, 1)}, [
        fact("c.txt", "Hà Nội", 2023, "target", 50, ">="),
        fact("c.txt", "Hà Nội", 2023, "actual", 55), fact("d.txt", "Hà Nội", 2023, "actual", 45)])
    assert query(disagree, "SELECT actual_value, actual_disagreement, attainment FROM target_vs_actual") == [
        (45.0, True, "not_met")]


def test_a_national_target_is_the_benchmark_where_a_province_set_none(tmp_path):
    db = write(tmp_path / "p.duckdb", {"nat.txt": date(2024, 1, 1), "hn.txt": date(2024, 1, 1),
                                       "r.txt": date(2025, 1, 20)}, [
        fact("nat.txt", "Cả nước", 2024, "target", 50, ">="),
        fact("hn.txt", "Hà Nội", 2024, "target", 70, ">="),
        fact("r.txt", "Hà Nội", 2024, "actual", 60),
        fact("r.txt", "Hải Phòng", 2024, "actual", 55),
        fact("r.txt", "Hải Phòng", 2024, "actual", 30, level="commune"),  # another level: not benchmarked
        fact("r.txt", "Quảng Ninh", 2024, "actual", 30, indicator="sipas_score"),  # another indicator
    ])
    assert [(r["province"], r["target_scope"], r["target_value"], r["attainment"]) for r in rows(db)] == [
        ("Hà Nội", "own", 70, "not_met"),
        ("Hải Phòng", "national", 50, "met"),
    ]


def test_the_comparator_and_the_direction_decide_met_or_not(tmp_path):
    provinces = ["Bắc Ninh", "Cần Thơ", "Đà Nẵng", "Hà Nội", "Hải Phòng", "Huế", "Lào Cai", "Quảng Ninh"]
    cases = [  # (indicator, target comparator, target, actual, expected)
        ("par_index_rank", "<=", 10, 7, "met"),          # "top 10"
        ("par_index_rank", "=", 3, 5, "not_met"),        # "xếp thứ 3": rank 5 misses it
        ("par_index_rank", "=", 3, 2, "met"),            # ... rank 2 is better
        ("online_dossier_rate", "=", 30, 35, "met"),     # "=" on an up-indicator reads as at least
        ("online_dossier_rate", ">", 30, 30, "not_met"),  # "trên 30%"
        ("dossiers_overdue", "=", 10, 12, "not_met"),    # a down-indicator: at most
        ("dossiers_overdue", "<", 10, 9, "met"),
        ("procedures_total", "=", 1500, 1500, "met"),    # no direction: the same value
    ]
    facts = []
    for province, (indicator, comparator, target, actual, _) in zip(provinces, cases, strict=True):
        facts += [fact("plan.txt", province, 2024, "target", target, comparator, indicator),
                  fact("result.txt", province, 2024, "actual", actual, indicator=indicator)]
    db = write(tmp_path / "p.duckdb", {"plan.txt": date(2024, 1, 2), "result.txt": date(2025, 1, 2)}, facts)
    got = dict(query(db, "SELECT province, attainment FROM target_vs_actual"))
    assert got == {p: c[-1] for p, c in zip(provinces, cases, strict=True)}


def test_a_national_rank_target_is_no_benchmark_for_a_province(tmp_path):
    db = write(tmp_path / "p.duckdb", {"nat.txt": date(2024, 1, 1), "r.txt": date(2025, 1, 20)}, [
        fact("nat.txt", "Cả nước", 2024, "target", 1, indicator="par_index_rank"),
        fact("r.txt", "Hải Phòng", 2024, "actual", 3, indicator="par_index_rank"),
    ])
    assert rows(db) == []
