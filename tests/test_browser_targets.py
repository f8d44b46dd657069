"""Real browser, first page: it answers at its own address, opens on the indicator with the most pairs, shows
met / not-met marks and the summary counts, and a click on a count shows those points' sentences."""

from __future__ import annotations

import re

import pytest
from conftest import query
from test_browser import ARTIFACTS, CHROMIUM_ARGS, app_url, chromium  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

THREE = ("Hà Nội", "Hải Phòng", "Quảng Ninh")
MARKS_JS = """() => {
    const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    if (!plot || !plot.data) return null;
    const marks = [];
    for (const trace of plot.data) if (Array.isArray(trace.text)) for (const s of trace.text) if (s) marks.push(s);
    return marks;
}"""


def counts_in_db(db, indicator: str) -> dict[str, int]:
    rows = query(db, """SELECT attainment, count(*) FROM target_actual_pairs
                        WHERE indicator = ? AND level = 'province' AND list_contains(?, province) GROUP BY ALL""",
                 [indicator, list(THREE)])
    counts = dict(rows)
    counts["targets"] = sum(counts.values())
    return counts


def test_first_page_shows_verdicts_and_counts_that_open_their_sentences(chromium, app_url, etl_db):  # noqa: F811
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    most = query(etl_db, """SELECT indicator FROM target_actual_pairs
                            WHERE level = 'province' AND list_contains(?, province)
                              AND indicator IN (SELECT code FROM indicators WHERE theme <> 'other')
                            GROUP BY indicator
                            ORDER BY count(*) FILTER (WHERE attainment IN ('met', 'not_met')) DESC, count(*) DESC,
                                     indicator LIMIT 1""", [list(THREE)])[0][0]
    expected = counts_in_db(etl_db, most)
    assert expected.get("met", 0) + expected.get("not_met", 0) > 0, "no target met or missed on the bundled data"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1400})
            page.set_default_timeout(30_000)
            # The menu's entry for the first page is its own address, and that address opens it (a fresh
            # server's very first session on any address but / shows Streamlit's "Page not found": the app is
            # opened at / first, as a person opens it).
            page.goto(app_url)
            page.wait_for_selector('h1:has-text("Mục tiêu và kết quả")')
            link = page.locator('[data-testid="stSidebarNav"] a', has_text="Mục tiêu và kết quả")
            assert link.get_attribute("href").split("?")[0].endswith("/muc-tieu")
            page.goto(f"{app_url}/muc-tieu")
            page.wait_for_selector('h1:has-text("Mục tiêu và kết quả")')
            page.wait_for_timeout(500)
            assert page.get_by_text("Page not found").count() == 0
            page.wait_for_function(f"({MARKS_JS})() !== null")
            assert re.search(rf"[?&]ind={most}(&|$)", page.url), page.url  # opened on the most pairs

            marks = page.evaluate(MARKS_JS)
            assert ("✓" in marks) == bool(expected.get("met")) and ("✗" in marks) == bool(expected.get("not_met"))

            for key in ("targets", "met", "not_met", "in_progress", "no_actual"):
                label = page.locator(f".st-key-summary_{key} button").inner_text()
                assert int(re.search(r"(\d+)\s*$", label).group(1)) == expected.get(key, 0), (key, label)

            key = "met" if expected.get("met") else "not_met"
            page.locator(f".st-key-summary_{key} button").click()
            box = page.locator(".st-key-summary_points")
            box.wait_for()
            box.locator("blockquote mark").first.wait_for()
            assert f": {expected[key]} điểm" in box.locator("h3").first.inner_text()
            # each point shows its target's sentence and its actual's sentence
            assert box.locator("blockquote mark").count() >= 2 * expected[key]
            page.screenshot(path=str(ARTIFACTS / "targets_summary.png"), full_page=True)
        finally:
            browser.close()
