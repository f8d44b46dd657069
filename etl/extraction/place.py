"""Province, place and administrative level of a figure (spec: owners, Cả nước, levels)."""

from __future__ import annotations

import re

from etl.extraction.reader import (
    LEVEL_ORDER,
    DocumentReader,
    Placed,
    Span,
    has_hit,
    in_aside,
    opens_with_figure,
    series_runs,
)
from etl.lexicon import phrase_keys
from etl.records import NATIONAL


def locality(r: DocumentReader, p: Placed) -> tuple[str | None, str | None, str]:
    province, place = r.doc.province, r.doc.place
    fig = p.fig
    level = _level(r, p)
    if p.owner_override:
        return p.owner_override, None, "province"
    after = [r.places[i] for i in r.places_in(fig.end, fig.end + 30) if r.places[i].level == "province"]
    if after and OWNER_NAMED_AFTER.fullmatch(r.key[fig.end:after[0].start]):
        return after[0].province, None, "province"
    if fig.noun and fig.noun in phrase_keys(tuple(r.lex.raw["national_count_nouns"])):
        if fig.denominator in [float(n) for n in r.lex.raw["provinces_total"]] or fig.noun == "địa phương":
            return NATIONAL, None, "province"
    if _prev_national(r, p):
        return NATIONAL, None, "province"
    for scope in (p.clause, p.sent):
        owner = _owner(r, p, scope)
        if owner is None:
            continue
        owner_province, owner_place, owner_level = owner
        if owner_province == NATIONAL or (owner_place is None and owner_province != r.doc.province):
            return owner_province, None, "province"     # the country, or another province as a whole
        if owner_place is None:
            return owner_province, None, level
        if owner_level == "commune" or level == "commune":     # "Xã An Hải đạt …", "cấp xã" of a district
            return owner_province, owner_place, "commune"
        return owner_province, owner_place, "district"
    if ANAPHOR.match(r.key, p.sent.start):     # "Tỉnh này đạt 92,18%": the province named just before
        earlier = [m for m in (r.places[i] for i in r.places_in(r.paragraphs[max(0, p.para - 1)].start, p.sent.start))
                   if m.end <= p.sent.start and m.level == "province" and m.province]
        if earlier:
            return earlier[-1].province, None, "province"
    subject = _paragraph_subject(r, p)
    if subject and subject.province != province:
        return subject.province, None, "province"
    return province, place, level


# "Đứng đầu bảng là Quảng Ninh với 90,1%": the owner named right after the rank
OWNER_NAMED_AFTER = re.compile(r"\s*(?:[^\W\d]+\s+){0,2}?là\s+(?:thành phố\s+|tỉnh\s+|tp\.?\s+)?")
ANAPHOR = re.compile(r"\W*(?:tỉnh|thành\s+phố|địa\s+phương|thủ\s+đô)\s+này\b")
# How far into a sentence a place still reads as its subject ("Tại Hà Nội, …", "Với Hải Phòng, …").
SUBJECT_REACH = 30


def _paragraph_subject(r: DocumentReader, p: Placed):
    """A sentence with no owner of its own continues the subject of its paragraph: the province an earlier
    sentence of the paragraph opened with ("Quảng Ninh giữ ngôi đầu … Tỉnh tiếp tục dẫn đầu năm 2020")."""
    para = r.paragraphs[p.para]
    subject = None
    for m in (r.places[i] for i in r.places_in(para.start, p.sent.start)):
        if not m.province or m.level != "province":
            continue
        sent = r.sentences[r.sentence_of(m.start)]
        if m.start - sent.start < SUBJECT_REACH:
            subject = m
    return subject


def _prev_national(r: DocumentReader, p: Placed) -> bool:
    """"63/63 địa phương đều đạt ... trên 80%": a figure owned by a national count just before it."""
    prev = p.prev
    return bool(prev and prev.facts and prev.facts[0].province == NATIONAL and prev.clause.start == p.clause.start
                and not r.places_in(prev.fig.end, p.fig.start))


def _ranking_scope(r: DocumentReader, pos: int) -> bool:
    """"đứng thứ 2 cả nước": the words before "cả nước" rank a province within the country."""
    before = re.findall(r"\w+", r.key[max(0, pos - 25):pos])[-2:]
    words = set(r.lex.raw["ranking_scope_before"])
    return any(w in words or w.isdigit() for w in before) or \
        any(" ".join(before[i:]) in words for i in range(len(before)))


def _owner(r: DocumentReader, p: Placed, scope: Span):
    """The nearest place or national cue before the figure inside the scope."""
    best = None
    for m in (r.places[i] for i in reversed(r.places_in(scope.start, p.fig.start))):     # nearest first
        if m.end <= p.fig.start and m.province and not in_aside(r, m.start, p.fig.start):
            best = (m.end, m.province, m.place if m.level != "province" else None, m.level)
            break
    for h in reversed(r.within("national", scope.start, p.fig.start)):
        if best is not None and h[1] <= best[0]:
            break
        if h[1] <= p.fig.start:
            phrase = r.key[h[0]:h[1]]
            if phrase in r.lex.raw["national_scope_only"] and _ranking_scope(r, h[0]):
                continue
            best = (h[1], NATIONAL, None, "province")
            break
    if best is None:
        return None
    _, province, place, level = best
    if province == r.doc.province and place is None:
        return r.doc.province, r.doc.place, None      # the report's own province: its own place and level
    return province, place, level


