"""The extract stage alone: a Document in, facts out. Sentences written for these tests."""

from datetime import date

from etl.extract import extract
from etl.normalize import normalize_text
from etl.records import NATIONAL, Document


def doc(text: str, province="Quảng Ninh", place=None, title=None, year=2023, published=None) -> Document:
    text = normalize_text(text)
    return Document(doc_hash="x", file="t.txt", text=text, format="txt", encoding="utf-8",
                    title=title or text.split("\n")[0], published=published, province=province, place=place,
                    source=None, year=year)


def facts_of(text: str, **kw):
    found, flags = extract(doc(text, **kw))
    return found, flags


def by_value(found):
    return {(f.value, f.unit): f for f in found}


def test_actual_dossier_figures_with_indicators_and_rate():
    found, _ = facts_of("Báo cáo năm 2023\nNăm 2023, Trung tâm đã tiếp nhận 42.118 hồ sơ, đã giải quyết 41.902 hồ sơ, "
                        "trong đó đúng hạn và trước hạn 41.870 hồ sơ (99,9%); 32 hồ sơ quá hạn.")
    f = by_value(found)
    assert f[(42118, "count")].indicator == "dossiers_received"
    assert f[(41902, "count")].indicator == "dossiers_resolved"
    assert f[(41870, "count")].indicator == "dossiers_resolved_on_time"
    assert f[(99.9, "percent")].indicator == "dossier_on_time_rate"
    assert f[(32, "count")].indicator == "dossiers_overdue"
    assert {x.kind for x in found} == {"actual"} and {x.year for x in found} == {2023}


def test_targets_with_comparators_and_target_year():
    found, _ = facts_of("Kế hoạch số hóa\nTỉnh đặt mục tiêu đến năm 2025 tỷ lệ hồ sơ trực tuyến đạt tối thiểu 80%; "
                        "100% kết quả giải quyết thủ tục hành chính được số hóa.")
    f = by_value(found)
    assert (f[(80, "percent")].kind, f[(80, "percent")].comparator, f[(80, "percent")].year) == ("target", ">=", 2025)
    assert f[(80, "percent")].indicator == "online_dossier_rate"
    assert f[(100, "percent")].kind == "target" and f[(100, "percent")].indicator == "results_digitized_rate"


def test_one_clause_many_levels_in_order():
    found, _ = facts_of("Kế hoạch\nPhấn đấu tỷ lệ hồ sơ công việc xử lý trên môi trường mạng đạt 95%, 85%, 75% "
                        "đối với cấp tỉnh, cấp huyện, cấp xã.")
    assert [(x.value, x.level) for x in found] == [(95, "province"), (85, "district"), (75, "commune")]
    assert {x.indicator for x in found} == {"e_document_processing_rate"}


def test_ranks_indices_other_provinces_and_national_benchmark():
    found, _ = facts_of("Chỉ số PAR INDEX\nNăm 2023, Chỉ số PAR INDEX của Quảng Ninh đạt 92,1%, xếp thứ 1/63 tỉnh, "
                        "thành phố. Bắc Ninh xếp thứ 4/63. Giá trị trung bình của cả nước đạt 85,3%.")
    f = {(x.value, x.unit, x.province) for x in found}
    assert (92.1, "percent", "Quảng Ninh") in f and (1, "rank", "Quảng Ninh") in f
    assert (4, "rank", "Bắc Ninh") in f and (85.3, "percent", NATIONAL) in f
    assert {x.indicator for x in found if x.unit == "rank"} == {"par_index_rank"}


def test_rank_target_band():
    found, _ = facts_of("Mục tiêu\nPhấn đấu Chỉ số SIPAS nằm trong 10 tỉnh dẫn đầu cả nước.")
    assert [(x.indicator, x.kind, x.comparator, x.value) for x in found] == [("sipas_rank", "target", "<=", 10)]


def test_periods_from_sentence_and_title():
    found, _ = facts_of("Kết quả 6 tháng đầu năm 2024\n"
                        "Trung tâm tiếp nhận 8.000 hồ sơ. Quý I/2024 tiếp nhận 3.900 hồ sơ.")
    assert {x.value: x.period for x in found} == {8000: "H1", 3900: "Q1"}


def test_unmatched_figure_is_kept_as_other():
    found, _ = facts_of("Tin\nĐã tổ chức 14 cuộc kiểm tra và tiếp nhận 27 phản ánh, kiến nghị.")
    assert [(x.value, x.indicator.startswith("other:")) for x in found] == [(14, True), (27, True)]


