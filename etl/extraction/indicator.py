"""What a figure measures: an indicator of data/indicators.yaml, or other:<label>."""

from __future__ import annotations

import re

from etl.extraction.reader import INDEX_THEME, DocumentReader, Placed, has_hit, opens_with_figure
from etl.normalize import ascii_fold

# "tỷ lệ người dân sử dụng dịch vụ công trực tuyến đạt 50%": a clause that names its own measure is about it
OWN_MEASURE = re.compile(r"\btỷ\s+lệ\s+[^\W\d]")
# "70% dịch vụ công …": a percent followed by what it is a share of measures that thing, not an index.
OF_NOUN = re.compile(r"\s*(?!(?:và|hoặc|so|với|tăng|giảm|cao|thấp|xếp|đứng|trong|trở|của|là|nhưng|còn|vượt|"
                     r"đạt|thuộc|đến|tới|lên|xuống|năm|trên|dưới)\b)[^\W\d]")


# a ranking within the five centrally-run cities, not the "63 tỉnh, thành phố trực thuộc trung ương"
CENTRAL_CITIES = re.compile(r"(?<!tỉnh, )thành\s+phố\s+trực\s+thuộc\s+(?:trung\s+ương|tw)\b")

RUN_GAP = re.compile(r"[\s,;]*(?:và|hoặc)?[\s,;]*")
RANGE_DASH = re.compile(r"\s*(?:-|–|đến|tới)\s*")

# How far from a figure (characters) a cue may stand and still be the nearest one that names it.
PICK_REACH = 600


def emitted(r: DocumentReader, code: str) -> str:
    """The code a fact carries: indicators beyond the spec's list are other:<code>."""
    return f"other:{code}" if r.lex.indicators[code].other else code


def _compatible(r: DocumentReader, code: str, p: Placed, unit: str) -> bool:
    ind = r.lex.indicators[code]
    if unit == "score":
        if not (ind.theme == INDEX_THEME and ind.unit in ("score", "percent") and code.endswith("_score")):
            return False
    elif ind.unit != unit:
        return False
    if ind.counts and p.fig.noun and not p.fig.noun.startswith(ind.count_keys):
        return False
    if ind.excludes and ind.excludes_re.search(r.key, p.seg.start, p.fig.start):
        return False
    if ind.of and unit == "percent":
        noun = _share_noun(r, p)
        if noun and noun not in ind.of:
            return False
    return True


# "100% số thủ tục", "toàn bộ (100%) hồ sơ", "60% tổng số hồ sơ": the noun a percent is a share of
SHARE_OF = re.compile(r"\s*\)?\s*(?:của\s+)?(?:trong\s+)?(?:tổng\s+số\s+|số\s+|các\s+|toàn\s+bộ\s+)?")


def _share_noun(r: DocumentReader, p: Placed) -> str | None:
    at = SHARE_OF.match(r.key, p.fig.end).end()
    return next((n for n in r.lex.share_nouns if r.key.startswith(n, at) and
                 not r.key[at + len(n):at + len(n) + 1].isalnum()), None)


def _nearest(cands, pos_start: int, pos_end: int):
    """The cue nearest the figure; one containing another beats it; then the longer one."""
    def dist(h):
        if h[1] <= pos_start:
            return pos_start - h[1]
        if h[0] >= pos_end:
            return h[0] - pos_end
        return 0
    return min(cands, key=lambda h: (dist(h), -(h[1] - h[0])))


