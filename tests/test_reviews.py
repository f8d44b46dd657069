"""Reviews are user data beside the database: stored safely by concurrent writers, re-applied to every build,
found again after the report changed, listed as orphaned when their figure is gone. Real ETL, real files."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
import sys
import threading

import pytest
from conftest import REPORTS, ROOT, query

from etl.pipeline import run
from etl.reviews import Review, ReviewStore, now_iso, parse_lines, store_path

REPORT = "022_hanoi-sipas-2024.txt"
SENTENCE = "Theo kết quả vừa công bố, Chỉ số SIPAS năm 2024 của Hà Nội đạt 86,50%, tăng 2,93% so với năm trước. "


def etl(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def one_report(tmp_path):
    """A reports folder with one real report and its manifest row, built into a database."""
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(REPORTS / REPORT, reports / REPORT)
    header, *rows = (REPORTS / "manifest.csv").read_text(encoding="utf-8").splitlines()
    (reports / "manifest.csv").write_text("\n".join([header, *[r for r in rows if r.startswith(REPORT)]]) + "\n",
                                          encoding="utf-8")
    db = tmp_path / "cchc.duckdb"
    run(reports, db, progress=False)
    return reports, db


def facts(db) -> list[dict]:
    out = etl("facts", "--db", db)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def sipas_fact(rows: list[dict]) -> dict:
    [fact] = [f for f in rows if f["indicator"] == "sipas_score" and f["value"] == 86.5]
    return fact


def review_line(fact: dict, action: str, reviewer: str = "Nguyễn Văn An", **changes) -> str:
    return json.dumps({"doc": fact["doc"], "start": fact["start"], "end": fact["end"], "action": action,
                       "fact": {**fact, **changes}, "reviewer": reviewer, "at": "2026-11-29T21:00:00Z",
                       "note": "sai năm"}, ensure_ascii=False)


def test_an_imported_correction_outlives_a_change_elsewhere_and_is_orphaned_when_its_figure_goes(one_report,
                                                                                                tmp_path):
    reports, db = one_report
    before = sipas_fact(facts(db))
    assert before["year"] == 2024 and before["status"] == "extracted"
    lines = tmp_path / "reviews.jsonl"
    lines.write_text(review_line(before, "correct", year=2023) + "\n", encoding="utf-8")
    out = etl("reviews", "import", lines, "--db", db)
    assert out.returncode == 0, out.stderr
    corrected = sipas_fact(facts(db))
    assert (corrected["year"], corrected["status"]) == (2023, "corrected")

    # The report changes elsewhere: a paragraph added before the figure, the last paragraph removed.
    path = reports / REPORT
    text = path.read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    changed = title + "\n\nBài viết được biên tập lại theo bản tin của Sở Nội vụ.\n" + rest.rsplit("\n\n", 1)[0]
    path.write_text(changed, encoding="utf-8")
    assert etl("run", reports, "--db", db, "--no-progress").returncode == 0
    moved = sipas_fact(facts(db))
    assert moved["start"] > before["start"], "the figure moved in the changed report"
    assert (moved["year"], moved["status"]) == (2023, "corrected")
    assert query(db, "SELECT count(*) FROM orphaned_reviews")[0][0] == 0

    # The figure itself is deleted: the review no longer finds its fact and is listed, not dropped.
    assert SENTENCE in changed
    path.write_text(changed.replace(SENTENCE, ""), encoding="utf-8")
    assert etl("run", reports, "--db", db, "--no-progress").returncode == 0
    assert not [f for f in facts(db) if f["status"] != "extracted"]
    [(doc, action, reviewer, reason)] = query(db, "SELECT doc, action, reviewer, reason FROM orphaned_reviews")
    assert (doc, action, reviewer) == (REPORT, "correct", "Nguyễn Văn An")
    assert "no longer" in reason
    exported = etl("reviews", "export", "--db", db)
    assert [json.loads(x)["action"] for x in exported.stdout.splitlines()] == ["correct"]


def test_confirm_reject_add_apply_and_survive_a_rebuild_from_scratch(one_report, tmp_path):
    reports, db = one_report
    rows = facts(db)
    target = sipas_fact(rows)
    national = next(f for f in rows if f["province"] == "Cả nước")
    text = (reports / REPORT).read_text(encoding="utf-8")
    words = "Hà Nội xếp thứ 2/6"
    start = query(db, "SELECT strpos(text, ?) - 1 FROM documents", [words])[0][0]
    added = {"province": "Hà Nội", "place": None, "level": "province", "year": 2024, "period": "year",
             "indicator": "sipas_rank", "kind": "actual", "comparator": "=", "value": 2, "unit": "rank",
             "evidence": words}
    lines = [review_line(target, "confirm"), review_line(national, "reject"),
             json.dumps({"doc": REPORT, "start": start, "end": start + len(words), "action": "add", "fact": added,
                         "reviewer": "Trần Thị Bình", "at": now_iso(), "note": None}, ensure_ascii=False)]
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert etl("reviews", "import", tmp_path / "r.jsonl", "--db", db).returncode == 0
    assert words in text

    def state():
        return {(f["indicator"], f["province"], f["value"], f["status"]) for f in facts(db)}

    after = state()
    assert ("sipas_score", "Hà Nội", 86.5, "confirmed") in after
    assert not [s for s in after if s[1] == "Cả nước"], "the rejected fact is gone"
    assert ("sipas_rank", "Hà Nội", 2, "added") in after
    assert query(db, "SELECT evidence FROM facts WHERE status = 'added'") == [(words,)]
    # A run with nothing changed (reviews included) leaves the database as it is.
    stamp = db.stat().st_mtime_ns
    assert etl("run", reports, "--db", db, "--no-progress").returncode == 0
    assert db.stat().st_mtime_ns == stamp and state() == after
    # Importing the same lines again stores nothing new; a rebuild from nothing gives the same facts.
    again = etl("reviews", "import", tmp_path / "r.jsonl", "--db", db)
    assert "0 review(s) stored" in again.stdout
    db.unlink()
    run(reports, db, progress=False)
    assert state() == after


def test_bad_lines_are_named_and_nothing_is_imported(one_report, tmp_path):
    reports, db = one_report
    good = review_line(sipas_fact(facts(db)), "correct", year=2023)
    bad = [
        "not json",
        json.dumps({"doc": REPORT, "start": 5, "end": 3, "action": "confirm", "fact": {}, "reviewer": "A",
                    "at": "2026-11-29T21:00:00Z"}),
        good.replace('"correct"', '"approve"'),
        good.replace('"year": 2023', '"year": "năm ngoái"'),
        good.replace('"reviewer": "Nguyễn Văn An"', '"reviewer": ""'),
        good.replace('"2026-11-29T21:00:00Z"', '"hôm qua"'),
        json.dumps({"doc": REPORT, "start": 1, "end": 3, "action": "add", "fact": {"value": 1}, "reviewer": "A",
                    "at": "2026-11-29T21:00:00Z"}),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([good, *bad]) + "\n", encoding="utf-8")
    out = etl("reviews", "import", path, "--db", db)
    assert out.returncode == 1
    named = [line for line in out.stderr.splitlines() if line.startswith(f"{path}:")]
    assert [int(line.split(":")[1]) for line in named] == list(range(2, 2 + len(bad)))
    for needle in ("not JSON", "'end' must be after 'start'", "'approve'", "not a year", "'reviewer'",
                   "not an ISO date", "fact lacks"):
        assert needle in out.stderr
    assert not store_path(db).exists() or ReviewStore(store_path(db)).all() == []
    assert sipas_fact(facts(db))["year"] == 2024


def _write_reviews(args) -> None:
    path, who = args
    store = ReviewStore(path)
    for i in range(200):
        store.add(Review("a.txt", i, i + 5, "confirm", {"value": i}, who, now_iso(), note=f"{who} {i}"))


@pytest.mark.parametrize("how", ["processes", "threads"])
def test_two_reviewers_at_once_lose_nothing(tmp_path, how):
    path = store_path(tmp_path / "cchc.duckdb")
    jobs = [(path, "An"), (path, "Bình")]
    if how == "processes":
        with multiprocessing.get_context("fork").Pool(2) as pool:
            pool.map(_write_reviews, jobs)
    else:
        threads = [threading.Thread(target=_write_reviews, args=(job,)) for job in jobs]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    stored = ReviewStore(path).all()
    assert len(stored) == 400
    assert {(r.reviewer, r.note) for r in stored} == {(w, f"{w} {i}") for w in ("An", "Bình") for i in range(200)}


def test_parse_lines_keeps_good_lines_and_reports_blank_ones_as_nothing():
    good = json.dumps({"doc": "a.txt", "start": 0, "end": 4, "action": "reject", "fact": {}, "reviewer": "A",
                       "at": "2026-11-29T21:00:00+07:00"})
    reviews, bad = parse_lines([good, "", "  ", "[1, 2]"])
    assert [r.action for r in reviews] == ["reject"] and bad == [(4, "not a JSON object")]


def test_reviews_exported_on_one_machine_apply_on_another(one_report, tmp_path):
    reports, db = one_report
    fact = sipas_fact(facts(db))
    (tmp_path / "r.jsonl").write_text(review_line(fact, "correct", year=2022, value=86.6) + "\n", encoding="utf-8")
    assert etl("reviews", "import", tmp_path / "r.jsonl", "--db", db).returncode == 0
    exported = etl("reviews", "export", "--db", db).stdout
    [line] = [json.loads(x) for x in exported.splitlines()]
    assert line["old"]["year"] == 2024 and line["fact"]["year"] == 2022 and line["doc_hash"]

    other = tmp_path / "other" / "cchc.duckdb"          # another machine: its own database of the same reports
    run(reports, other, progress=False)
    (tmp_path / "shared.jsonl").write_text(exported, encoding="utf-8")
    out = etl("reviews", "import", tmp_path / "shared.jsonl", "--db", other, "--reports", reports)
    assert out.returncode == 0, out.stderr
    assert "1 corrected" in out.stdout
    assert [(f["year"], f["value"], f["status"]) for f in facts(other) if f["status"] != "extracted"] == [
        (2022, 86.6, "corrected")]


def test_a_review_of_a_report_that_is_gone_is_listed_as_orphaned(one_report, tmp_path):
    reports, db = one_report
    (tmp_path / "r.jsonl").write_text(review_line(sipas_fact(facts(db)), "confirm") + "\n", encoding="utf-8")
    assert etl("reviews", "import", tmp_path / "r.jsonl", "--db", db).returncode == 0
    (reports / REPORT).unlink()
    etl("run", reports, "--db", db, "--no-progress")
    assert query(db, "SELECT doc, action, reason FROM orphaned_reviews") == [
        (REPORT, "confirm", "the report is no longer among the reports")]
    assert len(ReviewStore(store_path(db)).all()) == 1, "the review itself is kept"
