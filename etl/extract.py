"""Extract stage: a settled Document in, facts and data-quality flags out.

Figures come from etl.figures; this module decides what each one is about by reading the words
around it: its segment (the stretch of its clause it owns), its clause (between semicolons), its
sentence, its paragraph and the report's title. Every cue is data (data/*.yaml).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from etl.figures import Figure, find_figures, grammar, masked_key
from etl.lexicon import Lexicon, load_lexicon, norm_phrase, phrase_keys, word_matches
from etl.metadata import DATE_YEAR, YEAR
from etl.normalize import ascii_fold, match_key
from etl.places import Gazetteer
from etl.records import NATIONAL, Document, Fact, QualityFlag

LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
INDEX_THEME = "indices"
REFERENCE_YEAR = re.compile(r"(?:so\s+với|từ|kể\s+từ|sau\s+khi)\s+(?:\w+\s+){0,3}?(?:năm\s+)?$")
ABBREVIATIONS = ("tp", "tt", "ts", "ths", "pgs", "gs", "th.s", "v.v", "ubnd", "st", "q", "p")


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Placed:
    """A figure with the stretches of text around it."""

    fig: Figure
    para: int
    sent: Span
    clause: Span
    seg: Span
    in_title: bool
    facts: list[Fact] = field(default_factory=list)
    prev: Placed | None = None                  # the figure before it in the report
    level_override: str | None = None           # set by a "respectively" list
    first_in_scope: dict = field(default_factory=dict)   # (start, end) of a clause/sentence -> its first figure
    label: str | None = None                    # the report's words behind an other:<label> code


def _sentences(text: str, key: str, start: int, end: int) -> list[Span]:
    """Sentence spans of one paragraph; "6.278" and "TP. Hà Nội" do not end a sentence."""
    out, s = [], start
    for m in re.finditer(r"[.!?…]+[”\"')]*\s+(?=[\"“(\w])", text[start:end]):
        cut = start + m.end()
        word = re.search(r"([\w.]+)[.!?…]+[”\"')]*\s+$", key[s:cut])
        nxt = text[cut:cut + 1]
        if word and word.group(1).lower() in ABBREVIATIONS:
            continue
        if nxt.islower():
            continue
        out.append(Span(s, cut))
        s = cut
    if s < end:
        out.append(Span(s, end))
    return out


class DocumentReader:
    """Everything the attribution needs about one document, computed once."""

    def __init__(self, doc: Document, lex: Lexicon, gaz: Gazetteer):
        self.doc, self.lex, self.gaz = doc, lex, gaz
        self.text = doc.text
        self.key = match_key(doc.text)
        self.mk = masked_key(self.key, grammar(lex))
        self.paragraphs: list[Span] = []
        self.sentences: list[Span] = []
        self.sentence_para: list[int] = []
        pos = 0
        for line in self.text.split("\n"):
            if line.strip():
                para = Span(pos, pos + len(line))
                self.paragraphs.append(para)
                for s in _sentences(self.text, self.key, para.start, para.end):
                    self.sentences.append(s)
                    self.sentence_para.append(len(self.paragraphs) - 1)
            pos += len(line) + 1
        self.sentence_starts = [s.start for s in self.sentences]
        self.title_spans = self._title_spans()
        self.title_span = self.title_spans[0] if self.title_spans else None
        self.cues = lex.cue_hits(self.key)
        self.hits = {"kind": lex.scan("kind", self.key)}
        context: dict[str, list] = {"levels": [], "periods": [], "national": [], "markers": []}
        for start, end, tagged in lex.scan("context", self.key):
            name, value = tagged.split(":", 1)
            context[name].append((start, end, value))
        self.hits.update(levels=context["levels"], periods=context["periods"], national=context["national"])
        for name in ("respectively", "breakdown", "component", "economy", "band", "per_unit"):
            self.hits[name] = [h for h in context["markers"] if h[2] == name]
        self.hits["sector"] = [h for h in context["markers"] if h[2] in ("sector", "all_sectors")]
        self.hits["cues"] = self.cues
        self._starts = {name: [h[0] for h in hits] for name, hits in self.hits.items()}
        self._reach = max((h[1] - h[0] for h in self.cues), default=0)
        self.places = gaz.find(self.text, self.key, prefer_province=doc.province)
        self.default_level = "district" if doc.place else "province"
        self.doc_period = self._doc_period()
        self.section_of = self._sections()
        self.body_end = self._body_end()
        self.year_cache: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}

    # ---- structure -------------------------------------------------------------------------
    def _title_spans(self) -> list[Span]:
        """The title line and any line that repeats it (a caption under the lead photo)."""
        title = re.sub(r"\W+", " ", match_key(self.doc.title or "")).strip()
        if len(title) < 12:
            return []
        spans = []
        for para in self.paragraphs:
            line = re.sub(r"\W+", " ", self.key[para.start:para.end]).strip()
            if line == title or (len(line) > 20 and (title.startswith(line) or line.startswith(title))):
                spans.append(para)
        return spans

    def _body_end(self) -> int:
        """Where the article ends: the first short line, after the opening ones, that starts a list
        of other articles ("Tin liên quan", "Tin khác")."""
        markers = tuple(self.lex.raw["article_end_markers"])
        for para in self.paragraphs[2:]:
            line = self.key[para.start:para.end].strip(" :.-–|")
            if len(line) < 40 and line.startswith(markers):
                return para.start
        return len(self.text)

    def _sections(self) -> list[tuple[str | None, int | None]]:
        """For each paragraph, the kind and year its section heading gives ("III. NHIỆM VỤ NĂM 2024")."""
        regex, values = self.lex.phrase_sets["sections"]
        out, current = [], (None, None)
        for para in self.paragraphs:
            line = self.text[para.start:para.end].strip()
            letters = [c for c in line if c.isalpha()]
            heading = len(line) < 100 and "%" not in line and (
                re.match(r"(?:[IVX]+|[A-ZĐ])[.)]\s", line) or
                (letters and sum(c.isupper() for c in letters) > 0.7 * len(letters)))
            if heading:
                key = self.key[para.start:para.end]
                kinds = [values[norm_phrase(m.group())] for m in word_matches(regex, key)]
                years = [int(y) for y in YEAR.findall(key)]
                current = (kinds[0] if kinds else None, years[0] if years else None)
            out.append(current)
        return out

    def table_column(self, para_index: int, pos: int) -> Span | None:
        """For a figure in a table row ("a | b | c"), the header cell of its column, if the table has one."""
        para = self.paragraphs[para_index]
        row = self.text[para.start:para.end]
        if row.count("|") < 1:
            return None
        header = None
        i = para_index - 1
        while i >= 0 and self.text[self.paragraphs[i].start:self.paragraphs[i].end].count("|") >= 1:
            header = i
            i -= 1
        if header is None:
            return None
        column = row[:pos - para.start].count("|")
        head = self.paragraphs[header]
        cells = self.text[head.start:head.end].split("|")
        if column >= len(cells) or column == 0:
            return None
        start = head.start + sum(len(c) + 1 for c in cells[:column])
        return Span(start, start + len(cells[column]))

    def in_title(self, pos: int) -> bool:
        return any(s.start <= pos < s.end for s in self.title_spans)

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, pos) - 1)

    def clause_of(self, sent: Span, pos: int) -> Span:
        start, end = sent.start, sent.end
        for m in re.finditer(r";", self.key[sent.start:sent.end]):
            cut = sent.start + m.start()
            if cut < pos:
                start = cut + 1
            elif cut >= pos:
                end = cut
                break
        return Span(start, end)

    def within(self, name: str, start: int, end: int) -> list[tuple]:
        """Hits of a phrase set that start in [start, end) (cues: also those reaching into it)."""
        starts = self._starts[name]
        reach = self._reach if name == "cues" else 0
        return self.hits[name][bisect.bisect_left(starts, start - reach):bisect.bisect_left(starts, end)]

    def hits_in(self, name: str, start: int, end: int) -> list[tuple[int, int, str]]:
        return [h for h in self.within(name, start, end) if h[1] <= end]

    def _doc_period(self) -> str | None:
        if self.title_span:
            hits = self.hits_in("periods", self.title_span.start, self.title_span.end)
            if hits:
                return hits[0][2]
        title_periods = [v for _, _, v in self.lex.scan("context", match_key(self.doc.title or ""))
                         if v.startswith("periods:")]
        if title_periods:
            return title_periods[0].split(":", 1)[1]
        explicit = [h for h in self.hits["periods"] if h[2] not in ("year", "YTD")]
        if explicit:
            return explicit[0][2]
        return None


# ---- the extractor ---------------------------------------------------------------------------

def extract(doc: Document, lex: Lexicon | None = None, gaz: Gazetteer | None = None
            ) -> tuple[list[Fact], list[QualityFlag]]:
    lex = lex or load_lexicon()
    gaz = gaz or Gazetteer.load()
    r = DocumentReader(doc, lex, gaz)
    placed = _place_figures(r, find_figures(r.key, lex, r.mk))
    placed = [p for p in placed if p.fig.start < r.body_end and not _excluded(r, p)]
    _assign_levels_respectively(r, placed)
    prev = None
    for p in placed:
        p.prev = prev
        _attribute(r, p, prev)
        prev = p
    _mark_breakdowns(r, placed)
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


def _excluded(r: DocumentReader, p: Placed) -> bool:
    """Figures that are not facts although they look like figures."""
    raw = r.lex.raw
    clause_key = r.key[p.clause.start:p.clause.end]
    if r.hits_in("economy", p.clause.start, p.clause.end):
        return True
    if p.fig.unit == "percent" and p.fig.comparator in (">=", "<") and r.hits_in("band", p.sent.start, p.fig.start):
        return True
    opener = clause_key.lstrip(" \"“(").split(" ", 1)[0]
    inside_paren = r.key.rfind("(", p.sent.start, p.fig.start) > r.key.rfind(")", p.sent.start, p.fig.start)
    if opener in raw["distributive_openers"] and not inside_paren:
        return True
    if p.fig.unit == "rank" and p.fig.kind_hint == "top" and not _is_target(r, p):
        return True     # "nằm trong top 5" as a result is a band, not a rank
    return False


# ---- attribution -----------------------------------------------------------------------------

def _attribute(r: DocumentReader, p: Placed, prev: Placed | None) -> None:
    fig = p.fig
    kind = "target" if _is_target(r, p) else "actual"
    indicator, unit = _indicator(r, p, prev)
    province, place, level = _locality(r, p)
    if p.level_override:
        level = p.level_override
    year = _year(r, p)
    period = _period(r, p, kind, indicator)
    column = r.table_column(p.para, fig.start)
    if column:
        kind, year, period = _column_context(r, column, kind, year, period)
    if _of_plan(r, p):      # "đạt 100% kế hoạch": how much of a plan was done, not the rate itself
        base = indicator.removeprefix("other:")
        indicator, kind = f"other:{base}_of_plan", "actual"
    codes = [indicator]
    extra = _coordinated(r, p, indicator, unit)
    if extra:
        codes.append(extra)
    codes += _listed_indices(r, p, indicator, unit)
    for code in codes:
        ev_start, ev_end = _evidence_span(r, p)
        p.facts.append(Fact(
            doc=r.doc.file, province=province, place=place, level=level, year=year, period=period,
            indicator=code, kind=kind, comparator=fig.comparator, value=float(fig.value), unit=unit,
            evidence=r.text[ev_start:ev_end], start=ev_start, end=ev_end, denominator=fig.denominator,
            label=p.label if code == indicator else None))


def _column_context(r: DocumentReader, col: Span, kind: str, year, period):
    """A table column headed "Kế hoạch năm 2024" holds targets for 2024; "Thực hiện 9 tháng", results."""
    cues = [h[2] for h in r.within("kind", col.start, col.end)]
    if cues:
        kind = "actual" if cues[-1] == "actual" else "target"
    years = [y for s, y in _sentence_years(r, col)[1]]
    periods = [h[2] for h in r.within("periods", col.start, col.end)]
    return kind, (years[0] if years else year), (periods[0] if periods else period)


def _of_plan(r: DocumentReader, p: Placed) -> bool:
    if p.fig.unit != "percent":
        return False
    regex, _ = r.lex.phrase_sets["of_plan"]
    m = regex.match(r.key, p.fig.end + len(r.key[p.fig.end:]) - len(r.key[p.fig.end:].lstrip()))
    return m is not None


def _is_target(r: DocumentReader, p: Placed) -> bool:
    """Goal or result: the nearest kind cue before the figure in its sentence decides; a target
    cue after it in its clause or a goal scope opened earlier in the paragraph makes a goal,
    unless a result cue opens the figure's clause."""
    targets = [h for h in r.within("kind", p.sent.start, p.fig.start) if h[1] <= p.fig.start and h[2] != "actual"]
    # A result cue counts when it opens the figure's clause or stands right before the figure
    # ("đã tiếp nhận 6.278"); one buried in a relative clause ("... đã được chấp nhận") does not.
    actuals = [h for h in r.within("kind", p.clause.start, p.fig.start) if h[1] <= p.fig.start and h[2] == "actual"
               and (h[0] - p.clause.start < 40 or p.fig.start - h[0] < 30)]
    if targets or actuals:
        last_target = targets[-1][0] if targets else -1
        last_actual = actuals[-1][0] if actuals else -1
        return last_target > last_actual
    after = [h for h in r.within("kind", p.fig.end, p.seg.end) if h[1] <= p.seg.end]
    if after and after[0][0] - p.fig.end < 60:      # "… 62,3%, vượt chỉ tiêu đề ra": the first cue decides
        return after[0][2] != "actual"
    para = r.paragraphs[p.para]
    scope = r.within("kind", para.start, p.sent.start)
    if scope and any(h[2] == "target_scope" for h in scope):
        last_scope = max(h[0] for h in scope if h[2] == "target_scope")
        if not any(h[2] == "actual" and h[0] > last_scope and _opens_sentence(r, h[0]) for h in scope):
            return True
    section_kind = r.section_of[p.para][0]
    if section_kind:
        return section_kind == "target"
    comparator_words = r.key[max(p.sent.start, p.fig.start - 1):p.fig.start + 15]
    return any(comparator_words.startswith(w) for w in r.lex.raw["target_comparator_cues"])


