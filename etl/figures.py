"""Figures in a report: the Vietnamese number grammar, before any question of what they measure.

"1.525" is 1525, "99,8%" is 99.8, "1.048/1.383" is 1048 of 1383, "khoảng 400" is ~400,
"xếp thứ 9/63" a rank, "dẫn đầu" rank 1, "5,2 triệu lượt" 5,200,000. Dates, document numbers,
"mức độ 3, 4", "Covid-19" and the like are masked first so that they never become figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from etl.lexicon import Lexicon, norm_phrase, trie_regex, word_matches

# one decimal mark per number: "92,571.5" is 92,571 and a stray ".5", never both marks at once
NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+|\.\d{1,2}(?!\d))?"
MASK = "\x00"
_NUMBER_START = re.compile(r"\d+")          # a run of digits; its first digit starts a number
_NUMBER = re.compile(rf"(?:{NUM})(?!\d)")
# compiled once (re.match(pattern, …) looks its pattern up in re's cache at every call)
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_RANGE_HEAD = re.compile(r"(?:từ|khoảng)\s*$")
_FRACTION = re.compile(rf"\s*/\s*({NUM})")
_MULTIPLIER = re.compile(r"\s*(nghìn|ngàn|triệu|tỷ)(?!\s*đồng)(?!\w)")
_SCORE_WORD = re.compile(r"\s*điểm(?!\w)")
_SCORE_WORD_ANY = re.compile(r"\s*điểm")
_FIRST_WORDS = re.compile(r"\S+(?:\s+\S+)?(?:\s+\S+)?")
_RANGE = re.compile(rf"(?<![\d.,/])(?P<low>{NUM})\s*%?\s*(?:-|–|đến|tới)\s*(?P<high>{NUM})\s*%")


@dataclass
class Figure:
    start: int                 # span of the figure's own words (number, unit, rank words)
    end: int
    value: float
    unit: str                  # percent, count, rank, score (score may become percent for PAR/SIPAS)
    comparator: str = "="
    denominator: float | None = None
    noun: str | None = None    # the counted noun of a count
    kind_hint: str | None = None   # streak, change, rank_change, top (a rank band)


def parse_number(raw: str) -> float:
    """Vietnamese writing: dots group thousands, the comma is the decimal mark; "6.39" stays 6.39."""
    if _GROUPED.fullmatch(raw):
        return float(raw.replace(".", "").replace(",", "."))
    return float(raw.replace(",", "."))


@dataclass(frozen=True)
class Grammar:
    masks: re.Pattern
    word_masks: re.Pattern
    word_mask_parts: tuple[re.Pattern, ...] | None     # its alternatives one by one (None: search it whole)
    comparator_before: re.Pattern
    comparator_after: re.Pattern
    comparator_values: dict
    nouns: re.Pattern
    multipliers: dict
    rank_verb: re.Pattern
    rank_fraction: re.Pattern
    rank_first: re.Pattern
    rank_top: list
    streaks: list
    change: re.Pattern
    ordinals: dict
    number_words: dict


@cache
def grammar(lex: Lexicon) -> Grammar:
    raw = lex.raw
    masks = re.compile("|".join(f"(?:{p})" for p in raw["not_facts_numbers"]))
    word_masks = re.compile("|".join(f"(?:{p})" for p in raw["not_facts_words"]))
    # one search per alternative finds what the alternation finds (_alternation_spans), unless a pattern refers to
    # a group by number or name, which in the alternation could mean another pattern's group
    parts = None if any(re.search(r"\\[1-9]|\(\?P=", p) for p in raw["not_facts_words"]) else \
        tuple(re.compile(p) for p in raw["not_facts_words"])
    comp_values = {norm_phrase(w): op for op, words in raw["comparators"].items() for w in words}
    filler = trie_regex(raw["comparator_fillers"] + ["tương ứng", "lần lượt"]).pattern
    comp = trie_regex(comp_values).pattern
    comparator_before = re.compile(rf"(?<!\w)(?:{comp})(?:\s+(?:{comp}|{filler}))*\s*$")   # whole words only
    after_values = {norm_phrase(w): op for op, words in raw["comparators_after"].items() for w in words}
    ordinal_words = "|".join(sorted(raw["ordinals"], key=len, reverse=True))
    rank_verbs = trie_regex(raw["rank_verbs"]).pattern
    return Grammar(
        masks=masks,
        word_masks=word_masks,
        word_mask_parts=parts,
        comparator_before=comparator_before,
        comparator_after=re.compile(r"\s*(?<!\w)(?:" + trie_regex(after_values).pattern + ")"),
        comparator_values={**comp_values, **after_values},
        nouns=re.compile(r"\s*(?:" + trie_regex(raw["countable_nouns"]).pattern + ")"),
        multipliers=raw["multipliers"],
        rank_verb=re.compile(rf"(?:{rank_verbs})\s+(?:(?P<num>\d+)|(?P<word>{ordinal_words})(?!\w)(?!\s+\d{{4}}))"
                             rf"(?:\s*/\s*(?P<of>\d+)|\s+trên\s+(?:tổng\s+số\s+)?(?P<of2>\d+)\s+(?=tỉnh|địa))?"),
        rank_fraction=re.compile(rf"(?:{trie_regex(raw['rank_fraction_verbs']).pattern})\s+(?P<num>\d{{1,2}})\s*/\s*"
                                 rf"(?P<of>{'|'.join(str(n) for n in raw['provinces_total'])})(?!\d)"),
        rank_first=trie_regex(raw["rank_first"]),
        rank_top=[re.compile(p) for p in raw["rank_top"]],
        streaks=[re.compile(p) for p in raw["streak_patterns"]],
        change=re.compile(r"(?P<verb>" + "|".join(
            re.escape(v).replace(r"\ ", r"\s+") for v in sorted(raw["change_verbs"], key=len, reverse=True))
            + rf")\s*(?P<least>(?:tối\s+thiểu|ít\s+nhất)\s+)?(?:thêm\s+)?(?P<least2>(?:tối\s+thiểu|ít\s+nhất)\s+)?"
            rf"(?P<num>{NUM}|một|hai|ba|bốn|năm)\s*(?P<unit>%|bậc|hạng|điểm)"),
        ordinals=raw["ordinals"],
        number_words=raw["number_words"],
    )


def masked_key(key: str, g: Grammar) -> str:
    """The key with every non-fact number expression blanked (same length, offsets unchanged).

    Number-first masks are tried only where a number starts (a tenth of the cost of scanning the
    whole text); word-first masks begin with literal words, which the regex engine skips through."""
    spans = []
    for digit in _NUMBER_START.finditer(key):
        m = g.masks.match(key, digit.start())
        if m:
            spans.append(m.span())
    words = _alternation_spans(g.word_mask_parts, key) if g.word_mask_parts else None
    spans += words if words is not None else [m.span() for m in g.word_masks.finditer(key)]
    parts, last = [], 0
    for start, end in sorted(spans):
        if end <= last:
            continue
        start = max(start, last)
        parts.append(key[last:start])
        parts.append(MASK * (end - start))
        last = end
    parts.append(key[last:])
    return "".join(parts)


def _alternation_spans(parts: tuple[re.Pattern, ...], text: str) -> list[tuple[int, int]] | None:
    """The spans finditer of the alternation "(?:A)|(?:B)|…" gives, from one search per alternative: the
    leftmost match, at a tie the first alternative's, the next search from its end. Several times faster
    than the alternation, which tries every alternative at every position. None when a match is empty
    (finditer has rules of its own for those)."""
    found = [p.search(text) for p in parts]
    spans, pos = [], 0
    while True:
        best = None
        for i, m in enumerate(found):
            if m is not None and m.start() < pos:
                m = found[i] = parts[i].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return spans
        if best.end() == best.start():
            return None
        spans.append(best.span())
        pos = best.end()


def _word_value(word: str, g: Grammar) -> float | None:
    if word.isdigit():
        return float(word)
    return g.ordinals.get(word) or g.number_words.get(word)


def find_figures(key: str, lex: Lexicon, mk: str | None = None) -> list[Figure]:
    """Every figure of the key (match_key of the text), sorted by position; mk: its masked_key."""
    g = grammar(lex)
    mk = mk if mk is not None else masked_key(key, g)
    taken = bytearray(len(key))
    figures: list[Figure] = []

    def claim(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        taken[start:end] = b"\x01" * (end - start)
        return True

    # Patterns that open with a word class are tried at every position: only run them when the
    # words that anchor them are in the report at all.
    streaks = g.streaks if ("liên tiếp" in mk or "lần thứ" in mk) else ()
    tops = g.rank_top if any(w in mk for w in ("đầu", "top", "tốp", "nhất", "trở lên")) else ()
    for pattern in streaks:
        for m in pattern.finditer(mk):
            value = _word_value(m.group(1), g)
            if value and claim(*m.span()):
                figures.append(Figure(m.start(), m.end(), value, "count", kind_hint="streak"))
    for pattern in tops:
        for m in pattern.finditer(mk):
            if claim(*m.span()):
                outside = OUT_OF_BAND.search(mk, max(0, m.start() - 16), m.start())   # "không còn trong nhóm 10"
                figures.append(Figure(m.start(), m.end(), float(m.group(1)), "rank", ">" if outside else "<=",
                                      kind_hint="top"))
    # A range ("cắt giảm 30-60%", "từ 30% đến 50%") is two figures: at least its lower bound, at most its upper.
    for start in (_NUMBER_START.finditer(mk) if "%" in mk else ()):
        m = _RANGE.match(mk, start.start())
        if m and claim(*m.span()):
            change = CHANGE_BEFORE.search(mk, max(0, m.start() - 24), m.start())
            figures.append(Figure(m.start(), m.end("low"), parse_number(m.group("low")), "percent", ">=",
                                  kind_hint="change_low" if change else "range"))
            figures.append(Figure(m.start("high"), m.end(), parse_number(m.group("high")), "percent", "<=",
                                  kind_hint="change_high" if change else "range_high"))
    # A change given as a range ("tăng thêm tối thiểu 1-2 bậc"): at least its lower bound, at most its upper.
    for m in (CHANGE_RANGE.finditer(mk) if "bậc" in mk or "điểm" in mk else ()):
        if claim(m.start(), m.end()):
            unit = "score" if m.group("unit") == "điểm" else "rank"
            hint = "change" if unit == "score" else "rank_change"
            figures.append(Figure(m.start(), m.end("low"), parse_number(m.group("low")), unit, ">=", kind_hint=hint))
            figures.append(Figure(m.start("high"), m.end(), parse_number(m.group("high")), unit, "<=",
                                  kind_hint=hint))
    for m in g.change.finditer(mk):
        if mk[max(0, m.start() - 4):m.start()] == "cắt ":
            continue    # "cắt giảm 40% thời gian" is a cut, not a change in a figure
        num = m.group("num")
        value = parse_number(num) if num[0].isdigit() else float(g.number_words[num])
        unit = {"%": "percent", "điểm": "score"}.get(m.group("unit"), "rank")
        if claim(*m.span()):
            hint = "rank_change" if unit == "rank" else "change"
            least = ">=" if m.group("least") or m.group("least2") else "="     # "tăng tối thiểu thêm 25%"
            figures.append(Figure(m.start(), m.end(), value, unit, least, kind_hint=hint))
    for m in g.rank_verb.finditer(mk):
        if m.start() and mk[m.start() - 1].isalnum():
            continue
        if ORDINAL_OF.search(mk, max(0, m.start() - 12), m.start()):
            continue    # "lần thứ 6", "năm thứ 2", "kỳ đánh giá thứ 13": an ordinal, not a rank
        value = float(m.group("num")) if m.group("num") else g.ordinals[m.group("word")]
        of_raw = m.group("of") or m.group("of2")
        of = float(of_raw) if of_raw else None
        if claim(*m.span()):
            figures.append(Figure(m.start(), m.end(), value, "rank", denominator=of))
    for m in g.rank_fraction.finditer(mk):
        if m.start() and mk[m.start() - 1].isalnum():
            continue
        if claim(m.start("num"), m.end()):
            figures.append(Figure(m.start("num"), m.end(), float(m.group("num")), "rank",
                                  denominator=float(m.group("of"))))
    # "PAPI tiếp tục ở nhóm 1": a group a report defines elsewhere ("nhóm 1 - nhóm 16 địa phương có điểm cao
    # nhất"); the extractor turns it into a rank band only where the report says how large the group is
    for m in (GROUP_REF.finditer(mk) if "nhóm" in mk else ()):
        if claim(m.start("k"), m.end("k")):
            figures.append(Figure(m.start(), m.end(), float(m.group("k")), "rank", "<=", kind_hint="group"))
    for m in word_matches(g.rank_first, mk):
        if claim(*m.span()):
            figures.append(Figure(m.start(), m.end(), 1.0, "rank"))
    for start in _NUMBER_START.finditer(mk):
        if start.start() and mk[start.start() - 1] in ".,/\x00":
            continue
        m = _NUMBER.match(mk, start.start())
        if not m or mk[m.end():m.end() + 1] == MASK:
            continue
        fig = _plain_figure(mk, m, g)
        if fig and claim(fig.start, fig.end):
            figures.append(fig)
    figures += _listed_before(mk, figures, claim)
    figures.sort(key=lambda f: f.start)
    for fig in figures:
        if fig.kind_hint not in ("top", "range", "range_high", "listed", "change_low", "change_high", "group"):
            _comparator(mk, fig, g)
        elif fig.kind_hint == "range":      # "từ 30% đến 50%": the "từ" belongs to the range
            head = _RANGE_HEAD.search(mk[max(0, fig.start - 8):fig.start])
            fig.start -= len(head.group()) if head else 0
        if fig.kind_hint in ("range", "range_high", "listed"):
            fig.kind_hint = None
        elif fig.kind_hint in ("change_low", "change_high"):
            fig.kind_hint = "change"        # "tăng thêm ít nhất 3-5%": a range of a change
    return figures


# "từ 73,4 điểm lên 75,3", "từ vị trí 52 lên thứ 33": the words between where a change starts and where it ends
OUT_OF_BAND = re.compile(r"(?:không\s+còn|không|chưa|ra\s+khỏi|rời|rời\s+khỏi|bật\s+khỏi)\s+(?:nằm\s+)?$")
GROUP_REF = re.compile(r"(?<!\w)nhóm\s+(?P<k>[1-4])(?!\d|[.,]\d)(?!\s*(?:[-–]\s*nhóm|tỉnh|địa|thành|thủ\s+tục|chỉ))")
# "nhóm 1 - nhóm 16 địa phương có điểm cao nhất", "nhóm 1 (16 địa phương …)": how large a group is
GROUP_DEFINED = re.compile(r"nhóm\s+(?P<k>[1-4])\s*(?:[-–(:]|là)\s*(?:nhóm\s+|gồm\s+)?(?P<n>\d{1,2})\s+"
                           r"(?:tỉnh|địa\s+phương)")
CHANGE_BEFORE = re.compile(r"(?:tăng|giảm|cải\s+thiện)\s+(?:thêm\s+)?(?:tối\s+thiểu\s+|ít\s+nhất\s+|từ\s+)?$")
CHANGE_RANGE = re.compile(r"(?:tăng|cải\s+thiện|vươn\s+lên)\s+(?:thêm\s+)?(?:(?:tối\s+thiểu|ít\s+nhất|từ)\s+)?"
                          r"(?:thêm\s+)?(?P<low>\d{1,2})\s*(?:-|–|đến)\s*(?P<high>\d{1,2})\s*(?P<unit>bậc|hạng|điểm)(?!\w)")
FROM_TO = re.compile(r"\s*(?:điểm\s+|%\s*)?(?:lên|xuống|tăng\s+lên|giảm\s+xuống)\s+"
                     r"(?:mức\s+|vị\s+trí\s+)?(?:thứ\s+)?\d")
NOUN_BEFORE = re.compile(r"\bsố\s+(?P<noun>[^\W\d][^\d;,.]{0,40}?)\s+(?:là|đạt|lên\s+tới|lên\s+đến)\s+$")
ORDINAL_OF = re.compile(r"(?:lần|năm|ngày|thế\s+hệ|bước|kỳ|kỳ\s+đánh\s+giá|đợt|khóa|khoá|phiên|vòng|giai\s+đoạn)\s+$")
# Numbers written as a list whose unit is said once, after the last ("60,10; 65,15 và 70,76 điểm") or after
# the first rank word ("thứ 21, 9, 16 và 3"): each is a figure of that unit.
_LIST_GAP = r"\s*(?:;|,)\s*(?:và\s+)?|\s+và\s+"
_BARE_BEFORE = re.compile(rf"(?<![\w.,/])({NUM})(?:{_LIST_GAP})$")
_YEARLIKE = re.compile(r"(?:19|20)\d{2}")
_BARE_AFTER = re.compile(rf"(?:{_LIST_GAP})({NUM})(?![\d%/]|\s*(?:%|điểm|(?!và\b)[^\W\d]))")


# "điểm" said before the number ("với số điểm 73,40 (năm 2019), 75,09 (năm 2020) và 73,02"): a score, and so are
# the numbers listed after it
SCORE_BEFORE = re.compile(r"(?:số\s+điểm|điểm\s+số|tổng\s+điểm|điểm\s+tổng\s+hợp)\s+(?:là\s+|đạt\s+)?$")
_SCORE_AFTER = re.compile(rf"(?:\s*\([^()]{{0,20}}\))?(?:{_LIST_GAP})({NUM})(?![\d%/]|\s*(?:%|(?!và\b|điểm\b)[^\W\d]))")


def _listed_before(mk: str, figures: list[Figure], claim) -> list[Figure]:
    out = []
    for fig in figures:
        if fig.unit == "score" and fig.kind_hint is None and mk[fig.end - 1].isdigit():
            pos = fig.end
            while (m := _SCORE_AFTER.match(mk, pos)) and not _YEARLIKE.fullmatch(m.group(1)) and \
                    claim(m.start(1), m.end(1)):
                out.append(Figure(m.start(1), m.end(1), parse_number(m.group(1)), "score", kind_hint="listed"))
                pos = m.end(1)
        if fig.unit == "score" and not fig.kind_hint or fig.unit == "percent" and fig.kind_hint is None:
            pos = fig.start
            while True:
                m = _BARE_BEFORE.search(mk, max(0, pos - 24), pos)
                if not m or _YEARLIKE.fullmatch(m.group(1)) or not claim(m.start(1), m.end(1)):
                    break
                out.append(Figure(m.start(1), m.end(1), parse_number(m.group(1)), fig.unit, kind_hint="listed"))
                pos = m.start(1)
        elif fig.unit == "rank" and fig.kind_hint is None and fig.denominator is None and mk[fig.end - 1].isdigit():
            pos = fig.end
            while True:
                m = _BARE_AFTER.match(mk, pos)
                if not m or _YEARLIKE.fullmatch(m.group(1)) or not claim(m.start(1), m.end(1)):
                    break
                out.append(Figure(m.start(1), m.end(1), parse_number(m.group(1)), "rank", kind_hint="listed"))
                pos = m.end(1)
    return out


def _plain_figure(mk: str, m: re.Match, g: Grammar) -> Figure | None:
    raw, end = m.group(), m.end()
    value = parse_number(raw)
    rest = mk[end:end + 40]
    if rest.lstrip().startswith("%"):
        return Figure(m.start(), end + rest.index("%") + 1, value, "percent")
    denominator = None
    frac = _FRACTION.match(rest)
    if frac:
        denominator = parse_number(frac.group(1))
        end += frac.end()
        rest = mk[end:end + 40]
    mult = _MULTIPLIER.match(rest)
    if mult:
        value *= g.multipliers[mult.group(1)]
        end += mult.end()
        rest = mk[end:end + 40]
    if _SCORE_WORD.match(rest):
        return Figure(m.start(), end + _SCORE_WORD_ANY.match(rest).end(), value, "score",
                      denominator=denominator)
    if SCORE_BEFORE.search(mk, max(0, m.start() - 24), m.start()) and not _YEARLIKE.fullmatch(raw):
        return Figure(m.start(), end, value, "score", denominator=denominator)    # "với tổng điểm 41,629"
    noun = g.nouns.match(mk, end)
    if not noun:
        # "số hồ sơ trễ hạn là 763": the noun counted is named before the number
        named = NOUN_BEFORE.search(mk, max(0, m.start() - 50), m.start())
        if named and not _YEARLIKE.fullmatch(raw) and not mk[end:end + 1].isalnum():
            counted = g.nouns.match(mk, named.start("noun") - 1)
            if counted:
                return Figure(m.start(), end, value, "count", denominator=denominator,
                              noun=norm_phrase(counted.group()))
        return None
    if not denominator and 1900 <= value <= 2100 and "." not in raw:
        return None     # a year followed by a noun ("năm 2020 hồ sơ" is not a count of 2020)
    return Figure(m.start(), noun.end(), value, "count", denominator=denominator,
                  noun=norm_phrase(noun.group()))


def _comparator(mk: str, fig: Figure, g: Grammar) -> None:
    """Qualifier words just before the figure; the outermost one counts ("trên khoảng 94%" is >)."""
    head = mk[max(0, fig.start - 40):fig.start]
    m = g.comparator_before.search(head)
    if m and m.group().startswith("từ") and FROM_TO.match(mk, fig.end):
        m = None        # "từ 73,4 điểm lên 75,3": where a change starts, not "at least"
    if m:
        first = _FIRST_WORDS.match(m.group())
        words = first.group() if first else m.group()
        for n in (3, 2, 1):
            cand = norm_phrase(" ".join(words.split()[:n]))
            if cand in g.comparator_values:
                fig.comparator = g.comparator_values[cand]
                fig.start = fig.start - len(head) + m.start()
                return
    after = g.comparator_after.match(mk, fig.end)
    if after:
        fig.comparator = g.comparator_values[norm_phrase(after.group())]
        fig.end = after.end()
