"""The province map: shapes for every province code of the database in its era, the islands kept, the join
through codes, the figure builder (values, verdicts, no data, outlines, legends) and the page under AppTest.

The real-browser test (network blocked, a click, the exports) is tests/test_map_browser.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import query
from streamlit.testing.v1 import AppTest
from test_dashboard_support import chart_spec, figure_dict
from test_export import exporter  # noqa: F401 - fixture

from dashboard import data, export, maps, queries
from dashboard.charts import IndicatorMeta

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
MAP_PAGE = "pages/map.py"
RANK = IndicatorMeta("par_index_rank", "Chỉ số CCHC (PAR INDEX) — xếp hạng", "rank", "down")
RATE = IndicatorMeta("online_dossier_rate", "Tỷ lệ hồ sơ trực tuyến", "percent", "up")
ATTRIBUTION_VI = "Ranh giới tỉnh: Open Development Vietnam (CC BY-SA 4.0)"
ATTRIBUTION_EN = "Province boundaries: Open Development Vietnam (CC BY-SA 4.0)"


# --- shapes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("era, n", [("legacy", 63), ("2025", 34)])
def test_every_province_code_of_the_database_has_a_shape_in_its_era(etl_db, era, n):
    codes = {r[0] for r in query(etl_db, "SELECT province_code FROM localities WHERE level = 'province' AND era = ?",
                                 [era])}
    features = maps.shapes(era)["features"]
    ids = {f["id"] for f in features}
    assert len(codes) == n and len(ids) == n
    assert codes <= ids, f"codes without a shape: {sorted(codes - ids)}"
    assert all(f["properties"]["ma_tinh"] == f["id"] for f in features)
    # the localities of every era carry a code, commune rows included
    assert query(etl_db, "SELECT count(*) FROM localities WHERE province_code IS NULL")[0][0] == 0


@pytest.mark.parametrize("era", ["legacy", "2025"])
def test_every_province_with_facts_is_drawn_on_a_shape(etl_db, era):
    """Every province the facts name reaches a shape of the map it is drawn on, through its code."""
    # for each province, its most stated indicator: every province is covered by a few queries
    indicators = [r[0] for r in query(etl_db, """
        SELECT DISTINCT arg_max(indicator || '|' || unit, n) FROM (
            SELECT province, indicator, unit, count(*) AS n FROM facts
            WHERE level = 'province' AND place IS NULL AND year IS NOT NULL AND province <> 'Cả nước' GROUP BY ALL)
        GROUP BY province""")]
    provinces = {r[0] for r in query(etl_db, "SELECT DISTINCT province FROM facts WHERE level = 'province' "
                                              "AND place IS NULL AND year IS NOT NULL AND province <> 'Cả nước'")}
    con = duckdb.connect(str(etl_db), read_only=True)
    try:
        frames = [queries.map_figures(con, queries.MapFilter(*code.split("|"), 1900, 2100, era == "2025"))
                  for code in indicators]
    finally:
        con.close()
    figures = pd.concat(frames, ignore_index=True)
    assert set(figures["province"]) == provinces
    unplaced = figures.loc[figures["code"].isna(), "province"].unique().tolist()
    assert unplaced == [], unplaced
    ids = {f["id"] for f in maps.shapes(era)["features"]}
    assert set(figures["code"]) <= ids


@pytest.mark.parametrize("era", ["legacy", "2025"])
def test_the_islands_are_drawn(era):
    """Hoàng Sa in Đà Nẵng (48) and Trường Sa in Khánh Hòa (56), in the files the map draws."""
    geojson = maps.shapes(era)
    _, _, east, _ = maps.feature_bounds(geojson, "48")
    assert east >= 112.5, f"Đà Nẵng reaches only {east}° E: Hoàng Sa is missing"
    _, south, east, _ = maps.feature_bounds(geojson, "56")
    assert east >= 114 and south <= 8, f"Khánh Hòa reaches {east}° E, {south}° N: Trường Sa is missing"
    # and the map's view takes them in
    view = maps.fit_view(era, 560, 630)
    assert 108 < view["center"]["lon"] < 111 and 3.5 < view["zoom"] < 6


def test_the_shape_files_are_the_shared_ones():
    """data/geo holds the boundaries as published in ../shared/geo (CC BY-SA 4.0), with their README."""
    shared = ROOT.parent / "shared" / "geo"
    readme = (ROOT / "data" / "geo" / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in readme and "Open Development Vietnam" in readme
    for name in maps.GEO_FILES.values():
        ours = (ROOT / "data" / "geo" / name).read_bytes()
        assert len(ours) < 1_000_000, f"{name} is {len(ours)} bytes: simplify before shipping"
        if (shared / name).exists():
            assert ours == (shared / name).read_bytes()


# --- the join goes through codes -----------------------------------------------------------------


def test_figures_join_shapes_by_code_in_each_era(etl_db):
    """Hải Dương is code 30 on the 63-province map and within Hải Phòng (31) on the 34-province one; a
    2025 code that reuses a former province's number (Bắc Ninh 24 was Bắc Giang's) never crosses eras."""
    legacy = dict(query(etl_db, "SELECT province, province_code FROM localities WHERE level = 'province' "
                                "AND era = 'legacy'"))
    new = dict(query(etl_db, "SELECT province, province_code FROM localities WHERE level = 'province' "
                             "AND era = '2025'"))
    assert legacy["Hải Dương"] == "30" and new["Hải Phòng"] == "31" and "Hải Dương" not in new
    assert legacy["Bắc Giang"] == "24" and new["Bắc Ninh"] == "24" and legacy["Bắc Ninh"] == "27"
    rows = query(etl_db, "SELECT DISTINCT indicator, unit FROM facts WHERE province = 'Hải Dương' "
                         "AND level = 'province' AND place IS NULL AND year IS NOT NULL")
    assert rows, "the bundled reports have province-level figures for Hải Dương"
    con = duckdb.connect(str(etl_db), read_only=True)
    try:
        for era_today in (False, True):
            figures = queries.map_figures(con, queries.MapFilter(rows[0][0], rows[0][1], 1900, 2100, era_today))
            hd = figures[figures["province"] == "Hải Dương"]
            assert not hd.empty
            assert set(hd["code"]) == ({"31"} if era_today else {"30"})
            assert set(hd["group_province"]) == ({"Hải Phòng"} if era_today else {"Hải Dương"})
    finally:
        con.close()


def test_the_verdict_is_the_one_target_vs_actual_gives(etl_db):
    """The map reads attainment from the view target_vs_actual; it never judges by itself."""
    rows = query(etl_db, """
        SELECT indicator, unit, province, year, list(DISTINCT attainment) FROM target_vs_actual
        WHERE level = 'province' AND place IS NULL AND province <> 'Cả nước' GROUP BY ALL""")
    assert rows, "the bundled reports hold province-level targets"
    con = duckdb.connect(str(etl_db), read_only=True)
    try:
        drawn = {}
        for indicator, unit in {(r[0], r[1]) for r in rows}:
            figures = queries.map_figures(con, queries.MapFilter(indicator, unit, 1900, 2100, False))
            for province, year, verdict in zip(figures["province"], figures["year"], figures["attainment"],
                                               strict=True):
                assert (indicator, province, year) not in drawn, "one verdict per province and year"
                drawn[(indicator, province, year)] = verdict
    finally:
        con.close()
    for indicator, _, province, year, verdicts in rows:
        assert drawn[(indicator, province, year)] in verdicts


def test_source_counts_are_the_reports_stating_the_figure(etl_db):
    indicator, unit, province, year, n = query(etl_db, """
        SELECT indicator, unit, province, year, count(DISTINCT doc) AS n FROM facts
        WHERE kind = 'actual' AND level = 'province' AND place IS NULL AND province <> 'Cả nước' AND year IS NOT NULL
        GROUP BY ALL ORDER BY n DESC, indicator LIMIT 1""")[0]
    con = duckdb.connect(str(etl_db), read_only=True)
    try:
        figures = queries.map_figures(con, queries.MapFilter(indicator, unit, year, year, False))
    finally:
        con.close()
    row = figures[figures["province"] == province].iloc[0]
    assert row["actual_reports"] == n
    con = duckdb.connect(str(etl_db), read_only=True)
    try:
        sources = queries.map_sources(con, queries.MapFilter(indicator, unit, year, year, False), year, ("actual",))
    finally:
        con.close()
    assert sources["file"].is_unique and len(sources) >= n
    lines = maps.source_lines(sources, "vi")
    assert len(lines) == len(sources) and all(line.endswith(")") for line in lines)


# --- the figure ----------------------------------------------------------------------------------


def figures_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows shaped as queries.map_figures returns them."""
    base = {
        "group_province": None, "province": None, "year": 2023, "code": None, "actual_id": None,
        "actual_value": None, "actual_comparator": "=", "actual_period": "year", "actual_doc": "a.txt",
        "actual_title": "Báo cáo", "actual_published": date(2024, 1, 5), "target_id": None, "target_value": None,
        "target_comparator": None, "target_period": None, "judged_value": None, "judged_period": None,
        "attainment": None, "actual_reports": 1, "reports": 1,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


NAMES_63 = {f["id"]: f["properties"]["ten_tinh"] for f in maps.shapes("legacy")["features"]}
NAMES_34 = {f["id"]: f["properties"]["ten_tinh"] for f in maps.shapes("2025")["features"]}


def traces(fig) -> dict[str, dict]:
    return {tr["name"]: tr for tr in figure_dict(fig)["data"]}


def test_values_colour_provinces_and_no_data_is_not_zero():
    figures = figures_frame([
        {"province": "Hà Nội", "group_province": "Hà Nội", "code": "01", "actual_value": 3.0,
         "actual_reports": 2},
        {"province": "Hải Phòng", "group_province": "Hải Phòng", "code": "31", "actual_value": 1.0},
        {"province": "Cao Bằng", "group_province": "Cao Bằng", "code": "04", "actual_value": 63.0},
    ])
    fig = maps.province_map(figures, NAMES_63, "legacy", RANK, 2023, "value", "vi", ("01", "31", "22"))
    shown = traces(fig)
    values = shown[RANK.label]
    assert values["type"] == "choroplethmap" and values["locations"] == ["01", "31", "04"]
    # ranks: lower is better, so the scale runs on -rank and the bar reads 1 at the top
    assert values["z"] == [-3.0, -1.0, -63.0]
    bar = values["colorbar"]
    assert "1 là tốt nhất" in bar["title"]["text"]
    tick_of = dict(zip(bar["ticktext"], bar["tickvals"], strict=True))
    assert tick_of["1"] == max(bar["tickvals"]), "1 is at the top of the colour bar"
    # provinces without a figure are their own trace, in grey, named in the legend: never a value of 0
    empty = shown["Không có số liệu"]
    assert len(empty["locations"]) == 60 and "22" in empty["locations"] and "01" not in empty["locations"]
    assert empty["showlegend"] and empty["colorscale"][0][1] == maps.NO_DATA_COLOR
    # the three provinces of the filter are outlined (Quảng Ninh too, though it has no figure)
    outline = next(tr for name, tr in shown.items() if "Đang chọn ở bộ lọc" in name)
    assert outline["locations"] == ["01", "31", "22"] and outline["hoverinfo"] == "skip"
    # hover: province, value, year, source count, Vietnamese numbers
    hover = values["hovertext"][0]
    assert "<b>Hà Nội</b> · 2023" in hover and "thứ 3" in hover and "Nguồn: 2 báo cáo" in hover
    assert values["customdata"][0] == ["01", "Hà Nội", 2023, "Hà Nội"]
    # offline: a white background and no tiles, sources or network addresses anywhere in the figure
    layout = figure_dict(fig)["layout"]
    assert layout["map"]["style"] == "white-bg" and not layout["map"].get("layers")
    assert "http" not in json.dumps(figure_dict(fig)["layout"])
    assert any(a["text"] == ATTRIBUTION_VI for a in layout["annotations"])


def test_percentages_read_in_vietnamese_and_english():
    figures = figures_frame([
        {"province": "Hà Nội", "group_province": "Hà Nội", "code": "01", "actual_value": 99.8},
        {"province": "Quảng Ninh", "group_province": "Quảng Ninh", "code": "22", "actual_value": 1525.0 / 20},
    ])
    vi = traces(maps.province_map(figures, NAMES_63, "legacy", RATE, 2023, "value", "vi"))[RATE.label]
    assert "99,8%" in vi["hovertext"][0] and "cao hơn là tốt hơn" in vi["colorbar"]["title"]["text"]
    assert all(text.endswith("%") for text in vi["colorbar"]["ticktext"])
    assert vi["z"] == [99.8, 76.25], "higher is better: the values as they are"
    en_fig = maps.province_map(figures, NAMES_63, "legacy", RATE, 2023, "value", "en")
    en = traces(en_fig)[RATE.label]
    assert "99.8%" in en["hovertext"][0] and "Source: 1 report" in en["hovertext"][0]
    assert "No data" in traces(en_fig)
    assert figure_dict(en_fig)["layout"]["annotations"][0]["text"] == ATTRIBUTION_EN


def test_verdicts_colour_by_attainment_with_in_progress_and_no_actual():
    figures = figures_frame([
        {"province": "Hà Nội", "group_province": "Hà Nội", "code": "01", "target_value": 1.0,
         "target_comparator": "<=", "judged_value": 3.0, "judged_period": "year", "attainment": "not_met",
         "reports": 3},
        {"province": "Quảng Ninh", "group_province": "Quảng Ninh", "code": "22", "target_value": 2.0,
         "target_comparator": "<=", "judged_value": 1.0, "judged_period": "year", "attainment": "met"},
        {"province": "Hải Phòng", "group_province": "Hải Phòng", "code": "31", "target_value": 1.0,
         "target_comparator": "<=", "judged_value": 2.0, "judged_period": "9M", "attainment": "in_progress"},
        {"province": "Đồng Nai", "group_province": "Đồng Nai", "code": "75", "target_value": 10.0,
         "target_comparator": "<=", "attainment": "no_actual"},
        {"province": "Cao Bằng", "group_province": "Cao Bằng", "code": "04", "actual_value": 63.0},  # no target
    ])
    shown = traces(maps.province_map(figures, NAMES_63, "legacy", RANK, 2023, "verdict", "vi"))
    assert shown["Đạt"]["locations"] == ["22"] and shown["Chưa đạt"]["locations"] == ["01"]
    assert shown["Đang thực hiện"]["locations"] == ["31"] and shown["Chưa có kết quả"]["locations"] == ["75"]
    assert "04" in shown["Không có mục tiêu"]["locations"], "an actual with no target has no verdict"
    assert shown["Đạt"]["colorscale"][0][1] == maps.VERDICT_COLORS["met"]
    hover = shown["Chưa đạt"]["hovertext"][0]
    assert "Mục tiêu: trong nhóm 1 dẫn đầu" in hover and "Kết quả: thứ 3" in hover and "Chưa đạt" in hover
    assert "Nguồn: 3 báo cáo" in hover
    assert "9 tháng" in shown["Đang thực hiện"]["hovertext"][0]


def test_former_provinces_with_their_own_figures_are_not_merged_into_one_colour():
    figures = figures_frame([
        {"province": "Hải Dương", "group_province": "Hải Phòng", "code": "31", "actual_value": 68.68},
        {"province": "Hải Phòng", "group_province": "Hải Phòng", "code": "31", "actual_value": 70.34},
        {"province": "Quảng Ninh", "group_province": "Quảng Ninh", "code": "22", "actual_value": 72.0},
    ])
    score = IndicatorMeta("pci_score", "PCI", "score", "up")
    shown = traces(maps.province_map(figures, NAMES_34, "2025", score, 2023, "value", "vi"))
    assert shown["PCI"]["locations"] == ["22"]
    several = shown["Nhiều tỉnh cũ (xem chi tiết)"]
    assert several["locations"] == ["31"]
    assert "Hải Dương" in several["hovertext"][0] and "68,68 điểm" in several["hovertext"][0]
    assert "70,34 điểm" in several["hovertext"][0]
    assert several["customdata"][0] == ["31", "Hải Phòng", 2023, "Hải Dương|Hải Phòng"]
    assert len(shown["Không có số liệu"]["locations"]) == 32, "34 provinces on the 2025 map"


def test_years_and_export_table():
    figures = figures_frame([
        {"province": "Hà Nội", "group_province": "Hà Nội", "code": "01", "actual_value": 90.0, "year": 2022},
        {"province": "Hà Nội", "group_province": "Hà Nội", "code": "01", "target_value": 95.0,
         "target_comparator": ">=", "attainment": "no_actual", "year": 2025},
    ])
    assert maps.map_years(figures, "value") == [2022] and maps.map_years(figures, "verdict") == [2025]
    table = maps.map_table(figures, NAMES_63, 2022, "value", "vi")
    assert table.to_dict("records")[0]["actual_value"] == 90.0 and table["code"].tolist() == ["01"]


# --- export --------------------------------------------------------------------------------------


def test_the_exported_map_carries_title_filters_sources_and_attribution(exporter):  # noqa: F811
    figures = figures_frame([{"province": "Hà Nội", "group_province": "Hà Nội", "code": "01", "actual_value": 2.0}])
    fig = maps.province_map(figures, NAMES_63, "legacy", RANK, 2023, "value", "vi", ("01",))
    framed = maps.for_export(fig, "PAR INDEX 2023", "Hà Nội · 2023", ["Báo cáo A (01/02/2024)"] * 5, "vi",
                             export.IMAGE_WIDTH, export.IMAGE_HEIGHT)
    svg = export.image_bytes(framed, "svg").decode("utf-8")
    assert "PAR INDEX 2023" in svg and "Bộ lọc: Hà Nội · 2023" in svg
    assert "Nguồn: 5 báo cáo: Báo cáo A (01/02/2024)" in svg and ATTRIBUTION_VI in svg
    png = export.image_bytes(framed, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    assert export.image_bytes(framed, "pdf").startswith(b"%PDF")
    html = export.html_bytes(framed).decode("utf-8")
    assert '<script src="http' not in html and "choroplethmap" in html


# --- the page ------------------------------------------------------------------------------------


@pytest.fixture
def db(etl_db, monkeypatch) -> Path:
    monkeypatch.setenv("CCHC_DB", str(etl_db))
    data.clear_cache()
    return etl_db


def open_map(**params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(MAP_PAGE)  # opened at its own address, as a link to the map would
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def busiest(db: Path) -> tuple[str, int, list[str]]:
    """The indicator and year with province-level actuals for the most provinces."""
    indicator, year, provinces = query(db, """
        SELECT indicator, year, list(DISTINCT province ORDER BY province) AS p FROM facts f
        JOIN indicators i ON i.code = f.indicator AND i.unit = f.unit AND i.theme <> 'other'
        WHERE kind = 'actual' AND level = 'province' AND place IS NULL AND province <> 'Cả nước'
          AND year IS NOT NULL
        GROUP BY ALL ORDER BY len(p) DESC, indicator, year DESC LIMIT 1""")[0]
    return indicator, year, provinces


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_map_page_draws_the_63_provinces(db, lang):
    indicator, year, provinces = busiest(db)
    at = open_map(ind=indicator, myear=str(year), **({"lang": "en"} if lang == "en" else {}))
    assert at.title[0].value == ("Bản đồ" if lang == "vi" else "Map")
    assert not at.error, [e.value for e in at.error]
    spec = chart_spec(at)
    drawn = [tr for tr in spec["data"] if tr["type"] == "choroplethmap"]
    codes = {c for tr in drawn if tr.get("hoverinfo") != "skip" for c in tr["locations"]}
    assert len(codes) == 63
    coloured = {cell[1] for tr in drawn for cell in tr.get("customdata") or []
                if tr["name"] not in ("Không có số liệu", "No data")}
    assert set(provinces) <= coloured, "every province with a figure that year is coloured"
    attribution = [a["text"] for a in spec["layout"]["annotations"]]
    assert attribution == [ATTRIBUTION_VI if lang == "vi" else ATTRIBUTION_EN]
    assert ("Bản đồ 63 tỉnh" if lang == "vi" else "Map of the 63") in " ".join(c.value for c in at.caption)


def test_the_today_switch_draws_the_34_provinces(db):
    indicator, year, _ = busiest(db)
    at = open_map(ind=indicator, today="1", myear=str(year))
    spec = chart_spec(at)
    codes = {c for tr in spec["data"] if tr.get("hoverinfo") != "skip" for c in tr["locations"]}
    assert len(codes) == 34
    assert "Bản đồ 34 tỉnh" in " ".join(c.value for c in at.caption)
    outline = next(tr for tr in spec["data"] if tr.get("hoverinfo") == "skip")
    assert set(outline["locations"]) == {"01", "31", "22"}


def test_the_verdict_mode_and_the_year_are_in_the_url(db):
    rows = query(db, """SELECT indicator, max(year) FROM target_vs_actual WHERE level = 'province' AND place IS NULL
                         AND province <> 'Cả nước' GROUP BY indicator ORDER BY count(*) DESC, indicator LIMIT 1""")
    indicator, year = rows[0]
    at = open_map(ind=indicator)
    at.radio(key="w_map_mode").set_value("verdict").run()
    assert not at.exception
    assert at.query_params["map"] == ["verdict"] or at.query_params["map"] == "verdict"
    names = {tr["name"] for tr in chart_spec(at)["data"]}
    assert names & {"Đạt", "Chưa đạt", "Chưa có kết quả", "Đang thực hiện"}, names
    years = at.radio(key="w_map_year").options
    assert str(year) in years
    at.radio(key="w_map_year").set_value(int(years[0])).run()
    assert str(at.query_params["myear"]).strip("[]'") == years[0]


def test_a_map_without_figures_says_so(db):
    empty = query(db, """SELECT code FROM indicators WHERE theme <> 'other' AND code NOT IN
                          (SELECT indicator FROM facts WHERE level = 'province') ORDER BY code LIMIT 1""")
    assert empty, "some listed indicator has no province-level figure in the bundled reports"
    at = open_map(ind=empty[0][0])
    assert not at.get("plotly_chart")
    assert any("Không có số liệu cấp tỉnh" in i.value for i in at.info)