def _pick(r: DocumentReader, p: Placed, unit: str, start: int, end: int, side: str = "any",
          theme: str | None = None):
    # the nearest cue is looked for within reach of the figure: a cue further away names something else
    start, end = max(start, p.fig.start - PICK_REACH), min(end, p.fig.end + PICK_REACH)
    cands = []
    for h in r.within("cues", start, end):
        if h[1] <= start:
            continue
        if side == "before" and h[0] >= p.fig.start:
            continue
        if side == "after" and h[1] <= p.fig.end:
            continue
        codes = [c for c in h[2] if _compatible(r, c, p, unit)
                 and (theme is None or r.lex.indicators[c].theme == theme)]
        if codes:
            cands.append((h[0], h[1], codes[0]))
    if not cands:
        return None
    # a hit inside or overlapping a longer hit is not a cue of its own ("hồ sơ được xử lý trực tuyến" within
    # reach of "xử lý trực tuyến toàn trình": the longer, more specific wording names the figure)
    cands = [h for h in cands if not any(o != h and o[0] < h[1] and h[0] < o[1] and
                                         (o[1] - o[0], o[1]) > (h[1] - h[0], h[1]) for o in cands)]
    return _nearest(cands, p.fig.start, p.fig.end)


def indicator_of(r: DocumentReader, p: Placed, prev: Placed | None) -> tuple[str, str]:
    fig = p.fig
    unit = "rank" if fig.kind_hint == "rank_change" else fig.unit
    search_unit = unit
    if fig.kind_hint in ("streak",):
        search_unit = "rank"
    base = _base_indicator(r, p, prev, search_unit)
    if base and not fig.kind_hint:
        base = _narrowed(r, p, base, unit)
    if fig.kind_hint == "streak":
        root = base[6:] if base and base.startswith("other:") else (base or "rank")
        return f"other:{root.removesuffix('_rank')}_streak", "count"
    if fig.kind_hint in ("change", "rank_change"):
        root = base[6:] if base and base.startswith("other:") else (base or "value")
        if unit == "score" and root in r.lex.indicators:
            unit = r.lex.indicators[root].unit      # "nhích thêm 1,03 điểm" of PAR INDEX is a change in percent
        return f"other:{root}_change", unit
    if base is None:
        label, words = _label(r, p)
        p.label = words
        return f"other:{label}", unit
    if not base.startswith("other:"):
        ind = r.lex.indicators[base]
        if ind.other:
            return emitted(r, base), (ind.unit if unit == "score" else unit)
        if unit == "score":
            unit = ind.unit
        if ind.theme == INDEX_THEME and (has_hit(r, "component", p.sent.start, p.fig.start) or _parts_follow(r, p)):
            return f"other:{base}_component", unit
        if _sector(r, p):
            return f"other:{base}_sector", unit
        if unit == "count" and any(p.fig.start - h[1] < 40 for h in r.within("per_unit", p.seg.start, p.fig.end)) \
                or unit == "count" and any(h[0] - p.fig.end < 8 for h in r.hits_in("per_unit", p.fig.end, p.seg.end)):
            return f"other:{base}_average", unit
        if unit == "rank" and fig.denominator and int(fig.denominator) not in r.lex.raw["provinces_total"]:
            return f"other:{base}_among_{int(fig.denominator)}", unit
        if unit == "rank" and not fig.denominator and CENTRAL_CITIES.search(
                r.key, max(p.seg.start, fig.start - 60), min(p.seg.end, fig.end + 60)):
            return f"other:{base}_among_central_cities", unit     # "đứng thứ 2 trong 5 thành phố trực thuộc TW"
    return base, unit


def _narrowed(r: DocumentReader, p: Placed, code: str, unit: str) -> str:
    """"1.180 dịch vụ công trực tuyến … đã được tích hợp lên Cổng Dịch vụ công quốc gia": the counted noun names
    the broad indicator, and a narrower one's cue in the figure's stretch names what is counted
    (indicators.yaml: narrows)."""
    narrower = r.lex.narrower.get(code)
    if not narrower:
        return code
    prev = p.prev
    if unit == "percent" and prev and prev.facts and prev.sent.start == p.sent.start and \
            getattr(r.lex.indicators.get(prev.facts[0].indicator), "rate", None) == code:
        return code     # "(đạt tỷ lệ 33,8%)" right after its count is that count's rate, as the count was named
    for h in r.within("cues", p.seg.start, p.seg.end):
        if p.seg.start <= h[0] and h[1] <= p.seg.end:
            for c in h[2]:
                if c in narrower and _compatible(r, c, p, unit):
                    return c
    return code


