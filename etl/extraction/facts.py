"""Figures in, facts out: asks each resolver once per figure, in a fixed order (figure → time →
place → indicator → kind), and handles what spans figures: ranges, "lần lượt", things named
together, parts of a total, dedupe, the evidence span."""

from __future__ import annotations

import re
from datetime import date

from etl.extraction.indicator import (
    OWN_MEASURE,
    coordinated,
    indicator_of,
    joined_indicators,
    listed_indices,
    named_components,
)
from etl.extraction.kind import is_target, of_plan
from etl.extraction.place import (
    assign_levels_respectively,
    assign_owners_respectively,
    locality,
    owners_named_together,
)
from etl.extraction.quality import quality_flags
from etl.extraction.reader import DocumentReader, Placed, Span
from etl.extraction.time import assign_years_respectively, column_context, period_of, years_of
from etl.figures import Figure, find_figures
from etl.lexicon import Lexicon, load_lexicon
from etl.places import Gazetteer
from etl.records import Document, Fact, QualityFlag


def extract(doc: Document, lex: Lexicon | None = None, gaz: Gazetteer | None = None
            ) -> tuple[list[Fact], list[QualityFlag]]:
    lex = lex or load_lexicon()
    gaz = gaz or Gazetteer.load()
    r = DocumentReader(doc, lex, gaz)
    placed = _place_figures(r, find_figures(r.key, lex, r.mk))
    placed = [p for p in placed if p.fig.start < r.body_end and not _excluded(r, p) and _group_known(r, p)]
    r.figure_starts = [p.fig.start for p in placed]
    assign_levels_respectively(r, placed)
    assign_years_respectively(r, placed)
    assign_owners_respectively(r, placed)
    prev = None
    for p in placed:
        p.prev = prev
        _attribute(r, p, prev)
        prev = p
    _mark_breakdowns(r, placed)
    _drop_round_thresholds(r, placed)
    facts = _dedupe(placed)
    return facts, quality_flags(doc.file, facts, lex)


def _place_figures(r: DocumentReader, figures: list[Figure]) -> list[Placed]:
    placed = []
    for fig in figures:
        si = r.sentence_of(fig.start)
        sent = r.sentences[si]
        clause = r.clause_of(sent, fig.start)
        placed.append(Placed(fig, r.sentence_para[si], sent, clause, Span(clause.start, clause.end),
                             in_title=r.in_title(fig.start)))
    # Segments: text between two figures of a clause is cut at its first delimiter; the part
    # before the cut qualifies the earlier figure, the part after it the later one.
    for a, b in zip(placed, placed[1:], strict=False):
        if b.clause.start != a.clause.start:
            continue
        between = r.key[a.fig.end:b.fig.start]
        m = re.search(r",|;|\(|\bvà\b|\bcòn\b", between)
        cut = a.fig.end + (m.start() if m else len(between))
        a.seg.end, b.seg.start = cut, cut
    first: dict[tuple[int, int], int] = {}
    for p in placed:
        for scope in (p.clause, p.sent):
            first.setdefault((scope.start, scope.end), p.fig.start)
    for p in placed:
        p.first_in_scope = first
    return placed

# Sets of units named in passing: provinces after any of these words, communes and units after the narrower ones
PROVINCE_SET_NOUNS = ("tỉnh", "tỉnh thành", "tỉnh, thành phố", "địa phương")
UNIT_SET_NOUNS = ("xã", "phường", "xã, phường", "đơn vị")
PROVINCE_SET_BEFORE = re.compile(r"(?:nhóm|top|tốp|của|trong|và|khối|dẫn\s+đầu|đứng\s+đầu|xếp\s+đầu)\s+(?:các\s+)?$")
UNIT_SET_BEFORE = re.compile(r"(?:nhóm|của|trong)\s+(?:các\s+)?$")


def _group_known(r: DocumentReader, p: Placed) -> bool:
    """A group named by number is a rank band only when the report says how large it is: then its value is
    the last rank in it ("nhóm 1" of 16 places is rank <= 16)."""
    if p.fig.kind_hint != "group":
        return True
    size = r.group_sizes.get(int(p.fig.value))
    if size is None:
        return False
    p.fig.value, p.fig.kind_hint = float(int(p.fig.value) * size), None
    return True


