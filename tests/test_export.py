"""Exported files: names that say what they hold, data that opens in Excel, images that are real images."""

from __future__ import annotations

import io
import os
import struct
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard import charts, export
from dashboard.charts import IndicatorMeta

RATE = IndicatorMeta("online_dossier_rate", "Tỷ lệ hồ sơ trực tuyến", "percent", "up")


def sample_figure():
    points = pd.DataFrame(
        [
            {
                "indicator": "online_dossier_rate",
                "group_province": "Hà Nội",
                "province": "Hà Nội",
                "province_now": "Hà Nội",
                "place": None,
                "year": 2022,
                "unit": "percent",
                "direction": "up",
                "actual_id": 1,
                "actual_value": 98.5,
                "actual_comparator": "=",
                "actual_period": "year",
                "actual_doc": "a.txt",
                "actual_title": "Hà Nội: kết quả cải cách hành chính",
                "actual_published": date(2022, 12, 1),
                "actual_source": None,
                "actual_evidence": "98,5%",
                "target_id": 2,
                "target_value": 30.0,
                "target_comparator": ">=",
                "target_period": "year",
                "target_doc": "b.txt",
                "target_title": "Kế hoạch",
                "target_published": None,
                "target_source": None,
                "target_evidence": "tối thiểu 30%",
                "attainment": "met",
            }
        ]
    )
    fig = charts.targets_chart(points, RATE)
    return charts.for_export(
        fig,
        "Tỷ lệ hồ sơ trực tuyến: mục tiêu và kết quả",
        "Hà Nội · 2018–2022",
        ["Hà Nội: kết quả cải cách hành chính (01/12/2022)"],
    )


def test_file_names_say_what_they_hold():
    stem = export.file_stem("online_dossier_rate", ["Hà Nội", "Hải Phòng", "Quảng Ninh"], 2018, 2022)
    assert stem == "online_dossier_rate_ha-noi_hai-phong_quang-ninh_2018-2022"
    assert export.file_stem("par_index_rank", ["Đà Nẵng"], 2023, 2023, "trend") == "par_index_rank_da-nang_2023_trend"
    assert export.file_stem("other:par_media_items", ["Hà Nội"], 2020, 2021).startswith("other_par_media_items_")


def test_csv_keeps_diacritics_for_excel():
    raw = export.csv_bytes(pd.DataFrame({"province": ["Quảng Ninh"], "value": [99.8]}))
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Quảng Ninh" in raw.decode("utf-8-sig")


def test_xlsx_holds_numbers_as_numbers():
    frame = pd.DataFrame({"province": ["Hải Phòng"], "value": [1525.0], "published": [pd.Timestamp("2022-01-02")]})
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame, "dữ liệu")))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["province", "value", "published"]
    assert sheet["A2"].value == "Hải Phòng" and sheet["B2"].value == 1525


def test_html_is_self_contained():
    html = export.html_bytes(sample_figure()).decode("utf-8")
    assert '<script src="http' not in html, "no library fetched from the network"
    assert len(html) > 1_000_000 and "Plotly.newPlot" in html  # plotly.js is inside
    assert "Tỷ lệ hồ sơ trực tuyến" in html or "T\\u1ef7 l\\u1ec7 h\\u1ed3 s\\u01a1" in html


def png_size(raw: bytes) -> tuple[int, int]:
    assert raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[12:16] == b"IHDR"
    return struct.unpack(">II", raw[16:24])


@pytest.fixture(scope="module")
def exporter():
    if export.chromium_path() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no Chromium on the CI machine: static image export cannot be tested")
        pytest.skip("no Chromium here")
    yield export.EXPORTER


def test_png_is_a_real_image_of_the_expected_size(exporter):
    raw = export.image_bytes(sample_figure(), "png")
    assert png_size(raw) == (export.IMAGE_WIDTH, export.IMAGE_HEIGHT)


def test_svg_and_pdf_carry_title_and_caption(exporter):
    svg = export.image_bytes(sample_figure(), "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "Tỷ lệ hồ sơ trực tuyến" in svg
    assert "Bộ lọc: Hà Nội · 2018–2022" in svg and "Nguồn: Hà Nội: kết quả cải cách hành chính" in svg
    assert export.image_bytes(sample_figure(), "pdf").startswith(b"%PDF")


def test_the_exporter_stays_warm(exporter):
    import time

    export.image_bytes(sample_figure(), "png")
    started = time.perf_counter()
    export.image_bytes(sample_figure(), "png")
    assert time.perf_counter() - started < 3, "each export should reuse the running browser"
