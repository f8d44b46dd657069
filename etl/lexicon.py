"""The domain vocabulary of data/*.yaml, compiled once into patterns over the matching key."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

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


def word_matches(regex: re.Pattern, text: str):
    """Matches of a trie_regex that start at a word start."""
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
    cue_re: re.Pattern = field(repr=False)
    cue_codes: dict[str, tuple[str, ...]] = field(repr=False)   # normalised cue -> indicator codes

    gapped_by_head: dict[str, list[tuple[re.Pattern, str]]] = field(repr=False, default_factory=dict)
    gap_heads: re.Pattern = field(repr=False, default=None)
    phrase_sets: dict[str, tuple[re.Pattern, dict[str, str]]] = field(repr=False, default_factory=dict)

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

    def scan(self, name: str, key: str) -> list[tuple[int, int, str]]:
        """Hits of one phrase set (levels, periods, ...) in the key: (start, end, value)."""
        regex, values = self.phrase_sets[name]
        return [(m.start(), m.end(), values[norm_phrase(m.group())]) for m in word_matches(regex, key)]

    def cue_hits(self, key: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Indicator cue hits: (start, end, indicator codes), sorted by start."""
        hits = [(m.start(), m.end(), self.cue_codes[norm_phrase(m.group())]) for m in word_matches(self.cue_re, key)]
        # A gapped cue ("hồ sơ … trực tuyến") is tried only where its first words stand.
        for m in self.gap_heads.finditer(key):
            words = norm_phrase(m.group("h")).split(" ")
            for n in range(1, len(words) + 1):         # the heads this match starts with, looked up by their words
                for pattern, code in self.gapped_by_head.get(" ".join(words[:n]), ()):
                    full = pattern.match(key, m.start())
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
    gapped: dict[str, list[tuple[re.Pattern, str]]] = {}
    for ind in indicators.values():
        for cue in ind.cues:
            if "…" in cue:
                head = norm_phrase(cue.split("…")[0])
                gapped.setdefault(head, []).append((re.compile(phrase_pattern(cue)), ind.code))
            else:
                codes = cue_codes.setdefault(norm_phrase(cue), [])
                if ind.code not in codes:
                    codes.append(ind.code)
    lex = Lexicon(
        raw=raw, indicators=indicators,
        fingerprint=hashlib.sha256((lex_text + ind_text).encode()).hexdigest()[:16],
        cue_re=trie_regex(cue_codes), cue_codes={k: tuple(v) for k, v in cue_codes.items()},
        gapped_by_head=gapped, gap_heads=_overlapping(trie_regex(gapped)))
    for name, groups in _phrase_groups(raw).items():
        values = {norm_phrase(p): v for v, phrases in groups for p in phrases}
        lex.phrase_sets[name] = (trie_regex(values), values)
    return lex


def _overlapping(regex: re.Pattern) -> re.Pattern:
    """The same phrases found at every word start, also inside one another (gapped cue heads)."""
    return re.compile(r"(?<!\w)(?=(?P<h>" + regex.pattern + "))")


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