def _level(r: DocumentReader, p: Placed) -> str:
    def resolve(hits):
        levels = {r.own_level if h[2] == "self" else h[2] for h in hits}
        return min(levels, key=LEVEL_ORDER.get)
    seg_hits = [h for h in r.within("levels", p.seg.start, p.seg.end) if h[1] <= p.seg.end and h[2] != "self"]
    if seg_hits:
        return resolve(seg_hits)
    # The subject before a clause's first figure qualifies all its figures; a clause that opens
    # with a figure ("; 70% công tác báo cáo ...") is a new list item and starts afresh.
    scopes = [p.clause] if opens_with_figure(r, p) else [p.clause, p.sent]
    for scope in scopes:
        first_fig = p.first_in_scope.get((scope.start, scope.end), p.fig.start)
        before = [h for h in r.within("levels", scope.start, first_fig) if h[1] <= first_fig and h[2] != "self"]
        if before:
            return resolve([before[-1]])
    return r.default_level


def assign_levels_respectively(r: DocumentReader, placed: list[Placed]) -> None:
    """"đạt 100%, 80%, 70% đối với cấp tỉnh, cấp huyện, cấp xã": pair figures and levels in order."""
    for run in series_runs(r, placed):
        last = run[-1].fig.end
        hits = r.within("levels", last, run[0].sent.end)
        cue = has_hit(r, "respectively", run[0].sent.start, run[0].sent.end)
        if hits and len(hits) >= len(run) and (cue or hits[0][0] - last < 60):
            for p, h in zip(run, hits[:len(run)], strict=True):
                p.level_override = r.own_level if h[2] == "self" else h[2]


PROVINCE_LIST_GAP = re.compile(r"\s*(?:,|;|và|,\s*và|cùng)\s*(?:tỉnh\s+|thành\s+phố\s+|tp\.?\s*)?")
# provinces named after a figure may each carry their own figure in brackets ("Long An (72,64 điểm), Bắc Giang …")
PROVINCE_LIST_GAP_AFTER = re.compile(r"\s*(?:\([^()]{0,30}\)\s*)?" + PROVINCE_LIST_GAP.pattern.removeprefix(r"\s*"))
# "… nhóm 5 địa phương dẫn đầu còn có Long An, Bắc Giang và Bà Rịa - Vũng Tàu": provinces named after a figure
NAMED_AFTER = re.compile(r"[\s,]*(?:[^\W\d]+\s+){0,3}?(?:năm\s+\d{4}\s+)?(?:còn\s+có|gồm\s+có|gồm|là|thuộc\s+về)\s+$")


def _province_list(r: DocumentReader, i: int, forward: bool) -> list:
    """Province mentions written as one list with r.places[i] ("Hải Phòng, Hà Nội và Bắc Giang")."""
    out = [r.places[i]]
    j = i
    while 0 <= j + (1 if forward else -1) < len(r.places):
        nxt = r.places[j + (1 if forward else -1)]
        a, b = (out[-1], nxt) if forward else (nxt, out[-1])
        gap = PROVINCE_LIST_GAP_AFTER if forward else PROVINCE_LIST_GAP
        if nxt.level != "province" or not nxt.province or not gap.fullmatch(r.key, a.end, b.start):
            break
        out.append(nxt)
        j += 1 if forward else -1
    return out if forward else out[::-1]


def owners_named_together(r: DocumentReader, p: Placed) -> list[str] | None:
    """Provinces one figure is said of together: "Hà Nội, Hải Phòng và Quảng Ninh đều đạt 100%" (the list
    before the figure), "nhóm 5 địa phương … còn có Long An, Bắc Giang và Bà Rịa - Vũng Tàu" (after it).
    None when the figure has a single owner."""
    if p.owner_override:
        return None
    after = next(iter(r.places_in(p.fig.end, p.clause.end)), None)
    if after is not None and r.places[after].level == "province" and \
            NAMED_AFTER.match(r.key[p.fig.end:r.places[after].start]):
        names = [m.province for m in _province_list(r, after, forward=True)]
        return names if len(names) >= 2 else None
    before = [i for i in r.places_in(p.clause.start, p.fig.start) if r.places[i].end <= p.fig.start]
    if not before or r.places[before[-1]].level != "province":
        return None
    names = [m.province for m in _province_list(r, before[-1], forward=False)]
    between = r.key[r.places[before[-1]].end:p.fig.start]
    if len(names) < 2 or re.search(r"\d|[;:]", between) or len(between) > 60:
        return None
    return names


def assign_owners_respectively(r: DocumentReader, placed: list[Placed]) -> None:
    """"Bình Dương và Thanh Hóa lần lượt xếp thứ hai, thứ ba": a run of figures as long as the list of
    provinces just before it pairs with them in order."""
    for run in series_runs(r, placed):
        before = [i for i in r.places_in(run[0].clause.start, run[0].fig.start) if r.places[i].end <= run[0].fig.start]
        if not before:
            continue
        names = [m.province for m in _province_list(r, before[-1], forward=False) if m.level == "province"]
        if len(names) == len(run):
            for p, name in zip(run, names, strict=True):
                p.owner_override = name
