"""AppTest tests of every page and filter, on the database the real ETL builds from data/reports.

The data is whatever the extractor finds, so the tests pick their indicator, provinces and years from
the database itself rather than hard-coding figures.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import query
from streamlit.testing.v1 import AppTest
from test_dashboard_support import chart_spec, provinces_in

from dashboard import data
from etl.load import store_pairing

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
SCHEMA = ROOT / "etl" / "schema.sql"
THREE = ("Hà Nội", "Hải Phòng", "Quảng Ninh")
PAGES = {
    "pages/targets.py": ("Mục tiêu và kết quả", "Targets and actuals"),
    "pages/compare.py": ("So sánh địa phương", "Compare localities"),
    "pages/trends.py": ("Xu hướng", "Trends"),
    "pages/sources.py": ("Nguồn số liệu", "Sources"),
    "pages/report.py": ("Xem báo cáo", "Report view"),
}


@pytest.fixture
def db(etl_db, monkeypatch) -> Path:
    monkeypatch.setenv("CCHC_DB", str(etl_db))
    data.clear_cache()
    return etl_db


def open_app(page: str | None = None, **params) -> AppTest:
    """Run the app (optionally on a page) with query params, and check it raised nothing."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def indicator_in_most_provinces(db: Path) -> tuple[str, list[str]]:
    """A listed indicator with province-level actuals in as many of the three provinces as possible."""
    rows = query(
        db,
        """
        SELECT indicator, list(DISTINCT province ORDER BY province) AS provinces
        FROM facts WHERE kind = 'actual' AND level = 'province' AND list_contains(?, province)
          AND indicator IN (SELECT code FROM indicators WHERE theme <> 'other') AND year IS NOT NULL
        GROUP BY indicator ORDER BY len(provinces) DESC, count(*) DESC, indicator LIMIT 1""",
        [list(THREE)],
    )
    if not rows:
        pytest.fail("the ETL found no province-level actual for Hà Nội, Hải Phòng or Quảng Ninh")
    return rows[0][0], rows[0][1]


def info_text(at: AppTest) -> str:
    return "\n".join(x.value for x in at.info)


# --- every page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders(db, page, lang):
    at = open_app(page, **({"lang": "en"} if lang == "en" else {}))
    assert at.title[0].value == PAGES[page][0 if lang == "vi" else 1]
    assert not at.error, [e.value for e in at.error]


def test_first_load_shows_the_three_provinces_by_default(db):
    at = open_app()
    assert at.multiselect(key="w_prov").value == [p for p in THREE if p in at.multiselect(key="w_prov").options]
    indicator = at.selectbox(key="w_ind").value
    shown = provinces_in(chart_spec(at))
    with_data = {
        r[0]
        for r in query(
            db,
            "SELECT DISTINCT province FROM facts WHERE indicator = ? AND level = "
            "'province' AND list_contains(?, province)",
            [indicator, list(THREE)],
        )
    }
    assert shown == with_data


# --- filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["pages/targets.py", "pages/compare.py", "pages/trends.py"])
def test_choosing_one_province_leaves_only_its_points(db, page):
    indicator, provinces = indicator_in_most_provinces(db)
    at = open_app(page, ind=indicator)
    one = provinces[-1]
    at.multiselect(key="w_prov").set_value([one]).run()
    assert not at.exception
    assert provinces_in(chart_spec(at)) == {one}


def test_query_params_set_the_filters(db):
    indicator, provinces = indicator_in_most_provinces(db)
    one = provinces[0]
    years = [
        r[0]
        for r in query(
            db,
            "SELECT DISTINCT year FROM facts WHERE indicator = ? AND province = ? AND level = 'province' ORDER BY year",
            [indicator, one],
        )
    ]
    at = open_app(ind=indicator, prov=[one], **{"from": str(years[0]), "to": str(years[-1])})
    assert at.multiselect(key="w_prov").value == [one]
    assert at.selectbox(key="w_ind").value == indicator
    assert tuple(at.slider(key="w_years").value) == (years[0], years[-1])
    spec = chart_spec(at)
    assert provinces_in(spec) == {one}
    shown_years = {c[4] for trace in spec["data"] for c in trace.get("customdata") or []}
    assert shown_years and all(years[0] <= y <= years[-1] for y in shown_years)


def test_widgets_write_the_url(db):
    indicator, provinces = indicator_in_most_provinces(db)
    at = open_app(ind=indicator)
    at.multiselect(key="w_prov").set_value([provinces[0]]).run()
    at.radio(key="w_kind").set_value("actual").run()
    at.toggle(key="w_lang").set_value(True).run()
    params = at.query_params
    assert params["ind"] in (indicator, [indicator])
    assert params["prov"] in (provinces[0], [provinces[0]])
    assert params["kind"] in ("actual", ["actual"])
    assert params["lang"] in ("en", ["en"])
    # ...and the same URL opens the same view in a new session
    again = open_app(**{k: v for k, v in params.items()})
    assert again.multiselect(key="w_prov").value == [provinces[0]]
    assert again.radio(key="w_kind").value == "actual"
    assert again.title[0].value == "Targets and actuals"