def _shares(r: DocumentReader, p: Placed, prev: Placed | None, unit: str, gap: re.Pattern) -> bool:
    return bool(prev and prev.facts and prev.fig.unit == unit and prev.fig.kind_hint == p.fig.kind_hint
                and gap.fullmatch(r.key, prev.fig.end, p.fig.start))


def _base_of(code: str) -> str:
    """The indicator a change code is a change of (indicator_of adds the ending again)."""
    return code.removeprefix("other:").removesuffix("_change") if code.endswith("_change") else code


def _base_indicator(r: DocumentReader, p: Placed, prev: Placed | None, unit: str) -> str | None:
    fig = p.fig
    if _shares(r, p, prev, unit, RANGE_DASH):     # a range's upper bound: as its lower
        return _base_of(prev.facts[0].indicator)
    hit = _pick(r, p, unit, p.seg.start, p.seg.end)
    if hit:
        return hit[2]
    if _shares(r, p, prev, unit, RUN_GAP):         # a run "30%; 30% và 25%" shares its first figure's indicator
        return _base_of(prev.facts[0].indicator)
    if unit == "percent" and prev and prev.fig.unit == "count" and prev.facts and prev.sent.start == p.sent.start:
        between = r.key[prev.fig.end:fig.start]
        named_rate = re.search(r"tỷ\s+lệ\s+(?!đạt|là|bằng|\d)\w+", between)
        if len(between) < 120 and not named_rate and \
                re.search(r"(?:\(|\bđạt|\bbằng|\bchiếm|\btương\s+ứng|\btương\s+đương)(?:\s+(?:tỷ\s+lệ|gần|khoảng|hơn))?\s*$",
                          between):
            prev_code = prev.facts[0].indicator
            if prev_code.startswith("other:"):
                return prev_code + "_rate"
            rate = r.lex.indicators[prev_code].rate
            return rate or f"other:{prev_code}_rate"
    hit = _pick(r, p, unit, p.clause.start, p.clause.end, "before") or \
        _pick(r, p, unit, p.clause.start, p.clause.end, "after")
    if hit:
        return hit[2]
    if unit == "percent" and p.clause.start > p.sent.start and not fig.kind_hint and \
            not opens_with_figure(r, p):   # "…; huyện Thủy Nguyên đạt 71,2%" continues the sentence's indicator
        hit = _pick(r, p, unit, p.sent.start, p.clause.start, "before")
        if hit:
            return hit[2]
    if unit == "percent" and not fig.kind_hint and not OF_NOUN.match(r.key, fig.end) and \
            not OWN_MEASURE.search(r.key, max(p.clause.start, fig.start - PICK_REACH), fig.start):
        # An index score said without its name ("Hà Nội đạt 92,57%") takes the index the sentence, then
        # its paragraph, then the title is about; only indices carry over that far.
        hit = _pick(r, p, unit, p.sent.start, p.sent.end, "before", INDEX_THEME) or \
            _pick(r, p, unit, p.sent.start, p.sent.end, "after", INDEX_THEME) or \
            _earlier(r, p, unit, INDEX_THEME)
        if hit:
            return hit[2]
    if unit in ("rank", "score") or (unit == "percent" and fig.kind_hint == "change"):
        hit = _pick(r, p, unit, p.sent.start, p.sent.end, "before") or \
            _pick(r, p, unit, p.sent.start, p.sent.end, "after")
        if hit:
            return hit[2]
        if unit == "rank":
            # "Quận Lê Chân dẫn đầu về tỷ lệ hồ sơ trực tuyến": a ranking on another indicator
            other = [h for h in r.within("cues", p.sent.start, p.sent.end) if p.sent.start <= h[0] and
                     any(r.lex.indicators[c].theme != INDEX_THEME for c in h[2])]
            if other:
                code = next(c for c in _nearest(other, fig.start, fig.end)[2])
                return f"other:{code}_rank"
        hit = _earlier(r, p, unit)
        if hit:
            return hit[2]
    return None


