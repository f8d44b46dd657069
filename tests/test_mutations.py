"""Reports nobody has shown us: seeded mutations of every bundled report (tests/mutations.py) go through
read, settle and extract without an exception. In-process and without a database, so several hundred
cost a few seconds; the whole run over mutated reports is in test_pipeline.py."""

import random
import traceback
from collections import Counter
from pathlib import Path

from conftest import REPORTS
from mutations import ALL_KINDS, mutate, mutated_reports

from etl.extract import extract
from etl.figures import find_figures
from etl.lexicon import load_lexicon
from etl.metadata import read_manifest, settle
from etl.normalize import match_key
from etl.places import Gazetteer
from etl.read import UnreadableReport, read_report

SEED = 6
N = 920           # 20 rounds over the bundled reports, every kind at least twice per report


def _where(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__}: {exc} at {Path(frame.filename).name}:{frame.lineno} ({frame.name})"


def test_the_mutations_cover_every_report_and_kind_and_change_the_text():
    sources = {p.name: p.read_text(encoding="utf-8-sig") for p in REPORTS.glob("*.txt")}
    made = list(mutated_reports(REPORTS, N, SEED))
    assert {m.source for m in made} == set(sources)
    per_report = Counter((m.source, m.kind) for m in made)
    assert all(per_report[(s, k)] >= 2 for s in sources for k in ALL_KINDS)
    assert sum(m.text != sources[m.source] for m in made) >= 0.99 * N
    assert [m.text for m in mutated_reports(REPORTS, 50, SEED)] == [m.text for m in made[:50]]   # seeded


def test_mutate_writes_what_it_says():
    rng = random.Random(1)
    text = "Tỷ lệ hồ sơ trực tuyến đạt 95,5% trong năm 2024."
    cut = mutate(text, rng, "cut")
    assert text.startswith(cut) and cut.strip()
    spaced = [mutate(text, rng, "space") for _ in range(30)]
    assert any("\u00a0" in t or "\u200b" in t or "\t" in t for t in spaced)
    dated = " ".join(mutate(text, rng, "date") for _ in range(60))
    for form in ("ngày", "quý", "/", "–"):
        assert form in dated


def test_no_mutated_report_raises_in_read_settle_or_extract():
    manifest = read_manifest(REPORTS / "manifest.csv")
    gaz = Gazetteer.load()
    failures = []
    for m in mutated_reports(REPORTS, N, SEED):
        stage = "read"
        try:
            report = read_report(Path(m.name), data=m.data, name=m.source)
            stage = "settle"
            doc = settle(report, manifest.get(m.source), gaz)
            stage = "extract"
            extract(doc)
        except UnreadableReport as exc:
            failures.append(f"#{m.index} {m.kind} of {m.source}: unreadable ({exc.reason})")
        except Exception as exc:  # noqa: BLE001 - every failure is listed, not only the first
            failures.append(f"#{m.index} {m.kind} of {m.source}, {stage}: {_where(exc)}")
    assert not failures, f"{len(failures)} of {N} mutations (seed {SEED}) failed:\n" + "\n".join(failures[:20])


def test_a_number_with_both_decimal_marks_is_no_figure_and_raises_nothing():
    """Found by the mutations: "(92,57 điểm)" with a stray "1.5" inserted read "92,571.5", which raised."""
    text = "Thanh tra đạt 93 điểm, Sở Thông tin và Truyền thông đạt 92,571.5 điểm."
    assert [(f.value, f.unit) for f in find_figures(match_key(text), load_lexicon())] == [(93, "score")]
