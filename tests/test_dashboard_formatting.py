"""Numbers as a Vietnamese reader writes them, every string in both languages, evidence marked safely."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.evidence import sentence_with_mark, text_with_marks
from dashboard.formatting import format_date, format_number, format_threshold, format_value, slug
from dashboard.i18n import LANGS, STRINGS, indicator_label, other_label, t


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (1525, "1.525", "1,525"),
        (99.8, "99,8", "99.8"),
        (1234567.25, "1.234.567,25", "1,234,567.25"),
        (0, "0", "0"),
        (5115.0, "5.115", "5,115"),
    ],
)
def test_numbers(value, vi, en):
    assert format_number(value, "vi") == vi
    assert format_number(value, "en") == en


def test_values_with_units():
    assert format_value(99.8, "percent") == "99,8%"
    assert format_value(1525, "count") == "1.525"
    assert format_value(3, "rank") == "thứ 3"
    assert format_value(3, "rank", "en") == "no. 3"
    assert format_value(68.2, "score") == "68,2 điểm"
    assert format_value(None, "percent") == "–" and format_value(pd.NA, "count") == "–"


def test_thresholds_say_what_the_target_means():
    assert format_threshold(">=", 30, "percent") == "≥ 30%"
    assert format_threshold("<=", 10, "rank") == "trong nhóm 10 dẫn đầu"
    assert format_threshold("<", 10, "rank", "en") == "top 9"
    assert format_threshold("=", 100, "percent") == "100%"
    assert format_threshold("~", 400, "count") == "≈ 400"


def test_dates():
    assert format_date(date(2020, 3, 23)) == "23/03/2020"
    assert format_date(pd.Timestamp("2020-03-23"), "en") == "23 Mar 2020"
    assert format_date(pd.NaT) == "–"


def test_slugs_drop_diacritics_including_d():
    assert slug("Hải Phòng") == "hai-phong"
    assert slug("Đà Nẵng") == "da-nang"
    assert slug("Bà Rịa - Vũng Tàu") == "ba-ria-vung-tau"


def test_every_string_exists_in_both_languages_with_the_same_placeholders():
    import string

    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGS), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f} for lang in LANGS]
        assert fields[0] == fields[1], key
    assert t("page_targets") == "Mục tiêu và kết quả" and t("page_targets", "en") == "Targets and actuals"


def test_indicator_names_come_from_the_table_and_other_labels_are_readable():
    names = {"online_dossier_rate": ("Tỷ lệ hồ sơ trực tuyến", "Share of dossiers filed online")}
    assert indicator_label("online_dossier_rate", names) == "Tỷ lệ hồ sơ trực tuyến"
    assert indicator_label("online_dossier_rate", names, "en") == "Share of dossiers filed online"
    assert other_label("other:par_media_items") == "Khác: par media items"
    assert indicator_label("other:units_inspected", names, "en") == "Other: units inspected"


def test_sentence_around_a_figure_is_marked_and_escaped():
    text = "Mở đầu. Năm 2020, tỷ lệ đúng hạn đạt 99,8% <tốt>. Câu sau có 6.278 hồ sơ."
    start = text.index("99,8%")
    html = sentence_with_mark(text, start, start + 5)
    assert html == "Năm 2020, tỷ lệ đúng hạn đạt <mark>99,8%</mark> &lt;tốt&gt;."
    later = text.index("6.278")
    assert sentence_with_mark(text, later, later + 5) == "Câu sau có <mark>6.278</mark> hồ sơ."


def test_report_text_marks_every_figure_without_breaking_markup():
    text = "Đạt 98,5% và 1.525 hồ sơ <script>x</script>\nDòng hai"
    a, b = text.index("98,5%"), text.index("1.525")
    html = text_with_marks(
        text, [(a, a + 5, "kết quả", "actual"), (b, b + 5, "mục tiêu", "target"), (b, b + 9, "trùng", "actual")]
    )
    assert html.count("<mark") == 2 and html.count("</mark>") == 2
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "<br>" in html and 'title="trùng | mục tiêu"' in html
