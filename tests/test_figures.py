"""The number grammar, on sentences written for these tests (not taken from the seed reports)."""

import pytest

from etl.figures import find_figures, parse_number
from etl.lexicon import load_lexicon
from etl.normalize import match_key, normalize_text


def figures(text: str):
    return [(f.value, f.unit, f.comparator, f.denominator) for f in find_figures(match_key(text), load_lexicon())]


@pytest.mark.parametrize("raw, value", [
    ("1.525", 1525), ("99,8", 99.8), ("347.799", 347799), ("1.234.567", 1234567), ("6.39", 6.39),
    ("0.21", 0.21), ("12", 12), ("86,50", 86.5),
])
def test_vietnamese_number_writing(raw, value):
    assert parse_number(raw) == pytest.approx(value)


def test_counts_percentages_fractions_and_approximations():
    text = ("Huyện đã tiếp nhận 12.405 hồ sơ, đúng hạn đạt 98,7%; có 2.031/2.400 TTHC được cung cấp trực tuyến "
            "và khoảng 350 tin, bài được đăng tải.")
    assert figures(text) == [(12405, "count", "=", None), (98.7, "percent", "=", None),
                             (2031, "count", "=", 2400), (350, "count", "~", None)]


@pytest.mark.parametrize("text, expected", [
    ("tỷ lệ đạt tối thiểu 45%", ">="), ("ít nhất 20% hồ sơ", ">="), ("đạt trên 90%", ">"), ("hơn 3.000 hồ sơ", ">"),
    ("không quá 5% hồ sơ", "<="), ("tối đa 10% hồ sơ", "<="), ("dưới 2% hồ sơ", "<"), ("gần 40%", "~"),
    ("khoảng 1.200 hồ sơ", "~"), ("từ 60% trở lên", ">="), ("đạt 97%", "="),
])
def test_comparators(text, expected):
    assert figures(text)[0][2] == expected


def test_ranks_in_numbers_words_and_phrases():
    assert figures("Tỉnh xếp thứ 7/63 tỉnh, thành phố.") == [(7, "rank", "=", 63)]
    assert figures("Thành phố đứng thứ hai cả nước.") == [(2, "rank", "=", None)]
    assert figures("Tỉnh tiếp tục dẫn đầu cả nước.") == [(1, "rank", "=", None)]
    assert figures("phấn đấu nằm trong 15 tỉnh dẫn đầu") == [(15, "rank", "<=", None)]


def test_multipliers():
    assert figures("có trên 2,5 triệu lượt truy cập")[0][:2] == (2_500_000, "count")


@pytest.mark.parametrize("text", [
    "Theo Quyết định số 1291/QĐ-UBND ngày 12/5/2021 của UBND tỉnh",
    "thực hiện Nghị định 45/2020/NĐ-CP",
    "cung cấp dịch vụ công mức độ 3, 4 cho người dân",
    "trong bối cảnh dịch Covid-19 và số ca F0 tăng",
    "áp dụng hệ thống quản lý chất lượng ISO 9001:2015",
    "theo phương châm 5 tại chỗ",
    "Đang online 4521 Tổng lượt truy cập 10293847",
    "Đường dây nóng: 0203.3636.555",
    "Thứ Tư, 12/06/2024, 08:15 [GMT+7]",
    "giai đoạn 2021-2025",
    "Sáng 14-3, đoàn công tác làm việc",
    "với 6 nhóm giải pháp và 3 cấp chính quyền",
])
def test_not_facts(text):
    assert figures(text) == []


def test_tone_placement_and_nonbreaking_space_do_not_change_what_is_found():
    a = figures("Tỷ lệ hồ sơ được số hóa đạt 65,2%")
    b = figures(normalize_text("Tỷ lệ hồ sơ được số hoá đạt\u00a065,2%"))     # the stored text is normalised
    assert a == b == [(65.2, "percent", "=", None)]


@pytest.mark.parametrize("text", ["cắt giảm 30-60% thời gian giải quyết", "từ 30% đến 60% hồ sơ",
                                  "giảm 30 – 60% thời gian"])
def test_a_range_is_two_figures_its_lower_and_upper_bound(text):
    assert figures(text) == [(30, "percent", ">=", None), (60, "percent", "<=", None)]


