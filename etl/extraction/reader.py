"""A settled document read once: its text and matching key, paragraphs, sentences, clauses, section
headings, table columns and every cue hit. The resolvers only read it; none of them changes it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from etl.figures import FROM_TO, GROUP_DEFINED, Figure, grammar, masked_key
from etl.lexicon import Lexicon, norm_phrase, word_matches
from etl.metadata import YEAR, own_years
from etl.normalize import match_key
from etl.places import Gazetteer
from etl.records import Document, Fact

LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
INDEX_THEME = "indices"
LAST_WORD = re.compile(r"([\w.]+)[.!?…]+[”\"')]*\s+$")
HEADING_NUMBER = re.compile(r"(?:[IVX]+|[A-ZĐ])[.)]\s")
LIST_MARKER = re.compile(r"(?:[-–•+*▪●]|\d{1,2}[.)]|[a-zđ][.)])\s")
CUT_OFF_WORDS = ("đến", "tính đến", "hết")
# words a stop follows without ending the sentence; not "ubnd": "… số 132/KH-UBND." ends one
ABBREVIATIONS = ("tp", "tt", "ts", "ths", "pgs", "gs", "th.s", "v.v", "st", "q", "p")


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
    year_override: int | None = None            # set by a list of years paired in order
    owner_override: str | None = None           # set by a list of provinces paired in order
    first_in_scope: dict = field(default_factory=dict)   # (start, end) of a clause/sentence -> its first figure
    label: str | None = None                    # the report's words behind an other:<label> code


def _sentences(text: str, key: str, start: int, end: int) -> list[Span]:
    """Sentence spans of one paragraph; "6.278" and "TP. Hà Nội" do not end a sentence."""
    out, s = [], start
    for m in re.finditer(r"[.!?…]+[”\"')]*\s+(?=[\"“(\w])", text[start:end]):
        cut = start + m.end()
        word = LAST_WORD.search(key, max(s, cut - 40), cut)     # the word the stop follows
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
        self.key = doc.key if doc.key is not None else match_key(doc.text)
        self.title_key = match_key(doc.title or "")
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
        self.place_starts = [m.start for m in self.places]
        # "thành phố", "tỉnh" said of the report's own unit: its level, whatever level the title is about
        self.own_level = "district" if doc.place else "province"
        self.default_level = "district" if doc.place else self._title_level() or "province"
        self.doc_period = self._doc_period()
        title_years = own_years(self.title_key)
        self.title_year = title_years[0] if title_years else None
        self.section_of = self._sections()
        self.body_end = self._body_end()
        self.year_cache: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}
        self.year_starts: dict[int, list[int]] = {}
        # the groups a report defines ("nhóm 1 - nhóm 16 địa phương có điểm cao nhất"): group -> how many places
        self.group_sizes = {int(m.group("k")): int(m.group("n")) for m in GROUP_DEFINED.finditer(self.key)} \
            if "nhóm" in self.key else {}
        self.para_year_cache: dict[int, int | None] = {}
        self.figure_starts: list[int] = []      # where the report's figures start, once they are placed

    # ---- structure -------------------------------------------------------------------------
    def _title_spans(self) -> list[Span]:
        """The title line and any line that repeats it (a caption under the lead photo)."""
        title = re.sub(r"\W+", " ", self.title_key).strip()
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
            heading = False
            if len(line) < 100 and "%" not in line:      # a heading is short: only short lines are looked at
                letters = [c for c in line if c.isalpha()]
                heading = bool(HEADING_NUMBER.match(line) or
                               (letters and sum(c.isupper() for c in letters) > 0.7 * len(letters)))
            if heading:
                key = self.key[para.start:para.end]
                kinds = [values[norm_phrase(m.group())] for m in word_matches(regex, key)]
                years = [int(y) for y in YEAR.findall(key)]
                current = (kinds[0] if kinds else None, years[0] if years else None)
            out.append(current)
        return self._list_items(out)

    def _list_items(self, sections: list[tuple[str | None, int | None]]) -> list[tuple[str | None, int | None]]:
        """Items of a numbered or bulleted list take the kind and year of the line that introduces them
        ("Kế hoạch nêu các chỉ tiêu năm 2023 như sau:" then "1. 70% …", "- 80% …"): under a goal, all goals."""
        out, lead = list(sections), None
        self.goal_items: set[int] = set()
        for i, para in enumerate(self.paragraphs):
            line = self.key[para.start:para.end].strip()
            if LIST_MARKER.match(line):
                if lead is not None:
                    out[i] = lead
                    if lead[0] == "target":
                        self.goal_items.add(i)
                continue
            lead = None
            if line.endswith(":"):
                # the cue nearest the colon decides: "Kế hoạch dựa trên kết quả đánh giá năm 2023:" lists results
                regex, values = self.lex.phrase_sets["sections"]
                cues = [(h[0], "actual" if h[2] == "actual" else "target")
                        for h in self.hits_in("kind", para.start, para.end)]
                cues += [(para.start + m.start(), values[norm_phrase(m.group())]) for m in word_matches(regex, line)]
                years = own_years(line)
                kind = max(cues)[1] if cues else sections[i][0]
                lead = (kind, years[-1] if years else sections[i][1])
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

    def places_in(self, start: int, end: int) -> range:
        """Indices (into self.places) of the place mentions that start in [start, end)."""
        return range(bisect.bisect_left(self.place_starts, start), bisect.bisect_left(self.place_starts, end))

    def in_title(self, pos: int) -> bool:
        return any(s.start <= pos < s.end for s in self.title_spans)

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, pos) - 1)

    def clause_of(self, sent: Span, pos: int) -> Span:
        """The stretch of the sentence between the semicolons around pos."""
        start = self.key.rfind(";", sent.start, pos) + 1 or sent.start
        end = self.key.find(";", pos, sent.end)
        return Span(start, sent.end if end < 0 else end)

    def within(self, name: str, start: int, end: int) -> list[tuple]:
        """Hits of a phrase set that start in [start, end) (cues: also those reaching into it)."""
        starts = self._starts[name]
        reach = self._reach if name == "cues" else 0
        return self.hits[name][bisect.bisect_left(starts, start - reach):bisect.bisect_left(starts, end)]

    def hits_in(self, name: str, start: int, end: int) -> list[tuple[int, int, str]]:
        return [h for h in self.within(name, start, end) if h[1] <= end]

    def _title_level(self) -> str | None:
        """A report whose title names one level ("cấp xã ở Hà Nội tiếp nhận …") is about that level."""
        title = self.title_key
        levels = {v.split(":", 1)[1] for s, _, v in self.lex.scan("context", title)
                  if v.startswith("levels:") and title.startswith("cấp ", s)
                  and not title[:s].endswith("khối ")} - {"self"}    # "dẫn đầu khối cấp xã" ranks a group
        return levels.pop() if len(levels) == 1 else None

    def _doc_period(self) -> str | None:
        """The part of the year the report is about: its title's period words; a named quarter, half or nine
        months in its lead (the first paragraph after the title) rather than a vaguer title; else a cut-off
        the body names ("đến hết tháng 9/2020, trung tâm đã …"), which frames the report's running totals."""
        title = [h[2] for h in self.hits_in("periods", self.title_span.start, self.title_span.end)] \
            if self.title_span else []
        title = title or [v.split(":", 1)[1] for _, _, v in self.lex.scan("context", self.title_key)
                          if v.startswith("periods:")]
        if title and title[0] not in ("year", "YTD"):
            return title[0]
        lead = next((para for para in self.paragraphs if not self.in_title(para.start)), None)
        explicit = [h for h in self.hits_in("periods", lead.start, lead.end) if h[2] not in ("year", "YTD")] \
            if lead else []
        if explicit:
            return explicit[0][2]
        if title:
            return title[0]
        cut_offs = [h for h in self.hits["periods"] if h[2] in ("Q1", "H1", "9M")
                    and self.key.startswith(CUT_OFF_WORDS, h[0])]
        return cut_offs[0][2] if cut_offs else None


