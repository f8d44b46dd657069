"""The one real-browser test: headless Chromium drives the running app.

It loads the app, changes the province filter and sees the chart change (and the URL follow), exports a
PNG and checks it is a real image of the expected size, and saves a screenshot of every page into
test-artifacts/. Chromium is Debian's /usr/bin/chromium (Playwright's own download does not work here).
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest

from dashboard import export

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
THREE = ("Hà Nội", "Hải Phòng", "Quảng Ninh")
PAGES = {"targets": "", "compare": "so-sanh", "trends": "xu-huong", "sources": "nguon", "report": "bao-cao"}
TITLES = {
    "targets": "Mục tiêu và kết quả",
    "compare": "So sánh địa phương",
    "trends": "Xu hướng",
    "sources": "Nguồn số liệu",
    "report": "Xem báo cáo",
}
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer on {url} within {START_TIMEOUT_S} s")


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@contextmanager
def served_app(env_extra: dict[str, str], log_path: Path):
    """The app served by `streamlit run` on a free port with env_extra set, stopped (with its children) afterwards."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env_extra}
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"), "--server.headless",
             "true", "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats",
             "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, server)
            yield url
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)


@pytest.fixture
def app_url(etl_db, tmp_path):
    """The app on the bundled database."""
    with served_app({"CCHC_DB": str(etl_db)}, tmp_path / "streamlit.log") as url:
        yield url


def indicator_in_most_provinces(db: Path) -> tuple[str, list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            """
            SELECT indicator, list(DISTINCT province ORDER BY province) AS provinces FROM facts
            WHERE kind = 'actual' AND level = 'province' AND list_contains(?, province) AND year IS NOT NULL
              AND indicator IN (SELECT code FROM indicators WHERE theme <> 'other')
            GROUP BY indicator ORDER BY len(provinces) DESC, count(*) DESC, indicator LIMIT 1""",
            [list(THREE)],
        ).fetchone()
    finally:
        con.close()
    assert row, "the ETL found no province-level actual for the three provinces"
    return row[0], row[1]


CHART_PROVINCES_JS = """() => {
    const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    if (!plot || !plot.data) return null;
    const found = new Set();
    for (const trace of plot.data) for (const c of (trace.customdata || [])) if (c && c[2]) found.add(c[2]);
    return Array.from(found).sort();
}"""


def png_size(raw: bytes) -> tuple[int, int]:
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert raw[12:16] == b"IHDR"
    return struct.unpack(">II", raw[16:24])


def test_browser_filters_exports_and_screenshots(chromium, app_url, etl_db, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    indicator, provinces = indicator_in_most_provinces(etl_db)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
            page.set_default_timeout(30_000)
            page.goto(f"{app_url}/?ind={indicator}")
            page.wait_for_selector('[data-testid="stPlotlyChart"] .js-plotly-plot')
            page.wait_for_function(f"({CHART_PROVINCES_JS})() !== null")
            before = page.evaluate(CHART_PROVINCES_JS)
            assert set(before) == set(provinces)

            # Change the province filter: remove all but one of the chosen provinces.
            keep = provinces[-1]
            for province in [p for p in THREE if p != keep]:
                page.get_by_role("button", name=f"Remove {province}").click()
                page.wait_for_timeout(300)
            page.wait_for_function(f"JSON.stringify(({CHART_PROVINCES_JS})()) === JSON.stringify([{keep!r}])")
            assert page.evaluate(CHART_PROVINCES_JS) == [keep]
            assert parse_qs(urlparse(page.url).query).get("prov") == [keep], page.url

            # Follow a figure back to its sentence: click a point, read its fact, open its report.
            point = page.locator('[data-testid="stPlotlyChart"] .scatterlayer .trace .points path').first
            box = point.bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_selector("text=Số liệu của các điểm đã chọn")
            # the fact cards render just after their heading: wait for the marked figure itself
            page.wait_for_selector("blockquote mark")
            assert page.locator("blockquote mark").count() > 0, "the sentence shows its figure marked"
            page.mouse.move(0, 0)

            # Export the chart as PNG: built on the server on click.
            page.get_by_text("⬇ Tải xuống").first.click()
            with page.expect_download(timeout=60_000) as download_info:
                page.locator(".st-key-targets_png button").click()
            download = download_info.value
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            assert download.suggested_filename.startswith(f"{indicator}_") and saved.suffix == ".png"
            assert png_size(saved.read_bytes()) == (export.IMAGE_WIDTH, export.IMAGE_HEIGHT)
            (ARTIFACTS / "export.png").write_bytes(saved.read_bytes())

            page.get_by_role("link", name="Mở báo cáo").first.click()
            page.wait_for_selector('h1:has-text("Xem báo cáo")')
            page.wait_for_selector("mark")
            assert "doc" in parse_qs(urlparse(page.url).query), page.url

            # Every page, as a person sees it, for the record (a tall window: Streamlit scrolls inside).
            page.set_viewport_size({"width": 1440, "height": 2400})
            for name, path in PAGES.items():
                page.goto(f"{app_url}/{path}?ind={indicator}")
                page.wait_for_selector(f'h1:has-text("{TITLES[name]}")')
                page.wait_for_timeout(1500)  # let charts finish drawing
                assert not page.locator('[data-testid="stException"]').count()
                page.screenshot(path=str(ARTIFACTS / f"page_{name}.png"), full_page=True)
        finally:
            browser.close()