def test_title_and_body_stating_a_figure_once():
    text = "Tỉnh giải quyết 5.400 hồ sơ trong quý I\nTrong quý I, Trung tâm đã giải quyết 5.400 hồ sơ."
    found, _ = facts_of(text)
    assert len([x for x in found if x.value == 5400]) == 1


def test_a_title_restating_a_body_figure_in_other_words_is_one_fact_with_the_named_indicator():
    # the title names the measure, the body says it in words no indicator has
    text = ("Huyện trả trước hạn 68% hồ sơ trong quý III\n"
            "Trong quý III, 68% hồ sơ được trả kết quả sớm hơn ngày hẹn với người dân.")
    found, _ = facts_of(text)
    restated = [x for x in found if x.value == 68]
    assert [x.indicator for x in restated] == ["dossier_on_time_rate"]
    assert "sớm hơn ngày hẹn" in restated[0].evidence


def test_district_place_from_the_text():
    found, _ = facts_of("Tin\nThị xã Quảng Yên đã tiếp nhận 7.250 hồ sơ.")
    assert (found[0].place, found[0].level) == ("Quảng Yên", "district")


def test_parts_that_do_not_add_up_are_flagged_and_both_loaded():
    found, flags = facts_of("Tin\nĐã tiếp nhận 1.000 hồ sơ (tiếp nhận mới 700 hồ sơ, kỳ trước chuyển sang 200 hồ sơ).")
    assert {x.value for x in found} == {1000, 700, 200}
    assert [fl.flag for fl in flags] == ["parts_do_not_add_up"]


def test_evidence_is_the_text_at_the_offsets():
    d = doc("Tin\nNăm 2023 đã giải quyết 3.210 hồ sơ, đạt 99,2% đúng hạn.")
    found, _ = extract(d)
    for f in found:
        assert d.text[f.start:f.end] == f.evidence


def test_unknown_province_is_not_guessed():
    found, _ = facts_of("Tin\nTrung tâm đã tiếp nhận 1.500 hồ sơ.", province=None)
    assert found[0].province is None


def test_economy_figures_are_not_facts():
    found, _ = facts_of("Tin\nNăm 2023, GRDP của tỉnh tăng 10,2%; tỷ lệ hồ sơ trực tuyến đạt 60%.")
    assert [x.value for x in found] == [60]


def test_extract_does_not_invent_a_year_the_document_lacks():
    found, _ = facts_of("Tin\nTrung tâm đã tiếp nhận 900 hồ sơ.", year=None, published=date(2021, 5, 2))
    assert found[0].year is None  # the Document's year is settled by metadata; extract uses it as given


def test_table_columns_say_target_or_actual_and_year():
    found, _ = facts_of("Kết quả\nChỉ tiêu | Kế hoạch năm 2025 | Thực hiện năm 2024\n"
                        "Tỷ lệ thanh toán trực tuyến | 60% | 48,5%\n")
    assert [(x.value, x.kind, x.year, x.indicator) for x in found] == [
        (60, "target", 2025, "online_payment_rate"), (48.5, "actual", 2024, "online_payment_rate")]


def test_share_of_a_plan_is_not_the_rate_itself():
    found, _ = facts_of("Tin\nCông tác số hóa hồ sơ đạt 95% kế hoạch.")
    assert (found[0].indicator, found[0].kind) == ("other:dossiers_digitized_rate_of_plan", "actual")


def test_a_district_ranking_on_another_indicator_is_not_the_province_index_rank():
    found, _ = facts_of("Chỉ số cải cách hành chính\nHuyện Vân Đồn dẫn đầu về tỷ lệ hồ sơ trực tuyến với 91,2%.")
    ranks = [x for x in found if x.unit == "rank"]
    assert ranks and ranks[0].indicator == "other:online_dossier_rate_rank" and ranks[0].place == "Vân Đồn"


def test_parallel_clauses_share_the_indicator():
    found, _ = facts_of("Tin\nThị xã Quảng Yên có tỷ lệ hồ sơ trực tuyến đạt 80,1%; huyện Hải Hà đạt 62,4%.")
    assert [(x.place, x.indicator) for x in found] == [("Quảng Yên", "online_dossier_rate"),
                                                       ("Hải Hà", "online_dossier_rate")]


def test_period_phrases_without_the_word_dau():
    found, _ = facts_of("Tin\n6 tháng năm 2024, Trung tâm tiếp nhận 2.100 hồ sơ. "
                        "10 tháng đầu năm tiếp nhận 3.800 hồ sơ.")
    assert {x.value: x.period for x in found} == {2100: "H1", 3800: "YTD"}