def test_comparator_words_are_whole_words():
    # "nước đạt" holds "ước đạt" (an estimate): only a whole word counts
    assert figures("Giá trị trung bình của cả nước đạt 82,6%") == [(82.6, "percent", "=", None)]
    assert figures("ước đạt 82,6%") == [(82.6, "percent", "~", None)]


@pytest.mark.parametrize("text, comparator", [
    ("nằm trong top 10 cả nước", "<="), ("không còn trong nhóm 10 địa phương dẫn đầu", ">"), ("rời top 10", ">")])
def test_in_or_out_of_a_band(text, comparator):
    assert [(v, u, c) for v, u, c, _d in figures(text)] == [(10, "rank", comparator)]


def test_a_group_is_a_band_only_where_the_report_says_how_large_it_is():
    from tests.resolver_cases import report
    defined = report("PAPI của tỉnh xếp thứ 15/63, thuộc nhóm 1 - nhóm 16 địa phương có điểm cao nhất.\n\n"
                     "Các mục tiêu năm 2024:\n\n- PAPI tiếp tục ở nhóm 1.", title="Kế hoạch chỉ số")
    assert [(f.kind, f.comparator, f.value) for f in defined if f.kind == "target"] == [("target", "<=", 16)]
    undefined = report("Kế hoạch yêu cầu PAPI duy trì ở nhóm 2.", title="Kế hoạch chỉ số")
    assert [f for f in undefined if f.unit == "rank"] == []


def test_a_change_at_least():
    found = find_figures(match_key("mỗi năm tăng tối thiểu thêm 25% số hồ sơ"), load_lexicon())
    assert [(f.value, f.comparator, f.kind_hint) for f in found] == [(25, ">=", "change")]


def test_a_change_of_rank_as_a_range():
    found = find_figures(match_key("yêu cầu tăng thêm tối thiểu 1-2 bậc so với năm 2021"), load_lexicon())
    assert [(f.value, f.unit, f.comparator, f.kind_hint) for f in found] == [
        (1, "rank", ">=", "rank_change"), (2, "rank", "<=", "rank_change")]


def test_a_range_of_a_change_is_a_change():
    found = find_figures(match_key("đặt mục tiêu tăng thêm ít nhất 3-5% so với năm trước"), load_lexicon())
    assert [(f.value, f.comparator, f.kind_hint) for f in found] == [(3, ">=", "change"), (5, "<=", "change")]


@pytest.mark.parametrize("text, expected", [
    # a unit said once for a list, after its last number or after the first rank word
    ("lần lượt là 80,5; 81,2 và 83,0 điểm", [(80.5, "score"), (81.2, "score"), (83.0, "score")]),
    ("tương ứng các vị trí thứ 12, 7 và 3", [(12, "rank"), (7, "rank"), (3, "rank")]),
    # "điểm" said before the numbers
    ("với số điểm 70,15 (năm 2019), 72,40 (năm 2020) và 73,05", [(70.15, "score"), (72.4, "score"), (73.05, "score")]),
    ("lên thứ 40/63 với tổng điểm 42,118", [(40, "rank"), (42.118, "score")]),
    # a rank as a fraction of the provinces, after a verb that ranks
    ("PAPI của tỉnh xếp 29/63", [(29, "rank")]),
    # a weekday is masked only as part of a dateline, not as an ordinal rank
    ("Thứ Bảy, 31/10/2020, 10:40", []),
    ("cùng giữ vị trí thứ ba, riêng năm 2023", [(3, "rank")]),
    # an ordinal of an edition or a round is not a rank; the head of an agency ranks nothing
    ("kỳ đánh giá thứ 13 của PAR INDEX", []),
    ("người đứng đầu cơ quan chịu trách nhiệm", []),
    # "the leading group" with no number is no rank
    ("giữ PAR INDEX trong nhóm địa phương dẫn đầu toàn quốc", []),
    # the noun counted named before the number ("số … là N")
    ("số hồ sơ trễ hạn là 763.", [(763, "count")]),
    # "mức độ 3, 4" is masked, a count right after it is not
    ("gồm 1.074 dịch vụ mức độ 3 và 198 dịch vụ mức độ 4", [(1074, "count"), (198, "count")]),
    # a year before a list is not part of the list
    ("Đến năm 2025, 80% hồ sơ", [(80, "percent")]),
])
def test_lists_ranks_and_scores(text, expected):
    assert [(v, u) for v, u, _c, _d in figures(text)] == expected
