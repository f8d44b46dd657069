"""Year and period of a figure (spec: "Conventions for time")."""

from __future__ import annotations

import bisect
import re

from etl.extraction.reader import DocumentReader, Placed, Span, closed_paren_between, is_from_value, series_runs
from etl.metadata import DATE_YEAR, YEAR

# A year named after these words is the year compared against, not the year a figure is for.
REFERENCE_YEAR = re.compile(r"(?:(?:so\s+với|hơn|từ|kể\s+từ|sau\s+khi|sau\s+(?:các\s+)?năm)\s+(?:\w+\s+){0,3}?"
                            r"|kể\s+từ\s+khi\s+(?:\w+\s+){0,8}?)(?:năm\s+)?$")
# Of those, a year compared against ("so với năm 2022", "hơn năm 2022") makes a figure without a year of its own
# the next year's; a year things run from ("kể từ năm 2010") says nothing of the figure's year.
COMPARED_YEAR = re.compile(r"(?:so\s+với|hơn)\s+(?:\w+\s+){0,3}?(?:năm\s+)?$")
# The year something was announced or issued in is not the year a figure is for.
EVENT_YEAR = re.compile(r"(?:công\s+bố|ban\s+hành|phát\s+hành|tổ\s+chức)\s+(?:trong\s+|vào\s+)?(?:năm\s+)?$")
# A date's year counts only after words that make the date a cut-off or a start ("tính đến ngày 15/8/2025",
# "từ ngày 1/7/2025"); any other date is when something happened ("công bố ngày 15/4/2025"), which is not
# the year the figure is for. A quarter written with a slash ("quý I/2020") always counts.
CUT_OFF_BEFORE_DATE = re.compile(r"(?:đến|tới|hết|trước|luỹ\s+kế|từ|kể\s+từ|trong|tính\s+đến)\s+(?:\w+\s+){0,2}?$")
# A numbered document's name runs to the next comma or colon, or to words that say what it sets ("đặt mục tiêu
# trong năm 2023 …"); the years in the name belong to the document.
DOCUMENT_NAME = re.compile(r"\b(?:kế\s+hoạch|quyết\s+định|nghị\s+quyết|chỉ\s+thị|đề\s+án|công\s+văn|văn\s+bản|"
                           r"chương\s+trình)\s+(?:số\s+)?\d+(?:/[\w.-]+)+"
                           r"(?:(?!\b(?:đặt|đề\s+ra|yêu\s+cầu|mục\s+tiêu|phấn\s+đấu|xác\s+định|giao|trong|đến|tới)\b)[^,;:.])*")
# Years written as a list ("các năm 2019, 2020 và 2021") are named together.
YEAR_LIST_GAP = re.compile(r"\s*(?:,|và|,\s*và)\s*(?:năm\s+)?")
DIGIT = re.compile(r"\d")
LOOK_BACK_MONTHS = 3
NOW = re.compile(r"\b(?:đến\s+nay|hiện\s+nay|hiện\s+có|hiện\s+đã|hiện\s+đang|tính\s+đến\s+nay|cho\s+đến\s+nay)\b")
YEAR_RIGHT_AFTER = re.compile(r"\s*(?:vào\s+|trong\s+|của\s+)?năm\s+")
PAREN_YEAR = re.compile(r"\s*\(\s*(?:năm\s+)?((?:19|20)\d{2})\s*\)")
# How far before a year its introducing words are looked for.
YEAR_HEAD = 60


def sentence_years(r: DocumentReader, sent: Span) -> tuple[list[int], list[tuple[int, int]]]:
    """Years a sentence names: the ones it compares against, and the others with their positions."""
    cached = r.year_cache.get(sent.start)
    if cached is not None:
        return cached
    sent_key = r.key[sent.start:sent.end]
    refs, eligible = [], []
    matches = [(m, False) for m in YEAR.finditer(sent_key)] + [(m, True) for m in DATE_YEAR.finditer(sent_key)]
    matches.sort(key=lambda x: x[0].start())
    last_ref_end = -1
    named = [(sent.start + d.start(), sent.start + d.end()) for d in DOCUMENT_NAME.finditer(sent_key)]
    for m, is_date in matches:
        start = sent.start + m.start()
        if any(a <= start < b for a, b in named):
            continue        # "Kế hoạch số 182/KH-UBND … giai đoạn 2021–2022": the years name the document
        year = int(m.group(m.lastindex or 0))
        head = r.key[max(sent.start, start - YEAR_HEAD):start]
        if is_date and not m.group().startswith("quý") and not CUT_OFF_BEFORE_DATE.search(head):
            continue
        listed_after_ref = last_ref_end >= 0 and YEAR_LIST_GAP.fullmatch(r.key[last_ref_end:start])
        if REFERENCE_YEAR.search(head) or listed_after_ref:
            if COMPARED_YEAR.search(head):      # "so với năm 2022": the figure is for the year after
                refs.append(year)
            last_ref_end = sent.start + m.end()
            continue
        if EVENT_YEAR.search(head):             # "công bố trong năm 2025": when it was said, not what it is for
            continue
        last_ref_end = -1
        eligible.append((start, year))
    eligible.sort()
    r.year_cache[sent.start] = (refs, eligible)
    r.year_starts[sent.start] = [s for s, _ in eligible]
    return refs, eligible