def test_a_section_heading_sets_kind_and_year_of_its_bullets():
    found, _ = facts_of("Báo cáo năm 2023\nII. KẾT QUẢ\n- Tỷ lệ hồ sơ trực tuyến đạt 61,5%.\n"
                        "III. NHIỆM VỤ NĂM 2024\n- Tỷ lệ hồ sơ trực tuyến 75%.\n"
                        "- Duy trì Chỉ số SIPAS trong nhóm 5 tỉnh dẫn đầu.")
    assert [(x.value, x.kind, x.year) for x in found] == [(61.5, "actual", 2023), (75, "target", 2024),
                                                          (5, "target", 2024)]


def test_a_goal_in_parentheses_belongs_to_its_own_figure():
    found, _ = facts_of("Tin\nTỷ lệ thanh toán trực tuyến: 58,2% (kế hoạch giao 50%).")
    assert [(x.value, x.kind) for x in found] == [(58.2, "actual"), (50, "target")]


def test_counts_of_inspections_classes_and_staff_but_not_population():
    found, _ = facts_of("Tin\nTổ chức 9 cuộc kiểm tra, 14 lớp tập huấn; tinh giản 85 người. "
                        "Dân số khoảng 1,3 triệu người.")
    assert [x.value for x in found] == [9, 14, 85]


def test_the_country_as_owner_or_as_the_scope_of_a_ranking():
    found, _ = facts_of("Tin\nCả nước hiện có 4.500 dịch vụ công trực tuyến. Toàn quốc đạt tỷ lệ hồ sơ trực tuyến 45%, "
                        "Hải Phòng đạt 60%. Hải Phòng đứng thứ 2 cả nước về Chỉ số SIPAS.", province="Hải Phòng")
    assert [(x.value, x.province) for x in found] == [(4500, NATIONAL), (45, NATIONAL), (60, "Hải Phòng"),
                                                      (2, "Hải Phòng")]


def test_tourism_trade_and_poverty_figures_are_not_facts():
    found, _ = facts_of("Tin\nNăm 2023, tỉnh đón 15,8 triệu lượt khách du lịch; kim ngạch xuất khẩu tăng 12%; "
                        "tỷ lệ hộ nghèo còn 0,5%. Tỷ lệ hồ sơ trực tuyến đạt 70%.")
    assert [(x.indicator, x.value) for x in found] == [("online_dossier_rate", 70)]


def test_an_average_per_day_is_neither_national_nor_the_total():
    found, _ = facts_of("Tin\nBình quân mỗi ngày Trung tâm tiếp nhận 2.000 hồ sơ.", province="Hà Nội")
    assert [(x.province, x.indicator) for x in found] == [("Hà Nội", "other:dossiers_received_average")]


def test_among_few_localities_is_not_national():
    found, _ = facts_of("Tin\nTỉnh nằm trong số ít các địa phương triển khai chữ ký số; "
                        "100% cơ quan dùng văn bản điện tử.")
    assert [x.province for x in found] == ["Quảng Ninh"]


def test_figures_in_lists_of_other_articles_are_not_this_reports():
    found, _ = facts_of("Tin\nNăm 2023, tỉnh đã giải quyết 5.000 hồ sơ.\nẢnh minh họa\nTin liên quan\n"
                        "Hà Nội: 95% hồ sơ được giải quyết đúng hạn\nHải Phòng tiếp nhận 20.000 hồ sơ trực tuyến")
    assert [x.value for x in found] == [5000]


def test_a_goal_for_indices_named_together_applies_to_each():
    found, _ = facts_of("Tin\nPhấn đấu năm 2025 Chỉ số PAR INDEX, SIPAS và PAPI nằm trong nhóm 5 tỉnh dẫn đầu.")
    assert sorted((x.indicator, x.comparator, x.value) for x in found) == [
        ("papi_rank", "<=", 5), ("par_index_rank", "<=", 5), ("sipas_rank", "<=", 5)]


def test_wards_and_communes_after_2025_are_places_at_commune_level():
    found, _ = facts_of("Tin\nPhường Hồng Bàng tiếp nhận 2.350 hồ sơ, tỷ lệ trực tuyến đạt 82%. "
                        "Xã An Hải đạt tỷ lệ hồ sơ trực tuyến 64%.", province="Hải Phòng", year=2025)
    assert [(x.place, x.level, x.indicator) for x in found] == [
        ("Hồng Bàng", "commune", "dossiers_received"), ("Hồng Bàng", "commune", "online_dossier_rate"),
        ("An Hải", "commune", "online_dossier_rate")]
