"""The domain vocabulary of data/*.yaml, compiled once into patterns over the matching key."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import ahocorasick
import yaml

from etl.normalize import match_key

DATA = Path(__file__).resolve().parent.parent / "data"
GAP = r"(?:[^;(),\n.]|\.(?=\d)){0,60}?"   # a short gap inside one clause, never across a comma



if TYPE_CHECKING:          # pandas is imported where a frame is built: a run with nothing
    import pandas as pd  # to write (or a dashboard query) never pays for it

def _tokens(phrase: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]", match_key(phrase))


SPACE = r"[^\S\n]"      # any space but a line break: a cue never runs from one line into the next


def _joiner(prev: str, tok: str) -> str:
    return SPACE + "*" if not (prev[0].isalnum() and tok[0].isalnum()) else SPACE + "+"


def phrase_pattern(phrase: str) -> str:
    """A cue phrase as a regex over the matching key: words apart by any space, "…" a short gap."""
    parts = []
    for chunk in phrase.split("…"):
        toks = _tokens(chunk)
        if toks:
            parts.append(toks[0] and re.escape(toks[0]) + "".join(
                _joiner(a, b) + re.escape(b) for a, b in zip(toks, toks[1:], strict=False)))
    return r"(?<!\w)" + (SPACE + "*" + GAP + SPACE + "*").join(parts) + r"(?!\w)"


def trie_regex(phrases) -> re.Pattern:
    """One regex for many phrases, shaped as a trie so shared prefixes are tried once.

    Measured: ~20x faster than a flat alternation of the same 300 phrases. At each position the
    longest phrase wins. Phrases with a "…" gap do not belong here (see phrase_pattern)."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for tok in _tokens(phrase):
            node = node.setdefault(tok, {})
        node[""] = {}

    def build(node: dict, prev: str | None) -> str:
        alts = [(_joiner(prev, tok) if prev else "") + re.escape(tok) + build(node[tok], tok)
                for tok in sorted((k for k in node if k), key=lambda t: (-len(t), t))]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    # No leading (?<!\w): an assertion first would stop the engine from skipping ahead to the
    # phrases' first letters. word_matches() checks the start instead.
    return re.compile(r"(?:" + build(trie, None) + r")(?!\w)")


def word_matches(regex: re.Pattern | PhraseSet, text: str):
    """Matches of a trie_regex (or a PhraseSet's) that start at a word start. On a short text (a line, the words
    before a figure) a small set's regex is faster than its automaton; PhraseSet.hits gives the same matches."""
    if isinstance(regex, PhraseSet):
        regex = regex.regex
    pos, n = 0, len(text)
    while pos < n:
        m = regex.search(text, pos)
        if m is None:
            return
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            pos = m.start() + 1
            continue
        yield m
        pos = m.end() if m.end() > m.start() else m.start() + 1