def _opens_sentence(r: DocumentReader, pos: int) -> bool:
    s = r.sentences[r.sentence_of(pos)]
    return pos - s.start < 25


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
    return True


def _nearest(cands, pos_start: int, pos_end: int):
    """The cue nearest the figure; one containing another beats it; then the longer one."""
    def dist(h):
        if h[1] <= pos_start:
            return pos_start - h[1]
        if h[0] >= pos_end:
            return h[0] - pos_end
        return 0
    return min(cands, key=lambda h: (dist(h), -(h[1] - h[0])))


def _pick(r: DocumentReader, p: Placed, unit: str, start: int, end: int, side: str = "any"):
    cands = []
    for h in r.within("cues", start, end):
        if h[1] <= start:
            continue
        if side == "before" and h[0] >= p.fig.start:
            continue
        if side == "after" and h[1] <= p.fig.end:
            continue
        codes = [c for c in h[2] if _compatible(r, c, p, unit)]
        if codes:
            cands.append((h[0], h[1], codes[0]))
    if not cands:
        return None
    # a hit contained in another hit of the list is not a cue of its own
    cands = [h for h in cands if not any(o != h and o[0] <= h[0] and h[1] <= o[1] for o in cands)]
    return _nearest(cands, p.fig.start, p.fig.end)


