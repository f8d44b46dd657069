"""The map in a real headless Chromium with every request outside the machine blocked: it draws, a click
on a province shows its sentences and adds it to the filter, and the exported PNG and SVG carry the
boundary attribution. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest
from test_browser import ARTIFACTS, CHROMIUM_ARGS, app_url, chromium, png_size  # noqa: F401 - fixtures

from dashboard import export, maps

pytestmark = pytest.mark.browser

ATTRIBUTION = "Ranh giới tỉnh: Open Development Vietnam (CC BY-SA 4.0)"
THREE = ("Hà Nội", "Hải Phòng", "Quảng Ninh")
PLOT = '[data-testid="stPlotlyChart"] .js-plotly-plot'
TRACES_JS = f"""() => {{
    const gd = document.querySelector('{PLOT}');
    if (!gd || !gd.data || !gd._fullLayout.map) return null;
    return gd.data.map(tr => ({{type: tr.type, name: tr.name, locations: Array.from(tr.locations || []),
                               skip: tr.hoverinfo === 'skip'}}));
}}"""
PROJECT_JS = f"""([lon, lat]) => {{
    const map = document.querySelector('{PLOT}')._fullLayout.map._subplot.map;
    const p = map.project([lon, lat]);
    const box = map.getCanvas().getBoundingClientRect();
    return [box.left + p.x, box.top + p.y];
}}"""


def a_province_outside_the_filter(db: Path) -> tuple[str, str, str, int]:
    """(indicator, province, its legacy code, year): a province-level actual of a province other than the
    three, in the indicator's own unit, so the map colours it and a click can add it to the filter."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            """
            SELECT f.indicator, f.province, l.province_code, f.year FROM facts f
            JOIN indicators i ON i.code = f.indicator AND i.unit = f.unit AND i.theme <> 'other'
            JOIN localities l ON l.province = f.province AND l.level = 'province' AND l.era = 'legacy'
            WHERE f.kind = 'actual' AND f.level = 'province' AND f.place IS NULL AND f.year IS NOT NULL
              AND NOT list_contains(?, f.province) AND f.province <> 'Cả nước'
            ORDER BY f.year DESC, f.indicator, f.province LIMIT 1""",
            [list(THREE)],
        ).fetchone()
    finally:
        con.close()
    assert row, "the bundled reports have province-level figures for provinces beyond the three"
    return row


def inside(code: str) -> tuple[float, float]:
    """A point inside the province's largest polygon (a grid search with ray casting: a centroid can fall
    outside a concave shape)."""
    feature = next(f for f in maps.shapes("legacy")["features"] if f["id"] == code)
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    ring = max((p[0] for p in polygons), key=len)

    def contains(x: float, y: float) -> bool:
        hit = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
        return hit

    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    best, depth = None, -1.0
    for i in range(1, 20):
        for j in range(1, 20):
            x = min(xs) + (max(xs) - min(xs)) * i / 20
            y = min(ys) + (max(ys) - min(ys)) * j / 20
            if contains(x, y):
                margin = min(abs(x - px) + abs(y - py) for px, py in ring)  # away from the edge
                if margin > depth:
                    best, depth = (x, y), margin
    assert best, f"no inner point found for {code}"
    return best


def test_map_draws_offline_selects_on_click_and_exports_with_attribution(
    chromium, app_url, etl_db, tmp_path  # noqa: F811 - the fixtures imported above
):
    from PIL import Image
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    indicator, province, code, year = a_province_outside_the_filter(etl_db)
    outside: list[str] = []

    def local_only(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1300}, accept_downloads=True)
            page.set_default_timeout(30_000)
            page.route("**/*", local_only)
            page.goto(f"{app_url}/ban-do?ind={indicator}&myear={year}")
            page.wait_for_selector('h1:has-text("Bản đồ")')
            page.wait_for_function(f"({TRACES_JS})() !== null")
            page.wait_for_selector(f"{PLOT} canvas")
            page.wait_for_timeout(1500)  # MapLibre paints after the figure is built

            # The map draws: 63 shapes, the province coloured, the three outlined, and paint on the canvas.
            traces = page.evaluate(TRACES_JS)
            shapes = {c for tr in traces if not tr["skip"] for c in tr["locations"]}
            assert len(shapes) == 63 and all(tr["type"] == "choroplethmap" for tr in traces)
            coloured = {c for tr in traces if not tr["skip"] and tr["name"] != "Không có số liệu"
                        for c in tr["locations"]}
            assert code in coloured
            outline = next(tr for tr in traces if tr["skip"])
            assert set(outline["locations"]) == {"01", "31", "22"}
            shot = tmp_path / "map.png"
            page.locator(PLOT).screenshot(path=str(shot))
            colours = Image.open(shot).convert("RGB").getcolors(1_000_000)
            assert len(colours) > 50, "the map canvas has shapes painted on it, not a blank area"
            assert page.locator(f"{PLOT} .annotation-text", has_text=ATTRIBUTION).count() == 1

            # A click on the province shows its figures with their sentences and offers to add it.
            heading = page.get_by_role("heading", name=f"{province} · {year}")
            for _ in range(3):  # the first click can land while Streamlit is still re-running
                x, y = page.evaluate(PROJECT_JS, list(inside(code)))
                page.mouse.move(x, y)
                page.wait_for_timeout(300)
                page.mouse.click(x, y)
                try:
                    heading.wait_for(timeout=10_000)
                    break
                except Exception:  # noqa: BLE001 - try the click again
                    continue
            heading.wait_for()
            page.wait_for_selector("blockquote mark")
            page.get_by_role("button", name=f"Thêm {province} vào bộ lọc").click()
            page.wait_for_function(
                f"(() => {{ const t = ({TRACES_JS})(); return t && t.some(tr => tr.skip && "
                f"tr.locations.includes({code!r})); }})()"
            )
            assert province in parse_qs(urlparse(page.url).query).get("prov", []), page.url
            page.get_by_text(f"{province} đang có trong bộ lọc.").wait_for()  # its facts stay shown
            page.mouse.move(0, 0)
            page.screenshot(path=str(ARTIFACTS / "page_map.png"), full_page=True)

            # Export: the PNG is a real image of the export size, and the SVG of the same export holds the
            # attribution as text (the PNG is its raster).
            page.get_by_text("⬇ Tải xuống").first.click()
            files = {}
            for fmt in ("png", "svg"):
                with page.expect_download(timeout=90_000) as download_info:
                    page.locator(f".st-key-map_{fmt} button").click()
                download = download_info.value
                files[fmt] = tmp_path / download.suggested_filename
                download.save_as(files[fmt])
                assert download.suggested_filename.startswith(f"{indicator}_")
            raw = files["png"].read_bytes()
            assert png_size(raw) == (export.IMAGE_WIDTH, export.IMAGE_HEIGHT) and len(raw) > 20_000
            (ARTIFACTS / "export_map.png").write_bytes(raw)
            svg = files["svg"].read_text(encoding="utf-8")
            assert ATTRIBUTION in svg and "Bộ lọc:" in svg and "Nguồn:" in svg
        finally:
            browser.close()
    assert outside == [], f"the page asked the network for {outside[:5]}"
