"""The first page as issue 7 asks for it: opens on the indicator with the most target-actual pairs, counts its
targets by verdict, names percent scores as percentages; and the chart draws a national benchmark apart from a
province's own target, a 'by' target's path, and progress so far in its own colour."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import query
from pairing_db import fact, write
from streamlit.testing.v1 import AppTest
from test_charts import RATE, point
from test_dashboard_support import figure_dict

from dashboard import charts, data
from dashboard.filters import load_catalog

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
THREE = ("Hà Nội", "Hải Phòng", "Quảng Ninh")


@pytest.fixture
def small_db(tmp_path, monkeypatch) -> Path:
    """Two indicators: online_dossier_rate with three judged pairs, sipas_score with more facts but one pair."""
    facts = [
        fact("plan.txt", "Hà Nội", 2023, "target", 50, ">="), fact("r.txt", "Hà Nội", 2023, "actual", 60),
        fact("plan.txt", "Hải Phòng", 2023, "target", 50, ">="), fact("r.txt", "Hải Phòng", 2023, "actual", 40),
        fact("plan.txt", "Quảng Ninh", 2023, "target", 50, ">="), fact("r.txt", "Quảng Ninh", 2023, "actual", 55),
        fact("plan.txt", "Quảng Ninh", 2024, "target", 70, ">="),
        fact("r.txt", "Quảng Ninh", 2024, "actual", 65, period="H1"),
        fact("plan.txt", "Hà Nội", 2023, "target", 80, ">=", "sipas_score"),
        fact("r.txt", "Hà Nội", 2023, "actual", 85, indicator="sipas_score"),
    ]
    facts += [fact("r.txt", p, y, "actual", 80 + y % 10, indicator="sipas_score")
              for p in THREE for y in range(2016, 2023)]
    db = write(tmp_path / "small.duckdb", {"plan.txt": date(2023, 1, 5), "r.txt": date(2024, 7, 10)}, facts)
    monkeypatch.setenv("CCHC_DB", str(db))
    data.clear_cache()
    return db


def test_first_page_opens_on_the_most_pairs_and_counts_them(small_db):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["ind"] in ("online_dossier_rate", ["online_dossier_rate"])
    labels = {b.key: b.label for b in at.button if b.key and b.key.startswith("summary_")}
    assert labels["summary_targets"].endswith("**4**]")
    assert labels["summary_met"].endswith("**2**]") and labels["summary_not_met"].endswith("**1**]")
    assert labels["summary_in_progress"].endswith("**1**]") and labels["summary_no_actual"].endswith("**0**]")
    at.button(key="summary_not_met").click().run()
    assert not at.exception
    said = [m.value for m in at.markdown]
    assert any(s.startswith("**Hải Phòng · 2023**") and "Chưa đạt" in s for s in said), said
    assert not any(s.startswith("**Hà Nội · 2023**") and "**Đạt**" in s for s in said)


def test_percent_scores_are_named_as_percentages(etl_db):
    catalog = load_catalog(etl_db, False)
    for code in ("par_index_score", "sipas_score"):
        assert catalog.unit(code) == "percent"
        vi, en = catalog.label(code, "vi"), catalog.label(code, "en")
        assert "điểm" not in vi and vi.endswith("(%)") and en.endswith("(%)"), (vi, en)
    assert catalog.label("pci_score", "vi").endswith("điểm")  # a real score keeps its word


def test_national_benchmark_path_and_progress_are_drawn_apart():
    rows = [
        {**point("Hà Nội", 2024, actual=60.0, target=50.0, attainment="met"), "target_scope": "national"},
        {**point("Hải Phòng", 2025, target=80.0, attainment="in_progress"), "target_scope": "own",
         "target_horizon": "by", "target_set_year": 2021, "trend": "behind", "path_first_year": 2020,
         "path_first_value": 40.0, "path_last_year": 2023, "path_last_value": 50.0},
        {**point("Quảng Ninh", 2024, actual=65.0, target=70.0, attainment="in_progress"), "actual_period": "H1"},
    ]
    import pandas as pd

    spec = figure_dict(charts.targets_chart(pd.DataFrame(rows), RATE))
    names = [t.get("name", "") for t in spec["data"]]
    national = [t for t in spec["data"] if t.get("name") == "Hà Nội — mục tiêu cả nước"]
    assert national and national[0]["marker"]["color"] == charts.NATIONAL_COLOR and national[0]["y"] == [50.0]
    assert "Mục tiêu cả nước (tham chiếu, tỉnh chưa đặt mục tiêu riêng)" in names
    path = [t for t in spec["data"] if t.get("name") == "Hải Phòng — lộ trình tới mục tiêu"]
    assert path and path[0]["y"][:2] == [40.0, 80.0] and path[0]["x"][1] - path[0]["x"][0] == 5
    qn = [t for t in spec["data"] if t.get("name") == "Quảng Ninh"][0]
    assert qn["marker"]["color"] == [charts.ATTAINMENT_COLORS["in_progress"]] and qn["text"] == ["…"]
    hover = " ".join(str(h) for t in spec["data"] for h in (t.get("hovertext") or []))
    assert "Mục tiêu cả nước" in hover and "Đang thực hiện — chậm tiến độ" in hover


def test_summary_counts_are_the_views_counts(etl_db):
    """What the page counts is what target_actual_pairs holds for the same filters."""
    from dashboard import queries
    from dashboard.queries import FactFilter

    data.clear_cache()
    pairs = data.read(etl_db, queries.target_pairs, FactFilter(THREE, 2000, 2100, ("pci_rank",)))
    expected = dict(query(etl_db, """SELECT attainment, count(*) FROM target_actual_pairs
                                     WHERE indicator = 'pci_rank' AND level = 'province'
                                       AND list_contains(?, province) GROUP BY ALL""", [list(THREE)]))
    assert pairs["attainment"].value_counts().to_dict() == expected


@pytest.mark.parametrize("build", ["compare_chart", "trends_chart"])
def test_other_charts_name_a_national_benchmark_as_national(build):
    import pandas as pd

    rows = pd.DataFrame([
        {**point("Hà Nội", 2024, actual=60.0, target=50.0, attainment="met"), "target_scope": "national"},
        {**point("Hải Phòng", 2024, actual=40.0, target=45.0, attainment="not_met"), "target_scope": "own"},
    ])
    figure = charts.compare_chart(rows, RATE) if build == "compare_chart" else charts.trends_chart(rows, None, RATE)
    names = {t.get("name") for t in figure_dict(figure)["data"]}
    assert {"Hà Nội — mục tiêu cả nước", "Hải Phòng — mục tiêu"} <= names
    assert "Hà Nội — mục tiêu" not in names


def test_a_point_lists_the_other_reports_stating_it_and_flags_a_disagreement(tmp_path, monkeypatch):
    db = write(tmp_path / "d.duckdb", {"plan-a.txt": date(2023, 1, 5), "plan-b.txt": date(2023, 6, 5),
                                       "r.txt": date(2024, 1, 10)}, [
        fact("plan-a.txt", "Hà Nội", 2023, "target", 50, ">="),
        fact("plan-b.txt", "Hà Nội", 2023, "target", 60, ">="),   # the later plan wins; the two disagree
        fact("r.txt", "Hà Nội", 2023, "actual", 55),
    ])
    monkeypatch.setenv("CCHC_DB", str(db))
    data.clear_cache()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.button(key="summary_not_met").click().run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert "các báo cáo nêu số khác nhau (2 báo cáo)" in captions
    assert "Cùng số liệu này còn được nêu ở: ≥ 50% — plan-a.txt" in captions, captions