def _indicator(r: DocumentReader, p: Placed, prev: Placed | None) -> tuple[str, str]:
    fig = p.fig
    unit = "rank" if fig.kind_hint == "rank_change" else fig.unit
    search_unit = unit
    if fig.kind_hint in ("streak",):
        search_unit = "rank"
    base = _base_indicator(r, p, prev, search_unit)
    if fig.kind_hint == "streak":
        root = base[6:] if base and base.startswith("other:") else (base or "rank")
        return f"other:{root.removesuffix('_rank')}_streak", "count"
    if fig.kind_hint in ("change", "rank_change"):
        root = base[6:] if base and base.startswith("other:") else (base or "value")
        return f"other:{root}_change", unit
    if base is None:
        label, words = _label(r, p)
        p.label = words
        return f"other:{label}", unit
    if not base.startswith("other:"):
        ind = r.lex.indicators[base]
        if unit == "score":
            unit = ind.unit
        if _has_hit(r, "component", p.sent.start, p.fig.start) and ind.theme == INDEX_THEME:
            return f"other:{base}_component", unit
        if _sector(r, p):
            return f"other:{base}_sector", unit
        if unit == "count" and any(p.fig.start - h[1] < 40 for h in r.within("per_unit", p.seg.start, p.fig.end)):
            return f"other:{base}_average", unit
        if unit == "rank" and fig.denominator and int(fig.denominator) not in r.lex.raw["provinces_total"]:
            return f"other:{base}_among_{int(fig.denominator)}", unit
    return base, unit