def _about_economy(r: DocumentReader, p: Placed) -> bool:
    """A figure is about the economy when an economy word stands in its own segment ("chiếm 10% GRDP"), or
    before it in its clause with no measure of ours between ("kim ngạch xuất khẩu đạt 5 tỷ USD, tăng 10%");
    a measure named after the economy word takes the figure back ("kinh tế số chiếm 10% GRDP, đồng thời
    yêu cầu tỷ lệ hồ sơ … đạt 60%")."""
    hits = r.hits_in("economy", p.clause.start, p.clause.end)
    if not hits:
        return False
    if any(p.seg.start <= h[0] < p.seg.end for h in hits):
        return True
    before = [h for h in hits if h[1] <= p.fig.start]
    if not before:
        return False
    since = before[-1][1]
    return not (r.hits_in("cues", since, p.fig.start) or OWN_MEASURE.search(r.key, since, p.fig.start))


def _excluded(r: DocumentReader, p: Placed) -> bool:
    """Figures that are not facts although they look like figures."""
    raw = r.lex.raw
    clause_key = r.key[p.clause.start:p.clause.end]
    if _about_economy(r, p):
        return True
    if p.fig.unit == "percent" and p.fig.comparator in (">=", ">", "<") and (
            r.hits_in("band", p.sent.start, p.fig.start) or
            any(h[0] - p.fig.end < 20 for h in r.hits_in("band", p.fig.end, p.clause.end))):
        return True
    opener = clause_key.lstrip(" \"“(").split(" ", 1)[0]
    inside_paren = r.key.rfind("(", p.sent.start, p.fig.start) > r.key.rfind(")", p.sent.start, p.fig.start)
    if opener in raw["distributive_openers"] and not inside_paren:
        return True
    head = max(p.clause.start, p.fig.start - 12)
    if p.fig.unit == "count" and not p.fig.denominator and (
            p.fig.noun in PROVINCE_SET_NOUNS and PROVINCE_SET_BEFORE.search(r.key, head, p.fig.start) or
            p.fig.noun in UNIT_SET_NOUNS and UNIT_SET_BEFORE.search(r.key, head, p.fig.start)):
        return True     # "nhóm 5 địa phương", "của 63 tỉnh, thành phố": a set of units named, not a figure
    return False


def _attribute(r: DocumentReader, p: Placed, prev: Placed | None) -> None:
    fig = p.fig
    kind = "target" if fig.kind_hint != "streak" and is_target(r, p) else "actual"   # a streak is a result
    indicator, unit = indicator_of(r, p, prev)
    province, place, level = locality(r, p)
    if p.level_override:
        level = p.level_override
    years = [p.year_override] if p.year_override else years_of(r, p, kind, indicator, unit)
    if fig.kind_hint == "streak":       # "ba năm liền 2017, 2018, 2019": the streak is counted at its last year
        years = years[-1:]
    elif fig.kind_hint or unit != "rank":      # only a rank is said of several years at once
        years = years[:1]
    period = period_of(r, p, kind, indicator, years[0])
    column = r.table_column(p.para, fig.start)
    if column:
        kind, year, period = column_context(r, column, kind, years[0], period)
        years = [year]
    if of_plan(r, p):      # "đạt 100% kế hoạch": how much of a plan was done, not the rate itself
        base = indicator.removeprefix("other:")
        indicator, kind = f"other:{base}_of_plan", "actual"
    codes = [indicator]
    extra = coordinated(r, p, indicator, unit)
    if extra:
        codes.append(extra)
    codes += listed_indices(r, p, indicator, unit)
    codes += [c for c in joined_indicators(r, p, indicator, unit) if c not in codes]
    parts = dict(named_components(r, p, indicator, unit))
    if parts:
        codes = list(parts)
    if level == "district" and place and _after_district_level(r, years[0]):
        level = "commune"       # from 1 July 2025 there is no district level: a place below the province is a commune
    owners = [(province, place, level)]
    together = owners_named_together(r, p)
    if together:
        owners = [(name, None, "province") for name in together]
    ev_start, ev_end = _evidence_span(r, p)
    for code, year, (province, place, level) in ((c, y, o) for c in codes for y in years for o in owners):
        p.facts.append(Fact(
            doc=r.doc.file, province=province, place=place, level=level, year=year, period=period,
            indicator=code, kind=kind, comparator=fig.comparator, value=float(fig.value), unit=unit,
            evidence=r.text[ev_start:ev_end], start=ev_start, end=ev_end, denominator=fig.denominator,
            label=parts.get(code) or (p.label if code == indicator else None)))


DISTRICTS_ABOLISHED = date(2025, 7, 1)


def _after_district_level(r: DocumentReader, year: int | None) -> bool:
    published = r.doc.published
    return bool(year and (year > DISTRICTS_ABOLISHED.year or
                          year == DISTRICTS_ABOLISHED.year and published and published >= DISTRICTS_ABOLISHED))


