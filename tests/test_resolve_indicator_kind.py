"""What a figure measures (etl/extraction/indicator.py) and whether it is a goal or a result
(etl/extraction/kind.py), with the comparator words the figure grammar reads (etl/figures.py)."""

from datetime import date

import pytest

from tests.resolver_cases import fact_with, facts_with, report

# (why, title, body, value, unit, expected indicator)
INDICATORS = [
    ("a percent of procedures made fully online is a share of services, not of dossiers", "Kế hoạch năm 2024",
     "Toàn trình hóa 100% số thủ tục đủ điều kiện trong năm 2024.", 100, "percent", "online_services_rate"),
    ("procedures moved to online handling", "Tin quý I năm 2021",
     "Thành phố đặt mục tiêu chuyển 70% thủ tục hành chính sang xử lý qua mạng.", 70, "percent",
     "online_services_rate"),
    ("a plan to simplify procedures counts them", "Tin quý III năm 2022",
     "UBND tỉnh đã thông qua phương án đơn giản hóa 46 thủ tục hành chính trong quý.", 46, "count",
     "procedures_simplified"),
    ("procedures handed down to a level", "Tin năm 2025",
     "Từ tháng 7, cấp xã được phân cấp giải quyết 395 thủ tục hành chính.", 395, "count", "procedures_total"),
    ("procedures put online are online services", "Báo cáo 6 tháng năm 2021",
     "Trong tổng số 1.650 thủ tục, tỉnh đã đưa lên môi trường mạng 1.201 thủ tục ở mức độ 3, 4.", 1201, "count",
     "online_services_count"),
    ("services provided online, said with a passive", "Tin năm 2018",
     "Hiện thành phố có 540 dịch vụ công được cung cấp trực tuyến ở mức độ 3.", 540, "count",
     "online_services_count"),
    ("dossiers still under review are pending", "Báo cáo quý I năm 2020",
     "Còn 3.215 hồ sơ đang được cơ quan chuyên môn xem xét.", 3215, "count", "dossiers_pending"),
    ("official: a named rate", "Báo cáo năm 2023",
     "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,2%.", 99.2, "percent", "dossier_on_time_rate"),
    ("reporter: a count and its noun", "Tin năm 2022",
     "Năm 2022, tỉnh đã giải quyết 25.400 hồ sơ.", 25400, "count", "dossiers_resolved"),
    ("an index score said without its name takes its sentence's index", "Tin chỉ số",
     "Ở PAR INDEX 2023, Hà Nội đạt 91,43%.", 91.43, "percent", "par_index_score"),
    ("an index score said without its name takes the topic of the paragraph before", "Công bố chỉ số",
     "Kết quả SIPAS 2023 vừa được công bố.\n\nHải Phòng đạt 88,09%.", 88.09, "percent", "sipas_score"),
    ("'điểm' of PAR INDEX is a percent", "Tin chỉ số",
     "Chỉ số cải cách hành chính của tỉnh đạt 90,1 điểm.", 90.1, "percent", "par_index_score"),
    ("PCI is a score", "Tin PCI",
     "PCI 2022 của tỉnh đạt 72,95 điểm.", 72.95, "score", "pci_score"),
    ("a rank written as a fraction", "Tin PAPI",
     "PAPI 2024 của Hà Nội xếp 29/63.", 29, "rank", "papi_rank"),
    ("a rank among the centrally-run cities is not the national rank", "Tin PAR INDEX",
     "Năm 2023, Hà Nội xếp thứ 3/63 về PAR INDEX, đứng thứ 2 trong 5 thành phố trực thuộc Trung ương.", 2, "rank",
     "other:par_index_rank_among_central_cities"),
    ("…and the national rank beside it stays national", "Tin PAR INDEX",
     "Năm 2023, Hà Nội xếp thứ 3/63 về PAR INDEX, đứng thứ 2 trong 5 thành phố trực thuộc Trung ương.", 3, "rank",
     "par_index_rank"),
    ("a clause naming its own measure does not take the paragraph's index", "Chỉ tiêu",
     "Chỉ số hài lòng đạt trên 90%.\n\nĐến cuối năm 2023, tỷ lệ người dân dùng ví điện tử đạt 50%.", 50, "percent",
     None),
    ("a share of something else is not the index of its paragraph", "Tin PAR INDEX",
     "Tỉnh dẫn đầu PAR INDEX. Tỉnh đã số hóa 70% hồ sơ công việc.", 70, "percent", None),
]