def _base_indicator(r: DocumentReader, p: Placed, prev: Placed | None, unit: str) -> str | None:
    fig = p.fig
    hit = _pick(r, p, unit, p.seg.start, p.seg.end)
    if hit:
        return hit[2]
    if prev and prev.facts and prev.fig.unit == unit and prev.fig.kind_hint == fig.kind_hint and \
            re.fullmatch(r"[\s,;]*(?:và|hoặc)?[\s,;]*", r.key[prev.fig.end:fig.start]):
        return prev.facts[0].indicator     # a run "30%; 30% và 25%" shares its first figure's indicator
    if unit == "percent" and prev and prev.fig.unit == "count" and prev.facts and prev.sent.start == p.sent.start:
        between = r.key[prev.fig.end:fig.start]
        named_rate = re.search(r"tỷ\s+lệ\s+(?!đạt|là|bằng|\d)\w+", between)
        if len(between) < 120 and not named_rate and \
                re.search(r"(?:\(|\bđạt|\bbằng|\bchiếm|\btương ứng)(?:\s+tỷ\s+lệ)?\s*$", between):
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
            not _opens_with_figure(r, p):   # "…; huyện Thủy Nguyên đạt 71,2%" continues the sentence's indicator
        hit = _pick(r, p, unit, p.sent.start, p.clause.start, "before")
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
        para = r.paragraphs[p.para]
        hit = _pick(r, p, unit, para.start, p.sent.start, "before")
        if hit:
            return hit[2]
        if p.para > 0 and unit == "rank":
            prev_para = r.paragraphs[p.para - 1]
            hit = _pick(r, p, unit, prev_para.start, prev_para.end, "before")
            if hit:
                return hit[2]
        if r.title_span and not p.in_title:
            hit = _pick(r, p, unit, r.title_span.start, r.title_span.end, "before")
            if hit:
                return hit[2]
    return None