def test_english_toggle_switches_labels(db):
    at = open_app()
    assert at.title[0].value == "Mục tiêu và kết quả"
    assert at.multiselect(key="w_prov").label == "Tỉnh, thành phố"
    at.toggle(key="w_lang").set_value(True).run()
    assert not at.exception
    assert at.title[0].value == "Targets and actuals"
    assert at.multiselect(key="w_prov").label == "Provinces"
    assert "targets and actuals" in chart_spec(at)["layout"]["title"]["text"]


def test_kind_filter_hides_the_other_kind(db):
    indicator, _ = indicator_in_most_provinces(db)
    at = open_app(ind=indicator)
    at.radio(key="w_kind").set_value("actual").run()
    symbols = [tr.get("marker", {}).get("symbol") for tr in chart_spec(at)["data"] if tr.get("customdata")]
    assert "line-ew-open" not in symbols
    targets = query(
        db,
        "SELECT count(*) FROM facts WHERE indicator = ? AND kind = 'target' AND level = 'province' "
        "AND list_contains(?, province)",
        [indicator, list(THREE)],
    )[0][0]
    at.radio(key="w_kind").set_value("target").run()
    assert not at.exception
    if targets:
        traces = [tr for tr in chart_spec(at)["data"] if tr.get("customdata")]
        assert traces and all(tr.get("marker", {}).get("symbol") == "line-ew-open" for tr in traces)
    else:
        assert not at.get("plotly_chart") and "Kết quả" in info_text(at) or info_text(at)


def test_theme_lists_only_its_indicators(db):
    at = open_app()
    at.selectbox(key="w_theme").set_value("online").run()
    assert not at.exception
    online = {r[0] for r in query(db, "SELECT code FROM indicators WHERE theme = 'online'")}
    assert set(at.selectbox(key="w_ind").options) and at.selectbox(key="w_ind").value in online


@pytest.mark.parametrize("level", ["district", "commune"])
def test_level_filter_renders_data_or_says_what_is_missing(db, level):
    at = open_app()
    at.selectbox(key="w_level").set_value(level).run()
    assert not at.exception
    assert at.get("plotly_chart") or info_text(at)


def test_reorganisation_switch_groups_under_todays_provinces(db):
    at = open_app()
    at.toggle(key="w_today").set_value(True).run()
    assert not at.exception
    today_names = {r[0] for r in query(db, "SELECT DISTINCT province_2025 FROM province_today")}
    options = set(at.multiselect(key="w_prov").options)
    assert options <= today_names | set(THREE)
    former = query(
        db,
        """SELECT f.province, p.province_2025 FROM facts f JOIN province_today p USING (province)
                        WHERE p.province_2025 <> f.province LIMIT 1""",
    )
    if former:  # a report from before the merger: its province is listed under today's
        assert former[0][0] not in options and former[0][1] in options
    assert at.query_params["today"] in ("1", ["1"])


# --- gaps said plainly --------------------------------------------------------------------------


def test_no_province_chosen_says_so(db):
    at = open_app()
    at.multiselect(key="w_prov").set_value([]).run()
    assert not at.exception
    assert not at.get("plotly_chart")
    assert "Chưa chọn tỉnh" in info_text(at)


def test_empty_filter_says_what_exists(db):
    indicator, provinces = indicator_in_most_provinces(db)
    years = sorted(r[0] for r in query(db, "SELECT DISTINCT year FROM facts WHERE year IS NOT NULL"))
    held = {
        r[0]
        for r in query(
            db,
            "SELECT DISTINCT year FROM facts WHERE indicator = ? AND level = 'province' AND list_contains(?, province)",
            [indicator, list(THREE)],
        )
    }
    empty_years = [y for y in range(years[0], years[-1] + 1) if y not in held]
    if not empty_years:
        pytest.skip("this indicator has figures in every year of the data")
    year = empty_years[0]
    at = open_app(ind=indicator, **{"from": str(year), "to": str(year)})
    assert not at.get("plotly_chart")
    message = info_text(at)
    assert "Không có số liệu" in message and str(year) in message
    assert provinces[0] in message  # what exists is listed


def test_a_target_without_an_actual_is_stated(db):
    rows = query(
        db,
        """SELECT indicator, province, year FROM target_vs_actual
                      WHERE attainment = 'no_actual' AND level = 'province' AND place IS NULL
                        AND list_contains(?, province) AND indicator IN (SELECT code FROM indicators)
                        AND year IS NOT NULL
                      ORDER BY indicator, province, year LIMIT 1""",
        [list(THREE)],
    )
    if not rows:
        pytest.skip("the ETL found no target without an actual among the three provinces")
    indicator, province, year = rows[0]
    at = open_app(ind=indicator, prov=[province])
    message = info_text(at)
    assert "chưa có kết quả" in message and f"{province} {year}" in message
    labels = [txt for tr in chart_spec(at)["data"] for txt in (tr.get("text") or [])]
    assert any("chưa có kết quả" in str(label) for label in labels)


