"""The gazetteer through its public API, on sentences of the bundled reports and sentences written for these tests."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl.normalize import match_key, normalize_text
from etl.places import Gazetteer, PlaceMention

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.load()


def report(name: str) -> str:
    return normalize_text((REPORTS / name).read_text(encoding="utf-8"))


def line_of(name: str, needle: str) -> tuple[str, int, int]:
    """A report's full text and the span of the line holding `needle` (the needle must be there)."""
    text = report(name)
    at = text.index(needle)
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text, start, len(text) if end < 0 else end


def in_span(mentions: list[PlaceMention], start: int, end: int) -> list[PlaceMention]:
    return [m for m in mentions if start <= m.start and m.end <= end]


def simple(text: str, mentions: list[PlaceMention]) -> list[tuple]:
    return [(text[m.start:m.end], m.province, m.place, m.level) for m in mentions]


# --- the two eras -------------------------------------------------------------------------


def test_province_counts_per_era(gz):
    assert len(gz.provinces_legacy) == 63
    assert len(gz.provinces_2025) == 34
    assert set(gz.provinces) == set(gz.provinces_legacy) | set(gz.provinces_2025)
    assert list(gz.provinces) == sorted(set(gz.provinces), key=gz.provinces.index)   # no duplicates
    for name in ("Hà Nội", "Hải Phòng", "Quảng Ninh", "Thái Nguyên", "Cà Mau", "Bình Dương", "Thanh Hóa",
                 "Hòa Bình", "Khánh Hòa", "Hồ Chí Minh", "Hải Dương", "Thừa Thiên Huế", "Bà Rịa - Vũng Tàu"):
        assert name in gz.provinces_legacy, name
    assert "Huế" in gz.provinces_2025 and "Thừa Thiên Huế" not in gz.provinces_2025
    assert "Hải Dương" not in gz.provinces_2025


def test_province_today(gz):
    assert gz.province_today("Hải Dương") == "Hải Phòng"
    assert gz.province_today("Hà Nội") == "Hà Nội"
    assert gz.province_today("Cả nước") == "Cả nước"
    assert gz.province_today("Thừa Thiên Huế") == "Huế"
    assert gz.province_today("Bình Dương") == "Hồ Chí Minh"
    assert gz.province_today("Bà Rịa - Vũng Tàu") == "Hồ Chí Minh"
    assert gz.province_today("Bắc Giang") == "Bắc Ninh"
    assert gz.province_today("Hà Giang") == "Tuyên Quang"
    for p in gz.provinces_legacy:
        assert gz.province_today(p) in gz.provinces_2025, p
    for p in gz.provinces_2025:
        assert gz.province_today(p) == p
    assert set(gz.provinces_merged_into("Hải Phòng")) == {"Hải Phòng", "Hải Dương"}