def _has_hit(r: DocumentReader, name: str, start: int, end: int) -> bool:
    return any(h[1] <= end and h[2] == name for h in r.within(name, start, end))


def _sector(r: DocumentReader, p: Placed) -> bool:
    hits = [h for h in r.within("sector", p.seg.start, p.seg.end) if p.fig.start - h[0] < 100]
    if hits:
        return any(h[2] == "sector" for h in hits)   # "thuộc các lĩnh vực" (all_sectors) is not one
    inside = r.key.rfind("(", p.sent.start, p.fig.start) > r.key.rfind(")", p.sent.start, p.fig.start)
    return inside and any(h[2] == "sector" for h in r.within("sector", p.sent.start, p.fig.start))


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
    if not words:
        offset = max(p.seg.start, fig.start - 60)
        words = [w for w in re.finditer(r"[^\W\d]+", r.key[offset:fig.start]) if len(w.group()) > 1][-4:]
    text = " ".join(r.text[offset + w.start():offset + w.end()] for w in words)
    label = re.sub(r"[^a-z0-9]+", "_", ascii_fold(text).lower()).strip("_") or "figure"
    suffix = {"percent": "_rate", "rank": "_rank", "score": "_score"}.get(fig.unit, "")
    return label[:48] + suffix, text


def _coordinated(r: DocumentReader, p: Placed, indicator: str, unit: str) -> str | None:
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
                    return codes[0]
    return None


