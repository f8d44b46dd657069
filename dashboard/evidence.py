"""From a fact back to its words: the sentence around a figure, and a report with its figures marked.

Offsets index documents.text (Python/DuckDB character offsets). The text is escaped before the
<mark> tags are put in, so a report can never inject markup into the page.
"""

from __future__ import annotations

import html
import re

# A sentence ends at ". ", "! ", "? ", ";" followed by a line end, or a line end; a dot inside a number
# (6.278) or an abbreviation followed by a lower-case word does not end it.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-Ỹ\"“(\-•–])|\n+")
MAX_SENTENCE = 600


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(begin, stop) of the sentence holding text[start:end], at most MAX_SENTENCE characters around it."""
    begin, stop = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            begin = m.end()
        elif m.start() >= end:
            stop = m.start()
            break
    if start - begin > MAX_SENTENCE // 2:
        begin = text.rfind(" ", 0, start - MAX_SENTENCE // 2) + 1
    if stop - end > MAX_SENTENCE // 2:
        cut = text.find(" ", end + MAX_SENTENCE // 2)
        stop = cut if cut != -1 else stop
    return begin, stop


def sentence_with_mark(text: str, start: int, end: int) -> str:
    """Escaped HTML of the sentence holding the figure, the figure's words in <mark>."""
    if not (0 <= start <= end <= len(text)):
        return html.escape(text[max(0, start) : end])
    begin, stop = sentence_bounds(text, start, end)
    before = text[:begin].rstrip()[-1:]
    prefix = "… " if before and before not in ".!?…:;" else ""
    after = text[:stop].rstrip()[-1:]
    suffix = " …" if stop < len(text) and after not in ".!?…:;" and text[stop : stop + 1] != "\n" else ""
    return (
        prefix
        + html.escape(text[begin:start])
        + "<mark>"
        + html.escape(text[start:end])
        + "</mark>"
        + html.escape(text[end:stop])
        + suffix
    )


MARK_STYLE = {"actual": "background:#fff3a3", "target": "background:#cfe8ff"}


def text_with_marks(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """Escaped HTML of a whole report, each (start, end, label, kind) span in <mark title=label>.

    Actuals and targets are tinted differently. Overlapping spans are merged into the first one (a figure
    stated once, extracted twice), so the markup stays well-formed. Line breaks become <br>.
    """
    merged: list[list] = []
    for start, end, label, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not (0 <= start < end <= len(text)):
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] += f" | {label}"
            continue
        merged.append([start, end, label, kind])
    parts, pos = [], 0
    for start, end, label, kind in merged:
        parts.append(html.escape(text[pos:start]))
        style = MARK_STYLE.get(kind, MARK_STYLE["actual"])
        parts.append(
            f'<mark class="fact-{html.escape(kind)}" style="{style}" title="{html.escape(label, quote=True)}">'
            f"{html.escape(text[start:end])}</mark>"
        )
        pos = end
    parts.append(html.escape(text[pos:]))
    return "".join(parts).replace("\n", "<br>\n")
