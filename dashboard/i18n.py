"""Every word the dashboard shows, in Vietnamese (default) and English, diacritics everywhere.

Pages and charts ask for a key and a language; nothing user-visible is written elsewhere, so a missing
translation is a KeyError in the tests rather than a mixed-language page.
"""

from __future__ import annotations

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

STRINGS: dict[str, dict[str, str]] = {
    # app and navigation
    "app_title": {
        "vi": "Cải cách hành chính: so sánh địa phương",
        "en": "Administrative reform: comparing localities",
    },
    "page_targets": {"vi": "Mục tiêu và kết quả", "en": "Targets and actuals"},
    "page_compare": {"vi": "So sánh địa phương", "en": "Compare localities"},
    "page_trends": {"vi": "Xu hướng", "en": "Trends"},
    "page_sources": {"vi": "Nguồn số liệu", "en": "Sources"},
    "page_report": {"vi": "Xem báo cáo", "en": "Report view"},
    "page_map": {"vi": "Bản đồ", "en": "Map"},
    "english": {"vi": "English", "en": "English"},
    # filters
    "filters": {"vi": "Bộ lọc", "en": "Filters"},
    "provinces": {"vi": "Tỉnh, thành phố", "en": "Provinces"},
    "years": {"vi": "Năm", "en": "Years"},
    "theme": {"vi": "Nhóm chỉ tiêu", "en": "Indicator group"},
    "indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "level": {"vi": "Cấp hành chính", "en": "Administrative level"},
    "kind": {"vi": "Loại số liệu", "en": "Figures"},
    "today_provinces": {
        "vi": "Gộp theo tỉnh sau sắp xếp 2025",
        "en": "Group by provinces after the 2025 merger",
    },
    "today_provinces_help": {
        "vi": "Tắt: mỗi báo cáo theo tỉnh tại thời điểm đó. Bật: tỉnh cũ hiện dưới tỉnh hiện nay "
        "(Hải Dương thuộc Hải Phòng).",
        "en": "Off: each report under its province at the time. On: former provinces shown under today's "
        "(Hải Dương under Hải Phòng).",
    },
    "no_indicator_data": {"vi": "chưa có số liệu", "en": "no data"},
    "copy_link": {
        "vi": "Bộ lọc nằm trong địa chỉ trang: sao chép đường dẫn để mở lại đúng góc nhìn này.",
        "en": "The filters are in the page address: copy the link to reopen this exact view.",
    },
    # themes
    "theme_indices": {"vi": "Chỉ số và xếp hạng", "en": "Indices and rankings"},
    "theme_procedures": {"vi": "Thủ tục hành chính", "en": "Procedures"},
    "theme_dossiers": {"vi": "Hồ sơ", "en": "Dossiers"},
    "theme_online": {"vi": "Dịch vụ công trực tuyến", "en": "Online services"},
    "theme_egov": {"vi": "Chính quyền điện tử", "en": "E-government"},
    "theme_staff": {"vi": "Cán bộ, công chức", "en": "Staff"},
    "theme_other": {"vi": "Chỉ tiêu khác", "en": "Other figures"},
    "other_prefix": {"vi": "Khác", "en": "Other"},
    # levels, kinds, periods
    "level_province": {"vi": "Cấp tỉnh", "en": "Province"},
    "level_district": {"vi": "Cấp huyện", "en": "District"},
    "level_commune": {"vi": "Cấp xã", "en": "Commune"},
    "kind_both": {"vi": "Mục tiêu và kết quả", "en": "Targets and actuals"},
    "kind_target": {"vi": "Mục tiêu", "en": "Targets"},
    "kind_actual": {"vi": "Kết quả", "en": "Actuals"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "actual": {"vi": "Kết quả", "en": "Actual"},
    "period_year": {"vi": "cả năm", "en": "full year"},
    "period_Q1": {"vi": "quý I", "en": "Q1"},
    "period_Q2": {"vi": "quý II", "en": "Q2"},
    "period_Q3": {"vi": "quý III", "en": "Q3"},
    "period_Q4": {"vi": "quý IV", "en": "Q4"},
    "period_H1": {"vi": "6 tháng đầu năm", "en": "first half"},
    "period_9M": {"vi": "9 tháng", "en": "nine months"},
    "period_YTD": {"vi": "từ đầu năm", "en": "year to date"},
    # attainment
    "att_met": {"vi": "Đạt", "en": "Met"},
    "att_not_met": {"vi": "Chưa đạt", "en": "Not met"},
    "att_no_actual": {"vi": "Chưa có kết quả", "en": "No actual yet"},
    "att_no_target": {"vi": "Không có mục tiêu", "en": "No target"},
    "att_in_progress": {"vi": "Đang thực hiện", "en": "In progress"},
    "trend_on_track": {"vi": "đúng tiến độ", "en": "on track"},
    "trend_behind": {"vi": "chậm tiến độ", "en": "behind"},
    "progress_so_far": {"vi": "kết quả đến nay", "en": "progress so far"},
    "target_national": {"vi": "Mục tiêu cả nước", "en": "National target"},
    "legend_national_target": {
        "vi": "Mục tiêu cả nước (tham chiếu, tỉnh chưa đặt mục tiêu riêng)",
        "en": "National target (benchmark where the province set none)",
    },
    "legend_path": {"vi": "Lộ trình tới mục tiêu", "en": "Path to the target"},
    "target_by": {"vi": "mục tiêu đến năm {year} (đặt năm {set_year})", "en": "target by {year} (set in {set_year})"},
    "disagreement": {
        "vi": "các báo cáo nêu số khác nhau ({n} báo cáo)",
        "en": "reports state different values ({n} reports)",
    },
    "stated_by": {"vi": "nêu trong {n} báo cáo", "en": "stated by {n} reports"},
    "also_stated": {"vi": "Cùng số liệu này còn được nêu ở: ", "en": "The same figure is also stated in: "},
    "summary_targets": {"vi": "Mục tiêu", "en": "Targets"},
    "summary_heading": {
        "vi": "Tổng hợp cho bộ lọc đang chọn — nhấp vào một con số để xem các điểm đó và câu gốc:",
        "en": "Summary for the filters in force — click a count to see those points and their sentences:",
    },
    "summary_national": {
        "vi": "Trong đó {n} so với mục tiêu cả nước (tỉnh chưa đặt mục tiêu riêng).",
        "en": "Of which {n} against the national target (the province set none of its own).",
    },
    "summary_shown": {"vi": "{status}: {n} điểm", "en": "{status}: {n} points"},
    "summary_none": {"vi": "Không có điểm nào.", "en": "No points."},
    "summary_close": {"vi": "Đóng", "en": "Close"},
    # chart words
    "year": {"vi": "Năm", "en": "Year"},
    "province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "place": {"vi": "Địa bàn", "en": "Place"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "national": {"vi": "Cả nước", "en": "Nationwide"},
    "national_benchmark": {"vi": "Cả nước (tham chiếu)", "en": "Nationwide (benchmark)"},
    "rank_axis": {"vi": "Thứ hạng (1 là cao nhất)", "en": "Rank (1 is best)"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "sources": {"vi": "Nguồn", "en": "Sources"},
    "report": {"vi": "Báo cáo", "en": "Report"},
    "published": {"vi": "Ngày đăng", "en": "Published"},
    "no_date": {"vi": "không rõ ngày", "en": "undated"},
    "former_province": {"vi": "{old} (cũ, nay thuộc {today})", "en": "{old} (former, now part of {today})"},
    "chart_targets_title": {
        "vi": "{indicator}: mục tiêu và kết quả",
        "en": "{indicator}: targets and actuals",
    },
    "chart_compare_title": {
        "vi": "{indicator}: so sánh giữa các địa phương",
        "en": "{indicator}: localities side by side",
    },
    "chart_overview_title": {
        "vi": "Kết quả mới nhất so với mục tiêu — {theme}",
        "en": "Latest actual against target — {theme}",
    },
    "chart_trends_title": {
        "vi": "{indicator}: xu hướng qua các năm",
        "en": "{indicator}: trend over the years",
    },
    "legend_target_line": {"vi": "Mục tiêu (ngưỡng cần vượt)", "en": "Target (threshold to clear)"},
    "legend_rank_band": {"vi": "Mục tiêu xếp hạng (nhóm dẫn đầu)", "en": "Rank target (top band)"},
    "filters_line": {"vi": "Bộ lọc: {filters}", "en": "Filters: {filters}"},
    "sources_line": {"vi": "Nguồn: {sources}", "en": "Sources: {sources}"},
    "and_more": {"vi": "và {n} báo cáo khác", "en": "and {n} more reports"},
    "hover_target": {"vi": "Mục tiêu", "en": "Target"},
    "hover_actual": {"vi": "Kết quả", "en": "Actual"},
    # pages
    "targets_intro": {
        "vi": "Mỗi địa phương, mỗi năm: kết quả (điểm) so với mục tiêu (vạch ngang là ngưỡng cần vượt; "
        "dải màu là nhóm xếp hạng cần đạt). Chọn điểm trên biểu đồ để xem câu gốc trong báo cáo.",
        "en": "Each locality, each year: the actual (dot) against the target (the tick is the threshold to "
        "clear; the band is the ranking to reach). Select points on the chart to see the sentence "
        "in the report.",
    },
    "compare_intro": {
        "vi": "Cùng một chỉ tiêu, các địa phương cạnh nhau; bảng tổng hợp kết quả mới nhất so với mục tiêu.",
        "en": "The same indicator, localities side by side; an overview of the latest actual against target.",
    },
    "trends_intro": {
        "vi": "Chỉ tiêu qua các năm, mỗi đường một địa phương; đường đứt nét là số liệu cả nước khi có.",
        "en": "The indicator across the years, one line per locality; the dashed line is the national "
        "figure where the data has it.",
    },
    "sources_intro": {
        "vi": "Mọi số liệu đều dẫn về câu gốc: chọn một dòng để xem câu có con số được đánh dấu.",
        "en": "Every figure leads back to its sentence: select a row to see it with the figure marked.",
    },
    "report_intro": {
        "vi": "Toàn văn báo cáo, mọi con số đã trích xuất được đánh dấu.",
        "en": "The report's full text, every extracted figure marked.",
    },
    "attainment_table": {"vi": "Bảng đối chiếu", "en": "Target-against-actual table"},
    "attainment": {"vi": "Đánh giá", "en": "Attainment"},
    "selected_facts": {"vi": "Số liệu của các điểm đã chọn", "en": "Facts behind the selected points"},
    "select_hint": {
        "vi": "Chọn điểm (nhấp, hoặc kéo khung) trên biểu đồ để xem câu gốc.",
        "en": "Select points (click, or drag a box) on the chart to see their sentences.",
    },
    "sentence": {"vi": "Câu gốc", "en": "Sentence"},
    "evidence": {"vi": "Trích dẫn", "en": "Evidence"},
    "open_report": {"vi": "Mở báo cáo", "en": "Open the report"},
    "all_indicators": {
        "vi": "Mọi chỉ tiêu (không chỉ chỉ tiêu đang chọn)",
        "en": "All indicators (not only the selected one)",
    },
    "facts_table": {"vi": "Bảng số liệu", "en": "Facts table"},
    "n_facts": {"vi": "{n} số liệu", "en": "{n} facts"},
    "choose_report": {"vi": "Báo cáo", "en": "Report"},
    "no_title": {"vi": "(không có tiêu đề)", "en": "(untitled)"},
    "report_meta": {
        "vi": "Ngày đăng: {date} · Nguồn: {source} · Tỉnh: {province} · {n} số liệu",
        "en": "Published: {date} · Source: {source} · Province: {province} · {n} facts",
    },
    "unknown": {"vi": "không rõ", "en": "unknown"},
    "reading_warnings": {"vi": "Cảnh báo khi đọc tệp: {warnings}", "en": "Reading warnings: {warnings}"},
    "quality_flags": {"vi": "Chỗ không khớp trong báo cáo", "en": "Disagreements inside the report"},
    "overview_heading": {
        "vi": "Tổng hợp: kết quả mới nhất so với mục tiêu",
        "en": "Overview: latest actual against target",
    },
    "overview_none": {
        "vi": "Chưa có số liệu nào của nhóm «{theme}» cho các địa phương và năm đã chọn.",
        "en": "No figures of the group “{theme}” for the chosen localities and years.",
    },
    # gaps
    "gap_none_at_all": {
        "vi": "Chưa có số liệu nào về «{indicator}» ({level}) trong cơ sở dữ liệu.",
        "en": "The database has no figure at all for “{indicator}” ({level}).",
    },
    "gap_filtered": {
        "vi": "Không có số liệu về «{indicator}» cho {provinces} trong {years} ({level}).",
        "en": "No figures for “{indicator}” for {provinces} in {years} ({level}).",
    },
    "gap_exists": {
        "vi": "Số liệu hiện có của chỉ tiêu này:",
        "en": "What the data holds for this indicator:",
    },
    "gap_row": {
        "vi": "{province}: mục tiêu {targets}; kết quả {actuals}",
        "en": "{province}: targets {targets}; actuals {actuals}",
    },
    "gap_no_years": {"vi": "không có", "en": "none"},
    "gap_missing_in_view": {
        "vi": "Trong phạm vi đang chọn còn thiếu:",
        "en": "Missing within the chosen view:",
    },
    "gap_target_no_actual": {
        "vi": "{province} {year}: có mục tiêu {target}, chưa có kết quả.",
        "en": "{province} {year}: target {target}, no actual yet.",
    },
    "gap_province_missing": {
        "vi": "{province}: không có số liệu nào của chỉ tiêu này trong {years}.",
        "en": "{province}: no figure for this indicator in {years}.",
    },
    "gap_only_kind": {
        "vi": "Đang chỉ xem «{kind}»: có {n} số liệu loại còn lại bị ẩn.",
        "en": "Showing only “{kind}”: {n} figures of the other kind are hidden.",
    },
    "no_provinces": {
        "vi": "Chưa chọn tỉnh, thành phố nào: hãy chọn ít nhất một địa phương ở thanh bên.",
        "en": "No province chosen: pick at least one in the sidebar.",
    },
    "no_national": {
        "vi": "Dữ liệu không có số liệu cả nước cho chỉ tiêu này, nên không có đường tham chiếu.",
        "en": "The data has no national figure for this indicator, so there is no benchmark line.",
    },
    # map (dashboard/maps.py, pages/map.py)
    "map_intro": {
        "vi": "Mỗi tỉnh, thành phố tô màu theo số liệu của năm đã chọn, hoặc theo đánh giá mục tiêu. "
        "Nhấp vào một tỉnh để xem các câu gốc; các tỉnh đang chọn ở bộ lọc được viền đậm.",
        "en": "Each province coloured by its figure for the chosen year, or by its target's verdict. "
        "Click a province to see the sentences behind it; the provinces of the filter are outlined.",
    },
    "map_title": {"vi": "{indicator}: bản đồ năm {year}", "en": "{indicator}: map of {year}"},
    "map_era_legacy": {
        "vi": "Bản đồ 63 tỉnh, thành phố (trước 1/7/2025).",
        "en": "Map of the 63 provinces (before 1 July 2025).",
    },
    "map_era_2025": {
        "vi": "Bản đồ 34 tỉnh, thành phố (từ 1/7/2025); tỉnh cũ hiện trong tỉnh hiện nay.",
        "en": "Map of the 34 provinces (from 1 July 2025); former provinces shown within today's.",
    },
    "map_year": {"vi": "Năm trên bản đồ", "en": "Year on the map"},
    "map_mode": {"vi": "Tô màu theo", "en": "Colour by"},
    "map_mode_value": {"vi": "Kết quả", "en": "Actual value"},
    "map_mode_verdict": {"vi": "Đánh giá so với mục tiêu", "en": "Verdict against target"},
    "map_no_data": {"vi": "Không có số liệu", "en": "No data"},
    "map_several": {
        "vi": "Nhiều tỉnh cũ có số liệu riêng:",
        "en": "Several former provinces have figures of their own:",
    },
    "map_several_legend": {"vi": "Nhiều tỉnh cũ (xem chi tiết)", "en": "Several former provinces (see hover)"},
    "map_reports": {"vi": "Nguồn: {n} báo cáo", "en": "Sources: {n} reports"},
    "map_report_one": {"vi": "Nguồn: 1 báo cáo", "en": "Source: 1 report"},
    "map_sources_count": {"vi": "{n} báo cáo", "en": "{n} reports"},
    "map_unit_percent": {"vi": "Tỷ lệ (%)", "en": "Rate (%)"},
    "map_unit_rank": {"vi": "Thứ hạng", "en": "Rank"},
    "map_unit_score": {"vi": "Điểm", "en": "Score"},
    "map_unit_count": {"vi": "Số lượng", "en": "Count"},
    "map_rank_best": {"vi": "(1 là tốt nhất)", "en": "(1 is best)"},
    "map_higher_better": {"vi": "(cao hơn là tốt hơn)", "en": "(higher is better)"},
    "map_lower_better": {"vi": "(thấp hơn là tốt hơn)", "en": "(lower is better)"},
    "map_att_in_progress": {"vi": "Đang thực hiện", "en": "In progress"},
    "map_outlined": {"vi": "Đang chọn ở bộ lọc", "en": "Chosen in the filter"},
    "map_attribution": {
        "vi": "Ranh giới tỉnh: Open Development Vietnam (CC BY-SA 4.0)",
        "en": "Province boundaries: Open Development Vietnam (CC BY-SA 4.0)",
    },
    "map_level_note": {
        "vi": "Bản đồ chỉ vẽ số liệu cấp tỉnh (bộ lọc đang chọn {level}).",
        "en": "The map draws province-level figures only (the filter is set to {level}).",
    },
    "map_nothing": {
        "vi": "Không có số liệu cấp tỉnh nào về «{indicator}» trong {years} để vẽ bản đồ ({mode}).",
        "en": "No province-level figure for “{indicator}” in {years} to draw a map of ({mode}).",
    },
    "map_unplaced": {
        "vi": "Có số liệu nhưng không có ranh giới trên bản đồ này: {provinces}.",
        "en": "Figures with no shape on this map: {provinces}.",
    },
    "map_click_hint": {
        "vi": "Nhấp vào một tỉnh trên bản đồ để xem số liệu và câu gốc của tỉnh đó.",
        "en": "Click a province on the map to see its figures and their sentences.",
    },
    "map_selected_heading": {"vi": "{province} · {year}", "en": "{province} · {year}"},
    "map_add_to_filter": {"vi": "Thêm {province} vào bộ lọc", "en": "Add {province} to the filter"},
    "map_in_filter": {"vi": "{province} đang có trong bộ lọc.", "en": "{province} is in the filter."},
    "map_no_facts": {
        "vi": "Không có số liệu nào của {province} về chỉ tiêu này năm {year}.",
        "en": "{province} has no figure for this indicator in {year}.",
    },
    # database state
    "db_missing": {
        "vi": "Chưa có cơ sở dữ liệu tại {path}. Hãy tạo nó từ các báo cáo: "
        "`python -m etl run data/reports --db {path}` rồi tải lại trang.",
        "en": "There is no database at {path}. Build it from the reports: "
        "`python -m etl run data/reports --db {path}` and reload the page.",
    },
    "db_unreadable": {
        "vi": "Không đọc được cơ sở dữ liệu {path}: {error}",
        "en": "The database {path} cannot be read: {error}",
    },
    "db_empty": {
        "vi": "Cơ sở dữ liệu {path} chưa có số liệu nào ({reports} báo cáo đã đọc, {skipped} bị bỏ qua).",
        "en": "The database {path} holds no figures yet ({reports} reports read, {skipped} skipped).",
    },
    "db_status": {
        "vi": "Dữ liệu: {facts} số liệu từ {reports} báo cáo · cập nhật {when}",
        "en": "Data: {facts} facts from {reports} reports · updated {when}",
    },
    "skipped_reports": {"vi": "{n} báo cáo không đọc được", "en": "{n} reports could not be read"},
    # export
    "export": {"vi": "Tải xuống", "en": "Download"},
    "export_chart": {"vi": "Biểu đồ", "en": "Chart"},
    "export_data": {"vi": "Dữ liệu của biểu đồ", "en": "Data behind the chart"},
    "export_facts": {"vi": "Bảng số liệu", "en": "Facts table"},
    "export_html": {"vi": "HTML tương tác", "en": "Interactive HTML"},
    "no_chromium": {
        "vi": "Máy chủ không có trình duyệt Chromium nên không xuất được ảnh PNG, SVG, PDF. "
        "Vẫn tải được HTML, CSV, XLSX; hoặc dùng nút máy ảnh trên biểu đồ.",
        "en": "The server has no Chromium, so PNG, SVG and PDF cannot be made. "
        "HTML, CSV and XLSX still work; or use the chart's own camera button.",
    },
}

THEMES = ("indices", "procedures", "dossiers", "online", "egov", "staff", "other")
LEVELS = ("province", "district", "commune")
KINDS = ("both", "target", "actual")


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The string for key in lang, with {placeholders} filled."""
    text = STRINGS[key][lang if lang in LANGS else DEFAULT_LANG]
    return text.format(**values) if values else text


def other_label(code: str, lang: str = DEFAULT_LANG) -> str:
    """'other:par_media_items' -> 'Khác: par media items': readable, and still says it is unlisted."""
    label = code.split(":", 1)[1] if ":" in code else code
    return f"{t('other_prefix', lang)}: {label.replace('_', ' ')}"


def named_for_unit(name_vi: str, name_en: str, unit: str) -> tuple[str, str]:
    """An indicator's names saying the unit its figures are shown in: PAR INDEX and SIPAS results are
    percentages (spec), so a name ending '— điểm' reads '— kết quả (%)', and its English name says (%) too."""
    if unit == "percent" and name_vi.endswith("— điểm"):
        name_vi = name_vi[: -len("điểm")] + "kết quả (%)"
        name_en = name_en if "%" in name_en else f"{name_en} (%)"
    return name_vi, name_en


def indicator_label(code: str, names: dict[str, tuple[str, str]], lang: str = DEFAULT_LANG) -> str:
    """Name of an indicator from the indicators table (name_vi, name_en); other:<label> made readable."""
    if code in names:
        name_vi, name_en = names[code]
        return name_vi if lang == "vi" else name_en
    return other_label(code, lang)


def period_label(period: str, lang: str = DEFAULT_LANG) -> str:
    key = f"period_{period}"
    return t(key, lang) if key in STRINGS else period


# Adding reports, reviewing facts, orphaned reviews (dashboard/pages/upload.py, dashboard/review.py,
# dashboard/pages/orphans.py).
STRINGS.update({
    "page_upload": {"vi": "Thêm báo cáo", "en": "Add reports"},
    "page_orphans": {"vi": "Đánh giá mất khớp", "en": "Orphaned reviews"},
    "status": {"vi": "Trạng thái", "en": "Status"},
    "status_extracted": {"vi": "Tự động", "en": "Extracted"},
    "status_confirmed": {"vi": "Đã xác nhận", "en": "Confirmed"},
    "status_corrected": {"vi": "Đã sửa", "en": "Corrected"},
    "status_added": {"vi": "Thêm thủ công", "en": "Added"},
    "reviewed_only": {"vi": "Chỉ số liệu đã duyệt", "en": "Reviewed facts only"},
    "upload_intro": {
        "vi": "Tải lên một hay nhiều báo cáo, hoặc dán một văn bản. Báo cáo được lưu vào thư mục báo cáo và cơ sở "
        "dữ liệu được cập nhật ngay; người khác đang xem sẽ thấy số liệu mới ở lần bấm kế tiếp.",
        "en": "Upload one or more reports, or paste a text. Reports are saved in the reports folder and the database "
        "is updated at once; others looking at the dashboard see the new data on their next click.",
    },
    "upload_limits": {
        "vi": "Tối đa {files} tệp mỗi lần, {mb} MB mỗi tệp; định dạng: {formats}.",
        "en": "At most {files} files at a time, {mb} MB each; formats: {formats}.",
    },
    "upload_files": {"vi": "Tệp báo cáo", "en": "Report files"},
    "upload_meta": {
        "vi": "Thông tin chung cho các tệp (không bắt buộc)",
        "en": "Details for these files (optional)",
    },
    "upload_title": {"vi": "Tiêu đề", "en": "Title"},
    "upload_date": {"vi": "Ngày ban hành", "en": "Date published"},
    "upload_province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "upload_place": {"vi": "Địa bàn (quận, huyện, xã)", "en": "Place (district, commune)"},
    "upload_source": {"vi": "Nguồn", "en": "Source"},
    "upload_submit": {"vi": "Thêm vào cơ sở dữ liệu", "en": "Add to the database"},
    "paste_header": {"vi": "Dán văn bản", "en": "Paste a text"},
    "paste_text": {"vi": "Nội dung", "en": "Text"},
    "paste_submit": {"vi": "Thêm văn bản", "en": "Add the text"},
    "paste_needs": {
        "vi": "Văn bản dán vào cần có tiêu đề và nội dung.",
        "en": "A pasted text needs a title and its text.",
    },
    "upload_none": {"vi": "Chưa chọn tệp nào.", "en": "No file chosen."},
    "upload_checking": {"vi": "Đang kiểm tra {name}…", "en": "Checking {name}…"},
    "upload_running": {"vi": "Đang trích xuất số liệu…", "en": "Extracting figures…"},
    "upload_done": {"vi": "Xong.", "en": "Done."},
    "upload_too_many": {
        "vi": "Chọn {n} tệp một lần là quá nhiều (tối đa {limit}). Không tệp nào được thêm.",
        "en": "{n} files at once is too many (at most {limit}). No file was added.",
    },
    "upload_saved": {"vi": "Đã nhận {n} báo cáo.", "en": "{n} report(s) came in."},
    "upload_refused": {"vi": "Không nhận {n} tệp:", "en": "{n} file(s) refused:"},
    "upload_failed": {
        "vi": "Không cập nhật được cơ sở dữ liệu: {error}",
        "en": "The database could not be updated: {error}",
    },
    "refuse_name": {"vi": "tệp không có tên", "en": "the file has no name"},
    "refuse_path": {
        "vi": "tên tệp không được chứa đường dẫn thư mục",
        "en": "a file name must not contain a folder path",
    },
    "refuse_format": {
        "vi": "định dạng {detail} không được hỗ trợ (nhận {formats})",
        "en": "format {detail} is not supported (send {formats})",
    },
    "refuse_empty": {"vi": "tệp rỗng", "en": "empty file"},
    "refuse_size": {
        "vi": "vượt giới hạn {detail} MB cho một báo cáo",
        "en": "over the {detail} MB limit for one report",
    },
    "refuse_duplicate": {
        "vi": "nội dung này đã có trong thư mục báo cáo ({detail})",
        "en": "the same content is already among the reports ({detail})",
    },
    "refuse_unreadable": {"vi": "không đọc được nội dung ({detail})", "en": "cannot read it ({detail})"},
    "upload_report_line": {
        "vi": "**{title}** ({file}) — {n} số liệu",
        "en": "**{title}** ({file}) — {n} figure(s)",
    },
    "upload_no_facts": {
        "vi": "Không tìm thấy số liệu nào trong báo cáo này.",
        "en": "No figure was found in this report.",
    },
    "open_in_report_view": {"vi": "Mở trong Xem báo cáo", "en": "Open in the report view"},
    "n_facts_col": {"vi": "Số số liệu", "en": "Figures"},
    "years_col": {"vi": "Năm", "en": "Years"},
    # reviewing
    "review_header": {"vi": "Duyệt số liệu", "en": "Review figures"},
    "review_intro": {
        "vi": "Xác nhận, sửa hoặc loại bỏ một số liệu; thêm số liệu bị bỏ sót. Đánh giá được lưu riêng và "
        "giữ nguyên sau mỗi lần cập nhật cơ sở dữ liệu.",
        "en": "Confirm, correct or reject a figure; add one that was missed. Reviews are kept apart and "
        "survive every rebuild of the database.",
    },
    "reviewer": {"vi": "Tên người duyệt", "en": "Reviewer's name"},
    "reviewer_help": {"vi": "Chỉ hỏi một lần, giữ cho cả phiên làm việc.", "en": "Asked once, kept for the session."},
    "reviewer_needed": {"vi": "Nhập tên người duyệt trước khi lưu.", "en": "Enter the reviewer's name before saving."},
    "review_fact": {"vi": "Số liệu cần duyệt", "en": "Figure to review"},
    "review_action": {"vi": "Thao tác", "en": "Action"},
    "action_confirm": {"vi": "Xác nhận đúng", "en": "Confirm"},
    "action_correct": {"vi": "Sửa", "en": "Correct"},
    "action_reject": {"vi": "Loại bỏ", "en": "Reject"},
    "action_add": {"vi": "Thêm", "en": "Add"},
    "comparator": {"vi": "So sánh", "en": "Comparator"},
    "period": {"vi": "Kỳ", "en": "Period"},
    "review_note": {"vi": "Ghi chú", "en": "Note"},
    "review_save": {"vi": "Lưu đánh giá", "en": "Save review"},
    "review_saved": {
        "vi": "Đã lưu đánh giá ({action}) của {who}; cơ sở dữ liệu đã được cập nhật.",
        "en": "Review saved ({action}) by {who}; the database has been updated.",
    },
    "review_nochange": {
        "vi": "Không có gì thay đổi so với số liệu hiện tại: chọn «Xác nhận đúng» nếu số liệu đã đúng.",
        "en": "Nothing differs from the current figure: choose “Confirm” if it is right.",
    },
    "review_invalid": {"vi": "Đánh giá không hợp lệ: {error}", "en": "Invalid review: {error}"},
    "review_stored_not_applied": {
        "vi": "Đánh giá đã được lưu nhưng chưa cập nhật được cơ sở dữ liệu ({error}); nó sẽ được áp dụng ở lần "
        "chạy ETL sau.",
        "en": "The review is stored but the database could not be updated ({error}); it applies at the next ETL run.",
    },
    "add_header": {"vi": "Thêm số liệu bị bỏ sót", "en": "Add a missed figure"},
    "add_words": {
        "vi": "Những chữ nêu con số (chép nguyên văn từ báo cáo)",
        "en": "The words stating the figure (copied from the report)",
    },
    "add_occurrence": {"vi": "Lần xuất hiện thứ", "en": "Occurrence"},
    "add_not_found": {"vi": "Không tìm thấy «{words}» trong báo cáo.", "en": "“{words}” is not in the report."},
    "add_found": {"vi": "Tìm thấy {n} lần trong báo cáo.", "en": "Found {n} time(s) in the report."},
    "review_history": {"vi": "Lịch sử duyệt ({n})", "en": "Review history ({n})"},
    "review_history_line": {
        "vi": "{at} · **{who}** · {action}: {old} → {new}",
        "en": "{at} · **{who}** · {action}: {old} → {new}",
    },
    "orphans_intro": {
        "vi": "Những đánh giá không còn tìm thấy số liệu của mình vì báo cáo đã thay đổi hoặc bị xóa. Chúng không "
        "bị bỏ: hãy duyệt lại số liệu trong báo cáo mới.",
        "en": "Reviews that no longer find their figure because the report changed or is gone. They are not "
        "dropped: review the figure again in the new report.",
    },
    "orphans_none": {"vi": "Không có đánh giá nào bị mất khớp.", "en": "No review is orphaned."},
    "orphan_reason": {"vi": "Lý do", "en": "Why"},
    "reviewed_at": {"vi": "Thời điểm", "en": "When"},
    "orphan_gone": {"vi": "báo cáo không còn trong thư mục", "en": "the report is no longer among the reports"},
    "orphan_no_evidence": {
        "vi": "báo cáo đã thay đổi và đánh giá không có câu gốc để tìm lại",
        "en": "the report changed and the review has no evidence text to find it again",
    },
    "orphan_words_gone": {
        "vi": "báo cáo đã thay đổi và những chữ nêu con số không còn trong đó",
        "en": "the report changed and the figure's words are no longer in it",
    },
    "orphan_no_fact": {
        "vi": "không còn số liệu nào được trích xuất ở vị trí này",
        "en": "no fact is extracted at this place any more",
    },
})
