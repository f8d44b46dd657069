"""Province, place and level of a figure (etl/extraction/place.py): owners named in the sentence, the
paragraph's subject, the country, levels named with the figure or by the report's title."""

import pytest

from etl.records import NATIONAL
from tests.resolver_cases import fact_with, facts_with, report

# (why, title, body, report's province, value, unit, expected (province, place, level))
CASES = [
    ("reporter: another province named before its figure", "Bảng xếp hạng PAR INDEX",
     "Quảng Ninh đứng đầu với 92,18%, sau đó là Hải Phòng với 91,81%.", "Quảng Ninh", 91.81, "percent",
     ("Hải Phòng", None, "province")),
    ("official: the country's average", "Báo cáo chỉ số",
     "Giá trị trung bình của cả nước đạt 86,98%.", "Hà Nội", 86.98, "percent", (NATIONAL, None, "province")),
    ("national count: 63/63 provinces", "Tổng kết",
     "Đã có 63/63 tỉnh, thành phố kết nối cổng dịch vụ công.", "Hà Nội", 63, "count",
     (NATIONAL, None, "province")),
    ("a district with its type word", "Tin Quảng Ninh",
     "Thành phố Uông Bí đã giải quyết 4.120 hồ sơ trong năm.", "Quảng Ninh", 4120, "count",
     ("Quảng Ninh", "Uông Bí", "district")),
    ("a level named with the figure", "Báo cáo năm 2023",
     "Tỷ lệ hồ sơ trực tuyến ở cấp xã đạt 61,5%.", "Hải Phòng", 61.5, "percent", ("Hải Phòng", None, "commune")),
    ("the paragraph's subject carries to a sentence without an owner", "Ba địa phương trên bảng PAR INDEX",
     "Hải Phòng là đối thủ đáng gờm. Thành phố đạt 91,8% năm 2021.", "Hà Nội", 91.8, "percent",
     ("Hải Phòng", None, "province")),
    ("'tỉnh này' is the province named just before", "Tin PAR INDEX",
     "Đứng đầu năm nay vẫn là Quảng Ninh. Tỉnh này đạt 91,06%.", "Hà Nội", 91.06, "percent",
     ("Quảng Ninh", None, "province")),
    ("the owner named after the rank: 'Đứng đầu bảng là …'", "Tin PAR INDEX",
     "Đứng đầu bảng là Quảng Ninh với 90,1%.", "Hà Nội", 1, "rank", ("Quảng Ninh", None, "province")),
    ("'số 1 toàn quốc' ranks within the country", "Tin PAR INDEX",
     "TP Hải Phòng xếp vị trí số 1 toàn quốc với 96,17/100 điểm.", "Hải Phòng", 96.17, "percent",
     ("Hải Phòng", None, "province")),
    ("an aside between dashes owns nothing after it", "SIPAS 2024",
     "Tỉnh Hải Dương – địa phương sẽ hợp nhất với Hải Phòng từ ngày 1/7/2025 – đứng thứ 3 cả nước về SIPAS.",
     "Hải Phòng", 3, "rank", ("Hải Dương", None, "province")),
    ("ranking words before 'cả nước' keep the province", "Tin chỉ số",
     "Tỉnh đứng thứ 2 cả nước về PCI.", "Quảng Ninh", 2, "rank", ("Quảng Ninh", None, "province")),
]


@pytest.mark.parametrize("why,title,body,province,value,unit,expected", CASES, ids=[c[0] for c in CASES])
def test_owner_and_level(why, title, body, province, value, unit, expected):
    fact = fact_with(report(body, title=title, province=province), value, unit)
    assert (fact.province, fact.place, fact.level) == expected, why


def test_a_place_below_the_province_is_a_commune_after_july_2025():
    from datetime import date
    found = report("Đặc khu Cát Hải đã tiếp nhận 6.520 hồ sơ trong năm.", title="Kết quả năm 2025",
                   province="Hải Phòng", published=date(2026, 1, 12))
    fact = fact_with(found, 6520)
    assert (fact.place, fact.level) == ("Cát Hải", "commune")


def test_the_title_level_is_the_report_level():
    found = report("Các xã, phường đã tiếp nhận 52.300 hồ sơ.", title="Cấp xã ở Hà Nội tiếp nhận hồ sơ",
                   province="Hà Nội")
    assert fact_with(found, 52300).level == "commune"


def test_one_figure_for_several_levels_in_order():
    found = report("Phấn đấu tỷ lệ văn bản điện tử đạt 90%, 80% và 60% lần lượt ở cấp tỉnh, cấp huyện, cấp xã.",
                   title="Kế hoạch năm 2024")
    assert [(f.value, f.level) for f in found if f.unit == "percent"] == [(90, "province"), (80, "district"),
                                                                           (60, "commune")]


def test_the_provinces_a_leader_tops_are_not_a_count():
    found = report("PAR INDEX 2023 của tỉnh đạt 92,18%, dẫn đầu 63 tỉnh, thành phố.", title="PAR INDEX 2023")
    assert not [f for f in found if f.unit == "count"]


def test_a_set_of_provinces_is_not_a_count():
    found = report("Tỉnh nằm trong nhóm 5 địa phương dẫn đầu về SIPAS.", title="SIPAS 2023")
    assert not [f for f in found if f.unit == "count"]
    assert [f.comparator for f in facts_with(found, 5, "rank")] == ["<="]


def test_provinces_named_after_a_band_each_with_its_own_score():
    found = report("Cùng nhóm 4 địa phương dẫn đầu SIPAS năm 2023 còn có Bắc Ninh (88,4%), Đồng Nai (87,9%) và "
                   "Cà Mau (87,1%).", title="SIPAS 2023")
    assert sorted(f.province for f in facts_with(found, 4, "rank")) == ["Bắc Ninh", "Cà Mau", "Đồng Nai"]
    # each bracketed score stays with the province just before it
    assert [f.province for f in facts_with(found, 87.9, "percent")] == ["Đồng Nai"]
