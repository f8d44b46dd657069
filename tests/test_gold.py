"""Extraction quality on the bundled reports, scored against the hand-checked gold facts.

The numbers are printed on every run, over all gold files and per file. The issue asks for value F1 >= 0.95
and full F1 >= 0.90 over all of them, and the suite holds that; the floors below sit just under what the
extractor reaches today (a ratchet: raise them as it improves, never lower them to pass).
"""

import json
import re
import subprocess
import sys

import pytest
from conftest import GOLD, ROOT, query

from etl.evaluate import evaluate_db, load_jsonl, score
from etl.export import read_facts
from etl.figures import GROUP_DEFINED, parse_number
from etl.lexicon import load_lexicon
from etl.normalize import match_key

SHARED_SCORER = ROOT.parent / "shared" / "tools" / "score_facts.py"


ISSUE_AIM = {"value": 0.95, "full": 0.90}
FLOOR = {"value": 0.96, "full": 0.915}


def test_extraction_quality_on_gold(etl_db, capsys):
    e = evaluate_db(etl_db, GOLD)
    with capsys.disabled():
        print(f"\n[extraction on {len(GOLD)} gold files] required gold facts {e.gold_required}, found {e.found}")
        print(f"  value: P {e.value.precision:.3f} R {e.value.recall:.3f} F1 {e.value.f1:.3f}")
        print(f"  full:  P {e.full.precision:.3f} R {e.full.recall:.3f} F1 {e.full.f1:.3f}")
        print(f"  misses {len(e.misses)}, wrong attributes {len(e.wrong)}, false finds {len(e.false_finds)}")
        for path in GOLD:
            one = evaluate_db(etl_db, [path])
            print(f"  {path.name:<14} required {one.gold_required:>4}  value F1 {one.value.f1:.3f}  "
                  f"full F1 {one.full.f1:.3f}")
        print(f"  issue's aim: value F1 >= {ISSUE_AIM['value']}, full F1 >= {ISSUE_AIM['full']} "
              f"({'met' if e.value.f1 >= ISSUE_AIM['value'] and e.full.f1 >= ISSUE_AIM['full'] else 'NOT met'})")
    assert e.value.f1 >= max(ISSUE_AIM["value"], FLOOR["value"])
    assert e.full.f1 >= max(ISSUE_AIM["full"], FLOOR["full"])


def _shared_numbers(gold_path, found_path) -> list[str]:
    out = subprocess.run([sys.executable, str(SHARED_SCORER), str(gold_path), str(found_path)],
                         capture_output=True, text=True, check=True).stdout
    return re.findall(r"\d+\.\d{3}", out)


@pytest.mark.skipif(not SHARED_SCORER.exists(), reason="../shared/tools/score_facts.py is not beside the project")
def test_evaluate_agrees_with_the_reference_scorer(etl_db, tmp_path):
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text("".join(p.read_text(encoding="utf-8") for p in GOLD), encoding="utf-8")
    found = read_facts(etl_db)
    # the database as it is, and a damaged copy: some facts dropped, some values and attributes changed
    damaged = [dict(f) for i, f in enumerate(found) if i % 7]
    for i, f in enumerate(damaged):
        if i % 5 == 0:
            f["value"] = f["value"] + 1
        if i % 3 == 0:
            f["year"] = (f["year"] or 2000) - 1
    gold = load_jsonl(gold_path)
    for facts in (found, damaged):
        found_path = tmp_path / "found.jsonl"
        found_path.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in facts), encoding="utf-8")
        ours = score(gold, facts)
        mine = [f"{x:.3f}" for x in (ours.value.precision, ours.value.recall, ours.value.f1,
                                     ours.full.precision, ours.full.recall, ours.full.f1)]
        assert mine == _shared_numbers(gold_path, found_path)[:6]