# How many paragraphs back the topic of a figure is looked for before the title.
TOPIC_PARAGRAPHS = 2


def _earlier(r: DocumentReader, p: Placed, unit: str, theme: str | None = None):
    """The nearest cue before the figure's sentence: in its paragraph, in the paragraphs just before it
    (a topic carries over: "Ở chỉ số SIPAS, …" then "Hải Phòng … 88,09%"), then in the title."""
    para = r.paragraphs[p.para]
    hit = _pick(r, p, unit, para.start, p.sent.start, "before", theme)
    for back in range(1, TOPIC_PARAGRAPHS + 1):
        if hit or p.para - back < 0:
            break
        prev_para = r.paragraphs[p.para - back]
        if r.in_title(prev_para.start):
            break
        hit = _topic(r, p, unit, prev_para.start, prev_para.end, theme)
    if not hit and r.title_span and not p.in_title:
        hit = _topic(r, p, unit, r.title_span.start, r.title_span.end, theme)
    return hit


def _topic(r: DocumentReader, p: Placed, unit: str, start: int, end: int, theme: str | None):
    """The first cue of an earlier paragraph or of the title: what it is about, for figures after it."""
    for h in r.within("cues", start, end):
        if h[1] > end or h[0] < start:
            continue
        codes = [c for c in h[2] if _compatible(r, c, p, unit)
                 and (theme is None or r.lex.indicators[c].theme == theme)]
        if codes:
            return (h[0], h[1], codes[0])
    return None


def _sector(r: DocumentReader, p: Placed) -> bool:
    hits = [h for h in r.within("sector", p.seg.start, p.seg.end) if p.fig.start - h[0] < 100]
    if hits:
        return any(h[2] == "sector" for h in hits)   # "thuộc các lĩnh vực" (all_sectors) is not one
    inside = r.key.rfind("(", p.sent.start, p.fig.start) > r.key.rfind(")", p.sent.start, p.fig.start)
    return inside and any(h[2] == "sector" for h in r.within("sector", p.sent.start, p.fig.start))


# Nouns of a measure rather than a thing counted: the label comes from what is measured, before the figure.
MEASURE_NOUNS = ("ngày", "ngày làm việc", "giờ", "tháng", "phút")
LABEL_FILLERS = frozenset({
    "còn", "xuống", "thay", "vì", "chỉ", "từ", "là", "đạt", "ngày", "giờ", "tháng", "phút", "làm", "việc", "với",
    "so", "trước", "đây", "khoảng", "gần", "hơn", "trên", "dưới", "tối", "đa", "thiểu", "rút", "ngắn", "giảm", "mất"})


def _slug(words: str) -> str:
    """The report's words as a snake_case ASCII label ("hồ sơ trực tuyến" -> "ho_so_truc_tuyen")."""
    return re.sub(r"[^a-z0-9]+", "_", ascii_fold(words).lower()).strip("_")


def _label(r: DocumentReader, p: Placed) -> tuple[str, str]:
    """For a figure no indicator fits: a snake_case code label and the report's own words behind it
    (what it counts or measures), kept with their diacritics for the dashboard."""
    fig = p.fig
    span = r.key[fig.start:fig.end]
    last_digit = max((i for i, c in enumerate(span) if c.isdigit()), default=len(span) - 1)
    words_from = fig.start + last_digit + 1 if fig.noun else fig.end
    words = list(re.finditer(r"[^\W\d]+", r.key[words_from:min(p.seg.end, fig.end + 60)]))
    words = [w for w in words if len(w.group()) > 1 and w.group() not in ("%",)][:4]
    offset = words_from
    if fig.noun in MEASURE_NOUNS:     # "… phòng cháy chữa cháy còn 20 ngày thay vì 30 ngày": what takes that long
        offset = max(p.sent.start, fig.start - 120)
        words = [w for w in re.finditer(r"[^\W\d]+", r.key[offset:fig.start])
                 if len(w.group()) > 1 and w.group() not in LABEL_FILLERS][-4:]
    if not words:
        offset = max(p.seg.start, fig.start - 60)
        words = [w for w in re.finditer(r"[^\W\d]+", r.key[offset:fig.start]) if len(w.group()) > 1][-4:]
    text = " ".join(r.text[offset + w.start():offset + w.end()] for w in words)
    label = _slug(text) or "figure"
    suffix = {"percent": "_rate", "rank": "_rank", "score": "_score"}.get(fig.unit, "")
    return label[:48] + suffix, text


