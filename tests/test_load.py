"""The load stage alone: records in, a DuckDB file out, atomically."""

from datetime import datetime

import duckdb
import pandas as pd
import pytest
from conftest import query

from etl.lexicon import load_lexicon
from etl.load import Extracted, RunInfo, write_database
from etl.places import Gazetteer
from etl.records import Document, Fact, QualityFlag, Skipped


def extracted(file: str, values: list[float]) -> Extracted:
    text = " ".join(f"Đã tiếp nhận {v:g} hồ sơ." for v in values)
    doc = Document(doc_hash=f"h-{file}", file=file, text=text, format="txt", encoding="utf-8", title=None,
                   published=None, province="Hải Phòng", place=None, source=None, year=2024)
    facts = []
    for v in values:
        start = text.index(f"{v:g} hồ sơ")
        facts.append(Fact(doc=file, province="Hải Phòng", place=None, level="province", year=2024, period="year",
                          indicator="dossiers_received", kind="actual", comparator="=", value=v, unit="count",
                          evidence=text[start:start + len(f"{v:g} hồ sơ")], start=start,
                          end=start + len(f"{v:g} hồ sơ")))
    return Extracted(doc, f"k-{file}", facts, [QualityFlag(file, "test_flag", "a flag", 0, 3)])


def write(db, items, reused=(), skipped=()):
    run = RunInfo("r1", datetime(2026, 1, 1), "reports", "test", len(items) + len(reused) + len(skipped))
    write_database(db, run, items, list(reused), list(skipped), load_lexicon().indicators_frame(),
                   Gazetteer.load().localities_frame())


def test_writes_every_table_with_stable_fact_ids(tmp_path):
    db = tmp_path / "x.duckdb"
    write(db, [extracted("b.txt", [5, 7]), extracted("a.txt", [3])], skipped=[Skipped("c.txt", "empty file")])
    assert query(db, "SELECT fact_id, doc, value FROM facts ORDER BY fact_id") == [
        (1, "a.txt", 3.0), (2, "b.txt", 5.0), (3, "b.txt", 7.0)]
    assert query(db, "SELECT file, reason FROM skipped_reports") == [("c.txt", "empty file")]
    assert query(db, "SELECT count(*) FROM quality_flags") == [(2,)]
    assert query(db, "SELECT reports_extracted, facts FROM runs") == [(2, 3)]


def test_reused_reports_are_copied_from_the_previous_file(tmp_path):
    db = tmp_path / "x.duckdb"
    write(db, [extracted("a.txt", [3]), extracted("b.txt", [5])])
    write(db, [extracted("b.txt", [9])], reused=["a.txt"])
    assert query(db, "SELECT doc, value FROM facts ORDER BY fact_id") == [("a.txt", 3.0), ("b.txt", 9.0)]


def test_a_failure_while_writing_leaves_the_previous_database_and_no_leftovers(tmp_path):
    db = tmp_path / "x.duckdb"
    write(db, [extracted("a.txt", [3])])
    broken = pd.DataFrame({"code": ["x"]})      # lacks the indicators' columns: the write fails midway
    with pytest.raises(duckdb.Error):
        write_database(db, RunInfo("r2", datetime(2026, 1, 2), "reports", "test", 1), [extracted("b.txt", [1])],
                       [], [], broken, Gazetteer.load().localities_frame())
    assert query(db, "SELECT run_id FROM runs") == [("r1",)]
    assert [p.name for p in tmp_path.iterdir()] == ["x.duckdb"]
