"""Extraction quality against hand-checked gold facts, by the rules of spec/facts.md.

A found fact matches a gold fact of the same doc when kind and unit agree and the value is equal
(within 0.05 for percentages); each gold fact matches at most one found fact, required gold first
and best agreement first. Value F1 counts those matches; full F1 also needs province, place,
level, year, period and indicator to agree (any other: label agrees with any other). Optional
gold facts count neither as misses nor, when found, as false finds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from etl.export import read_facts

ATTRS = ("province", "place", "level", "year", "period", "indicator")
PLACE_PREFIXES = ("thành phố ", "tp. ", "tp ", "quận ", "huyện ", "thị xã ", "phường ", "xã ")


@dataclass
class Score:
    precision: float
    recall: float
    f1: float


@dataclass
class Evaluation:
    gold_required: int
    found: int
    value: Score
    full: Score
    misses: list[dict]
    wrong: list[tuple[dict, dict]]
    false_finds: list[dict]


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _place(p) -> str | None:
    if not p:
        return None
    p = str(p).strip().lower()
    for prefix in PLACE_PREFIXES:
        if p.startswith(prefix):
            p = p[len(prefix):]
    return p or None


def same_attr(name: str, gold: dict, found: dict) -> bool:
    a, b = gold.get(name), found.get(name)
    if name == "indicator":
        a, b = str(a or ""), str(b or "")
        return (a.startswith("other:") and b.startswith("other:")) or a == b
    if name == "place":
        return _place(a) == _place(b)
    return a == b


def value_match(gold: dict, found: dict) -> bool:
    if gold.get("kind") != found.get("kind") or gold.get("unit") != found.get("unit"):
        return False
    try:
        gv, fv = float(gold["value"]), float(found["value"])
    except (TypeError, ValueError, KeyError):
        return False
    return abs(gv - fv) <= (0.051 if gold.get("unit") == "percent" else 1e-9)


def _prf(tp: int, n_found: int, n_gold: int) -> Score:
    p = tp / n_found if n_found else 0.0
    r = tp / n_gold if n_gold else 0.0
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def score(gold: list[dict], found: list[dict]) -> Evaluation:
    gold_by_doc, found_by_doc = defaultdict(list), defaultdict(list)
    for i, g in enumerate(gold):
        gold_by_doc[g["doc"]].append(i)
    for j, f in enumerate(found):
        found_by_doc[f.get("doc")].append(j)
    pairs = []
    for doc, gis in gold_by_doc.items():
        for gi in gis:
            for fj in found_by_doc.get(doc, []):
                if value_match(gold[gi], found[fj]):
                    agree = sum(same_attr(a, gold[gi], found[fj]) for a in ATTRS)
                    pairs.append((agree == len(ATTRS), agree, gi, fj))
    pairs.sort(key=lambda p: (bool(gold[p[2]].get("optional")), -p[0], -p[1]))
    used_g, used_f, match = set(), set(), {}
    for full_ok, _agree, gi, fj in pairs:
        if gi in used_g or fj in used_f:
            continue
        used_g.add(gi)
        used_f.add(fj)
        match[gi] = (fj, full_ok)
    required = [i for i, g in enumerate(gold) if not g.get("optional")]
    optional_found = {match[i][0] for i, g in enumerate(gold) if g.get("optional") and i in match}
    n_found = len(found) - len(optional_found)
    tp_value = sum(1 for i in required if i in match)
    tp_full = sum(1 for i in required if i in match and match[i][1])
    return Evaluation(
        gold_required=len(required), found=n_found,
        value=_prf(tp_value, n_found, len(required)), full=_prf(tp_full, n_found, len(required)),
        misses=[gold[i] for i in required if i not in match],
        wrong=[(gold[i], found[match[i][0]]) for i in required if i in match and not match[i][1]],
        false_finds=[found[j] for j in range(len(found)) if j not in used_f])


def evaluate_db(db_path: Path, gold_paths: list[Path]) -> Evaluation:
    gold = [g for path in gold_paths for g in load_jsonl(path)]
    docs = {g["doc"] for g in gold}
    found = [f for f in read_facts(db_path) if f["doc"] in docs]
    return score(gold, found)


def print_report(e: Evaluation, show: bool = True) -> None:
    print(f"gold facts {e.gold_required}, found facts {e.found}")
    print(f"value: P {e.value.precision:.3f} R {e.value.recall:.3f} F1 {e.value.f1:.3f}")
    print(f"full:  P {e.full.precision:.3f} R {e.full.recall:.3f} F1 {e.full.f1:.3f}")
    if show:
        for g in e.misses:
            print("MISS ", g["doc"], g["indicator"], g["kind"], g["value"], g["unit"], "|", g["evidence"])
        for g, f in e.wrong:
            diff = {a: (g.get(a), f.get(a)) for a in ATTRS if not same_attr(a, g, f)}
            print("WRONG", g["doc"], g["value"], g["unit"], diff)
        for f in e.false_finds:
            print("FALSE", f.get("doc"), f.get("indicator"), f.get("kind"), f.get("value"), f.get("unit"), "|",
                  str(f.get("evidence"))[:100])
    print(f"full F1 {e.full.f1:.3f}")