@pytest.mark.parametrize("why,title,body,value,unit,indicator", INDICATORS, ids=[c[0] for c in INDICATORS])
def test_indicator(why, title, body, value, unit, indicator):
    fact = fact_with(report(body, title=title), value, unit)
    if indicator is None:
        assert not fact.indicator.startswith(("par_index", "sipas")), why
    else:
        assert fact.indicator == indicator, why


def test_every_part_of_a_total_listed_after_it_is_a_part():
    found = report("Thành phố cung cấp 1.913 dịch vụ công trực tuyến, trong đó 546 dịch vụ công trực tuyến toàn "
                   "trình và 932 dịch vụ trực tuyến một phần.", title="Kế hoạch dịch vụ công")
    assert fact_with(found, 1913).indicator == "online_services_count"
    assert {fact_with(found, v).indicator for v in (546, 932)} == {"other:online_services_count_part"}


def test_an_index_named_in_the_next_clause_is_not_a_second_index_of_the_rank():
    found = report("Năm 2023, thành phố giữ vị trí thứ hai PAR INDEX, SIPAS tăng 5 bậc.", title="Chỉ số năm 2023")
    assert [f.indicator for f in found if f.unit == "rank" and f.value == 2] == ["par_index_rank"]


def test_both_bounds_of_a_range_measure_one_thing():
    found = report("Thành phố phấn đấu Chỉ số cải cách hành chính tăng tối thiểu 1-2 bậc, SIPAS cải thiện thứ hạng.",
                   title="Kế hoạch năm 2022")
    assert {f.indicator for f in found if f.unit == "rank"} == {"other:par_index_rank_change"}
    assert {f.kind for f in found if f.unit == "rank"} == {"target"}


def test_a_rise_in_par_index_points_is_in_percent():
    found = report("PAR INDEX 2019 của tỉnh đạt 90,09%, nhích thêm 1,03 điểm so với năm 2018.", title="PAR INDEX")
    assert (fact_with(found, 1.03).indicator, fact_with(found, 1.03).unit) == ("other:par_index_score_change",
                                                                               "percent")


def test_a_small_rise_is_a_change_not_the_score():
    found = report("PCI 2023 của tỉnh đạt 67,15 điểm, nhích 0,41 điểm so với năm trước.", title="PCI 2023")
    assert fact_with(found, 67.15).indicator == "pci_score"
    assert fact_with(found, 0.41).indicator == "other:pci_score_change"


def test_a_duration_is_named_by_what_takes_that_long():
    found = report("Năm 2019, thời gian thẩm duyệt phòng cháy chữa cháy còn 20 ngày thay vì 30 ngày.",
                   title="Tin cải cách thủ tục")
    assert {f.indicator for f in found if f.unit == "count"} == {"other:phong_chay_chua_chay"}
    assert fact_with(found, 30).kind == "actual"


def test_several_indices_named_together_are_one_fact_each():
    found = report("Mục tiêu hằng năm của tỉnh là giữ vị trí số 1 cả nước về PCI, PAR INDEX, SIPAS và PAPI.",
                   title="Mục tiêu chỉ số", published=date(2023, 1, 5))
    ranks = facts_with(found, 1, "rank")
    assert sorted(f.indicator for f in ranks) == ["papi_rank", "par_index_rank", "pci_rank", "sipas_rank"]
    assert {f.kind for f in ranks} == {"target"}


def test_indices_of_an_earlier_sentence_are_not_listed_with_a_rank():
    # a long cue elsewhere ("hiệu quả quản trị cấp huyện") must not let the cues just before the sentence in
    body = ("Chỉ số hiệu quả quản trị cấp huyện được công bố lần đầu. Năm 2024 tỉnh xếp thứ tư về PAR INDEX. "
            "Mục tiêu là đứng số 1 cả nước về PAR INDEX và DTI.")
    ranks = facts_with(report(body, title="Chỉ số năm 2024"), 1, "rank")
    assert sorted(f.indicator for f in ranks if f.kind == "target") == ["other:dti_rank", "par_index_rank"]