def _listed_indices(r: DocumentReader, p: Placed, indicator: str, unit: str) -> list[str]:
    """"Chỉ số PAR INDEX, SIPAS trong nhóm 3 tỉnh dẫn đầu": a rank said of indices named together."""
    if unit != "rank" or indicator.startswith("other:"):
        return []
    hits = [(h[0], h[1], [c for c in h[2] if _compatible(r, c, p, unit)])
            for h in r.within("cues", p.sent.start, p.fig.start) if h[1] <= p.fig.start]
    hits = [h for h in hits if h[2]]
    chosen = next((i for i in range(len(hits) - 1, -1, -1) if indicator in hits[i][2]), None)
    if chosen is None:
        return []
    extra = []
    for i in range(chosen, 0, -1):      # walk back over "A, B và C"
        gap = r.key[hits[i - 1][1]:hits[i][0]]
        if not re.fullmatch(r"\s*(?:,|và|;)?\s*(?:chỉ số\s+)?", gap):
            break
        code = hits[i - 1][2][0]
        if code != indicator and code not in extra:
            extra.append(code)
    return extra


def _locality(r: DocumentReader, p: Placed) -> tuple[str | None, str | None, str]:
    province, place = r.doc.province, r.doc.place
    fig = p.fig
    level = _level(r, p)
    after = [m for m in r.places if fig.end <= m.start < fig.end + 30 and m.level == "province"]
    if after and re.fullmatch(r"\s*là\s+(?:thành phố\s+|tỉnh\s+|tp\.?\s+)?", r.key[fig.end:after[0].start]):
        return after[0].province, None, "province"
    if fig.noun and fig.noun in phrase_keys(tuple(r.lex.raw["national_count_nouns"])):
        if fig.denominator in [float(n) for n in r.lex.raw["provinces_total"]] or fig.noun == "địa phương":
            return NATIONAL, None, "province"
    if prev_national(r, p):
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
    return province, place, level


def prev_national(r: DocumentReader, p: Placed) -> bool:
    """"63/63 địa phương đều đạt ... trên 80%": a figure owned by a national count just before it."""
    prev = p.prev
    return bool(prev and prev.facts and prev.facts[0].province == NATIONAL and prev.clause.start == p.clause.start
                and not [m for m in r.places if prev.fig.end <= m.start < p.fig.start])


def _ranking_scope(r: DocumentReader, pos: int) -> bool:
    """"đứng thứ 2 cả nước": the words before "cả nước" rank a province within the country."""
    before = re.findall(r"\w+", r.key[max(0, pos - 25):pos])[-2:]
    words = set(r.lex.raw["ranking_scope_before"])
    return any(w in words for w in before) or any(" ".join(before[i:]) in words for i in range(len(before)))


def _owner(r: DocumentReader, p: Placed, scope: Span):
    """The nearest place or national cue before the figure inside the scope."""
    best = None
    for m in r.places:
        if scope.start <= m.start and m.end <= p.fig.start and m.province:
            best = (m.end, m.province, m.place if m.level != "province" else None, m.level)
    for h in r.within("national", scope.start, p.fig.start):
        if h[1] <= p.fig.start and (best is None or h[1] > best[0]):
            phrase = r.key[h[0]:h[1]]
            if phrase in r.lex.raw["national_scope_only"] and _ranking_scope(r, h[0]):
                continue
            best = (h[1], NATIONAL, None, "province")
    if best is None:
        return None
    _, province, place, level = best
    if province == r.doc.province and place is None:
        return r.doc.province, r.doc.place, None      # the report's own province: its own place and level
    return province, place, level


