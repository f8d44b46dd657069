"""Chart builders as pure functions: of small hand-made frames, and of query results on the real ETL output."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from test_dashboard_support import figure_dict, provinces_in

from dashboard import charts, data, queries
from dashboard.charts import IndicatorMeta
from dashboard.filters import load_catalog

THREE = ("Hà Nội", "Hải Phòng", "Quảng Ninh")
RANK = IndicatorMeta("par_index_rank", "Chỉ số CCHC (PAR INDEX) — xếp hạng", "rank", "down")
RATE = IndicatorMeta("online_dossier_rate", "Tỷ lệ hồ sơ trực tuyến", "percent", "up")


def point(
    province,
    year,
    actual=None,
    target=None,
    comparator=">=",
    attainment=None,
    unit="percent",
    place=None,
    group=None,
    title="Báo cáo CCHC",
    published=date(2022, 12, 20),
):
    """One row shaped like queries.target_actual_points."""
    if attainment is None:
        attainment = "no_target" if target is None else ("no_actual" if actual is None else "met")
    return {
        "indicator": "x",
        "group_province": group or province,
        "province": province,
        "province_now": group or province,
        "place": place,
        "year": year,
        "unit": unit,
        "direction": "up",
        "actual_id": None if actual is None else 100 + year,
        "actual_value": actual,
        "actual_comparator": None if actual is None else "=",
        "actual_period": None if actual is None else "year",
        "actual_doc": None if actual is None else f"{province}.txt",
        "actual_title": None if actual is None else title,
        "actual_published": published,
        "actual_source": "https://example.vn",
        "actual_evidence": "đạt 98,5%",
        "target_id": None if target is None else 200 + year,
        "target_value": target,
        "target_comparator": None if target is None else comparator,
        "target_period": None if target is None else "year",
        "target_doc": None if target is None else "plan.txt",
        "target_title": None if target is None else "Kế hoạch",
        "target_published": None,
        "target_source": None,
        "target_evidence": "tối thiểu 30%",
        "attainment": attainment,
    }


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def traces_with_points(fig: dict) -> list[dict]:
    return [t for t in fig["data"] if t.get("customdata")]


# --- targets against actuals ------------------------------------------------------------------------------


def test_percent_target_is_a_threshold_tick_and_actual_is_coloured_by_attainment():
    points = frame(
        point("Hà Nội", 2022, actual=98.5, target=30.0),
        point("Hà Nội", 2023, actual=20.0, target=30.0, attainment="not_met"),
    )
    fig = figure_dict(charts.targets_chart(points, RATE))
    target = next(t for t in fig["data"] if t.get("marker", {}).get("symbol") == "line-ew-open" and t.get("customdata"))
    assert target["y"] == [30.0, 30.0]
    assert target["text"][0] == "≥ 30%"
    actual = next(t for t in traces_with_points(fig) if t["name"] == "Hà Nội")
    assert actual["y"] == [98.5, 20.0]
    assert actual["marker"]["color"] == [charts.ATTAINMENT_COLORS["met"], charts.ATTAINMENT_COLORS["not_met"]]
    assert "98,5%" in actual["hovertext"][0] and "Báo cáo CCHC (20/12/2022)" in actual["hovertext"][0]
    assert "Đạt" in actual["hovertext"][0]
    assert fig["layout"]["separators"] == ",."
    assert fig["layout"]["yaxis"]["ticksuffix"] == "%"


def test_rank_axis_runs_downwards_and_top_n_target_is_a_band():
    points = frame(
        point("Quảng Ninh", 2022, actual=1, target=10, comparator="<=", unit="rank"),
        point("Hải Phòng", 2022, actual=2, unit="rank"),
    )
    fig = figure_dict(charts.targets_chart(points, RANK))
    low, high = fig["layout"]["yaxis"]["range"]
    assert low > high, "rank 1 belongs at the top"
    band = next(t for t in fig["data"] if t.get("fill") == "toself")
    assert max(v for v in band["y"] if v is not None) == 10.5 and min(v for v in band["y"] if v is not None) == 0.5
    target = next(t for t in traces_with_points(fig) if t.get("marker", {}).get("symbol") == "line-ew-open")
    assert target["text"] == ["trong nhóm 10 dẫn đầu"]


def test_target_with_no_actual_says_so_on_the_chart():
    fig = figure_dict(charts.targets_chart(frame(point("Hà Nội", 2025, target=80.0)), RATE))
    target = traces_with_points(fig)[0]
    assert target["text"] == ["≥ 80% · chưa có kết quả"]
    assert "Chưa có kết quả" in target["hovertext"][0]


def test_kinds_hide_targets_or_actuals():
    points = frame(point("Hà Nội", 2022, actual=98.5, target=30.0))
    only_actual = figure_dict(charts.targets_chart(points, RATE, kinds="actual"))
    assert all(t.get("marker", {}).get("symbol") != "line-ew-open" for t in traces_with_points(only_actual))
    only_target = figure_dict(charts.targets_chart(points, RATE, kinds="target"))
    assert all(t.get("marker", {}).get("symbol") == "line-ew-open" for t in traces_with_points(only_target))


def test_customdata_leads_to_the_facts():
    fig = figure_dict(charts.targets_chart(frame(point("Hải Phòng", 2021, actual=50.0, target=40.0)), RATE))
    custom = {tuple(c) for t in traces_with_points(fig) for c in t["customdata"]}
    assert custom == {(2121, 2221, "Hải Phòng", "", 2021)}


def test_english_chart_uses_english_words_and_separators():
    fig = figure_dict(
        charts.targets_chart(
            frame(point("Hà Nội", 2022, actual=1525.5, unit="count")),
            IndicatorMeta("x", "Dossiers", "count", "up"),
            lang="en",
        )
    )
    assert fig["layout"]["separators"] == ".,"
    assert "1,525.5" in traces_with_points(fig)[0]["hovertext"][0]
    assert fig["layout"]["title"]["text"] == "Dossiers: targets and actuals"


def test_former_province_is_labelled_under_todays():
    fig = figure_dict(charts.targets_chart(frame(point("Hải Dương", 2020, actual=90.0, group="Hải Phòng")), RATE))
    assert traces_with_points(fig)[0]["name"] == "Hải Dương (cũ, nay thuộc Hải Phòng)"


def test_empty_data_gives_an_empty_figure_not_an_error():
    empty = frame(point("Hà Nội", 2022, actual=1.0)).iloc[0:0]
    for fig in (
        charts.targets_chart(empty, RATE),
        charts.compare_chart(empty, RATE),
        charts.trends_chart(empty, None, RATE),
    ):
        assert not traces_with_points(figure_dict(fig))


# --- compare, overview, trends ------------------------------------------------------------------


def test_compare_puts_localities_side_by_side():
    points = frame(
        point("Hà Nội", 2022, actual=90.0, target=95.0, attainment="not_met"), point("Quảng Ninh", 2022, actual=99.0)
    )
    fig = figure_dict(charts.compare_chart(points, RATE))
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [b["name"] for b in bars] == ["Hà Nội", "Quảng Ninh"]
    assert fig["layout"]["barmode"] == "group" and fig["layout"]["xaxis"]["type"] == "category"
    assert bars[0]["marker"]["color"] == charts.PROVINCE_COLORS["Hà Nội"]


def test_compare_draws_ranks_as_dots_on_a_reversed_axis():
    points = frame(point("Hà Nội", 2022, actual=3, unit="rank"), point("Quảng Ninh", 2022, actual=1, unit="rank"))
    fig = figure_dict(charts.compare_chart(points, RANK))
    assert not [t for t in fig["data"] if t["type"] == "bar"]
    low, high = fig["layout"]["yaxis"]["range"]
    assert low > high


def test_overview_cell_per_province_and_indicator():
    a = point("Hà Nội", 2023, actual=98.5, target=95.0)
    b = {**point("Quảng Ninh", 2022, target=90.0), "indicator": "y"}
    fig = figure_dict(
        charts.overview_chart(frame(a, b), {"x": "Chỉ tiêu X", "y": "Chỉ tiêu Y"}, {"x": "percent", "y": "percent"})
    )
    heat = next(t for t in fig["data"] if t["type"] == "heatmap")
    assert heat["y"] == ["Hà Nội", "Quảng Ninh"]
    assert heat["z"][0][0] == charts.ATTAINMENT_ORDER.index("met")
    assert heat["z"][1][1] == charts.ATTAINMENT_ORDER.index("no_actual")
    assert "98,5%" in heat["text"][0][0] and "≥ 95%" in heat["text"][0][0]


def test_trends_add_the_national_benchmark_dashed():
    points = frame(point("Hà Nội", 2022, actual=91.0), point("Hà Nội", 2023, actual=92.0))
    national = pd.DataFrame(
        {
            "year": [2022, 2023],
            "unit": ["percent"] * 2,
            "actual_id": [1, 2],
            "actual_value": [86.98, 88.37],
            "actual_comparator": ["="] * 2,
            "actual_period": ["year"] * 2,
            "actual_title": ["Toàn quốc"] * 2,
            "actual_published": [None, None],
        }
    )
    fig = figure_dict(charts.trends_chart(points, national, RATE))
    bench = next(t for t in fig["data"] if t["name"] == "Cả nước (tham chiếu)")
    assert bench["line"]["dash"] == "dash" and bench["y"] == [86.98, 88.37]
    assert "86,98%" in bench["hovertext"][0]


def test_export_figure_carries_title_filters_and_sources():
    fig = charts.targets_chart(frame(point("Hà Nội", 2022, actual=98.5, target=30.0)), RATE)
    out = figure_dict(
        charts.for_export(
            fig, "Tỷ lệ hồ sơ trực tuyến", "Hà Nội · 2018–2022", ["Báo cáo A (20/12/2022)", "B", "C", "D", "E", "F"]
        )
    )
    assert out["layout"]["width"] == 1200 and out["layout"]["height"] == 700
    assert out["layout"]["title"]["text"] == "Tỷ lệ hồ sơ trực tuyến"
    caption = out["layout"]["annotations"][-1]["text"]
    assert "Bộ lọc: Hà Nội · 2018–2022" in caption and "Báo cáo A (20/12/2022)" in caption
    assert "và 2 báo cáo khác" in caption


# --- on the real ETL output ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(etl_db):
    data.clear_cache()
    return etl_db, load_catalog(etl_db, False)


def test_every_indicator_of_the_real_data_draws(real):
    db, catalog = real
    codes = tuple(catalog.indicators.loc[catalog.indicators["n_province"] > 0, "code"])
    assert codes, "the ETL found no province-level fact"
    for code in codes:
        points = data.read(db, queries.target_actual_points, queries.FactFilter(THREE, 2000, 2100, (code,)))
        meta = IndicatorMeta(code, catalog.label(code, "vi"), catalog.unit(code), catalog.direction(code))
        national = data.read(db, queries.national_points, code, 2000, 2100)
        for fig in (
            charts.targets_chart(points, meta),
            charts.compare_chart(points, meta),
            charts.trends_chart(points, national, meta),
        ):
            spec = figure_dict(fig)
            assert provinces_in(spec) <= set(points["province"]) | {"Cả nước"}
            plotted = sorted(
                v
                for t in traces_with_points(spec)
                if t["name"] in set(points["province"]) and t.get("marker", {}).get("symbol") != "line-ew-open"
                for v in t["y"]
            )
            if not points.empty and fig is not None and plotted:
                whole = points[points["place"].isna()]  # a place's series is named "province · place"
                assert plotted == sorted(whole["actual_value"].dropna().tolist())


def test_overview_of_the_real_data(real):
    db, catalog = real
    for theme in ("indices", "dossiers", "online", "egov"):
        codes = tuple(catalog.codes(theme))
        latest = data.read(db, queries.latest_against_target, queries.FactFilter(THREE, 2000, 2100, codes))
        labels = {c: catalog.label(c, "vi") for c in codes}
        spec = figure_dict(charts.overview_chart(latest, labels, {c: catalog.unit(c) for c in codes}))
        assert provinces_in(spec) == set(latest["province"])
