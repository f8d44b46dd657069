"""Year and period of a figure (etl/extraction/time.py), one row per convention of spec/facts.md
("Conventions for time"), each in several voices: a reporter's, an official report's, a plan's, a table's."""

from datetime import date

import pytest

from tests.resolver_cases import fact_with, facts_with, report

# (why, title, body, published, value, unit, expected year, expected period)
CASES = [
    # the sentence's own year
    ("reporter: year said before the figure", "Tin cải cách hành chính",
     "Năm 2021, thành phố tiếp nhận 12.400 hồ sơ trực tuyến.", date(2022, 1, 5), 12400, "count", 2021, "year"),
    ("official: year said after the figure in its clause", "Báo cáo của Sở Nội vụ",
     "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,7% trong năm 2020.", date(2021, 1, 10), 98.7, "percent", 2020, "year"),
    # the year compared against is not the figure's year
    ("comparison: the year after 'so với' is a reference", "Tin tháng 3",
     "Chỉ số hài lòng đạt 84,2%, tăng 2,1% so với năm 2022.", date(2024, 3, 1), 84.2, "percent", 2023, "year"),
    ("a year right after a rank is its own", "PCI qua các năm",
     "Từ vị trí thứ 14 năm 2016 và thứ 13 năm 2017, thành phố lên thứ 9 năm 2019.", date(2024, 5, 1), 13, "rank",
     2017, "year"),
    ("'hơn năm 2023' is a comparison", "Kế hoạch 2024",
     "Mục tiêu SIPAS phải tốt hơn năm 2023, đạt từ 85% trở lên.", date(2024, 6, 1), 85, "percent", 2024, "year"),
    ("where an index's change starts from is the year before", "SIPAS năm 2020",
     "Năm 2020, Hà Nội vươn từ vị trí 52 lên thứ 33/63 về SIPAS.", date(2021, 5, 1), 52, "rank", 2019, "year"),
    ("'kể từ năm 2010' says nothing of the figure's year", "PCI năm 2020",
     "Tỉnh đạt 75,09 điểm PCI, vượt mốc 75 điểm lần đầu kể từ năm 2010.", date(2021, 5, 1), 75.09, "score", 2020,
     "year"),
    ("'kể từ khi … năm 2017' says nothing of the figure's year", "SIPAS năm 2020",
     "Đây là năm thứ ba liên tiếp, kể từ khi bộ đưa chỉ số vào đo lường năm 2017, thành phố đạt 84,3% về SIPAS.",
     date(2021, 5, 1), 84.3, "percent", 2020, "year"),
    ("the year an index was announced in is not its year", "Chỉ số chuyển đổi số",
     "Bộ công bố trong năm 2025 xếp tỉnh thứ 3 cả nước về DTI năm 2024.", date(2025, 12, 1), 3, "rank", 2024,
     "year"),
    # event dates are not the year a figure is for
    ("announcement date is not the index year", "Công bố chỉ số",
     "Tại hội nghị ngày 20/4/2025, tỉnh đứng đầu SIPAS 2024 với 88,1%.", date(2025, 4, 21), 88.1, "percent",
     2024, "year"),
    # a running total's cut-off date gives its year, and the period is YTD
    ("cut-off date: 'tính đến ngày'", "Tin chuyển đổi số",
     "Tính đến ngày 15/8/2023, tỉnh đã tiếp nhận 41.300 hồ sơ trực tuyến.", date(2023, 8, 20), 41300, "count",
     2023, "YTD"),
    ("running total: 'từ đầu năm đến nay'", "Tin chuyển đổi số năm 2022",
     "Từ đầu năm đến nay, trung tâm đã giải quyết 8.120 hồ sơ.", date(2022, 5, 3), 8120, "count", 2022, "YTD"),
    ("'hiện có' in a report that appeared after the year ended is the whole year", "Kết quả năm 2025",
     "Thành phố hiện có 1.560 dịch vụ công trực tuyến.", date(2026, 1, 10), 1560, "count", 2025, "year"),
    ("'đến nay' is the year the report appeared, not its title's", "Chuyển đổi số: hồ sơ qua mạng năm 2022 đạt 55%",
     "Lãnh đạo thành phố cho biết đến nay thành phố đã đưa 100% dịch vụ công trực tuyến lên mức độ 4.",
     date(2023, 10, 13), 100, "percent", 2023, "YTD"),
    ("'hiện có' early in a year is the year just ended", "Kết quả năm 2025",
     "Thành phố hiện có 1.579 dịch vụ công trực tuyến.", date(2026, 1, 12), 1579, "count", 2025, "year"),
    ("a dated cut-off keeps YTD even in a report of the next year", "Kết quả năm 2025",
     "Tính đến ngày 20/11/2025, trung tâm tiếp nhận 6.500 hồ sơ.", date(2026, 1, 10), 6500, "count", 2025, "YTD"),
    ("stock now: a sentence opening with 'Hiện'", "Dịch vụ công năm 2019",
     "Hiện tỉnh có 640 dịch vụ công trực tuyến mức độ 3, 4.", date(2019, 6, 1), 640, "count", 2019, "YTD"),
    ("a stock at the start of a month, in a report of the next year", "Kế hoạch năm 2025",
     "Tính đến đầu tháng 6/2024, cổng dịch vụ công của tỉnh cung cấp 1.850 dịch vụ công.", date(2025, 3, 2), 1850,
     "count", 2024, "YTD"),
    ("a monthly index read at a cut-off is a running total", "Các chỉ số năm 2024",
     "Lũy kế đến tháng 9/2024, bộ chỉ số phục vụ người dân của tỉnh đạt 72,4/100 điểm.", date(2025, 5, 2), 72.4,
     "score", 2024, "YTD"),
    ("a yearly index read at its announcement stays the year", "Các chỉ số năm 2024",
     "Tại hội nghị cuối tháng 4/2025, tỉnh xếp thứ 3 về PAR INDEX 2024.", date(2025, 5, 2), 3, "rank", 2024, "year"),
    # a goal set for every year is the goal of the year the report is about
    ("'hằng năm' inside a term names no year of the goal", "Các chỉ số năm 2023",
     "Trong nhiệm kỳ 2021 - 2025, tỉnh đặt mục tiêu hằng năm đứng thứ nhất về SIPAS.", date(2024, 5, 2), 1,
     "rank", 2023, "year"),
    ("'mỗi năm' in a report without a year of its own: the indices' year", "Tỉnh giữ ngôi đầu",
     "Nghị quyết của Tỉnh ủy giai đoạn 2020 - 2025 yêu cầu mỗi năm đứng đầu cả nước về PAPI.", date(2023, 4, 20),
     1, "rank", 2022, "year"),
    ("a yearly figure inside a report on a running total", "Tin cuối năm 2024",
     "Đến ngày 20/12, thành phố đã tái cấu trúc 150 thủ tục, phát sinh khoảng 1,2 triệu hồ sơ mỗi năm.",
     date(2024, 12, 28), 1200000, "count", 2024, "year"),
    ("how long a procedure may take is not the quarter's count", "Báo cáo quý III năm 2020",
     "Thời gian cấp giấy phép xây dựng giảm còn 12 ngày thay vì 15 ngày như trước.", date(2020, 10, 2), 15,
     "count", 2020, "year"),
    # the years in a numbered document's name are the document's
    ("a plan's span in its name is not the year a result is compared in", "Năm 2023: SIPAS vượt kế hoạch",
     "Đối chiếu với Kế hoạch số 45/KH-UBND về nâng cao SIPAS giai đoạn 2023–2025, tỉnh đạt chỉ tiêu: kế hoạch đề "
     "ra trên 85%, kết quả thực tế 87,1%.", date(2024, 4, 2), 85, "percent", 2023, "year"),
    ("a year the document sets after its name is the goal's", "Chỉ tiêu chuyển đổi số năm 2022",
     "Kế hoạch số 95/KH-UBND đặt mục tiêu trong năm 2023 có 50% hồ sơ được xử lý trực tuyến.", date(2022, 12, 2),
     50, "percent", 2023, "year"),
    # named parts of the year
    ("quarter written with a slash", "Tin quý",
     "Quý II/2019, thành phố giải quyết 15.230 hồ sơ.", date(2019, 7, 2), 15230, "count", 2019, "Q2"),
    ("half year in words", "Sơ kết",
     "Trong 6 tháng đầu năm 2018, huyện tiếp nhận 2.310 hồ sơ.", date(2018, 7, 9), 2310, "count", 2018, "H1"),
    ("nine months as a cut-off", "Báo cáo",
     "Đến hết tháng 9/2020, trung tâm đã tiếp nhận 30.100 hồ sơ.", date(2020, 10, 5), 30100, "count", 2020, "9M"),
    ("a running total inside a report on a named quarter keeps the quarter", "Báo cáo quý III năm 2021",
     "Lũy kế đến ngày 14/9, trung tâm tiếp nhận 9.870 hồ sơ.", date(2021, 10, 1), 9870, "count", 2021, "Q3"),
    # a target's year is the year it must be met, and its period is the year
    ("plan: target 'đến năm 2025'", "Kế hoạch chuyển đổi số",
     "Phấn đấu đến năm 2025 tỷ lệ hồ sơ trực tuyến đạt tối thiểu 80%.", date(2022, 3, 1), 80, "percent",
     2025, "year"),
    # framing: heading, title, paragraph, publication
    ("table/heading: a section heading gives the year", "Báo cáo tổng hợp",
     "II. KẾT QUẢ NĂM 2019\nTrung tâm tiếp nhận 7.450 hồ sơ.", date(2020, 2, 1), 7450, "count", 2019, "year"),
    ("the title's year frames a sentence without one", "Kết quả cải cách hành chính năm 2017",
     "Trung tâm đã giải quyết 3.015 hồ sơ.", date(2018, 1, 15), 3015, "count", 2017, "year"),
    ("the paragraph's year carries to its next sentence", "Tin chỉ số",
     "Kết quả PAR INDEX năm 2022 đã được công bố. Tỉnh đạt 89,4%.", date(2023, 4, 30), 89.4, "percent",
     2022, "year"),
    ("an index with no year at all is last year's", "Tỉnh tiếp tục dẫn đầu PAPI",
     "Tỉnh đạt 45,12 điểm PAPI, cao nhất cả nước.", date(2023, 4, 20), 45.12, "score", 2022, "year"),
    ("a plan of the year quotes the latest index out, last year's", "Kế hoạch nâng cao chỉ số năm 2024",
     "Điểm sáng là chỉ số thành phần chi phí thời gian đạt 7,81 điểm, cao nhất cả nước.", date(2024, 3, 2), 7.81,
     "score", 2023, "year"),
    ("a goal's starting value is the year before the goal", "Mục tiêu PCI năm 2020",
     "1. Nâng điểm PCI từ 70,2 điểm lên 72 điểm;", date(2020, 2, 1), 70.2, "score", 2019, "year"),
    ("a span of years takes its last year", "Tổng kết",
     "Giai đoạn 2016-2020, tỉnh đã cắt giảm 215 thủ tục hành chính.", date(2021, 2, 1), 215, "count", 2020,
     "year"),
]