def test_an_economy_figure_does_not_take_the_clause_with_it():
    found = report("Kế hoạch đặt mục tiêu kinh tế số chiếm 15% GRDP, đồng thời yêu cầu tỷ lệ văn bản điện tử "
                   "đạt 70% ở cấp tỉnh và 50% ở cấp huyện.", title="Kế hoạch chuyển đổi số năm 2023")
    assert not [f for f in found if f.value == 15]
    assert {f.level for f in found if f.value in (70, 50)} == {"province", "district"}
    trade = report("Kim ngạch xuất khẩu đạt 5.200 triệu USD, tăng 12% so với cùng kỳ.", title="Tin năm 2023")
    assert not trade


# (why, title, body, value, unit, expected (kind, comparator))
KINDS = [
    ("purpose: 'nhằm đạt' names a goal", "Tin năm 2024",
     "Thành phố rà soát lại quy trình nhằm đạt 95% hồ sơ giải quyết đúng hạn.", 95, "percent", ("target", "=")),
    ("a colon: the words before it say what follows is a result", "Chỉ số năm 2022",
     "So với yêu cầu giữ vị trí số 1, năm 2022 thành phố mới đạt một phần: thành phố dẫn đầu SIPAS, còn PCI "
     "xếp thứ 4.", 4, "rank", ("actual", "=")),
    ("a colon: the words before it say what follows is a goal", "Kế hoạch năm 2024",
     "Năm 2023 tỉnh đã đạt 91% hồ sơ đúng hạn; kế hoạch năm 2024 đề ra: tỷ lệ hồ sơ trực tuyến 70%.", 70,
     "percent", ("target", "=")),
    ("plan: 'phấn đấu' with 'tối thiểu'", "Kế hoạch năm 2024",
     "Phấn đấu tỷ lệ hồ sơ trực tuyến đạt tối thiểu 60%.", 60, "percent", ("target", ">=")),
    ("result: 'đã' before the figure", "Báo cáo năm 2023",
     "Trung tâm đã tiếp nhận 6.278 hồ sơ.", 6278, "count", ("actual", "=")),
    ("approximate result keeps its comparator", "Tin năm 2023",
     "Thành phố đã giải quyết gần 1.900 hồ sơ.", 1900, "count", ("actual", "~")),
    ("'hơn' is more than", "Tin năm 2023",
     "Thành phố đã giải quyết hơn 6.000 hồ sơ.", 6000, "count", ("actual", ">")),
    ("a rank goal as a band", "Kế hoạch nâng cao chỉ số",
     "Mục tiêu năm 2024 là đưa PCI vào nhóm 10 địa phương dẫn đầu.", 10, "rank", ("target", "<=")),
    ("a result as a band", "Tin PAR INDEX",
     "Năm 2023, PAR INDEX của tỉnh nằm trong top 3 cả nước.", 3, "rank", ("actual", "<=")),
    ("the figure right after the goal it is measured against is the goal", "SIPAS năm 2024",
     "Chỉ số hài lòng đạt 87,2%, vượt chỉ tiêu 85% của kế hoạch.", 85, "percent", ("target", "=")),
    ("the result before 'vượt chỉ tiêu' is the result", "SIPAS năm 2024",
     "Chỉ số hài lòng đạt 87,2%, vượt chỉ tiêu 85% của kế hoạch.", 87.2, "percent", ("actual", "=")),
    ("where a goal starts from is a result", "Kế hoạch PCI",
     "Mục tiêu năm 2020 là nâng điểm PCI từ 73,4 điểm lên 75,3 điểm.", 73.4, "score", ("actual", "=")),
    ("where a goal ends is the goal", "Kế hoạch PCI",
     "Mục tiêu năm 2020 là nâng điểm PCI từ 73,4 điểm lên 75,3 điểm.", 75.3, "score", ("target", "=")),
    ("'chỉ xếp' states a result against a goal", "Đối chiếu mục tiêu",
     "Đối chiếu với yêu cầu đứng số 1, năm 2021 tỉnh mới hoàn thành một phần, PAR INDEX chỉ xếp thứ 2.", 2, "rank",
     ("actual", "=")),
    ("a document number ending a sentence ends it", "Kết quả năm 2025",
     "Thành phố vượt chỉ tiêu nêu trong Kế hoạch số 132/KH-UBND. Từ tháng 9, thời gian giải quyết của 269 thủ tục "
     "đã được cắt giảm.", 269, "count", ("actual", "=")),
    ("the level compared against is a result", "Kế hoạch năm 2022",
     "Thành phố đặt mục tiêu tăng thêm ít nhất 3-5% so với mức 79,73% của năm 2021.", 79.73, "percent",
     ("actual", "=")),
    ("the level a goal set, compared against, is the goal", "PCI năm 2020",
     "Kết quả này vẫn thấp hơn so với mức 75,3 điểm mà tỉnh đặt ra.", 75.3, "score", ("target", "=")),
    ("'đáp ứng yêu cầu' states a result", "Chỉ số năm 2024",
     "PAR INDEX của thành phố đứng thứ 3/63, đáp ứng yêu cầu nằm trong nhóm dẫn đầu.", 3, "rank", ("actual", "=")),
    ("a goal named after a contrast does not make the result before it a goal", "Chỉ số năm 2024",
     "PAPI của Hà Nội xếp thứ 29/63, trong khi kế hoạch yêu cầu giữ nhóm cao.", 29, "rank", ("actual", "=")),
    ("'đã' in a relative clause does not make a goal a result", "Kế hoạch số hóa",
     "II. MỤC TIÊU NĂM 2026\nTỷ lệ số hóa hồ sơ của các thủ tục hành chính đã được tiếp nhận và giải quyết mỗi năm "
     "tăng tối thiểu thêm 20%.", 20, "percent", ("target", ">=")),
    ("a goal scope closes at a later sentence of results", "Các chỉ tiêu đến năm 2025",
     "Mục tiêu là 80% hồ sơ trực tuyến toàn trình. Kết quả thực tế còn xa. Theo số liệu mới nhất của bộ, tính đến "
     "tháng 10, hồ sơ toàn trình chiếm 39,98%.", 39.98, "percent", ("actual", "=")),
    ("a streak is a result even under a goal", "Mục tiêu chỉ số",
     "Mục tiêu là giữ ngôi đầu; tỉnh đã đứng đầu PCI năm thứ năm liên tiếp.", 5, "count", ("actual", "=")),
    ("a goal scope in a relative clause frames nothing after it", "PCI năm 2020",
     "Tỉnh đạt 75,09 điểm, thấp hơn mức 75,3 điểm mà tỉnh đặt ra. Đứng thứ hai là Đồng Tháp với 72,8 điểm.",
     72.8, "score", ("actual", "=")),
]


