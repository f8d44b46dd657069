"""The whole run through its public interface: python -m etl, on real reports, into real DuckDB files."""

import csv
import io
import json
import re
import shutil
import subprocess
import sys

import duckdb
import pytest
from conftest import REPORTS, ROOT, query
from read_fixtures import write_bad_inputs

from etl.pipeline import print_summary, report_files, run
from etl.records import FACT_FIELDS

N = len(report_files(REPORTS))      # the bundled reports


def etl(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, **kw)


def copy_reports(dst):
    shutil.copytree(REPORTS, dst)
    return dst


def test_bad_input_is_named_and_skipped_and_the_rest_loads(tmp_path):
    reports = copy_reports(tmp_path / "reports")
    expected = write_bad_inputs(reports / "odd")
    (reports / "odd" / "notes.xlsx").write_bytes(b"PK\x03\x04 not really")
    db = tmp_path / "cchc.duckdb"
    result = etl("run", reports, "--db", db, "--no-progress")
    assert result.returncode == 3, result.stderr        # finished, but some report was skipped
    for name, fate in expected.items():
        line = next((ln for ln in result.stdout.splitlines() if f"odd/{name}" in ln), None)
        if fate == "skipped":
            assert line and "skipped" in line, (name, result.stdout)
        else:
            assert line is None
    assert "odd/notes.xlsx: unsupported format" in result.stdout
    assert re.search(r"odd/big.txt: 5\d\.\d MB, over the 20 MB limit", result.stdout), result.stdout
    docs = {r[0] for r in query(db, "SELECT file FROM documents")}
    assert "odd/legacy_cp1258.txt" in docs and len(docs) == N + 1
    warnings = query(db, "SELECT warnings FROM documents WHERE file = 'odd/legacy_cp1258.txt'")[0][0]
    assert any("1258" in w for w in warnings)
    skipped = {r[0] for r in query(db, "SELECT file FROM skipped_reports")}
    assert skipped == {f"odd/{n}" for n, f in expected.items() if f == "skipped"} | {"odd/notes.xlsx"}
    # the legacy-encoded copy of a report yields the same facts as the original
    facts = query(db, "SELECT doc, indicator, value FROM facts WHERE doc IN ('odd/legacy_cp1258.txt', "
                      "'004_f0b46b6ebb7b8b14.txt')")
    legacy = sorted((i, v) for d, i, v in facts if d.startswith("odd/"))
    original = sorted((i, v) for d, i, v in facts if not d.startswith("odd/"))
    assert legacy and legacy == original


def test_summary_names_reports_facts_by_province_and_kind(etl_db):
    summary = run(REPORTS, etl_db, progress=False)
    out = io.StringIO()
    print_summary(summary, out)
    text = out.getvalue()
    assert f"Reports: {N} found, {N} loaded" in text
    for province in ("Hà Nội", "Hải Phòng", "Quảng Ninh", "Cả nước"):
        assert province in text
    assert "target" in text and "actual" in text and "Data-quality flags" in text


def test_rerun_with_nothing_changed_reuses_everything_and_gives_the_same_tables(tmp_path):
    reports = copy_reports(tmp_path / "reports")
    db = tmp_path / "cchc.duckdb"
    first = run(reports, db, progress=False)
    facts_before = query(db, "SELECT * FROM facts ORDER BY fact_id")
    docs_before = query(db, "SELECT * FROM documents ORDER BY file")
    second = run(reports, db, progress=False)
    assert (first.extracted, second.extracted, second.reused) == (N, 0, N)
    assert query(db, "SELECT * FROM facts ORDER BY fact_id") == facts_before
    assert query(db, "SELECT * FROM documents ORDER BY file") == docs_before
    # a fresh build of the same input gives the same tables too
    fresh = tmp_path / "fresh.duckdb"
    run(reports, fresh, progress=False)
    assert query(fresh, "SELECT * FROM facts ORDER BY fact_id") == facts_before
    # one changed report is extracted again, the others are reused
    path = reports / "000_bb99a3d641310269.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nĐã tiếp nhận 777 hồ sơ.\n", encoding="utf-8")
    third = run(reports, db, progress=False)
    assert (third.extracted, third.reused) == (1, N - 1)
    assert query(db, "SELECT count(*) FROM facts WHERE value = 777")[0][0] == 1