def coordinated(r: DocumentReader, p: Placed, indicator: str, unit: str) -> str | None:
    """"100% kết quả ... được trả đúng hạn, và được cấp bản điện tử": the second predicate's indicator."""
    if indicator.startswith("other:"):
        return None
    seg = r.key[p.fig.end:p.seg.end]
    for marker in r.lex.raw["coordination"]:
        i = seg.find(marker)
        if i < 0:
            continue
        start = p.fig.end + i + len(marker)
        for h in r.within("cues", start, min(p.clause.end, start + 60)):
            if start <= h[0]:
                codes = [c for c in h[2] if c != indicator and _compatible(r, c, p, unit)]
                if codes:
                    return emitted(r, codes[0])
    return None


INDEX_LIST_GAP = re.compile(r"\s*(?:,|và|;|lẫn|cùng)?\s*(?:chỉ số\s+)?")


def listed_indices(r: DocumentReader, p: Placed, indicator: str, unit: str) -> list[str]:
    """"Chỉ số PAR INDEX, SIPAS trong nhóm 3 tỉnh dẫn đầu", "đứng số 1 cả nước về PCI, PAR INDEX, SIPAS và
    PAPI": a rank said of indices named together is one fact per index."""
    if unit != "rank" or indicator.startswith("other:"):
        return []
    hits = [(h[0], h[1], [c for c in h[2] if _compatible(r, c, p, unit)])
            for h in r.within("cues", p.sent.start, p.clause.end) if p.sent.start <= h[0] and h[1] <= p.clause.end]
    hits = [h for h in hits if h[2]]
    # drop a hit inside another ("chỉ số cải cách hành chính" holds "cải cách hành chính")
    hits = [h for h in hits if not any(o is not h and o[0] <= h[0] and h[1] <= o[1] for o in hits)]
    before = [i for i, h in enumerate(hits) if h[1] <= p.fig.start and indicator in h[2]]
    after = [i for i, h in enumerate(hits) if h[0] >= p.fig.end and indicator in h[2]]
    extra: list[str] = []

    def add(i):
        code = emitted(r, hits[i][2][0])
        if code != indicator and code not in extra:
            extra.append(code)
    if before:
        for i in range(before[-1], 0, -1):      # walk back over "A, B và C"
            if not INDEX_LIST_GAP.fullmatch(r.key[hits[i - 1][1]:hits[i][0]]):
                break
            add(i - 1)
    elif after:
        walked = []
        for i in range(after[0], len(hits) - 1):     # walk on over "về A, B và C"
            gap = r.key[hits[i][1]:hits[i + 1][0]]
            if not INDEX_LIST_GAP.fullmatch(gap):
                break
            walked.append((i + 1, gap))
        # a list closed by "và"/"lẫn" ("PCI, PAR INDEX, SIPAS và PAPI"); "thứ hai PAR INDEX, SIPAS tăng 5 bậc"
        # names the next clause's index, not a second one of this rank
        if any(re.search(r"\b(?:và|lẫn|cùng)\b", gap) for _, gap in walked):
            for i, _ in walked:
                add(i)
    return extra


# "Tỉnh dẫn đầu ở ba nội dung: công khai, minh bạch (6,499 điểm), kiểm soát tham nhũng (8,286 điểm) và …": one rank
# said of the parts of an index listed after a colon is one fact per part (spec: things named together)
COMPONENT_COUNT = re.compile(r"\b(\d+|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+(?:trục(?:\s+nội\s+dung)?|nội\s+dung|"
                             r"chỉ\s+số\s+thành\s+phần|lĩnh\s+vực|tiêu\s+chí)\b")