@pytest.mark.parametrize("why,title,body,value,unit,expected", KINDS, ids=[c[0] for c in KINDS])
def test_kind_and_comparator(why, title, body, value, unit, expected):
    fact = fact_with(report(body, title=title), value, unit)
    assert (fact.kind, fact.comparator) == expected, why


def test_a_range_is_two_bounds():
    found = report("Phấn đấu cắt giảm 30-60% thời gian giải quyết thủ tục hành chính.", title="Kế hoạch 2024")
    assert sorted((f.value, f.comparator) for f in found if f.unit == "percent") == [(30, ">="), (60, "<=")]


def test_items_of_a_goal_list_are_targets():
    body = ("Kế hoạch nêu các chỉ tiêu năm 2023 như sau:\n"
            "1. 70% dịch vụ công trực tuyến được thiết kế lại;\n"
            "2. Giải quyết trên môi trường mạng 60% hồ sơ.\n"
            "- 45% người dân có tài khoản định danh.")
    found = report(body, title="Kế hoạch chuyển đổi số", published=date(2023, 2, 1))
    percents = [f for f in found if f.unit == "percent"]
    assert sorted(f.value for f in percents) == [45, 60, 70]
    assert {(f.kind, f.year) for f in percents} == {("target", 2023)}


def test_a_list_introduced_by_results_is_results():
    body = ("Kế hoạch dựa trên kết quả đánh giá năm 2023 như sau:\n"
            "- PAR INDEX: thành phố đạt 91,43%.")
    found = report(body, title="Kế hoạch nâng cao chỉ số", published=date(2024, 6, 1))
    assert fact_with(found, 91.43).kind == "actual"