@pytest.mark.parametrize("why,title,body,published,value,unit,year,period", CASES, ids=[c[0] for c in CASES])
def test_year_and_period(why, title, body, published, value, unit, year, period):
    fact = fact_with(report(body, title=title, published=published), value, unit)
    assert (fact.year, fact.period) == (year, period), why


def test_a_year_after_in_the_same_stretch_beats_one_behind_a_comma():
    found = report("Thành phố giữ vị trí thứ 2 trong các năm 2021 và 2022, trước khi dẫn đầu trở lại năm 2023.",
                   title="PAR INDEX qua các năm")
    assert sorted((f.value, f.year) for f in found if f.unit == "rank") == [(1, 2023), (2, 2021), (2, 2022)]


def test_listed_years_make_one_rank_each():
    found = report("Tỉnh đứng đầu SIPAS các năm 2019, 2020 và 2021.", title="Nhìn lại SIPAS")
    assert sorted(f.year for f in facts_with(found, 1, "rank")) == [2019, 2020, 2021]


def test_years_paired_in_order_with_a_series():
    found = report("Bình quân cả nước từ năm 2019 đến 2021 lần lượt là 84,45%; 85,48% và 87,16% về SIPAS.",
                   title="SIPAS qua các năm")
    assert [(f.value, f.year) for f in found if f.unit == "percent"] == [(84.45, 2019), (85.48, 2020),
                                                                           (87.16, 2021)]