def _is_index(r: DocumentReader, indicator: str, unit: str) -> bool:
    return unit in ("rank", "score") or indicator.removeprefix("other:").startswith(r.lex.index_codes)


# How far before a figure a year of its sentence is still looked at, and how many such years are weighed: a
# sentence can be a whole flattened table, and a figure's year is near it.
YEAR_REACH = 400
YEARS_WEIGHED = 4


def _chosen_year(r: DocumentReader, p: Placed, index_result: bool = False
                 ) -> tuple[int | None, list[tuple[int, int]], int]:
    fig = p.fig
    refs, eligible = sentence_years(r, p.sent)
    own = PAREN_YEAR.match(r.key, fig.end)      # "73,40 (năm 2019), 75,09 (năm 2020)": each its own year
    if own:
        return int(own.group(1)), eligible, -1
    starts = r.year_starts[p.sent.start]
    first_after = bisect.bisect_left(starts, fig.end)
    if first_after < len(eligible) and YEAR_RIGHT_AFTER.fullmatch(r.key, fig.end, eligible[first_after][0]):
        return eligible[first_after][1], eligible, first_after     # "thứ 13 năm 2017, … lên thứ 9 năm 2019"
    before = None
    for i in range(bisect.bisect_left(starts, fig.start) - 1, -1, -1)[:YEARS_WEIGHED]:
        if fig.start - eligible[i][0] > YEAR_REACH:
            break
        if not closed_paren_between(r.key, eligible[i][0], fig.start):
            before = i
            break
    # a year after the figure is its own only with no other figure between ("95,39%, từ vị trí thứ 12 của năm 2023")
    after = first_after if first_after < len(eligible) and eligible[first_after][0] < p.clause.end and \
        not DIGIT.search(r.mk, fig.end, eligible[first_after][0]) and \
        not _figure_between(r, fig.end, eligible[first_after][0]) else None
    # its own clause first ("xếp thứ 6 vào năm 2012; đứng thứ 2 trong năm 2014"), then the sentence before it
    # a year after the figure in the same stretch beats one before it behind a comma, which belongs to what
    # went before ("thứ 2 trong các năm 2022 và 2023, trước khi dẫn đầu trở lại năm 2024")
    after_here = after is not None and "," not in r.key[fig.end:eligible[after][0]]
    if before is not None and eligible[before][0] >= p.clause.start and not (
            after_here and "," in r.key[eligible[before][0]:fig.start]):
        return eligible[before][1], eligible, before
    if after is not None:
        return eligible[after][1], eligible, after
    if before is not None:
        return eligible[before][1], eligible, before
    if refs:
        return max(refs) + 1, eligible, -1
    if r.doc.published and NOW.search(r.key, p.sent.start, p.fig.start):
        # "đến nay", "hiện có": as things stood when the report appeared; early in a year that is the year just ended
        published = r.doc.published
        return published.year - (1 if published.month <= LOOK_BACK_MONTHS else 0), eligible, -1
    return _framed_year(r, p, index_result), eligible, -1


def _framed_year(r: DocumentReader, p: Placed, index_result: bool) -> int | None:
    """The year a figure with no year of its own takes: its section's, the title's, its paragraph's."""
    framed = r.section_of[p.para][1] or r.title_year or _paragraph_year(r, p)
    if index_result and r.doc.published and (not framed or framed >= r.doc.published.year):
        # Indices are announced in the spring after the year they measure: an index result in a report with
        # no year of its own is last year's ("PAR INDEX 2022" is announced in April 2023), and a report of
        # 2017 quoting a rank it does not date can only quote the latest one out, 2016's.
        return r.doc.published.year - 1
    return framed or r.doc.year


# "hằng năm đứng số 1", "mỗi năm giảm 10%": a goal set for every year is, in a report, the goal of the year
# the report is about, whatever span of years its sentence names ("trong cả nhiệm kỳ 2020 - 2025")
EVERY_YEAR = re.compile(r"\b(?:hằng|hàng|mỗi)\s+năm\b")


def _figure_between(r: DocumentReader, start: int, end: int) -> bool:
    i = bisect.bisect_left(r.figure_starts, start)
    return i < len(r.figure_starts) and r.figure_starts[i] < end