def test_missing_database_is_said_plainly(tmp_path, monkeypatch):
    missing = tmp_path / "none.duckdb"
    monkeypatch.setenv("CCHC_DB", str(missing))
    data.clear_cache()
    for page in PAGES:
        at = open_app(page)
        assert at.error and str(missing) in at.error[0].value and "python -m etl run" in at.error[0].value


def test_empty_database_is_said_plainly(tmp_path, monkeypatch):
    empty = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(empty))
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    con.close()
    monkeypatch.setenv("CCHC_DB", str(empty))
    data.clear_cache()
    at = open_app()
    assert at.warning and "chưa có số liệu nào" in at.warning[0].value


def test_a_rebuilt_database_shows_on_the_next_interaction(etl_db, tmp_path, monkeypatch):
    live = tmp_path / "cchc.duckdb"
    shutil.copy(etl_db, live)
    monkeypatch.setenv("CCHC_DB", str(live))
    data.clear_cache()
    indicator, provinces = indicator_in_most_provinces(live)
    at = open_app(ind=indicator)
    assert provinces[0] in provinces_in(chart_spec(at))
    # The ETL builds a new file and moves it over the old one while the page is open.
    rebuilt = tmp_path / ".cchc.duckdb.building"
    shutil.copy(live, rebuilt)
    con = duckdb.connect(str(rebuilt))
    con.execute("DELETE FROM facts WHERE province = ?", [provinces[0]])
    store_pairing(con)  # as the load stage does at the end of a build
    con.execute("CHECKPOINT")
    con.close()
    os.replace(rebuilt, live)
    at.run()
    assert not at.exception and not at.error
    if len(provinces) > 1:
        assert provinces[0] not in provinces_in(chart_spec(at))
    else:
        assert not at.get("plotly_chart")


# --- sources and reports ------------------------------------------------------------------------


def test_sources_page_lists_the_facts_of_the_view(db):
    indicator, _ = indicator_in_most_provinces(db)
    at = open_app("pages/sources.py", ind=indicator)
    expected = query(
        db,
        "SELECT count(*) FROM facts WHERE indicator = ? AND level = 'province' "
        "AND list_contains(?, province) AND year IS NOT NULL",
        [indicator, list(THREE)],
    )[0][0]
    assert len(at.dataframe[0].value) == expected
    at.checkbox(key="w_all_indicators").check().run()
    assert not at.exception
    assert len(at.dataframe[0].value) >= expected


def test_report_page_marks_every_figure(db):
    file, n_facts = query(db, "SELECT doc, count(*) FROM facts GROUP BY doc ORDER BY count(*) DESC LIMIT 1")[0]
    at = open_app("pages/report.py", doc=file)
    assert at.selectbox(key="w_doc").value == file
    body = "".join(h.proto.body for h in at.get("html"))
    marks = body.count("<mark")
    assert 0 < marks <= n_facts
    assert "<script" not in body.lower()
    assert at.query_params["doc"] in (file, [file])


def test_numbers_are_written_the_vietnamese_way(db):
    rows = query(
        db,
        """SELECT indicator FROM facts WHERE unit = 'percent' AND kind = 'actual' AND level = 'province'
                      AND value <> round(value) AND list_contains(?, province)
                      AND indicator IN (SELECT code FROM indicators) LIMIT 1""",
        [list(THREE)],
    )
    if not rows:
        pytest.skip("no fractional percentage among the actuals")
    at = open_app(ind=rows[0][0])
    column = at.dataframe[0].value["Kết quả"]
    values = [v for v in column if v]
    assert values and all(re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d+)?%( \(.+\))?", v) for v in values), values
    assert any("," in v for v in values)


def test_year_slider_narrows_the_chart(db):
    indicator, provinces = indicator_in_most_provinces(db)
    years = [
        r[0]
        for r in query(
            db,
            "SELECT DISTINCT year FROM facts WHERE indicator = ? AND level = 'province' "
            "AND list_contains(?, province) ORDER BY year",
            [indicator, list(THREE)],
        )
    ]
    at = open_app(ind=indicator)
    last = years[-1]
    at.slider(key="w_years").set_value((last, last)).run()
    assert not at.exception
    shown = {c[4] for trace in chart_spec(at)["data"] for c in trace.get("customdata") or []}
    assert shown == {last}
    assert at.query_params["from"] in (str(last), [str(last)])


def test_without_chromium_the_page_says_so_and_keeps_html_csv_xlsx(db, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = open_app()
    captions = " ".join(c.value for c in at.caption)
    assert "không có trình duyệt Chromium" in captions
    buttons = {b.proto.label: b.proto.disabled for b in at.get("download_button")}
    assert buttons.get("PNG") is True and buttons.get("HTML") is False and buttons.get("CSV") is False
