"""Year and period of a figure (spec: "Conventions for time")."""

from __future__ import annotations

import re

from etl.extraction.reader import INDEX_THEME, DocumentReader, Placed, Span, closed_paren_between
from etl.metadata import DATE_YEAR, YEAR

REFERENCE_YEAR = re.compile(r"(?:so\s+với|từ|kể\s+từ|sau\s+khi)\s+(?:\w+\s+){0,3}?(?:năm\s+)?$")


def sentence_years(r: DocumentReader, sent: Span) -> tuple[list[int], list[tuple[int, int]]]:
    """Years a sentence names: the ones it compares against, and the others with their positions."""
    cached = r.year_cache.get(sent.start)
    if cached is not None:
        return cached
    sent_key = r.key[sent.start:sent.end]
    refs, eligible = [], []
    for m in list(YEAR.finditer(sent_key)) + list(DATE_YEAR.finditer(sent_key)):
        start = sent.start + m.start()
        head = r.key[max(sent.start, start - 30):start]
        if REFERENCE_YEAR.search(head):
            refs.append(int(m.group(m.lastindex or 0)))
            continue
        eligible.append((start, int(m.group(m.lastindex or 0))))
    eligible.sort()
    r.year_cache[sent.start] = (refs, eligible)
    return refs, eligible


def year_of(r: DocumentReader, p: Placed) -> int | None:
    fig = p.fig
    refs, eligible = sentence_years(r, p.sent)
    before = [(s, y) for s, y in eligible if s < fig.start and not closed_paren_between(r.key, s, fig.start)]
    if before:
        return before[-1][1]
    after = [(s, y) for s, y in eligible if s >= fig.end and s < p.clause.end]
    if after:
        return after[0][1]
    if refs:
        return max(refs) + 1
    return r.section_of[p.para][1] or r.doc.year


def period_of(r: DocumentReader, p: Placed, kind: str, indicator: str) -> str:
    base = indicator.removeprefix("other:")
    code = base if base in r.lex.indicators else None
    if (code and r.lex.indicators[code].theme == INDEX_THEME) or p.fig.unit == "rank" or \
            p.fig.kind_hint in ("streak", "rank_change") or any(
                base.startswith(i) for i in r.lex.indicators if r.lex.indicators[i].theme == INDEX_THEME):
        return "year"
    before = [h for h in r.within("periods", p.sent.start, p.fig.start) if h[1] <= p.fig.start]
    after = [h for h in r.within("periods", p.fig.end, p.clause.end) if h[1] <= p.clause.end]
    if before:
        return before[-1][2]
    if after:
        return after[0][2]
    if kind == "target":
        return "year"
    if p.in_title:
        return r.doc_period or "year"
    return r.doc_period or "year"


def column_context(r: DocumentReader, col: Span, kind: str, year, period):
    """A table column headed "Kế hoạch năm 2024" holds targets for 2024; "Thực hiện 9 tháng", results."""
    cues = [h[2] for h in r.within("kind", col.start, col.end)]
    if cues:
        kind = "actual" if cues[-1] == "actual" else "target"
    years = [y for s, y in sentence_years(r, col)[1]]
    periods = [h[2] for h in r.within("periods", col.start, col.end)]
    return kind, (years[0] if years else year), (periods[0] if periods else period)