NUMBER_WORDS = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
# how far after the rank the colon that opens the list may stand ("dẫn đầu cả nước:", "dẫn đầu ở ba nội dung:")
COLON_REACH = 30


def _list_colon(r: DocumentReader, p: Placed) -> int:
    """Where the colon that opens a list right after the figure stands, or -1."""
    return r.key.find(":", p.fig.end, min(p.sent.end, p.fig.end + COLON_REACH))


def _parts_follow(r: DocumentReader, p: Placed) -> bool:
    """"dẫn đầu ở ba nội dung: …": the parts of an index named right after the rank, before a colon."""
    colon = _list_colon(r, p)
    return colon >= 0 and has_hit(r, "component", p.fig.end, colon)


def named_components(r: DocumentReader, p: Placed, indicator: str, unit: str) -> list[tuple[str, str]]:
    """(code, the report's words) for each part of an index a rank is said of, or [] when it names none."""
    if unit != "rank" or not indicator.endswith("_component"):
        return []
    colon = _list_colon(r, p)
    if colon < 0:
        return []
    stop = r.key.find(".", colon, p.sent.end)
    end = p.sent.end if stop < 0 else stop
    listed = r.key[colon + 1:end]
    if "(" in listed:       # parts with their scores: the brackets close each part
        bounds = [m.end() for m in re.finditer(r"\([^)]*\)", listed)]
        starts = [0] + bounds[:-1]
        items = [(colon + 1 + a, colon + 1 + b) for a, b in zip(starts, bounds, strict=True)]
    else:
        cuts = [0] + [m.end() for m in re.finditer(r",|\bvà\b", listed)] + [len(listed) + 1]
        items = [(colon + 1 + a, colon + 1 + b - 1) for a, b in zip(cuts, cuts[1:], strict=False)]
    words = []
    for a, b in items:
        text = re.sub(r"\([^)]*\)", " ", r.text[a:b])
        text = re.sub(r"^\W*(?:và\s+)?|\W*$", "", text, flags=re.IGNORECASE)
        if text:
            words.append(text)
    counted = COMPONENT_COUNT.search(r.key, p.sent.start, colon)
    expected = None
    if counted:
        n = counted.group(1)
        expected = int(n) if n.isdigit() else NUMBER_WORDS[n]
    if len(words) < 2 or expected is not None and len(words) != expected:
        return []
    root = indicator.removeprefix("other:").removesuffix("_component").removesuffix("_rank")
    out = []
    for text in words:
        out.append((f"other:{root}_{_slug(' '.join(text.split()[:4]))}_rank", text))
    return out


# "tiếp nhận và giải quyết hơn 3.800 hồ sơ": two verbs joined before one count name two facts
JOINED_GAP = re.compile(r"\s*(?:và|,|,\s*và)\s*")
# how far before the figure the last of the joined verbs may end
JOINED_REACH = 20


def joined_indicators(r: DocumentReader, p: Placed, indicator: str, unit: str) -> list[str]:
    """The indicators of the verbs joined before the one that named the count, nearest first."""
    if unit != "count" or indicator.startswith("other:"):
        return []
    hits = [h for h in r.within("cues", p.seg.start, p.fig.start) if p.seg.start <= h[0] and h[1] <= p.fig.start]
    if not hits or p.fig.start - hits[-1][1] > JOINED_REACH or indicator not in hits[-1][2]:
        return []
    extra = []
    for a, b in zip(reversed(hits[:-1]), reversed(hits[1:]), strict=True):
        if not JOINED_GAP.fullmatch(r.key, a[1], b[0]):
            break
        codes = [c for c in a[2] if c != indicator and _compatible(r, c, p, unit)]
        if not codes:
            break
        extra.append(emitted(r, codes[0]))
    return extra