def test_readers_keep_working_while_the_database_is_rebuilt(tmp_path):
    reports = copy_reports(tmp_path / "reports")
    db = tmp_path / "cchc.duckdb"
    run(reports, db, progress=False)
    reader = duckdb.connect(str(db), read_only=True)
    try:
        before = reader.execute("SELECT count(*) FROM facts").fetchone()[0]
        (reports / "000_bb99a3d641310269.txt").unlink()
        run(reports, db, progress=False)           # replaces the file while the reader holds the old one
        assert reader.execute("SELECT count(*) FROM facts").fetchone()[0] == before
    finally:
        reader.close()
    after = query(db, "SELECT count(*) FROM facts")[0][0]
    assert after < before


def test_facts_export_uses_the_spec_field_names(etl_db):
    jsonl = etl("facts", "--db", etl_db, "--format", "jsonl")
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert rows and list(rows[0]) == list(FACT_FIELDS) + ["start", "end", "status"]
    assert {r["status"] for r in rows} == {"extracted"}
    table = list(csv.DictReader(io.StringIO(etl("facts", "--db", etl_db, "--format", "csv").stdout)))
    assert len(table) == len(rows) and table[0]["doc"] == rows[0]["doc"]


def test_unknown_province_is_counted_not_guessed(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text("Hội nghị giao ban\n\nTrung tâm đã tiếp nhận 1.200 hồ sơ trong quý I/2024.\n",
                                   encoding="utf-8")
    db = tmp_path / "x.duckdb"
    result = etl("run", reports, "--db", db, "--no-progress")
    assert "could not be told (1): a.txt" in result.stdout
    assert query(db, "SELECT province FROM facts") == [(None,)]


def test_missing_folder_is_a_clear_error(tmp_path):
    result = etl("run", tmp_path / "nope", "--db", tmp_path / "x.duckdb")
    assert result.returncode != 0 and "reports folder not found" in result.stderr


@pytest.mark.parametrize("table", ["documents", "facts", "indicators", "localities", "runs", "quality_flags"])
def test_every_table_is_filled(etl_db, table):
    assert query(etl_db, f"SELECT count(*) FROM {table}")[0][0] > 0


def test_target_vs_actual_pairs_targets_with_actuals(etl_db):
    rows = query(etl_db, "SELECT attainment, count(*) FROM target_vs_actual GROUP BY ALL")
    assert {a for a, _ in rows} <= {"met", "not_met", "in_progress", "no_actual"} and sum(n for _, n in rows) > 0
    assert query(etl_db, "SELECT province_2025 FROM province_today WHERE province = 'Hải Dương'") == [("Hải Phòng",)]


def test_metadata_from_the_text_when_the_manifest_is_silent(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "b.txt").write_text("Báo cáo cải cách hành chính của tỉnh Quảng Ninh\n\n"
                                   "Quảng Ninh, ngày 05 tháng 10 năm 2024\n\nTrung tâm đã tiếp nhận 1.200 hồ sơ.\n",
                                   encoding="utf-8")
    db = tmp_path / "x.duckdb"
    run(reports, db, progress=False)
    assert query(db, "SELECT title, published, province, year FROM documents")[0][1:] == (
        __import__("datetime").date(2024, 10, 5), "Quảng Ninh", 2024)


def test_a_change_to_the_extractor_extracts_everything_again(tmp_path):
    """A copy of the ETL whose extractor differs by one comment does not reuse the other's facts."""
    reports = copy_reports(tmp_path / "reports")
    db = tmp_path / "cchc.duckdb"
    assert etl("run", reports, "--db", db, "--no-progress").returncode == 0
    other = tmp_path / "other"
    shutil.copytree(ROOT / "etl", other / "etl", ignore=shutil.ignore_patterns("__pycache__"))
    (other / "data").mkdir()
    for name in ("indicators.yaml", "lexicon.yaml", "place_aliases.yaml"):
        shutil.copy(ROOT / "data" / name, other / "data" / name)
    with open(other / "etl" / "extract.py", "a", encoding="utf-8") as fh:
        fh.write("\n# a changed extractor\n")
    same = etl("run", reports, "--db", db, "--no-progress")
    changed = subprocess.run([sys.executable, "-m", "etl", "run", str(reports), "--db", str(db), "--no-progress"],
                             capture_output=True, text=True, cwd=other)
    assert f"(0 extracted, {N} unchanged and reused)" in same.stdout
    assert f"({N} extracted, 0 unchanged and reused)" in changed.stdout, changed.stdout + changed.stderr
