"""The one-pass phrase scan (an Aho–Corasick automaton, etl.lexicon.PhraseSet) finds exactly what the
regexes it replaced found: the same (start, end, value), the same choice where phrases overlap or share
a start, on every bundled report, on seeded mutations of them and on texts written to trip it up."""

import re
import sys

import pytest
from conftest import REPORTS
from mutations import mutated_reports

from etl.lexicon import _ODD_SPACE, PhraseSet, load_lexicon, norm_phrase, trie_regex, word_matches
from etl.normalize import match_key, normalize_text

ODD = "a  b\ta\u00a0b\u2028a \u200b b\n a \n b , c ,d (e) f-g 30 / 6 30/6 30 /6 đến hết ngày 30/ 6"


def _regex_hits(regex: re.Pattern, text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), norm_phrase(m.group())) for m in word_matches(regex, text)]


def _regex_cue_hits(lex, key: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """cue_hits as it was written with regexes: the trie regex of the cues, then every gapped cue tried at
    each word start where the longest of the gapped cues' heads stands."""
    hits = [(s, e, lex.cue_codes[v]) for s, e, v in _regex_hits(trie_regex(lex.cue_codes), key)]
    heads = re.compile(r"(?<!\w)(?=(?P<h>" + trie_regex(lex.gapped_by_head).pattern + "))")
    for m in heads.finditer(key):
        words = norm_phrase(m.group("h")).split(" ")
        for n in range(1, len(words) + 1):
            for pattern, code, _ in lex.gapped_by_head.get(" ".join(words[:n]), ()):
                full = pattern.match(key, m.start())
                if full:
                    hits.append((full.start(), full.end(), (code,)))
    return sorted(hits)


def _texts() -> list[str]:
    texts = [match_key(normalize_text(p.read_text(encoding="utf-8-sig"))) for p in sorted(REPORTS.glob("*.txt"))]
    texts += [match_key(normalize_text(m.text)) for m in mutated_reports(REPORTS, 230, seed=6)]
    texts += [match_key(m.text) for m in mutated_reports(REPORTS, 92, seed=3)]    # odd spaces left in
    return texts


@pytest.fixture(scope="module")
def texts():
    return _texts()


def test_every_phrase_set_finds_what_its_regex_found(texts):
    lex = load_lexicon()
    for name, (phrases, _) in lex.phrase_sets.items():
        for text in texts + [ODD, match_key(ODD)]:
            assert phrases.hits(text) == _regex_hits(phrases.regex, text), (name, text[:80])


def test_cue_hits_and_scans_are_the_regexes_hits(texts):
    lex = load_lexicon()
    for text in texts:
        assert lex.cue_hits(text) == _regex_cue_hits(lex, text), text[:80]
        for name in ("kind", "context"):
            regex, values = lex.phrase_sets[name][0].regex, lex.phrase_sets[name][1]
            assert lex.scan(name, text) == [(s, e, values[v]) for s, e, v in _regex_hits(regex, text)]


@pytest.mark.parametrize("text", [
    "hồ sơ trực tuyến", "hồ  sơ   trực\ttuyến", "xhồ sơ trực tuyến", "hồ sơ trực tuyếnx", "hồ sơ\ntrực tuyến",
    "hồ sơ trực hồ sơ trực tuyến", "a, b, c", "a ,b,c", "a,  b ,c", "a (b) c", "a(b)c", "(b)", "b)", "x(b)",
    "30 / 6", "30/6", "30 /  6", "a\u2028b", "a\u3000 b", "  a  ", "", "a", "a b c d", "a b ab c", "_a b", "a b_",
])
def test_overlaps_ties_and_spaces_as_the_regex(text):
    phrases = ["hồ sơ", "hồ sơ trực tuyến", "trực tuyến", "sơ trực", "a, b", "a, b, c", "b, c", "(b)", "b)",
               "30/6", "a b", "a b c", "b c d", "c", "ab"]
    found = PhraseSet(phrases)
    assert found.hits(text) == _regex_hits(trie_regex(phrases), text)
    assert found.hits(text) == _regex_hits(found.regex, text)


def test_the_odd_spaces_are_every_space_but_a_plain_one_and_a_line_break():
    odd = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()} - {" ", "\n"}
    assert {chr(c) for c in range(sys.maxunicode + 1) if _ODD_SPACE.match(chr(c))} == odd


def test_a_phrase_set_refuses_what_it_cannot_find_as_its_regex_does():
    for bad in (["a_b"], ["  "], []):
        with pytest.raises(ValueError):
            PhraseSet(bad)


def test_the_word_masks_one_search_per_pattern_find_what_their_alternation_found(texts):
    from etl.figures import _alternation_spans, grammar

    g = grammar(load_lexicon())
    assert g.word_mask_parts
    for text in texts + [ODD]:
        assert _alternation_spans(g.word_mask_parts, text) == [m.span() for m in g.word_masks.finditer(text)]
    parts = (re.compile(r"ab"), re.compile(r"b+c"), re.compile(r"abc"), re.compile(r"c"))
    for text in ("abc", "abbc", "xbbcabcc", "ababcbc", ""):
        whole = re.compile("|".join(f"(?:{p.pattern})" for p in parts))
        assert _alternation_spans(parts, text) == [m.span() for m in whole.finditer(text)]
    assert _alternation_spans((re.compile(r"x*"),), "ab") is None
