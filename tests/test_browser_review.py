"""Real browser: upload a DOCX and a PDF, see their figures in a chart, correct one fact's year, rebuild the
database with the ETL, and see the correction still there and the chart moved. Headless Debian Chromium
drives `streamlit run` on a copy of the reports and a database the real ETL builds from them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPORTS, query
from test_browser import ARTIFACTS, CHROMIUM_ARGS, chromium, served_app  # noqa: F401 - fixture
from test_ingest import docx_bytes, pdf_bytes

from etl.pipeline import run

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
DOCX = ["Báo cáo kết quả cải cách hành chính của tỉnh Bắc Ninh",
        "Năm 2023, tỷ lệ hồ sơ giải quyết trực tuyến của tỉnh Bắc Ninh đạt 45,5%."]
PDF = ["Kết quả cải cách hành chính năm 2024 của tỉnh Bắc Ninh",
       "Năm 2024, tỷ lệ hồ sơ giải quyết trực tuyến của tỉnh Bắc Ninh đạt 62,5%."]
CHART = "xu-huong?ind=online_dossier_rate&prov=B%E1%BA%AFc+Ninh&from=2016&to=2025"

# (year, value) of every point the first chart draws for Bắc Ninh.
POINTS_JS = """() => {
    const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    if (!plot || !plot.data) return null;
    const out = [];
    for (const trace of plot.data) {
        const xs = trace.x || [], ys = trace.y || [];
        for (let i = 0; i < xs.length; i++) {
            const cd = trace.customdata ? JSON.stringify(trace.customdata[i]) : "";
            if ((trace.name || "").includes("Bắc Ninh") || cd.includes("Bắc Ninh")) out.push([Number(xs[i]), ys[i]]);
        }
    }
    return out.sort();
}"""


@pytest.fixture
def site(tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(REPORTS, reports)
    db = tmp_path / "cchc.duckdb"
    run(reports, db, progress=False)
    return reports, db


@pytest.fixture
def app_url(site, tmp_path):
    reports, db = site
    with served_app({"CCHC_DB": str(db), "CCHC_REPORTS": str(reports)}, tmp_path / "streamlit.log") as url:
        yield url


def chart_points(page, url: str) -> list:
    page.goto(f"{url}/{CHART}")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .js-plotly-plot')
    page.wait_for_function(f"(({POINTS_JS})() || []).length > 0")
    return [tuple(p) for p in page.evaluate(POINTS_JS)]


def test_upload_docx_and_pdf_correct_a_year_rebuild_and_the_correction_stays(chromium, app_url, site, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    reports, db = site
    files = [tmp_path / "Báo cáo Bắc Ninh.docx", tmp_path / "Kết quả 2024.pdf"]
    files[0].write_bytes(docx_bytes(DOCX))
    files[1].write_bytes(pdf_bytes(PDF))
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1600})
            page.set_default_timeout(60_000)

            # Upload both files on the page for adding reports (the app is opened once first: a new session's
            # first address is the app's root, or Streamlit shows "Page not found" over the page).
            page.goto(app_url)
            page.wait_for_selector("h1")
            page.goto(f"{app_url}/them-bao-cao")
            page.wait_for_selector('h1:has-text("Thêm báo cáo")')
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files([str(f) for f in files])
            page.wait_for_selector("text=Kết quả 2024.pdf")
            page.get_by_role("button", name="Thêm vào cơ sở dữ liệu").click()
            page.wait_for_selector("text=Đã nhận 2 báo cáo.")
            page.screenshot(path=str(ARTIFACTS / "upload_done.png"), full_page=True)
            assert (reports / "bao-cao-bac-ninh.docx").exists() and (reports / "ket-qua-2024.pdf").exists()

            # Their figures are in the chart.
            assert chart_points(page, app_url) == [(2023, 45.5), (2024, 62.5)]

            # Correct the year of the DOCX's figure on the report view.
            page.goto(f"{app_url}/bao-cao?doc=bao-cao-bac-ninh.docx")
            page.wait_for_selector('h1:has-text("Xem báo cáo")')
            page.wait_for_selector("text=Duyệt số liệu")
            page.get_by_text("Sửa", exact=True).click()
            year = page.get_by_label("Năm", exact=True)
            year.wait_for()
            year.fill("2022")
            year.press("Tab")
            reviewer = page.get_by_label("Tên người duyệt", exact=True)
            reviewer.fill("Nguyễn Văn An")
            reviewer.press("Tab")
            page.get_by_role("button", name="Lưu đánh giá").first.click()
            page.wait_for_selector("text=Đã lưu đánh giá (sửa) của Nguyễn Văn An")
            page.screenshot(path=str(ARTIFACTS / "review_saved.png"), full_page=True)
            assert chart_points(page, app_url) == [(2022, 45.5), (2024, 62.5)]

            # Rebuild the database from the reports with the ETL: the correction is still there.
            rebuilt = subprocess.run([sys.executable, "-m", "etl", "run", str(reports), "--db", str(db),
                                      "--no-progress"], cwd=ROOT, capture_output=True, text=True)
            assert rebuilt.returncode == 0, rebuilt.stderr
            assert query(db, "SELECT year, status FROM facts WHERE doc = 'bao-cao-bac-ninh.docx'") == [
                (2022, "corrected")]
            assert chart_points(page, app_url) == [(2022, 45.5), (2024, 62.5)], "the chart moved and stays moved"
            page.screenshot(path=str(ARTIFACTS / "chart_after_rebuild.png"), full_page=True)
        finally:
            browser.close()