def _paragraph_year(r: DocumentReader, p: Placed) -> int | None:
    """A sentence without a year of its own, under a heading and a title that name none, continues the year
    its paragraph last named ("kết quả PAR INDEX năm 2022 đã được công bố. Quảng Ninh đứng đầu cả hai bảng …").
    Remembered per sentence, so a paragraph of many sentences is walked once."""
    si = r.sentence_of(p.sent.start)
    return _year_before_sentence(r, si, r.paragraphs[p.para].start)


def _year_before_sentence(r: DocumentReader, si: int, para_start: int) -> int | None:
    cache = r.para_year_cache
    todo = []
    while si > 0 and r.sentences[si - 1].start >= para_start and si not in cache:
        todo.append(si)
        si -= 1
    year = cache.get(si) if si in cache else None
    for sj in reversed(todo):           # from the earliest sentence on: the last year named before each
        eligible = sentence_years(r, r.sentences[sj - 1])[1]
        year = eligible[-1][1] if eligible else year
        cache[sj] = year
    return cache.get(todo[0]) if todo else year


# "liên tục dẫn đầu, với số điểm 73,40 (năm 2019), 75,09 (năm 2020) và 73,02 (năm 2021)": a rank held with
# scores each dated in brackets is held in each of those years
WITH_SCORES = re.compile(r"[^.;\d]{0,25}?\bvới\b")
SCORE_YEAR = re.compile(r"\d[\d.,/]*\s*(?:điểm\s*|%\s*)?\(\s*(?:năm\s+)?((?:19|20)\d{2})\s*\)")


def _bracketed_years_after(r: DocumentReader, p: Placed) -> list[int]:
    m = WITH_SCORES.match(r.key, p.fig.end, p.clause.end)
    if not m:
        return []
    found = list(SCORE_YEAR.finditer(r.key, m.end(), p.clause.end))
    # the scores follow "với" at once ("với số điểm 73,40 (năm 2019)"), not after another figure
    if len(found) < 2 or not re.fullmatch(r"\s*(?:số\s+)?(?:điểm\s+)?(?:là\s+)?", r.key[m.end():found[0].start()]):
        return []
    return [int(y.group(1)) for y in found]


def years_of(r: DocumentReader, p: Placed, kind: str, indicator: str, unit: str) -> list[int]:
    """The figure's year and the years listed with it ("đứng đầu các năm 2019, 2020 và 2021"): one fact each."""
    if kind == "target" and EVERY_YEAR.search(r.key, p.clause.start, p.fig.start) and \
            not PAREN_YEAR.match(r.key, p.fig.end) and not YEAR_RIGHT_AFTER.match(r.key, p.fig.end):
        return [_framed_year(r, p, _is_index(r, indicator, unit))]
    if unit == "rank":
        listed = _bracketed_years_after(r, p)
        if listed:
            return listed
    from_value = _is_index(r, indicator, unit) and is_from_value(r, p)
    year, eligible, i = _chosen_year(r, p, kind == "actual" and _is_index(r, indicator, unit) and not from_value)
    if year and from_value and not PAREN_YEAR.match(r.key, p.fig.end) and \
            not (i >= 0 and YEAR_RIGHT_AFTER.fullmatch(r.key, p.fig.end, eligible[i][0])):
        return [year - 1]       # where a yearly index's change starts from is the year before's value
    if i < 0:
        return [year]
    lo, hi = i, i
    width = len(str(eligible[i][1]))
    while lo > 0 and YEAR_LIST_GAP.fullmatch(r.key[eligible[lo - 1][0] + width:eligible[lo][0]]):
        lo -= 1
    while hi + 1 < len(eligible) and YEAR_LIST_GAP.fullmatch(r.key[eligible[hi][0] + width:eligible[hi + 1][0]]):
        hi += 1
    if lo == hi or any(p.fig.start < s < p.fig.end for s, _ in eligible[lo:hi + 1]):
        return [year]
    return [y for _, y in eligible[lo:hi + 1]]


DATED = re.compile(r"\s*(?:ngày\s+|hết\s+|đầu\s+|cuối\s+|giữa\s+)?(?:\d{1,2}\s*/|tháng\s+\d)")
PER_YEAR = re.compile(r"[^\W\d]*(?:\s+[^\W\d]+){0,2}?\s*(?:(?:mỗi|hằng|hàng|một)\s+năm\b|/\s*năm\b)")
DURATION_NOUNS = ("ngày", "ngày làm việc", "giờ", "phút")
CUT_OFF = re.compile(r"(?:luỹ\s+kế|tính\s+đến|đến|tổng\s+hợp\s+đến|số\s+liệu\s+đến)\b")
PART_OF_YEAR = ("Q1", "Q2", "Q3", "Q4", "H1", "9M")