def test_localities_frame(gz):
    df = gz.localities_frame()
    assert list(df.columns) == ["era", "province", "place", "place_type", "level", "province_2025", "province_code"]
    counts = df.groupby(["era", "level"]).size().to_dict()
    assert counts[("legacy", "province")] == 63
    assert counts[("2025", "province")] == 34
    assert 690 <= counts[("legacy", "district")] <= 720
    assert ("2025", "district") not in counts                        # no district level after 1 July 2025
    assert 3000 <= counts[("2025", "commune")] <= 3500
    assert 9000 <= counts[("legacy", "commune")] <= 10600
    assert set(df["era"]) == {"legacy", "2025"}
    assert set(df["level"]) == {"province", "district", "commune"}
    assert set(df["province_2025"]) == set(gz.provinces_2025)
    assert df["province"].notna().all() and df["place_type"].notna().all()
    assert df.loc[df["level"] == "province", "place"].isna().all()
    assert df.loc[df["level"] != "province", "place"].notna().all()
    assert not df.duplicated().any()
    legacy = df[(df["era"] == "legacy") & (df["level"] == "province")].set_index("province")
    assert legacy.loc["Hải Dương", "province_2025"] == "Hải Phòng"
    # official codes, per era: Hải Dương was 30; today's Hải Phòng keeps 31; Thừa Thiên Huế and Huế are 46
    assert legacy.loc["Hải Dương", "province_code"] == "30" and legacy.loc["Hải Phòng", "province_code"] == "31"
    assert legacy.loc["Thừa Thiên Huế", "province_code"] == "46"
    assert gz.province_code("Huế", "2025") == "46" and gz.province_code("Hải Dương", "2025") is None
    assert gz.province_code("Lào Cai", "legacy") == "10" and gz.province_code("Lào Cai", "2025") == "15"
    assert df["province_code"].str.fullmatch(r"\d\d").all()
    for era, n in (("legacy", 63), ("2025", 34)):
        assert df.loc[(df["era"] == era) & (df["level"] == "province"), "province_code"].nunique() == n
    assert legacy.loc["Hà Nội", "place_type"] == "Thành phố"
    assert legacy.loc["Quảng Ninh", "place_type"] == "Tỉnh"
    districts = df[df["level"] == "district"]
    assert set(districts["place_type"]) == {"Quận", "Huyện", "Thị xã", "Thành phố"}
    row = districts[(districts["province"] == "Quảng Ninh") & (districts["place"] == "Uông Bí")]
    assert row["place_type"].tolist() == ["Thành phố"]
    assert not districts["place"].str.contains(r"\(").any()          # the package's "(Huyện)" tags dropped
    new = df[df["era"] == "2025"]
    assert set(new["province"]) == set(gz.provinces_2025)
    assert "Đặc khu" in set(new["place_type"])
    # a copy: callers cannot spoil the cached frame
    df.loc[:, "province"] = "spoilt"
    assert "spoilt" not in set(gz.localities_frame()["province"])


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("TP. Hà Nội", "Hà Nội"), ("thành phố Hà Nội", "Hà Nội"), ("Thành phố Hà Nội", "Hà Nội"),
    ("tỉnh Quảng Ninh", "Quảng Ninh"), ("Tỉnh Quảng Ninh", "Quảng Ninh"), ("HẢI PHÒNG", "Hải Phòng"),
    ("Quang Ninh", "Quảng Ninh"), ("Hai Duong", "Hải Dương"), ("Thanh Hoá", "Thanh Hóa"),
    ("Thanh Hóa", "Thanh Hóa"), ("Khánh Hoà", "Khánh Hòa"), ("Hoà Bình", "Hòa Bình"),
    ("TP.HCM", "Hồ Chí Minh"), ("TP Hồ Chí Minh", "Hồ Chí Minh"), ("Sài Gòn", "Hồ Chí Minh"),
    ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"),
    ("Thừa Thiên Huế", "Thừa Thiên Huế"), ("Thừa Thiên - Huế", "Thừa Thiên Huế"), ("Huế", "Huế"),
    ("Đăk Lăk", "Đắk Lắk"), ("Thủ đô Hà Nội", "Hà Nội"),
    ("Cả nước", None), ("Uông Bí", None), ("thành phố", None), ("Thủ đô", None), ("", None),
])
def test_canonical_province(gz, name, expected):
    assert gz.canonical_province(name) == expected


@pytest.mark.parametrize("name, province, expected", [
    ("Uông Bí", None, ("Quảng Ninh", "Uông Bí")),
    ("thành phố Uông Bí", None, ("Quảng Ninh", "Uông Bí")),
    ("TP Hạ Long", None, ("Quảng Ninh", "Hạ Long")),
    ("TP. Hạ Long", None, ("Quảng Ninh", "Hạ Long")),
    ("quận Lê Chân", None, ("Hải Phòng", "Lê Chân")),
    ("thị xã Quảng Yên", "Quảng Ninh", ("Quảng Ninh", "Quảng Yên")),
    ("huyện Bạch Long Vỹ", None, ("Hải Phòng", "Bạch Long Vĩ")),        # y/i spelling
    ("Quận 1", None, ("Hồ Chí Minh", "Quận 1")),
    ("Kỳ Sơn", None, None),                                          # Nghệ An and (former) Hòa Bình
    ("Kỳ Sơn", "Nghệ An", ("Nghệ An", "Kỳ Sơn")),
    ("Kinh Môn", "Hải Phòng", ("Hải Dương", "Kinh Môn")),            # legacy Hải Dương, today Hải Phòng
    ("Uông Bí", "Hà Nội", None),                                     # not in that province
    ("thành phố Hà Nội", None, None),                                # a province, not a place
    ("phường Trúc Bạch", "Hà Nội", ("Hà Nội", "Trúc Bạch")),
    ("phường Trúc Bạch", None, None),                                # communes need the province
    ("Hoành Bồ", None, ("Quảng Ninh", "Hoành Bồ")),                  # former district, from the yaml
])
def test_canonical_place(gz, name, province, expected):
    assert gz.canonical_place(name, province) == expected