def test_one_rank_for_the_parts_of_an_index_listed_after_a_colon():
    # with each part's score in brackets, and a count that agrees
    found = report("Báo cáo PAPI 2021 xếp thành phố thứ 5. Thành phố dẫn đầu ở hai nội dung: tham gia của người "
                   "dân ở cấp cơ sở (5,91 điểm) và quản trị môi trường (4,02 điểm).", title="PAPI năm 2021")
    parts = [f for f in facts_with(found, 1, "rank")]
    assert len(parts) == 2 and all(f.indicator.startswith("other:papi_") for f in parts)
    assert len({f.indicator for f in parts}) == 2
    # plain items after "dẫn đầu cả nước:", counted before
    found = report("Có 3 trục nội dung của tỉnh dẫn đầu cả nước: kiểm soát tham nhũng, thủ tục hành chính công và "
                   "quản trị điện tử.", title="PAPI năm 2022")
    assert len({f.indicator for f in facts_with(found, 1, "rank")}) == 3
    # a count that does not agree with the list names no parts
    found = report("Tỉnh dẫn đầu ở bốn nội dung: thủ tục hành chính công (7,1 điểm) và quản trị điện tử (4,2 điểm).",
                   title="PAPI năm 2022")
    assert not [f for f in found if f.value == 1 and f.unit == "rank" and "thu_tuc" in f.indicator]


def test_a_percent_of_another_noun_is_not_the_share_a_cue_names():
    # a share of procedures whose time was cut is not the cut in time itself
    found = report("Năm 2022, 88% thủ tục của huyện được rút ngắn thời gian giải quyết.", title="Tin năm 2022")
    assert fact_with(found, 88, "percent").indicator.startswith("other:")
    found = report("Năm 2022, thời gian giải quyết thủ tục được cắt giảm 35%.", title="Tin năm 2022")
    assert fact_with(found, 35, "percent").indicator == "processing_time_reduction_rate"
    # a share of registrations is not a share of dossiers
    found = report("Năm 2023 hoàn thành 100% việc đăng ký tài khoản trên cổng dịch vụ công trực tuyến.",
                   title="Kế hoạch năm 2023")
    assert fact_with(found, 100, "percent").indicator.startswith("other:")


def test_two_verbs_joined_before_one_count_are_two_facts():
    found = report("Trong quý II/2022, bộ phận một cửa đã tiếp nhận và giải quyết 4.210 hồ sơ.", title="Tin quý II")
    assert sorted(f.indicator for f in facts_with(found, 4210, "count")) == ["dossiers_received", "dossiers_resolved"]
    # one verb, one fact
    found = report("Trong quý II/2022, bộ phận một cửa đã giải quyết 4.210 hồ sơ.", title="Tin quý II")
    assert [f.indicator for f in facts_with(found, 4210, "count")] == ["dossiers_resolved"]


def test_a_narrower_indicator_named_in_the_figures_stretch_wins_over_the_counted_noun():
    found = report("Đến nay 1.050 dịch vụ công trực tuyến của tỉnh đã được đồng bộ, tích hợp lên Cổng Dịch vụ công "
                   "quốc gia.", title="Tin năm 2022", published=date(2022, 7, 1))
    assert fact_with(found, 1050, "count").indicator == "other:services_integrated_national_portal"
    found = report("Đến nay tỉnh có 1.050 dịch vụ công trực tuyến.", title="Tin năm 2022", published=date(2022, 7, 1))
    assert fact_with(found, 1050, "count").indicator == "online_services_count"


def test_a_rate_right_after_its_count_follows_the_count_not_a_narrower_cue_between():
    found = report("Tỉnh cung cấp 610 dịch vụ công trực tuyến mức độ 3 và 4 trên Cổng dịch vụ công quốc gia (đạt tỷ lệ "
                   "35,2%).", title="Tin năm 2020", published=date(2020, 12, 1))
    assert fact_with(found, 610, "count").indicator == "online_services_count"
    assert fact_with(found, 35.2, "percent").indicator == "online_services_rate"
