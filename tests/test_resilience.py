"""One report never stops a run, and a run killed mid-rebuild leaves the previous database whole and its
half-built file for the next run to remove. Through `python -m etl run` (and etl.pipeline.run) on real
reports and seeded mutations of them (tests/mutations.py), into real DuckDB files."""

import csv
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPORTS, ROOT, query
from mutations import mutated_reports

from etl.extract import extract
from etl.load import building_files, building_path
from etl.pipeline import print_summary, run

MARKER = "Báo cáo này chứa một dòng mà bộ trích xuất không qua được."
N_MUTATED = 600


def extract_or_raise(doc):
    """The project's extractor, except that a report holding MARKER raises inside it, as a bug would."""
    if MARKER in doc.text:
        raise ValueError("invalid literal for int() with base 10: '3/9/2025'")
    return extract(doc)


def etl(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def test_a_report_raising_inside_the_extractor_is_named_and_skipped_while_the_others_load(tmp_path, etl_db):
    reports = shutil.copytree(REPORTS, tmp_path / "reports")
    (reports / "zz-loi.txt").write_text(f"UBND tỉnh Quảng Ninh\n\n{MARKER} Từ ngày 3/9/2025, tỷ lệ hồ sơ trực "
                                        "tuyến đạt 95,5%.\n", encoding="utf-8")
    db = tmp_path / "cchc.duckdb"
    summary = run(reports, db, progress=False, extractor=extract_or_raise)
    assert [(s.file, s.stage, s.error) for s in summary.skipped] == [("zz-loi.txt", "extract", "ValueError")]
    out = io.StringIO()
    print_summary(summary, out)
    assert ("skipped zz-loi.txt: ValueError while extracting it: invalid literal for int() with base 10: "
            "'3/9/2025'") in out.getvalue()
    assert query(db, "SELECT file, stage, error, reason FROM skipped_reports") == [
        ("zz-loi.txt", "extract", "ValueError", "invalid literal for int() with base 10: '3/9/2025'")]
    # every other report is loaded, with the very facts a run without the bad report gives
    facts = "SELECT doc, start_offset, indicator, kind, year, period, value FROM facts ORDER BY ALL"
    assert query(db, facts) == query(etl_db, facts)
    assert query(db, "SELECT count(*) FROM documents") == query(etl_db, "SELECT count(*) FROM documents")
    # another extractor's facts are never reused: the project's own extracts every report again
    again = run(reports, db, progress=False)
    assert (again.extracted, again.reused, again.skipped) == (summary.extracted + 1, 0, [])


def test_the_exit_status_says_whether_a_report_was_skipped(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(REPORTS / "004_f0b46b6ebb7b8b14.txt", reports)
    clean = etl("run", reports, "--db", tmp_path / "a.duckdb", "--no-progress")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (reports / "empty.txt").write_bytes(b"")
    skipped = etl("run", reports, "--db", tmp_path / "b.duckdb", "--no-progress")
    assert skipped.returncode == 3, skipped.stdout + skipped.stderr
    assert "skipped empty.txt: empty file" in skipped.stdout
    assert query(tmp_path / "b.duckdb", "SELECT file, stage, error FROM skipped_reports") == [
        ("empty.txt", "read", None)]


@pytest.fixture(scope="module")
def mutated_run(tmp_path_factory):
    """600 mutated reports (with the manifest rows of the reports they come from), one complete
    `python -m etl run` over them with two workers, and how long its rebuild took."""
    folder = tmp_path_factory.mktemp("mutated") / "reports"
    folder.mkdir()
    with open(REPORTS / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = {row["file"]: row for row in csv.DictReader(fh)}
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=["file", "title", "published", "province", "place", "source"])
        out.writeheader()
        for m in mutated_reports(REPORTS, N_MUTATED, seed=600):
            (folder / m.name).write_bytes(m.data)
            if m.source in rows:
                out.writerow({**rows[m.source], "file": m.name})
    db = folder.parent / "db" / "cchc.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "etl", "run", str(folder), "--db", str(db), "--no-progress",
                             "--workers", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    building_seen = None
    while proc.poll() is None:
        if building_seen is None and building_path(db, proc.pid).exists():
            building_seen = time.monotonic()
        time.sleep(0.005)
    stdout, stderr = proc.communicate()
    rebuild = time.monotonic() - building_seen if building_seen else None
    return folder, db, proc.returncode, stdout + stderr, rebuild


def test_a_run_over_600_mutated_reports_loads_600_documents_none_skipped(mutated_run):
    _, db, returncode, output, rebuild = mutated_run
    assert returncode == 0, output
    assert f"Reports: {N_MUTATED} found, {N_MUTATED} loaded ({N_MUTATED} extracted" in output, output
    assert query(db, "SELECT count(*) FROM documents") == [(N_MUTATED,)]
    assert query(db, "SELECT count(*) FROM skipped_reports") == [(0,)]
    assert query(db, "SELECT count(*) FROM facts")[0][0] > 5 * N_MUTATED
    assert rebuild is not None and os.listdir(db.parent) == ["cchc.duckdb"]


def test_runs_killed_during_a_rebuild_leave_the_previous_database_and_the_next_run_clears_their_files(
        mutated_run, tmp_path):
    folder, _, _, _, rebuild = mutated_run
    reports = shutil.copytree(REPORTS, tmp_path / "reports")
    db = tmp_path / "db" / "cchc.duckdb"
    run(reports, db, progress=False)
    facts = "SELECT * FROM facts ORDER BY fact_id"
    before, runs_before = query(db, facts), query(db, "SELECT run_id FROM runs")
    rng = random.Random(5)
    killed, attempts, scale = 0, 0, 0.8
    while killed < 5:
        attempts += 1
        assert attempts <= 10, "the runs kept finishing before they were killed"
        proc = subprocess.Popen([sys.executable, "-m", "etl", "run", str(folder), "--db", str(db), "--no-progress",
                                 "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        deadline = time.monotonic() + 60
        while not building_path(db, proc.pid).exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(rng.uniform(0.0, scale) * rebuild)           # a random moment of the rebuild
        try:
            os.killpg(proc.pid, signal.SIGKILL)                 # the run and its workers
        except ProcessLookupError:
            pass
        proc.wait()
        proc.stderr.close()
        if proc.returncode != -signal.SIGKILL:                  # it finished first (a faster machine than the
            assert proc.returncode == 0                         # fixture's): not a kill; restore and aim earlier
            run(reports, db, progress=False)
            scale /= 2
            continue
        killed += 1
        assert query(db, facts) == before and query(db, "SELECT run_id FROM runs") == runs_before
        # it left its half-built file; the ones of earlier killed runs are gone (their writers are dead)
        assert {pid for _, pid in building_files(db)} == {proc.pid}
    result = etl("run", reports, "--db", db, "--no-progress")
    assert result.returncode == 0, result.stdout + result.stderr
    assert os.listdir(db.parent) == ["cchc.duckdb"]


def test_only_files_no_live_process_writes_are_removed(tmp_path):
    db = tmp_path / "cchc.duckdb"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        for pid in (live.pid, dead.pid):
            building_path(db, pid).write_bytes(b"half a database")
            Path(f"{building_path(db, pid)}.wal").write_bytes(b"its log")
        (tmp_path / f".{db.name}.tmp").mkdir()                  # not a half-built file: not ours to remove
        run(REPORTS, db, progress=False)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([
            "cchc.duckdb", f".{db.name}.tmp", building_path(db, live.pid).name,
            f"{building_path(db, live.pid).name}.wal"])
    finally:
        live.kill()
        live.wait()