def period_of(r: DocumentReader, p: Placed, kind: str, indicator: str, year: int | None = None) -> str:
    """How much of its year a figure covers: its own period words, else those of its paragraph (results only),
    else the report's; a yearly index, a rank or a target is for the year. A running total (YTD) inside a
    report on a named quarter, half or nine months keeps that part of the year."""
    before = [h for h in r.within("periods", p.sent.start, p.fig.start) if h[1] <= p.fig.start]
    after = [h for h in r.within("periods", p.fig.end, p.clause.end) if h[1] <= p.clause.end]
    hit = before[-1] if before else after[0] if after else None
    own = hit[2] if hit else None
    dated = bool(hit and DATED.match(r.key, hit[1]))      # "tính đến ngày 20/11/2025": a cut-off inside the year
    if p.fig.unit == "rank" or p.fig.kind_hint in ("streak", "rank_change") or \
            indicator.removeprefix("other:").startswith(r.lex.index_codes):
        # a yearly index is for its year; one updated through the year and read at a cut-off its clause dates
        # ("lũy kế đến tháng 10/2024, đạt 61,18 điểm, xếp 60/63") is a running total
        ytd_here = own == "YTD" and dated and hit in before and hit[0] >= p.clause.start and \
            CUT_OFF.match(r.key, hit[0])
        return "YTD" if ytd_here and kind == "actual" else "year"
    if PER_YEAR.match(r.key, p.fig.end) or own is None and p.fig.noun in DURATION_NOUNS:
        # "2,39 triệu hồ sơ mỗi năm" is a yearly figure; "còn 20 ngày thay vì 30 ngày" is how long a procedure
        # may take, a rule that holds for the year, not a count of the report's quarter
        return "year"
    if own is None and RUNNING_OPENER.match(r.key, p.sent.start):
        own = "YTD"
    if kind == "target" and own in (None, "YTD"):
        return "year"               # a goal is for its year ("trước cuối năm 2023, hoàn thành 8 …")
    if own is None:
        own = _paragraph_period(r, p)
    # "hiện có", "đến nay" said in a report that appeared after the year ended state the whole year
    now_after_year = own == "YTD" and not dated and bool(year and r.doc.published and r.doc.published.year > year)
    own = own or r.doc_period
    if own == "YTD" and r.doc_period in PART_OF_YEAR:
        return r.doc_period
    if now_after_year and r.doc_period != "YTD":    # unless the report itself is about a running total
        return "year"
    return own or "year"


# "Hiện Hải Phòng có 622 dịch vụ …": a sentence opening with "hiện" states a stock as it stands now.
RUNNING_OPENER = re.compile(r"\W*hiện\b(?!\s+(?:thực|đại|tượng|diện|hành|trạng)\b)")


def _paragraph_period(r: DocumentReader, p: Placed) -> str | None:
    para = r.paragraphs[p.para]
    hits = [h for h in r.within("periods", para.start, p.sent.start) if h[1] <= p.sent.start]
    return hits[-1][2] if hits else None


def column_context(r: DocumentReader, col: Span, kind: str, year, period):
    """A table column headed "Kế hoạch năm 2024" holds targets for 2024; "Thực hiện 9 tháng", results."""
    cues = [h[2] for h in r.within("kind", col.start, col.end)]
    if cues:
        kind = "actual" if cues[-1] == "actual" else "target"
    years = [y for s, y in sentence_years(r, col)[1]]
    periods = [h[2] for h in r.within("periods", col.start, col.end)]
    return kind, (years[0] if years else year), (periods[0] if periods else period)


YEAR_SPAN = re.compile(r"(?:từ\s+)?(?:năm\s+)?((?:19|20)\d{2})\s*(?:-|–|đến|tới)\s*(?:năm\s+)?((?:19|20)\d{2})(?!\d)")


def assign_years_respectively(r: DocumentReader, placed: list[Placed]) -> None:
    """"từ năm 2018 đến 2024 lần lượt là 82,99%; 84,45%; …": a run of figures as long as the years its
    sentence names before it (a span or a list) takes those years in order."""
    for run in series_runs(r, placed):
        sent, start = run[0].sent, run[0].fig.start
        head = r.key[max(sent.start, start - YEAR_REACH):start]
        span = list(YEAR_SPAN.finditer(head))
        if span:
            low, high = int(span[-1].group(1)), int(span[-1].group(2))
            years = list(range(low, high + 1)) if 0 < high - low < 40 else []
        else:
            years = [y for s, y in sentence_years(r, sent)[1] if start - YEAR_REACH <= s < start]
        if len(years) == len(run):
            for p, year in zip(run, years, strict=True):
                p.year_override = year