def test_cli_evaluate_prints_the_scores(etl_db):
    out = subprocess.run([sys.executable, "-m", "etl", "evaluate", "--db", str(etl_db), "--gold", *map(str, GOLD)],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert re.search(r"value: P \d\.\d{3} R \d\.\d{3} F1 \d\.\d{3}", out)
    assert re.search(r"full F1 \d\.\d{3}", out)


def test_provenance_holds_for_every_fact(etl_db):
    """The stored text between a fact's offsets is its evidence, and the evidence states its figure."""
    mismatched = query(etl_db, """
        SELECT count(*) FROM facts f JOIN documents d ON d.file = f.doc
        WHERE substring(d.text, f.start_offset + 1, f.end_offset - f.start_offset) <> f.evidence""")[0][0]
    rows = query(etl_db, "SELECT f.value, f.unit, f.evidence, f.denominator, d.text FROM facts f "
                         "JOIN documents d ON d.file = f.doc")
    orphans = query(etl_db, "SELECT count(*) FROM facts WHERE doc NOT IN (SELECT file FROM documents)")[0][0]
    assert rows and mismatched == 0 and orphans == 0
    raw = load_lexicon().raw
    words = {**raw["ordinals"], **raw["number_words"]}
    first = [match_key(w) for w in raw["rank_first"]]
    for value, unit, evidence, _denominator, text in rows:
        key = match_key(evidence)
        numbers = {parse_number(n) for n in re.findall(r"\d[\d.,]*\d|\d", key)}
        numbers |= {n * m for n in numbers for m in raw["multipliers"].values()}
        numbers |= {float(v) for w, v in words.items() if re.search(rf"(?<!\w){w}(?!\w)", key)}
        if unit == "rank" and value == 1:
            numbers |= {1.0} if any(w in key for w in first) else set()
        # "PAPI tiếp tục ở nhóm 1": a group the report defines elsewhere ("nhóm 1 - nhóm 16 địa phương …")
        groups = {int(m.group("k")): int(m.group("n")) for m in GROUP_DEFINED.finditer(match_key(text))}
        numbers |= {float(k * groups[k]) for k in map(int, re.findall(r"nhóm\s+([1-4])\b", key)) if k in groups}
        assert any(abs(n - value) < 1e-6 for n in numbers), (value, unit, evidence)


def test_every_fact_takes_only_the_values_the_spec_allows(etl_db):
    from etl.records import COMPARATORS, KINDS, LEVELS, PERIODS, UNITS

    rows = query(etl_db, "SELECT level, period, kind, comparator, unit, indicator FROM facts")
    codes = {r[0] for r in query(etl_db, "SELECT code FROM indicators")}
    for level, period, kind, comparator, unit, indicator in rows:
        assert (level in LEVELS and period in PERIODS and kind in KINDS and comparator in COMPARATORS
                and unit in UNITS), (level, period, kind, comparator, unit)
        assert indicator in codes or re.fullmatch(r"other:[a-z0-9_]+", indicator), indicator


def test_every_indicator_a_fact_uses_has_a_vietnamese_name(etl_db):
    unnamed = query(etl_db, "SELECT DISTINCT indicator FROM facts WHERE indicator NOT IN (SELECT code FROM indicators)")
    names = dict(query(etl_db, "SELECT code, name_vi FROM indicators WHERE theme = 'other'"))
    assert unnamed == [] and names
    # named from the report's own words, diacritics kept ("Lượt công dân", not "luot cong dan")
    assert any(re.search(r"[ăâđêôơưàáạảãèéẹẻẽìíịỉĩòóọỏõùúụủũỳýỵỷỹ]", n, re.IGNORECASE) for n in names.values())


def test_derived_codes_are_named_from_their_indicator():
    lex = load_lexicon()
    assert lex.name_other("other:online_dossier_rate_sector", {}) == (
        "Tỷ lệ hồ sơ trực tuyến — theo lĩnh vực", "Share of dossiers filed online — by sector")
    assert lex.name_other("other:tthc_thuoc_rate", {"other:tthc_thuoc_rate": "TTHC thuộc"})[0] == "TTHC thuộc — tỷ lệ"
    assert lex.name_other("other:sipas_rank_among_6", {})[0].endswith("xếp hạng trong 6")