# --- mentions in the reports ----------------------------------------------------------------


def test_tp_ha_long_is_a_district_of_quang_ninh(gz):
    text, s, e = line_of("004_f0b46b6ebb7b8b14.txt", "Cán bộ Trung tâm Hành chính công TP Hạ Long")
    found = in_span(gz.find(text), s, e)
    assert simple(text, found) == [("TP Hạ Long", "Quảng Ninh", "Hạ Long", "district")]
    assert found[0].era == "legacy"


def test_quan_le_chan_in_a_hai_phong_report(gz):
    text, s, e = line_of("000_bb99a3d641310269.txt", "tại quận Lê Chân")
    found = in_span(gz.find(text, prefer_province="Hải Phòng"), s, e)
    assert ("quận Lê Chân", "Hải Phòng", "Lê Chân", "district") in simple(text, found)


def test_tp_dot_ha_noi_is_the_province(gz):
    text = normalize_text("Năm 2023, TP. Hà Nội xếp thứ 3/63 về chỉ số cải cách hành chính.")
    found = gz.find(text)
    assert simple(text, found) == [("TP. Hà Nội", "Hà Nội", None, "province")]
    assert found[0].era == "both"


def test_tp_without_space(gz):
    text = normalize_text("Năm 2022, TP.Hải Phòng đặt mục tiêu đưa 60% hồ sơ lên mạng.")
    assert simple(text, gz.find(text))[0] == ("TP.Hải Phòng", "Hải Phòng", None, "province")


def test_a_list_of_provinces_in_order(gz):
    text = normalize_text("Quảng Ninh dẫn đầu bảng xếp hạng. Tiếp đó là Hải Phòng, Hà Nội, Bắc Giang, Đà Nẵng.")
    found = gz.find(text)
    assert [m.province for m in found] == ["Quảng Ninh", "Hải Phòng", "Hà Nội", "Bắc Giang", "Đà Nẵng"]
    assert all(m.level == "province" and m.place is None for m in found)
    assert next(m for m in found if m.province == "Bắc Giang").era == "legacy"   # merged into Bắc Ninh


def test_sipas_ranking_names(gz):
    text = normalize_text("Về SIPAS, Quảng Ninh đứng đầu; xếp sau tỉnh Quảng Ninh là Thái Nguyên, Cà Mau, Bình "
                          "Dương, Thanh Hóa, Bình Thuận, Cao Bằng, Quảng Nam, Bắc Kạn và Lạng Sơn.")
    provinces = [m.province for m in gz.find(text)]
    assert provinces == ["Quảng Ninh", "Quảng Ninh", "Thái Nguyên", "Cà Mau", "Bình Dương", "Thanh Hóa",
                         "Bình Thuận", "Cao Bằng", "Quảng Nam", "Bắc Kạn", "Lạng Sơn"]


def test_thanh_pho_alone_is_no_mention(gz):
    text, s, e = line_of("000_bb99a3d641310269.txt", "UBND thành phố tiếp tục chọn chủ đề")
    sentence_end = text.index("Đẩy mạnh", s)
    found = in_span(gz.find(text), s, sentence_end)
    assert [text[m.start:m.end] for m in found] == ["thành phố Hải Phòng"]
    assert gz.find("UBND thành phố tiếp tục chọn chủ đề hành động; Thành phố xác định") == []


def test_thanh_pho_of_a_central_city_is_the_province(gz):
    text, s, e = line_of("000_bb99a3d641310269.txt", "Ngày 12/3/2020, UBND thành phố Hải Phòng")
    found = in_span(gz.find(text), s, e)
    assert simple(text, found)[0] == ("thành phố Hải Phòng", "Hải Phòng", None, "province")


def test_person_named_like_a_province_is_no_place(gz):
    text, s, e = line_of("003_493336a0ed8b66d0.txt",
                         "Phó Thủ tướng Thường trực Chính phủ Trương Hòa Bình chủ trì")
    found = in_span(gz.find(text), s, e)
    assert "Hòa Bình" not in [m.province for m in found]
    assert [m.province for m in found] == ["Hải Phòng"]


