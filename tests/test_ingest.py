"""Adding reports from outside the folder (the upload page): good files land under safe, unique names with a
manifest row and are loaded incrementally; each bad upload is refused with its reason and changes nothing;
nothing is ever written outside the reports folder and the database's own files. Real files, real ETL."""

from __future__ import annotations

import csv
import io
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import REPORTS, query
from read_fixtures import FONT

from etl.ingest import Limits, TooManyFiles, Upload, ingest, pasted, safe_stem

KEEP = "022_hanoi-sipas-2024.txt"


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for para in paragraphs[1:]:
        document.add_paragraph(para)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(paragraphs: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    for para in paragraphs:
        pdf.multi_cell(0, 6, para)
        pdf.ln(3)
    return bytes(pdf.output())


DOCX = ["Báo cáo kết quả cải cách hành chính năm 2023 của tỉnh Bắc Ninh",
        "Năm 2023, tỷ lệ hồ sơ giải quyết trực tuyến của tỉnh Bắc Ninh đạt 45,5%."]
PDF = ["Kế hoạch cải cách hành chính năm 2024 của tỉnh Bắc Ninh",
       "Năm 2024, tỷ lệ hồ sơ giải quyết trực tuyến của tỉnh Bắc Ninh đạt 62,5%."]


@pytest.fixture
def site(tmp_path):
    """tmp/reports (one real report + manifest), tmp/db/cchc.duckdb built from it, and a snapshot of every
    file under tmp so a test can tell what was written where."""
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(REPORTS / KEEP, reports / KEEP)
    (reports / "manifest.csv").write_text("file,title,published,province,place,source\n", encoding="utf-8")
    db = tmp_path / "db" / "cchc.duckdb"
    from etl.pipeline import run

    run(reports, db, progress=False)
    return reports, db


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def outside(before: dict, after: dict, reports: Path, root: Path) -> set[str]:
    """Files written or changed outside the reports folder, other than the database and its own files."""
    prefix = reports.relative_to(root).as_posix() + "/"
    changed = {k for k in after if before.get(k) != after[k]} | (before.keys() - after.keys())
    return {k for k in changed if not k.startswith(prefix) and not k.startswith("db/cchc.duckdb")}


def test_a_docx_and_a_pdf_come_in_under_safe_names_with_manifest_rows_and_load_incrementally(site, tmp_path):
    reports, db = site
    before = tree(tmp_path)
    progress = []
    outcome = ingest([Upload("Báo cáo Bắc Ninh 2023.docx", docx_bytes(DOCX), province="Bắc Ninh"),
                      Upload("Kế hoạch (bản cuối).PDF", pdf_bytes(PDF), title="Kế hoạch năm 2024",
                             published=date(2024, 1, 5))],
                     reports, db, on_progress=lambda f, m: progress.append(f))
    assert outcome.refused == []
    assert [new for _, new in outcome.saved] == ["bao-cao-bac-ninh-2023.docx", "ke-hoach-ban-cuoi.pdf"]
    assert (outcome.summary.extracted, outcome.summary.reused) == (2, 1), "only the new reports are extracted"
    assert progress == sorted(progress) and progress[-1] == 1.0
    rows = {r["file"]: r for r in csv.DictReader((reports / "manifest.csv").open(encoding="utf-8"))}
    assert rows["bao-cao-bac-ninh-2023.docx"]["province"] == "Bắc Ninh"
    assert rows["ke-hoach-ban-cuoi.pdf"]["title"] == "Kế hoạch năm 2024"
    assert rows["ke-hoach-ban-cuoi.pdf"]["published"] == "2024-01-05"
    found = query(db, "SELECT doc, year, value FROM facts WHERE indicator = 'online_dossier_rate' "
                      "AND province = 'Bắc Ninh' ORDER BY year")
    assert found == [("bao-cao-bac-ninh-2023.docx", 2023, 45.5), ("ke-hoach-ban-cuoi.pdf", 2024, 62.5)]
    assert query(db, "SELECT title FROM documents WHERE file = 'ke-hoach-ban-cuoi.pdf'") == [("Kế hoạch năm 2024",)]
    assert outside(before, tree(tmp_path), reports, tmp_path) == set()
    # The same name again gets a name of its own, never overwriting.
    again = ingest([Upload("Báo cáo Bắc Ninh 2023.docx", docx_bytes([*DOCX, "Tỷ lệ hồ sơ đúng hạn đạt 97%."]))],
                   reports, db)
    assert [new for _, new in again.saved] == ["bao-cao-bac-ninh-2023-2.docx"]


def test_a_pasted_text_comes_in_with_its_title_date_and_province(site):
    reports, db = site
    text = "Trong quý I năm 2025, tỷ lệ hồ sơ giải quyết trực tuyến đạt 71,2%."
    outcome = ingest([pasted("Tin nhanh quý I/2025", text, date(2025, 4, 2), "Lạng Sơn")], reports, db)
    [(_, name)] = outcome.saved
    assert name == "tin-nhanh-quy-i-2025.txt"
    assert query(db, "SELECT province, year, value FROM facts WHERE doc = ?", [name]) == [("Lạng Sơn", 2025, 71.2)]
    with pytest.raises(ValueError, match="title"):
        pasted("  ", text)


BAD = {
    "empty.txt": (b"", "empty"),
    "blank.md": (b"   \n\n  ", "no text"),
    "binary.txt": (os.urandom(4096), "binary"),
    "fake.pdf": (b"this is not a PDF at all, only words", "PDF"),
    "fake.docx": (b"PK\x03\x04 not really a zip", "not a valid .docx"),
    "tool.exe": (b"MZ\x90\x00", "unsupported format '.exe'"),
    "no-extension": ("Tỷ lệ 50%".encode(), "unsupported format '(none)'"),
    "../../x.txt": ("Tỷ lệ hồ sơ trực tuyến đạt 50%.".encode(), "folder path"),
    "..\\..\\y.txt": ("Tỷ lệ hồ sơ trực tuyến đạt 51%.".encode(), "folder path"),
    "/etc/z.txt": ("Tỷ lệ hồ sơ trực tuyến đạt 52%.".encode(), "folder path"),
    "big.txt": (("Tỷ lệ hồ sơ trực tuyến đạt 50%. " * 40_000).encode(), "over the 1 MB limit"),
    "copy-of-022.txt": ((REPORTS / KEEP).read_bytes(), f"already in the reports as {KEEP}"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_each_bad_upload_is_refused_with_its_reason_and_changes_nothing(site, tmp_path, name):
    reports, db = site
    data, reason = BAD[name]
    before, db_before = tree(tmp_path), db.stat().st_mtime_ns
    outcome = ingest([Upload(name, data)], reports, db, limits=Limits(max_file_mb=1, max_files=5))
    assert outcome.saved == [] and outcome.summary is None
    [refusal] = outcome.refused
    assert refusal.name == name and reason in refusal.reason, refusal
    after = tree(tmp_path)
    assert after == before, "a refused upload writes nothing anywhere"
    assert db.stat().st_mtime_ns == db_before
    assert not (tmp_path / "x.txt").exists() and not (tmp_path.parent / "x.txt").exists()


def test_the_same_content_twice_in_one_upload_comes_in_once(site):
    reports, db = site
    data = docx_bytes(DOCX)
    outcome = ingest([Upload("a.docx", data), Upload("b.docx", data)], reports, db)
    assert [n for n, _ in outcome.saved] == ["a.docx"]
    assert [(r.name, r.code, r.detail) for r in outcome.refused] == [("b.docx", "duplicate", "a.docx")]
    assert outcome.refused[0].reason == "the same content is already in the reports as a.docx"


def test_a_bad_file_among_good_ones_is_refused_and_the_good_ones_still_come_in(site, tmp_path):
    reports, db = site
    outcome = ingest([Upload("../../x.txt", b"50%"), Upload("tot.docx", docx_bytes(DOCX))], reports, db)
    assert [new for _, new in outcome.saved] == ["tot.docx"]
    assert [(r.name, r.code) for r in outcome.refused] == [("../../x.txt", "path")]
    assert not (tmp_path / "x.txt").exists()


def test_too_many_files_at_once_are_refused_whole(site, tmp_path):
    reports, db = site
    before = tree(tmp_path)
    uploads = [Upload(f"r{i}.txt", f"Tỷ lệ hồ sơ trực tuyến đạt {i}%.".encode()) for i in range(4)]
    with pytest.raises(TooManyFiles, match="4 files at once, more than the limit of 3"):
        ingest(uploads, reports, db, limits=Limits(max_files=3))
    assert tree(tmp_path) == before


def test_limits_are_settings_with_defaults(monkeypatch):
    assert Limits.from_env() == Limits()
    monkeypatch.setenv("CCHC_UPLOAD_MAX_MB", "2.5")
    monkeypatch.setenv("CCHC_UPLOAD_MAX_FILES", "7")
    assert Limits.from_env() == Limits(2.5, 7)


def test_safe_names():
    assert safe_stem("Báo cáo QUÝ I/2025 — Đà Nẵng") == "bao-cao-quy-i-2025-da-nang"
    assert safe_stem("../../etc/passwd") == "etc-passwd"
    assert safe_stem("!!!") == "bao-cao"