def _opens_with_figure(r: DocumentReader, p: Placed) -> bool:
    """A clause that opens with its figure ("; 70% công tác báo cáo ...") is a new list item."""
    return bool(re.match(r"[\s\W]*(?:\w+\s+){0,2}\d", r.key[p.clause.start:p.fig.start + 1]))


def _level(r: DocumentReader, p: Placed) -> str:
    def resolve(hits):
        levels = {r.default_level if h[2] == "self" else h[2] for h in hits}
        return min(levels, key=LEVEL_ORDER.get)
    seg_hits = [h for h in r.within("levels", p.seg.start, p.seg.end) if h[1] <= p.seg.end and h[2] != "self"]
    if seg_hits:
        return resolve(seg_hits)
    # The subject before a clause's first figure qualifies all its figures; a clause that opens
    # with a figure ("; 70% công tác báo cáo ...") is a new list item and starts afresh.
    scopes = [p.clause] if _opens_with_figure(r, p) else [p.clause, p.sent]
    for scope in scopes:
        first_fig = p.first_in_scope.get((scope.start, scope.end), p.fig.start)
        before = [h for h in r.within("levels", scope.start, first_fig) if h[1] <= first_fig and h[2] != "self"]
        if before:
            return resolve([before[-1]])
    return r.default_level


def _assign_levels_respectively(r: DocumentReader, placed: list[Placed]) -> None:
    """"đạt 100%, 80%, 70% đối với cấp tỉnh, cấp huyện, cấp xã": pair figures and levels in order."""
    i = 0
    while i < len(placed):
        run = [placed[i]]
        while i + len(run) < len(placed):
            nxt = placed[i + len(run)]
            gap = r.key[run[-1].fig.end:nxt.fig.start]
            if nxt.sent.start != run[0].sent.start or not re.fullmatch(r"[\s,;]*(?:và|hoặc)?[\s,;]*", gap):
                break
            run.append(nxt)
        if len(run) >= 2:
            last = run[-1].fig.end
            hits = r.within("levels", last, run[0].sent.end)
            cue = _has_hit(r, "respectively", run[0].sent.start, run[0].sent.end)
            if hits and len(hits) >= len(run) and (cue or hits[0][0] - last < 60):
                for p, h in zip(run, hits[:len(run)], strict=True):
                    p.level_override = r.default_level if h[2] == "self" else h[2]
        i += len(run)


def _sentence_years(r: DocumentReader, sent: Span) -> tuple[list[int], list[tuple[int, int]]]:
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
            refs.append(int(m.group()))
            continue
        eligible.append((start, int(m.group(m.lastindex or 0))))
    eligible.sort()
    r.year_cache[sent.start] = (refs, eligible)
    return refs, eligible


def _year(r: DocumentReader, p: Placed) -> int | None:
    fig = p.fig
    refs, eligible = _sentence_years(r, p.sent)
    before = [(s, y) for s, y in eligible if s < fig.start and not _closed_paren_between(r.key, s, fig.start)]
    if before:
        return before[-1][1]
    after = [(s, y) for s, y in eligible if s >= fig.end and s < p.clause.end]
    if after:
        return after[0][1]
    if refs:
        return max(refs) + 1
    return r.section_of[p.para][1] or r.doc.year


def _closed_paren_between(key: str, a: int, b: int) -> bool:
    """True when a stands inside parentheses that close before b."""
    depth = 0
    for ch in key[a:b]:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return True
    return False


def _period(r: DocumentReader, p: Placed, kind: str, indicator: str) -> str:
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


# ---- after attribution ------------------------------------------------------------------------

def _mark_breakdowns(r: DocumentReader, placed: list[Placed]) -> None:
    """Parts of a total stated just before it keep the total's indicator out of the part."""
    seen: list[Fact] = []
    for p in sorted(placed, key=lambda p: (not p.in_title, p.fig.start)):
        if p.in_title:
            seen.extend(p.facts)
            continue
        opener = any(h[1] <= p.fig.start and p.fig.start - h[1] < 40 and h[0] >= p.sent.start
                     for h in r.hits["breakdown"])
        for f in p.facts:
            if opener and not f.indicator.startswith("other:") and any(
                    g.indicator == f.indicator and g.unit == f.unit and g.province == f.province and
                    g.level == f.level and g.kind == f.kind and g.value > f.value for g in seen):
                f.indicator = f"other:{f.indicator}_part"
        seen.extend(p.facts)