def test_byline_and_author_names_are_no_places(gz):
    text, s, e = line_of("003_493336a0ed8b66d0.txt", "HẢI HẬU – An ninh Hải Phòng")
    found = in_span(gz.find(text, prefer_province="Nam Định"), s, e)      # Hải Hậu is a Nam Định district
    assert simple(text, found) == [("Hải Phòng", "Hải Phòng", None, "province")]
    text, s, e = line_of("000_bb99a3d641310269.txt", "Phạm Thị Thanh Hà")
    assert in_span(gz.find(text, prefer_province="Hải Dương"), s, e) == []   # Thanh Hà: a Hải Dương district


def test_bare_districts_need_the_preferred_province(gz):
    text = normalize_text("Khảo sát ở thành phố Hà Nội chọn mẫu tại Hoàn Kiếm, Đống Đa, Sơn Tây, Đông Anh, Quốc Oai, "
                          "Ba Vì.")
    s, e = 0, len(text)
    found = in_span(gz.find(text, prefer_province="Hà Nội"), s, e)
    districts = [(m.province, m.place) for m in found if m.level == "district"]
    six = ("Hoàn Kiếm", "Đống Đa", "Sơn Tây", "Đông Anh", "Quốc Oai", "Ba Vì")
    assert districts == [("Hà Nội", p) for p in six]
    assert [m.level for m in in_span(gz.find(text), s, e)] == ["province"]   # 'thành phố Hà Nội' only
    assert [m.level for m in in_span(gz.find(text, prefer_province="Quảng Ninh"), s, e)] == ["province"]


def test_island_district_with_y_spelling(gz):
    text, s, e = line_of("009_haiphong-622-dvc-truc-tuyen-2017.txt", "huyện đảo Bạch Long Vỹ")
    found = [m for m in in_span(gz.find(text), s, e) if m.level == "district"]
    assert simple(text, found) == [("huyện đảo Bạch Long Vỹ", "Hải Phòng", "Bạch Long Vĩ", "district")]


def test_all_reports_mentions_are_sorted_disjoint_and_offsets_hold(gz):
    for path in sorted(REPORTS.glob("*.txt")):
        text = normalize_text(path.read_text(encoding="utf-8"))
        key = match_key(text)
        for prefer in (None, "Hà Nội", "Hải Phòng", "Quảng Ninh"):
            found = gz.find(text, key, prefer)
            assert found == gz.find(text, prefer_province=prefer)        # key is optional
            for a, b in zip(found, found[1:], strict=False):
                assert a.end <= b.start
            for m in found:
                assert 0 <= m.start < m.end <= len(text)
                assert m.level in ("province", "district", "commune")
                assert m.era in ("legacy", "2025", "both")
                assert m.province is None or m.province in gz.provinces
                assert (m.place is None) == (m.level == "province")


# --- rules on made-up sentences -------------------------------------------------------------


def test_tone_placement_and_case(gz):
    for spelling in ("Hòa Bình", "Hoà Bình", "HÒA BÌNH", "HOÀ BÌNH", "tỉnh Hoà Bình"):
        found = gz.find(f"Kết quả của {spelling} năm 2023")
        assert [(m.province, m.level) for m in found] == [("Hòa Bình", "province")], spelling
    assert [m.province for m in gz.find("Thanh Hoá và Khánh Hoà")] == ["Thanh Hóa", "Khánh Hòa"]
    # the common words stay words
    assert gz.find("vì hòa bình và phát triển; Hòa bình là khát vọng; bình định giá cả") == []


def test_word_boundaries(gz):
    found = gz.find("Báo Hà Nội Mới; Hà Nội-Hải Phòng")
    assert [m.province for m in found] == ["Hà Nội", "Hà Nội", "Hải Phòng"]
    assert gz.find("BHà Nội, Hà Nộii") == []


def test_thanh_pho_of_a_provincial_capital_is_the_district(gz):
    found = gz.find("thành phố Thanh Hóa, tỉnh Thanh Hóa và Thanh Hóa")
    assert [(m.province, m.place, m.level) for m in found] == [
        ("Thanh Hóa", "Thanh Hóa", "district"),
        ("Thanh Hóa", None, "province"),
        ("Thanh Hóa", None, "province"),
    ]