def _evidence_span(r: DocumentReader, p: Placed) -> tuple[int, int]:
    start = max(p.seg.start, p.fig.start - 70)
    end = max(p.fig.end, min(p.seg.end, p.fig.end + 50))
    text = r.text
    while start < p.fig.start and not text[start].isalnum() and text[start] not in "(“\"":
        start += 1
    if start > p.seg.start and start < p.fig.start and text[start - 1].isalnum():
        nxt = text.find(" ", start, p.fig.start)
        start = nxt + 1 if nxt >= 0 else start
    while end > p.fig.end and not (text[end - 1].isalnum() or text[end - 1] in ")%"):
        end -= 1
    if end < p.seg.end and end > p.fig.end and text[end:end + 1].isalnum():
        prv = text.rfind(" ", p.fig.end, end)
        end = prv if prv > p.fig.end else end
    return start, end


# between two parts of one breakdown: the first part's own words, then "và" or a comma
PART_LIST_GAP = re.compile(r"[^,;.\d]{0,60}?(?:,|\bvà\b|;)\s*(?:và\s+)?[^,;.\d]{0,30}?")


def _mark_breakdowns(r: DocumentReader, placed: list[Placed]) -> None:
    """Parts of a total stated just before it keep the total's indicator out of the part."""
    seen: list[Fact] = []
    last_part: Placed | None = None
    for p in sorted(placed, key=lambda p: (not p.in_title, p.fig.start)):
        if p.in_title:
            seen.extend(p.facts)
            continue
        opener = any(h[1] <= p.fig.start and p.fig.start - h[1] < 40 and h[0] >= p.sent.start
                     for h in r.hits["breakdown"])
        # "trong đó 546 dịch vụ toàn trình và 932 dịch vụ một phần": the parts listed after the first are parts too
        opener = opener or bool(last_part and last_part.sent.start == p.sent.start and
                                PART_LIST_GAP.fullmatch(r.key, last_part.fig.end, p.fig.start))
        for f in p.facts:
            if opener and not f.indicator.startswith("other:") and any(
                    g.indicator == f.indicator and g.unit == f.unit and g.province == f.province and
                    g.level == f.level and g.kind == f.kind and g.value > f.value for g in seen):
                f.indicator = f"other:{f.indicator}_part"
        last_part = p if any(f.indicator.endswith("_part") for f in p.facts) else None
        seen.extend(p.facts)


def _drop_round_thresholds(r: DocumentReader, placed: list[Placed]) -> None:
    """"vượt mốc 90%" beside "91,87%", "thuộc nhóm 16 địa phương …" beside "thứ 15/63": a result said as a band,
    when the report also states the exact figure for the same owner, indicator and year, is a looser
    restatement of it (spec), not a fact."""
    exact = {(f.province, f.place, f.indicator, f.year) for p in placed for f in p.facts
             if f.kind == "actual" and f.comparator == "="}
    for p in placed:
        p.facts = [f for f in p.facts if not (
            f.kind == "actual" and (f.province, f.place, f.indicator, f.year) in exact and (
                f.comparator in (">", ">=") and f.value % 10 == 0 or            # "vượt mốc 90%" beside 91,87%
                f.unit == "rank" and f.comparator == "<="))]                    # "thuộc nhóm 16 …" beside 15/63


def _restated(title_fact: Fact, body: list[Fact]) -> bool:
    """A title fact the body states too: the same indicator, or the same kind of figure where one side's words
    fit no indicator (then the body's fact takes the title's indicator)."""
    if any(g.indicator == title_fact.indicator for g in body):
        return True
    same_kind = [g for g in body if g.kind == title_fact.kind]
    if not same_kind:
        return False
    if title_fact.indicator.startswith("other:"):
        return True
    unnamed = [g for g in same_kind if g.indicator.startswith("other:")]
    if len(unnamed) != len(same_kind):
        return False
    unnamed[0].indicator, unnamed[0].label = title_fact.indicator, None
    return True


def _dedupe(placed: list[Placed]) -> list[Fact]:
    """A figure stated twice (title and body, a caption) is one fact; the body's wording is kept."""
    out, keys, loose = [], set(), {}
    for p in sorted(placed, key=lambda p: (p.in_title, p.fig.start)):
        for f in p.facts:
            k = (f.province, f.place, f.level, f.year, f.period, f.indicator, f.kind, f.unit, f.value)
            if f.indicator.endswith("_streak"):     # streaks are restated in many wordings
                k = (f.province, f.year, "streak", f.value)
            lk = (f.province, f.unit, f.value)
            if k in keys or p.in_title and _restated(f, loose.get(lk, [])):
                continue
            keys.add(k)
            loose.setdefault(lk, []).append(f)
            out.append(f)
    out.sort(key=lambda f: (f.start, f.indicator))
    return out
