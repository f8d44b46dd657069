"""Goal or result (kind), and "how much of a plan" figures. Spec: kind and the lists under goal headings."""

from __future__ import annotations

import re

from etl.extraction.reader import DocumentReader, Placed, in_aside, is_from_value, opens_sentence
from etl.lexicon import word_matches


def is_target(r: DocumentReader, p: Placed) -> bool:
    """Goal or result: the nearest kind cue before the figure in its sentence decides; a target
    cue after it in its clause or a goal scope opened earlier in the paragraph makes a goal,
    unless a result cue opens the figure's clause."""
    if is_from_value(r, p):
        return False                # "nâng điểm PCI từ 73,4 điểm lên 75,3": where it starts from is a result
    if p.para in r.goal_items:      # an item of a list of goals (spec: lists of goals)
        return True
    if INSTEAD_OF.search(r.key, max(p.sent.start, p.fig.start - 16), p.fig.start):
        # "còn 20 ngày thay vì 30 ngày", "so với mức 79,73% của năm 2021": what it was is a result, unless it is
        # the level a goal set ("so với mức 75,3 điểm mà tỉnh đặt ra")
        return bool(SET_AS_GOAL.match(r.key, p.fig.end))
    reference = r.lex.phrase_sets["goal_reference"][0]
    head = r.key[max(p.sent.start, p.fig.start - 40):p.fig.start]
    if any(len(head) - m.end() <= GOAL_REFERENCE_REACH for m in word_matches(reference, head)):
        return True                 # "vượt chỉ tiêu 80%": the figure after the goal named is the goal
    targets = [h for h in r.within("kind", p.sent.start, p.fig.start) if h[1] <= p.fig.start and h[2] != "actual"
               and not _past_deadline(r, h) and not in_aside(r, h[0], p.fig.start)]
    # A result cue counts when it opens the figure's clause or stands right before the figure
    # ("đã tiếp nhận 6.278"); one buried in a relative clause ("... đã được chấp nhận") does not.
    # With no goal cue in the sentence, a result cue anywhere before the figure in its clause counts, except a
    # bare "đã", which in a relative clause ("thủ tục đã được giải quyết … mỗi năm tăng thêm 25%") says nothing.
    actuals = [h for h in r.within("kind", p.clause.start, p.fig.start) if h[2] == "actual"    # may run into it:
               and (h[0] - p.clause.start < 40 or p.fig.start - h[0] < 30 or                 # "chỉ xếp thứ 2"
                    not targets and r.key[h[0]:h[1]] != "đã")]
    colon = r.key.rfind(":", p.clause.start, p.fig.start)
    if colon >= 0 and not any(h[0] > colon for h in targets + actuals):
        # "… yêu cầu đứng số 1 ở từng chỉ số, năm 2021 tỉnh mới hoàn thành một phần: Quảng Ninh đứng đầu PCI":
        # the words just before a colon say what the list after it is
        intro = [h for h in r.within("kind", p.clause.start, colon) if h[1] <= colon and not _past_deadline(r, h)]
        if intro:
            return intro[-1][2] != "actual"
    if targets or actuals:
        last_target = targets[-1][0] if targets else -1
        last_actual = actuals[-1][0] if actuals else -1
        return last_target > last_actual
    stop = CONTRAST.search(r.key, p.fig.end, p.seg.end)     # "…, trong khi kế hoạch yêu cầu …" is another thought
    after = [h for h in r.within("kind", p.fig.end, stop.start() if stop else p.seg.end) if h[1] <= p.seg.end]
    if after and after[0][0] - p.fig.end < 60:      # "… 62,3%, vượt chỉ tiêu đề ra": the first cue decides
        return after[0][2] != "actual"
    para = r.paragraphs[p.para]
    scope = r.within("kind", para.start, p.sent.start)
    scope = [h for h in scope if h[2] != "target_scope" or opens_sentence(r, h[0], SCOPE_REACH)]
    if scope and any(h[2] == "target_scope" for h in scope):
        last_scope = max(h[0] for h in scope if h[2] == "target_scope")
        # the scope holds until a result cue in a later sentence of the paragraph closes it
        scope_sentence_end = r.sentences[r.sentence_of(last_scope)].end
        if not any(h[2] == "actual" and h[0] > last_scope and (h[0] >= scope_sentence_end or opens_sentence(r, h[0]))
                   for h in scope):
            return True
    section_kind = r.section_of[p.para][0]
    if section_kind:
        return section_kind == "target"
    comparator_words = r.key[max(p.sent.start, p.fig.start - 1):p.fig.start + 15]
    return any(comparator_words.startswith(w) for w in r.lex.raw["target_comparator_cues"])


def of_plan(r: DocumentReader, p: Placed) -> bool:
    if p.fig.unit != "percent":
        return False
    regex, _ = r.lex.phrase_sets["of_plan"]
    m = regex.match(r.key, p.fig.end + len(r.key[p.fig.end:]) - len(r.key[p.fig.end:].lstrip()))
    return m is not None


INSTEAD_OF = re.compile(r"(?:thay\s+vì|trước\s+đây\s+là|so\s+với\s+mức|so\s+với)\s+$")
SET_AS_GOAL = re.compile(r"[^.;]{0,30}?\bmà\s+(?:[^\W\d]+\s+){0,4}?(?:đặt\s+ra|đề\s+ra)")
CONTRAST = re.compile(r"\b(?:trong\s+khi|nhưng|song|tuy\s+nhiên|trái\s+lại)\b")
# How close after words that name a goal ("vượt chỉ tiêu", "so với mục tiêu") a figure is that goal's value.
GOAL_REFERENCE_REACH = 12
# A goal scope ("Mục tiêu …", "Tỉnh phấn đấu …") spreads over the rest of its paragraph only when it opens
# its sentence; one inside a relative clause ("mức 75,3 điểm mà tỉnh đặt ra") frames nothing after it.
SCOPE_REACH = 40
DEADLINE_YEAR = re.compile(r"\s*((?:19|20)\d{2})(?!\d)")


def _past_deadline(r: DocumentReader, hit) -> bool:
    """"đến năm 2023 con số này đạt 86,98%" in a report of 2025 tells a result: a deadline already past
    when the report appeared is no goal."""
    m = DEADLINE_YEAR.match(r.key, hit[1])
    if not m or not r.key[hit[0]:hit[1]].endswith("năm"):
        return False
    now = r.doc.published.year if r.doc.published else r.doc.year
    return now is not None and int(m.group(1)) < now