def _dedupe(placed: list[Placed]) -> list[Fact]:
    """A figure stated twice (title and body, a caption) is one fact; the body's wording is kept."""
    out, keys, loose = [], set(), set()
    for p in sorted(placed, key=lambda p: (p.in_title, p.fig.start)):
        for f in p.facts:
            k = (f.province, f.place, f.level, f.year, f.period, f.indicator, f.kind, f.unit, f.value)
            if f.indicator.endswith("_streak"):     # streaks are restated in many wordings
                k = (f.province, f.year, "streak", f.value)
            lk = (f.province, f.indicator, f.unit, f.value)
            if k in keys or (p.in_title and lk in loose):
                continue
            keys.add(k)
            loose.add(lk)
            out.append(f)
    out.sort(key=lambda f: (f.start, f.indicator))
    return out


def quality_flags(file: str, facts: list[Fact], lex: Lexicon) -> list[QualityFlag]:
    """Places where a report's own figures disagree. Both figures stay loaded; the flag says why."""
    flags = []
    groups: dict[tuple, dict[str, Fact]] = {}
    for f in facts:
        if f.indicator in lex.indicators:
            g = groups.setdefault((f.province, f.place, f.level, f.year, f.period, f.kind), {})
            g.setdefault(f.indicator, f)
    for g in groups.values():
        for code, total in g.items():
            ind = lex.indicators[code]
            parts = [g[c] for c in ind.sum_of if c in g]
            if ind.sum_of and len(parts) == len(ind.sum_of):
                s = sum(x.value for x in parts)
                if abs(s - total.value) > 0.5:
                    flags.append(QualityFlag(file, "parts_do_not_add_up",
                                             f"{code}: {_vn(total.value)} ≠ " + " + ".join(_vn(x.value) for x in parts)
                                             + f" = {_vn(s)}", total.start, total.end))
            if ind.part_of and ind.part_of in g and total.value > g[ind.part_of].value:
                whole = g[ind.part_of]
                flags.append(QualityFlag(file, "part_exceeds_whole",
                                         f"{code} {_vn(total.value)} > {whole.indicator} {_vn(whole.value)}",
                                         total.start, total.end))
    for f in facts:
        if f.unit == "percent" and f.value > 100 and not f.indicator.endswith("_change"):
            flags.append(QualityFlag(file, "percent_over_100", f"{f.indicator}: {f.value:g}%", f.start, f.end))
        if f.unit == "rank" and f.denominator and f.value > f.denominator:
            flags.append(QualityFlag(file, "rank_beyond_total", f"{f.indicator}: {f.value:g}/{f.denominator:g}",
                                     f.start, f.end))
    return flags


def _vn(x: float) -> str:
    """1525 -> "1.525" (Vietnamese grouping) for messages."""
    return f"{x:,.0f}".replace(",", ".") if x == int(x) else f"{x:,.2f}".replace(",", " ").replace(".", ",")


if __name__ == "__main__":      # python -m etl.extract FILE [MANIFEST]: the facts of one report, as JSON lines
    import json
    import sys
    from pathlib import Path

    from etl.metadata import read_manifest, settle
    from etl.read import read_report

    path = Path(sys.argv[1])
    manifest = read_manifest(Path(sys.argv[2]) if len(sys.argv) > 2 else path.parent / "manifest.csv")
    document = settle(read_report(path), manifest.get(path.name), Gazetteer.load())
    found, flags = extract(document)
    for fact in found:
        print(json.dumps(fact.export(), ensure_ascii=False))
    for flag in flags:
        print(f"# quality flag {flag.flag}: {flag.message}", file=sys.stderr)