def test_ho_chi_minh_needs_the_city_word(gz):
    found = gz.find("TP.HCM, TPHCM, TP Hồ Chí Minh và Thành phố Hồ Chí Minh; học tập tư tưởng Hồ Chí Minh")
    assert [m.province for m in found] == ["Hồ Chí Minh"] * 4


def test_district_type_words(gz):
    found = gz.find("thị xã Quảng Yên, thành phố Uông Bí, TP. Hạ Long, huyện Ba Vì, quận 1 "
                    "và Thành phố Thủ Đức")
    assert [(m.province, m.place) for m in found] == [
        ("Quảng Ninh", "Quảng Yên"), ("Quảng Ninh", "Uông Bí"), ("Quảng Ninh", "Hạ Long"),
        ("Hà Nội", "Ba Vì"), ("Hồ Chí Minh", "Quận 1"), ("Hồ Chí Minh", "Thủ Đức")]
    assert all(m.level == "district" and m.era == "legacy" for m in found)
    assert gz.find("các quận, huyện, thị xã; xã, phường, thị trấn", prefer_province="Hà Nội") == []


def test_shared_district_name_resolves_through_the_preference(gz):
    assert [m.province for m in gz.find("huyện Kỳ Sơn")] == [None]
    assert [m.province for m in gz.find("huyện Kỳ Sơn", prefer_province="Nghệ An")] == ["Nghệ An"]
    assert [m.place for m in gz.find("huyện Kỳ Sơn")] == ["Kỳ Sơn"]
    # 'huyện Quảng Ninh' is a district of Quảng Bình, 'tỉnh Quảng Ninh' the province
    found = gz.find("tỉnh Quảng Ninh và huyện Quảng Ninh")
    assert [(m.province, m.place) for m in found] == [("Quảng Ninh", None), ("Quảng Bình", "Quảng Ninh")]


def test_communes_only_with_prefix_and_preferred_province(gz):
    sentence = "tại phường Trúc Bạch và xã Ba Vì; Trúc Bạch"
    assert gz.find(sentence) == []
    found = gz.find(sentence, prefer_province="Hà Nội")
    assert [(m.place, m.level) for m in found] == [("Trúc Bạch", "commune"), ("Ba Vì", "commune")]
    assert found[0].era == "legacy" and found[1].era == "both"
    found = gz.find("phường Lê Chân và quận Lê Chân", prefer_province="Hải Phòng")
    assert [(m.place, m.level, m.era) for m in found] == [("Lê Chân", "commune", "2025"),
                                                          ("Lê Chân", "district", "legacy")]
    found = gz.find("đặc khu Phú Quốc")
    assert [(m.province, m.place, m.era) for m in found] == [("An Giang", "Phú Quốc", "2025")]


def test_person_and_street_words_before_a_bare_name(gz):
    found = gz.find("chị Thanh Xuân, đường Hoàn Kiếm, Nguyễn Đông Anh; quận Thanh Xuân và Đông Anh",
                    prefer_province="Hà Nội")
    assert [(m.place, m.level) for m in found] == [("Thanh Xuân", "district"), ("Đông Anh", "district")]
    assert gz.find("Châu Á - Thái Bình Dương") == []


def test_mention_is_frozen_and_gazetteer_a_singleton(gz):
    m = gz.find("tỉnh Quảng Ninh")[0]
    assert m == PlaceMention(0, 15, "Quảng Ninh", None, "province", "both")
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.start = 3  # type: ignore[misc]
    assert Gazetteer.load() is gz


# --- speed ----------------------------------------------------------------------------------


def test_load_is_fast_in_a_fresh_process():
    code = (
        "import time, pandas, yaml\n"
        "t = time.perf_counter()\n"
        "from etl.places import Gazetteer\n"
        "Gazetteer.load()\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert float(out.stdout.strip()) < 0.5


def test_find_on_a_5kb_report_is_fast(gz):
    text = report("001_34358847cef5cf50.txt")[:5000]
    key = match_key(text)
    gz.find(text, key, "Hà Nội")
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(100):
            gz.find(text, key, "Hà Nội")
        best = min(best, (time.perf_counter() - t) / 100)
    assert best < 0.5e-3, f"find() took {best * 1e3:.3f} ms on 5 KB"