def has_hit(r: DocumentReader, name: str, start: int, end: int) -> bool:
    return any(h[1] <= end and h[2] == name for h in r.within(name, start, end))


def opens_sentence(r: DocumentReader, pos: int, reach: int = 25) -> bool:
    s = r.sentences[r.sentence_of(pos)]
    return pos - s.start < reach


def opens_with_figure(r: DocumentReader, p: Placed) -> bool:
    """A clause that opens with its figure ("; 70% công tác báo cáo ...") is a new list item."""
    return bool(re.match(r"[\s\W]*(?:\w+\s+){0,2}\d", r.key[p.clause.start:p.fig.start + 1]))


FROM_VALUE_BEFORE = re.compile(r"\btừ\s+(?:vị\s+trí\s+)?(?:thứ\s+)?(?:mức\s+)?$")


def is_from_value(r: DocumentReader, p: Placed) -> bool:
    """"nâng điểm PCI từ 73,4 điểm lên 75,3", "vươn từ vị trí 52 lên thứ 33": the value a change starts from."""
    return bool((FROM_VALUE_BEFORE.search(r.key, max(p.sent.start, p.fig.start - 16), p.fig.start) or
                 r.key.startswith("từ", p.fig.start)) and FROM_TO.match(r.key, p.fig.end))


ASIDE_DASH = re.compile(r"\s[–—]\s")


def in_aside(r: DocumentReader, a: int, b: int) -> bool:
    """True when position a stands in an aside that closes before b: "(…)" or "– … –" ("tỉnh Hải Dương – địa
    phương sẽ hợp nhất với Hải Phòng từ ngày 1/7/2025 – đứng thứ 3": the aside owns nothing after it)."""
    if ")" in r.key[a:b] and closed_paren_between(r.key, a, b):
        return True
    if "–" not in r.key[a:b] and "—" not in r.key[a:b]:
        return False
    sent = r.sentences[r.sentence_of(a)]
    dashes = [m.start() for m in ASIDE_DASH.finditer(r.key, sent.start, b)
              if not any(r.places[i].start <= m.start() < r.places[i].end for i in r.places_in(m.start() - 40,
                                                                                                 m.start() + 1))]
    return any(x < a < y for x, y in zip(dashes[::2], dashes[1::2], strict=False))


def closed_paren_between(key: str, a: int, b: int) -> bool:
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


SERIES_GAP = re.compile(r"[\s,;]*(?:và|hoặc)?[\s,;]*")


def series_runs(r: DocumentReader, placed: list[Placed]) -> list[list[Placed]]:
    """Runs of two or more figures of one unit written one after another in a sentence ("82,99%; 84,45% và
    85,48%", "thứ 21, 9 và 16"): the lists that "lần lượt", "tương ứng" pair with things named in order."""
    runs, i = [], 0
    while i < len(placed):
        run = [placed[i]]
        while i + len(run) < len(placed):
            nxt = placed[i + len(run)]
            if nxt.sent.start != run[0].sent.start or nxt.fig.unit != run[0].fig.unit or \
                    nxt.fig.kind_hint != run[0].fig.kind_hint or \
                    not SERIES_GAP.fullmatch(r.key, run[-1].fig.end, nxt.fig.start):
                break
            run.append(nxt)
        if len(run) >= 2:
            runs.append(run)
        i += len(run)
    return runs
