"""Files people take away: charts as PNG, SVG, PDF and self-contained HTML; data as CSV and XLSX.

Static images are rendered on the server by Plotly's exporter (kaleido) in Debian's Chromium. One
browser is started on the first export and kept warm in a background thread (about 0.1-0.5 s per image
after that, against 3-6 s for a browser per click); requests are served one at a time. Files are built
only when a download button is clicked.
"""

from __future__ import annotations

import asyncio
import atexit
import io
import os
import threading
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import format_year_range, slug

IMAGE_WIDTH = 1200
IMAGE_HEIGHT = 700
IMAGE_FORMATS = ("png", "svg", "pdf")
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORT_TIMEOUT_S = 90


def file_stem(indicator: str, provinces: Iterable[str], year_from: int, year_to: int, chart: str = "") -> str:
    """online_dossier_rate_ha-noi_hai-phong_quang-ninh_2018-2022[_chart]: says what the file holds."""
    parts = [
        slug(indicator).replace("other-", "other_"),
        *(slug(p) for p in provinces),
        format_year_range(year_from, year_to).replace("–", "-"),
    ]
    stem = "_".join(p for p in parts if p)
    if len(stem) > 150:  # many provinces: keep the name usable
        stem = stem[:150].rstrip("_-")
    return f"{stem}_{chart}" if chart else stem


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows the diacritics."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    clean = frame.copy()
    for column in clean.columns:  # Excel has no time zones and no lists
        if isinstance(clean[column].dtype, pd.DatetimeTZDtype):
            clean[column] = clean[column].dt.tz_localize(None)
        elif clean[column].dtype == object:
            clean[column] = [", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v for v in clean[column]]
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        clean.to_excel(writer, sheet_name=sheet[:31], index=False)
        sheet_obj = writer.sheets[sheet[:31]]
        for cells in sheet_obj.columns:
            width = max((len(str(c.value)) for c in cells if c.value is not None), default=8)
            sheet_obj.column_dimensions[cells[0].column_letter].width = min(60, max(10, width + 2))
    return buffer.getvalue()


def html_bytes(fig: go.Figure) -> bytes:
    """A single HTML file with plotly.js inside: opens offline, keeps hover and zoom."""
    return fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False, "responsive": True}).encode(
        "utf-8"
    )


def chromium_path() -> str | None:
    """The Chromium the image exporter would use, or None when the server has none."""
    from choreographer.browsers.chromium import Chromium

    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    return Chromium.find_browser(skip_local=False)


class ImageExporter:
    """One warm Kaleido (one Chromium) on its own event loop thread, shared by every session."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None

    def _start(self) -> None:
        import kaleido

        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="kaleido-exporter", daemon=True).start()

        async def open_browser():
            k = kaleido.Kaleido(n=1, timeout=EXPORT_TIMEOUT_S, mathjax=False)
            await k.__aenter__()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(EXPORT_TIMEOUT_S)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            raise
        self._loop = loop

    def _stop(self) -> None:
        if self._loop is None:
            return
        loop, k = self._loop, self._kaleido
        self._loop, self._kaleido = None, None
        try:
            asyncio.run_coroutine_threadsafe(k.__aexit__(None, None, None), loop).result(20)
        finally:
            loop.call_soon_threadsafe(loop.stop)

    def image(self, fig: go.Figure, fmt: str, width: int = IMAGE_WIDTH, height: int = IMAGE_HEIGHT) -> bytes:
        """fig rendered as png, svg or pdf at width x height pixels (scale 1)."""
        if fmt not in IMAGE_FORMATS:
            raise ValueError(f"unknown image format {fmt!r}")
        opts = {"format": fmt, "width": width, "height": height, "scale": 1}
        spec = fig.to_plotly_json()
        with self._lock:
            for attempt in range(2):
                if self._loop is None:
                    self._start()
                future = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(spec, opts=opts), self._loop)
                try:
                    return future.result(EXPORT_TIMEOUT_S)
                except Exception:
                    # The browser may have died (killed, out of memory): start a fresh one once.
                    self._stop()
                    if attempt == 1:
                        raise
        raise RuntimeError("unreachable")

    def close(self) -> None:
        with self._lock:
            self._stop()


EXPORTER = ImageExporter()
atexit.register(EXPORTER.close)  # do not leave a Chromium behind when the server stops


def image_bytes(fig: go.Figure, fmt: str, width: int = IMAGE_WIDTH, height: int = IMAGE_HEIGHT) -> bytes:
    return EXPORTER.image(fig, fmt, width, height)
