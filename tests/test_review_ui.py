"""AppTest of reviewing and adding in the dashboard: each on its own copy of the reports and a database the
real ETL builds from them, so a review really goes to the store and the database is really rebuilt."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPORTS, query
from streamlit.testing.v1 import AppTest

from dashboard import data
from etl.pipeline import run
from etl.reviews import ReviewStore, store_path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
DOC = "022_hanoi-sipas-2024.txt"
WORDS = "Hà Nội xếp thứ 2/6"


@pytest.fixture
def site(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    shutil.copytree(REPORTS, reports)
    db = tmp_path / "cchc.duckdb"
    run(reports, db, progress=False)
    monkeypatch.setenv("CCHC_DB", str(db))
    monkeypatch.delenv("CCHC_REPORTS", raising=False)
    data.clear_cache()
    return reports, db


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def by_key(widgets, part: str):
    [widget] = [w for w in widgets if w.key and part in w.key]
    return widget


def open_report() -> AppTest:
    at = open_page("pages/report.py")
    at.selectbox(key="w_doc").set_value(DOC).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def save(at: AppTest, form: str = "_form_") -> None:
    [button] = [b for b in at.button if b.label == "Lưu đánh giá" and form in (b.key or "")]
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]


def sipas_id(db) -> int:
    return query(db, "SELECT fact_id FROM facts WHERE doc = ? AND indicator = 'sipas_score' AND value = 86.5",
                 [DOC])[0][0]


def test_correcting_a_year_on_the_report_view_rebuilds_the_database_and_keeps_who_and_what(site):
    reports, db = site
    fact_id = sipas_id(db)
    at = open_report()
    at.selectbox(key="rv_fact").set_value(fact_id).run()
    at.radio(key="rv_action").set_value("correct").run()
    by_key(at.number_input, f"rv_{fact_id}_year").set_value(2023)
    by_key(at.text_input, "rv_reviewer").input("Nguyễn Văn An")
    by_key(at.text_input, "rv_note").input("Số liệu của năm 2023")
    save(at)
    assert [s.value for s in at.success] == ["Đã lưu đánh giá (sửa) của Nguyễn Văn An; cơ sở dữ liệu đã được cập nhật."]
    assert query(db, "SELECT year, status FROM facts WHERE doc = ? AND indicator = 'sipas_score' AND value = 86.5",
                 [DOC]) == [(2023, "corrected")]
    [stored] = ReviewStore(store_path(db)).all()
    assert (stored.reviewer, stored.action, stored.old["year"], stored.fact["year"], stored.note) == (
        "Nguyễn Văn An", "correct", 2024, 2023, "Số liệu của năm 2023")
    # The page shows the status and the history (old → new), and the name is not asked again.
    table = at.dataframe[0].value
    assert "Đã sửa" in set(table["Trạng thái"])
    history = [m.value for m in at.markdown if "Nguyễn Văn An" in m.value]
    assert history and "2024" in history[0] and "2023" in history[0] and "Số liệu của năm 2023" in history[0]
    at.radio(key="rv_action").set_value("confirm").run()
    assert by_key(at.text_input, "rv_reviewer").value == "Nguyễn Văn An"


def test_rejecting_and_adding_on_the_report_view(site):
    reports, db = site
    national = query(db, "SELECT fact_id FROM facts WHERE doc = ? AND province = 'Cả nước'", [DOC])[0][0]
    at = open_report()
    at.selectbox(key="rv_fact").set_value(national).run()
    at.radio(key="rv_action").set_value("reject").run()
    by_key(at.text_input, "rv_reviewer").input("Trần Thị Bình")
    save(at)
    assert query(db, "SELECT count(*) FROM facts WHERE doc = ? AND province = 'Cả nước'", [DOC]) == [(0,)]

    by_key(at.text_input, "rv_words").input("không có trong báo cáo").run()
    assert [w.value for w in at.warning] == ["Không tìm thấy «không có trong báo cáo» trong báo cáo."]
    by_key(at.text_input, "rv_words").input(WORDS).run()
    by_key(at.number_input, "rv_add_value").set_value(2)
    by_key(at.selectbox, "rv_add_indicator").set_value("sipas_rank")
    by_key(at.selectbox, "rv_add_unit").set_value("rank")
    assert by_key(at.text_input, "rv_add_reviewer").value == "Trần Thị Bình", "the name is asked once"
    save(at, "rv_add_form")
    assert query(db, "SELECT indicator, value, unit, year, province, evidence FROM facts WHERE status = 'added'") == [
        ("sipas_rank", 2.0, "rank", 2024, "Hà Nội", WORDS)]


def test_a_fact_can_be_reviewed_from_the_sources_page(site):
    reports, db = site
    at = open_page("pages/sources.py")
    first = at.selectbox(key="src_fact").value
    at.radio(key="src_action").set_value("confirm").run()
    by_key(at.text_input, "src_reviewer").input("Lê Văn Cường")
    save(at)
    assert query(db, "SELECT status FROM facts WHERE fact_id = ?", [first]) == [("confirmed",)]


def test_a_pasted_text_comes_in_and_the_page_says_what(site):
    reports, db = site
    at = open_page("pages/upload.py")
    by_key(at.text_input, "paste_title").input("Tin nhanh quý I/2025")
    by_key(at.text_input, "paste_province").input("Lạng Sơn")
    at.text_area(key="paste_text").input("Trong quý I năm 2025, tỷ lệ hồ sơ giải quyết trực tuyến đạt 71,2%.")
    [button] = [b for b in at.button if b.label == "Thêm văn bản"]
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == ["Đã nhận 1 báo cáo."]
    assert (reports / "tin-nhanh-quy-i-2025.txt").exists()
    assert query(db, "SELECT province, year, value FROM facts WHERE doc = 'tin-nhanh-quy-i-2025.txt'") == [
        ("Lạng Sơn", 2025, 71.2)]
    assert any("bao-cao?doc=tin-nhanh-quy-i-2025.txt" in m.value for m in at.markdown)
    # The same text again is refused, in words, and nothing changes.
    [button] = [b for b in at.button if b.label == "Thêm văn bản"]
    button.click().run()
    assert [e.value for e in at.error] == ["Không nhận 1 tệp:"]
    assert any("nội dung này đã có trong thư mục báo cáo (tin-nhanh-quy-i-2025.txt)" in m.value for m in at.markdown)
    assert not (reports / "tin-nhanh-quy-i-2025-2.txt").exists()


def test_orphaned_reviews_are_listed_on_their_page(site, tmp_path):
    reports, db = site
    row = dict(zip(["start", "end", "evidence"], query(
        db, "SELECT start_offset, end_offset, evidence FROM facts WHERE fact_id = ?", [sipas_id(db)])[0], strict=True))
    line = {"doc": DOC, **{k: row[k] for k in ("start", "end")}, "action": "reject",
            "fact": {"evidence": row["evidence"]}, "reviewer": "Phạm Thu", "at": "2026-11-29T20:00:00Z", "note": None}
    (tmp_path / "r.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    from etl.review_cli import import_reviews

    assert import_reviews(str(tmp_path / "r.jsonl"), db, reports, open("/dev/null", "w"), open("/dev/null", "w")) == 0
    path = reports / DOC
    path.write_text(path.read_text(encoding="utf-8").replace(row["evidence"], "Kết quả đã công bố."),
                    encoding="utf-8")
    run(reports, db, progress=False)
    at = open_page("pages/orphans.py")
    table = at.dataframe[0].value
    assert list(table["Tên người duyệt"]) == ["Phạm Thu"]
    assert list(table["Lý do"]) == ["báo cáo đã thay đổi và những chữ nêu con số không còn trong đó"]


def test_review_pages_in_english(site):
    at = open_page("pages/upload.py", lang="en")
    assert at.title[0].value == "Add reports"
    at = open_page("pages/orphans.py", lang="en")
    assert at.title[0].value == "Orphaned reviews" and at.info[0].value == "No review is orphaned."


def test_charts_and_tables_can_be_limited_to_reviewed_facts(site):
    from dashboard import queries

    reports, db = site
    three = ("Hà Nội", "Hải Phòng", "Quảng Ninh")
    everything = queries.FactFilter(three, 2000, 2100, ("sipas_score",))
    reviewed = queries.FactFilter(three, 2000, 2100, ("sipas_score",), reviewed_only=True)
    # Confirm the fact a chart point of Hà Nội stands for (the sources page's review panel, its row selected).
    drawn = data.read(db, queries.target_actual_points, everything).dropna(subset=["actual_id"])
    confirmed = int(drawn[drawn["province"] == "Hà Nội"]["actual_id"].iloc[0])
    at = open_page("pages/sources.py", ind="sipas_score")
    at.selectbox(key="src_fact").set_value(confirmed).run()
    at.radio(key="src_action").set_value("confirm").run()
    by_key(at.text_input, "src_reviewer").input("Nguyễn Văn An")
    save(at)
    kinds = ("target", "actual")
    assert len(data.read(db, queries.facts_table, everything, kinds, False)) > 1
    table = data.read(db, queries.facts_table, reviewed, kinds, False)
    assert list(table["fact_id"]) == [confirmed] and list(table["status"]) == ["confirmed"]
    points = data.read(db, queries.target_actual_points, reviewed)
    assert list(points["actual_id"]) == [confirmed]
    assert len(data.read(db, queries.target_actual_points, everything)) > 1
    assert data.read(db, queries.target_pairs, reviewed).empty or set(
        data.read(db, queries.target_pairs, reviewed)["actual_id"].dropna()) <= {confirmed}

    at = open_page("pages/sources.py", ind="sipas_score", reviewed="1")
    assert at.toggle(key="w_reviewed").value is True
    assert len(at.dataframe[0].value) == 1
    assert at.query_params["reviewed"] in ("1", ["1"])
    for page in ("pages/targets.py", "pages/trends.py", "pages/compare.py"):
        open_page(page, ind="sipas_score", reviewed="1")


def test_someone_looking_meanwhile_sees_an_upload_on_their_next_click(site):
    from etl.ingest import ingest, pasted

    reports, db = site
    watcher = open_page("pages/sources.py")
    assert "Lạng Sơn" not in at_options(watcher)
    ingest([pasted("Tin nhanh Lạng Sơn", "Năm 2025, tỷ lệ hồ sơ giải quyết trực tuyến đạt 71,2%.", None,
                   "Lạng Sơn")], reports, db)
    watcher.run()
    assert not watcher.exception
    assert "Lạng Sơn" in at_options(watcher)


def at_options(at: AppTest) -> list[str]:
    return list(at.multiselect(key="w_prov").options)


def test_a_province_is_corrected_by_choosing_a_known_name(site):
    reports, db = site
    fact_id = sipas_id(db)
    at = open_report()
    at.selectbox(key="rv_fact").set_value(fact_id).run()
    at.radio(key="rv_action").set_value("correct").run()
    box = by_key(at.selectbox, f"rv_{fact_id}_province")
    assert box.value == "Hà Nội" and "Hải Dương" in box.options and "Cả nước" in box.options
    box.set_value("Hải Dương")
    by_key(at.text_input, "rv_reviewer").input("Nguyễn Văn An")
    save(at)
    assert query(db, "SELECT province, status FROM facts WHERE fact_id = ?", [fact_id]) == [("Hải Dương", "corrected")]