_SPACE_RUN = re.compile(SPACE + "+")
# Every space but " " and a line break (str.isspace(), which is what \s means in re; a test checks the list): where
# a text has one, or two spaces in a row, a phrase may stand in it written otherwise than with single spaces.
# A list of characters: re scans it several times faster than [^\S\n ] (and than an alternation with "  ").
_ODD_SPACE = re.compile("[\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


class PhraseSet:
    """Many phrases found in one pass over a text: an Aho–Corasick automaton over their written forms.

    Finds exactly what word_matches(trie_regex(phrases), text) finds (tests/test_lexicon.py compares them):
    at each word start the longest phrase that ends at a word end; left to right, none overlapping. A
    phrase's words stand one space apart in the automaton, a punctuation mark with or without a space
    beside it; a text whose spaces differ ("a  b", a tab) is searched in a copy with each run of spaces as
    one space, and the offsets are mapped back. Several sets can share one automaton (groups), each found
    as if alone. The regex stays for what anchors a phrase at one position (match()) and for patterns
    built around it. Measured on the 46 bundled reports (cue_hits and the kind and context scans of a
    report, one automaton for all): 0.16 ms per report, against 0.65 ms with the regexes. On a short text
    (a line, the words before a figure) a small set's regex is the faster: word_matches uses it."""

    def __init__(self, phrases=(), groups: dict[str, object] | None = None):
        groups = {None: phrases} if groups is None else groups
        self.groups = {name: i for i, name in enumerate(groups)}
        self.regex = trie_regex(phrases) if None in self.groups else None
        self.automaton = ahocorasick.Automaton()
        forms: dict[str, tuple[int, tuple[tuple[int, str], ...]]] = {}
        for i, members in enumerate(groups.values()):
            for phrase in members:
                toks = _tokens(phrase)
                if not toks or "_" in phrase:
                    raise ValueError(f"not a phrase a PhraseSet can find as its regex does: {phrase!r}")
                value = norm_phrase(phrase)
                written = [toks[0]]     # words one space apart; a punctuation mark with or without a space
                for prev, tok in zip(toks, toks[1:], strict=False):
                    seps = (" ",) if prev[0].isalnum() and tok[0].isalnum() else ("", " ")
                    written = [w + sep + tok for w in written for sep in seps]
                for w in written:
                    length, found = forms.get(w, (len(w), ()))
                    if all(g != i for g, _ in found):
                        forms[w] = (length, found + ((i, value),))
        if not forms:
            raise ValueError("an empty PhraseSet")
        for w, item in forms.items():
            self.automaton.add_word(w, item)
        self.automaton.make_automaton()

    def match(self, text: str, pos: int = 0) -> re.Match | None:
        """The regex anchored at pos (no word-start check), as trie_regex(phrases).match does."""
        return self.regex.match(text, pos)

    def longest(self, text: str) -> list[dict[int, tuple[int, str]]]:
        """For each group: at each word start where one of its phrases ends at a word end, (end, the
        normalised phrase) of the longest."""
        squeezed = "  " in text or _ODD_SPACE.search(text) is not None
        seen = _SPACE_RUN.sub(" ", text) if squeezed else text
        n = len(seen)
        bests: list[dict[int, tuple[int, str]]] = [{} for _ in self.groups]
        for last, (length, found) in self.automaton.iter(seen):
            start = last + 1 - length
            if start and (seen[start - 1].isalnum() or seen[start - 1] == "_"):
                continue
            if last + 1 < n and (seen[last + 1].isalnum() or seen[last + 1] == "_"):
                continue
            for group, value in found:
                best = bests[group]
                if start not in best or best[start][0] <= last:
                    best[start] = (last + 1, value)
        if squeezed:
            bests = [_unsqueeze(text, best) if best else best for best in bests]
        return bests

    def hits(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, normalised phrase) of each match, left to right, as word_matches gives them."""
        return leftmost(self.longest(text)[0])


def leftmost(best: dict[int, tuple[int, str]]) -> list[tuple[int, int, str]]:
    """From the longest phrase at each start, the matches a left-to-right search takes: none overlapping."""
    out, last = [], 0
    for start in sorted(best):
        if start >= last:
            end, value = best[start]
            out.append((start, end, value))
            last = end
    return out


def _unsqueeze(text: str, best: dict[int, tuple[int, str]]) -> dict[int, tuple[int, str]]:
    """Offsets found in the text with each run of spaces squeezed to one, as offsets in the text."""
    runs, shifts, shift = [], [], 0       # where each longer run stands in the squeezed text; chars dropped so far
    for m in _SPACE_RUN.finditer(text):
        if m.end() - m.start() > 1:
            runs.append(m.start() - shift)
            shift += m.end() - m.start() - 1
            shifts.append(shift)

    def at(pos: int) -> int:
        i = bisect.bisect_left(runs, pos)
        return pos + (shifts[i - 1] if i else 0)

    return {at(start): (at(end), value) for start, (end, value) in best.items()}


@cache
def phrase_keys(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(match_key(w) for w in words)


@cache
def _excludes_re(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(rf"(?<!\w){re.escape(match_key(w))}(?!\w)" for w in words))


@lru_cache(maxsize=8192)
def norm_phrase(text: str) -> str:
    """A hit's text as a dictionary key: single spaces, no space before punctuation."""
    return " ".join(_tokens(text)).replace(" ,", ",").replace(" :", ":")


_GAP_STOP = re.compile(r"[;(),\n]|\.(?!\d)")     # what GAP never runs over


@dataclass(frozen=True)
class Indicator:
    code: str
    unit: str
    direction: str
    theme: str
    name_vi: str
    name_en: str
    cues: tuple[str, ...]
    counts: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    rate: str | None = None
    sum_of: tuple[str, ...] = ()
    part_of: str | None = None
    of: tuple[str, ...] = ()    # what a percent of it is a share of ("60% hồ sơ")
    narrows: str | None = None  # the broader indicator whose figures its cue narrows down
    other: bool = False         # known to us but not in the spec's list: facts carry it as other:<code>

    @property
    def count_keys(self) -> tuple[str, ...]:
        """The counted nouns as matching keys."""
        return phrase_keys(self.counts)

    @property
    def excludes_re(self) -> re.Pattern | None:
        return _excludes_re(self.excludes) if self.excludes else None


@dataclass(eq=False)
class Lexicon:
    raw: dict
    indicators: dict[str, Indicator]
    fingerprint: str
    cue_codes: dict[str, tuple[str, ...]] = field(repr=False)   # normalised cue -> indicator codes

    # a gapped cue's head -> (its pattern, indicator code, the first word after the first gap)
    gapped_by_head: dict[str, list[tuple[re.Pattern, str, str | None]]] = field(repr=False, default_factory=dict)
    # one automaton for the sets scanned over a whole report: cues, gapped cues' heads, kind, context
    scanner: PhraseSet = field(repr=False, default=None)
    _last: tuple | None = field(repr=False, default=None)     # the last text scanned and what was found
    phrase_sets: dict[str, tuple[PhraseSet, dict[str, str]]] = field(repr=False, default_factory=dict)

    @cached_property
    def narrower(self) -> dict[str, tuple[str, ...]]:
        """Broad indicator -> the indicators that narrow it (indicators.yaml: narrows)."""
        out: dict[str, tuple[str, ...]] = {}
        for ind in self.indicators.values():
            if ind.narrows:
                out[ind.narrows] = (*out.get(ind.narrows, ()), ind.code)
        return out

    @cached_property
    def share_nouns(self) -> tuple[str, ...]:
        """Every noun a percent can be a share of (indicators.yaml: of; lexicon.yaml: share_nouns), longest first."""
        nouns = {n for ind in self.indicators.values() for n in ind.of}
        nouns |= set(phrase_keys(tuple(self.raw["share_nouns"])))
        return tuple(sorted(nouns, key=len, reverse=True))

    @cached_property
    def index_codes(self) -> tuple[str, ...]:
        """The codes of the indices (PAR INDEX, SIPAS, PCI …): a code starting with one is about an index."""
        return tuple(code for code, ind in self.indicators.items() if ind.theme == "indices")

    def _found(self, key: str) -> dict[str, dict[int, tuple[int, str]]]:
        """One pass of the scanner over a text, kept for the next question about the same text."""
        last = self._last
        if last is None or last[0] is not key:
            last = self._last = (key, dict(zip(self.scanner.groups, self.scanner.longest(key), strict=True)))
        return last[1]

    def scan(self, name: str, key: str) -> list[tuple[int, int, str]]:
        """Hits of one phrase set (levels, periods, ...) in the key: (start, end, value)."""
        values = self.phrase_sets[name][1]
        best = self._found(key)[name] if name in self.scanner.groups else self.phrase_sets[name][0].longest(key)[0]
        return [(start, end, values[phrase]) for start, end, phrase in leftmost(best)]

    def cue_hits(self, key: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Indicator cue hits: (start, end, indicator codes), sorted by start."""
        found = self._found(key)
        hits = [(start, end, self.cue_codes[cue]) for start, end, cue in leftmost(found["cues"])]
        # A gapped cue ("hồ sơ … trực tuyến") is tried only where its first words stand: at every word start,
        # the longest head there (heads may overlap one another)
        for start, (end, head) in sorted(found["gap_heads"].items()):
            words = head.split(" ")
            # The gap stops at the first ";(),\n" or "." not before a digit after the head (after the longest head
            # here, so after any shorter one too): a cue whose next words do not stand before that cannot match.
            stop = _GAP_STOP.search(key, end)
            stop = stop.start() if stop else len(key)
            for n in range(1, len(words) + 1):         # the heads this match starts with, looked up by their words
                for pattern, code, tail in self.gapped_by_head.get(" ".join(words[:n]), ()):
                    if tail and key.find(tail, start, stop + len(tail)) < 0:
                        continue
                    full = pattern.match(key, start)
                    if full:
                        hits.append((full.start(), full.end(), (code,)))
        hits.sort()
        return hits

    def name_other(self, code: str, labels: dict[str, str]) -> tuple[str, str]:
        """Vietnamese and English names of an other:<code>, from the indicator or the report's words it
        was made of (labels: other code -> those words) and the names of its endings."""
        root, endings = code.removeprefix("other:"), []
        suffixes = self.raw["other_suffixes"]
        while True:
            among = re.search(r"_among_(\d+)$", root)
            if among:
                endings.insert(0, {k: v.format(n=among.group(1)) for k, v in suffixes["_among"].items()})
                root = root[:among.start()]
                continue
            ending = next((e for e in suffixes if e != "_among" and root.endswith(e) and root != e[1:]), None)
            if ending is None or root in self.indicators:
                break
            if f"other:{root}" in labels and ending not in ("_rate", "_rank", "_score"):
                break
            endings.insert(0, suffixes[ending])
            root = root[: -len(ending)]
            if f"other:{root}" not in labels and f"other:{root}{ending}" in labels:
                labels = {**labels, f"other:{root}": labels[f"other:{root}{ending}"]}
        index = next((c for c in (f"{root}_rank", f"{root}_score") if c in self.indicators), None)
        if root in self.indicators:
            vi, en = self.indicators[root].name_vi, self.indicators[root].name_en
        elif index:     # "par_index" of a streak: the index itself
            vi, en = self.indicators[index].name_vi.split(" — ")[0], self.indicators[index].name_en.rsplit(" ", 1)[0]
        else:
            words = labels.get(f"other:{root}") or labels.get(code) or root.replace("_", " ")
            vi, en = words[:1].upper() + words[1:], root.replace("_", " ")
        return (" — ".join([vi] + [e["vi"] for e in endings]), " — ".join([en] + [e["en"] for e in endings]))

    def indicators_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([
            {"code": i.code, "unit": i.unit, "direction": i.direction, "theme": i.theme,
             "name_vi": i.name_vi, "name_en": i.name_en} for i in self.indicators.values() if not i.other])


@cache
def load_lexicon(data_dir: Path = DATA) -> Lexicon:
    lex_text = (data_dir / "lexicon.yaml").read_text(encoding="utf-8")
    ind_text = (data_dir / "indicators.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(lex_text)
    indicators = {}
    for row in yaml.safe_load(ind_text)["indicators"]:
        indicators[row["code"]] = Indicator(
            code=row["code"], unit=row["unit"], direction=row["direction"], theme=row["theme"],
            name_vi=row["name_vi"], name_en=row["name_en"], cues=tuple(row.get("cues", ())),
            counts=tuple(row.get("counts", ())), excludes=tuple(row.get("excludes", ())),
            rate=row.get("rate"), sum_of=tuple(row.get("sum_of", ())), part_of=row.get("part_of"),
            of=phrase_keys(tuple(row.get("of", ()))), narrows=row.get("narrows"), other=bool(row.get("other", False)))
    cue_codes: dict[str, list[str]] = {}
    gapped: dict[str, list[tuple[re.Pattern, str, str | None]]] = {}
    for ind in indicators.values():
        for cue in ind.cues:
            if "…" in cue:
                head = norm_phrase(cue.split("…")[0])
                chunks = [toks for toks in map(_tokens, cue.split("…")) if toks]
                gapped.setdefault(head, []).append((re.compile(phrase_pattern(cue)), ind.code,
                                                    chunks[1][0] if len(chunks) > 1 else None))
            else:
                codes = cue_codes.setdefault(norm_phrase(cue), [])
                if ind.code not in codes:
                    codes.append(ind.code)
    lex = Lexicon(
        raw=raw, indicators=indicators,
        fingerprint=hashlib.sha256((lex_text + ind_text).encode()).hexdigest()[:16],
        cue_codes={k: tuple(v) for k, v in cue_codes.items()}, gapped_by_head=gapped)
    for name, groups in _phrase_groups(raw).items():
        values = {norm_phrase(p): v for v, phrases in groups for p in phrases}
        lex.phrase_sets[name] = (PhraseSet(values), values)
    lex.scanner = PhraseSet(groups={"cues": cue_codes, "gap_heads": gapped, "kind": lex.phrase_sets["kind"][1],
                                    "context": lex.phrase_sets["context"][1]})
    return lex


def _phrase_groups(raw: dict) -> dict[str, list[tuple[str, list[str]]]]:
    """Phrase sets scanned over every report, each phrase mapped to the value it stands for."""
    return {
        "kind": [("actual", raw["actual_cues"]), ("target", raw["target_clause_cues"]),
                 ("target_scope", raw["target_scope_cues"])],   # later groups win a shared phrase
        "of_plan": [("of_plan", raw["of_plan_cues"])],      # matched right after a figure, not scanned
        "goal_reference": [("goal_reference", raw["goal_reference_cues"])],   # matched just before a figure
        "sections": [("actual", raw["actual_sections"]), ("target", raw["target_sections"])],   # headings only
        # sets whose phrases do not overlap, scanned in one pass: each value says its set ("levels:district")
        "context": [(f"levels:{lvl}", p) for lvl, p in raw["levels"].items()] + [("levels:self", raw["self_levels"])]
        + [(f"periods:{code}", p) for code, p in raw["periods"].items()]
        + [("national:national", raw["national_cues"])]
        + [(f"markers:{name}", raw[key]) for name, key in (
            ("respectively", "respectively_cues"), ("breakdown", "breakdown_openers"), ("sector", "sector_cues"),
            ("all_sectors", "all_sector_cues"), ("component", "component_cues"), ("economy", "economy_cues"),
            ("band", "band_cues"), ("per_unit", "per_unit_cues"))],
    }