def test_a_past_deadline_is_a_result():
    found = report("Đến năm 2023, con số này đạt 86,98%.", title="PAR INDEX nhìn lại", published=date(2025, 4, 1))
    assert fact_with(found, 86.98).kind == "actual"


def test_a_year_in_brackets_after_a_figure_is_its_own():
    found = report("Tỉnh dẫn đầu PCI với số điểm 72,10 (năm 2019), 74,02 (năm 2020) và 73,51 (năm 2021).",
                   title="PCI qua các năm")
    assert [(f.value, f.year) for f in found if f.unit == "score"] == [(72.1, 2019), (74.02, 2020), (73.51, 2021)]


def test_the_clause_names_its_own_year_first():
    found = report("Thành phố xếp thứ 6 vào năm 2012; đứng thứ 4 trong năm 2014.", title="PAR INDEX qua các năm")
    assert [(f.value, f.year) for f in found if f.unit == "rank"] == [(6, 2012), (4, 2014)]


def test_a_rank_held_with_scores_dated_in_brackets_is_held_each_of_those_years():
    found = report("Năm 2016 tỉnh lần đầu đứng đầu với 68,2 điểm, sau đó liên tục dẫn đầu, với số điểm 70,1 (năm "
                   "2018), 71,5 (năm 2019) và 72,0 (năm 2020).", title="PCI qua các năm", published=date(2021, 5, 1))
    assert sorted(f.year for f in facts_with(found, 1, "rank")) == [2016, 2018, 2019, 2020]
    assert [f.year for f in facts_with(found, 71.5, "score")] == [2019]
