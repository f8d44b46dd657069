"""Adding reports from outside the reports folder (the dashboard's upload page, pasted texts).

Every file is checked before anything is written: its name (no folder parts), extension, size, that it
is not empty, that the reader can take text from it (not binary, not damaged, not a scanned PDF), and
that the same bytes are not already among the reports. Accepted files land in the reports folder under a
safe, unique name with a manifest row; then the pipeline runs, which extracts only what is new (unchanged
reports are copied from the previous database). Nothing is ever written outside the reports folder and
the database's own files; a refused file changes nothing.

Builds are serialised by a lock on the database's folder, so two people adding
reports or reviewing at once take turns instead of writing the same temporary file.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from etl.pipeline import DEFAULT_MAX_MB, MANIFEST, RunSummary, report_files, run
from etl.read import SUPPORTED_SUFFIXES, UnreadableReport, read_report

MANIFEST_COLUMNS = ("file", "title", "published", "province", "place", "source")


@dataclass(frozen=True)
class Limits:
    """How much one upload may bring. Environment: CCHC_UPLOAD_MAX_MB, CCHC_UPLOAD_MAX_FILES."""

    max_file_mb: float = DEFAULT_MAX_MB
    max_files: int = 20

    @classmethod
    def from_env(cls) -> Limits:
        return cls(float(os.environ.get("CCHC_UPLOAD_MAX_MB") or DEFAULT_MAX_MB),
                   int(os.environ.get("CCHC_UPLOAD_MAX_FILES") or 20))


@dataclass(frozen=True)
class Upload:
    """One file as it came in: the name the person's computer gave it, and its bytes."""

    name: str
    data: bytes
    title: str | None = None
    published: date | None = None
    province: str | None = None
    place: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why one upload was not taken: a code the dashboard words in its language, and the reason in English."""

    name: str
    code: str        # name, path, format, empty, size, duplicate, unreadable
    reason: str
    detail: str = ""  # the limit, the existing file, or the reader's reason


@dataclass
class Outcome:
    saved: list[tuple[str, str]] = field(default_factory=list)       # (original name, name in the folder)
    refused: list[Refusal] = field(default_factory=list)
    summary: RunSummary | None = None


class TooManyFiles(ValueError):
    pass


@contextmanager
def build_lock(db_path: Path | str):
    """One build of a database at a time (across threads and processes). The lock is held on the database's
    folder itself, so no lock file is left beside the database (a run leaves only the database there)."""
    folder = Path(db_path).resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def rebuild(reports_dir: Path | str, db_path: Path | str) -> RunSummary:
    """Run the pipeline (incrementally) under the build lock."""
    with build_lock(db_path):
        return run(Path(reports_dir), Path(db_path), progress=False)


def safe_stem(name: str) -> str:
    """A file stem anyone's file system takes: ASCII letters, digits and dashes ('Báo cáo Q1' → 'bao-cao-q1')."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:80].strip("-") or "bao-cao"


FORMATS = ", ".join(sorted(s for s in SUPPORTED_SUFFIXES if s != ".htm"))


def check_name(name: str) -> tuple[str, str, str] | None:
    """Why a file name is refused, as (code, reason, detail), or None."""
    if not name or not name.strip():
        return "name", "the file has no name", ""
    if "/" in name or "\\" in name or name.strip() in (".", "..") or "\x00" in name:
        return "path", "a file name must not contain a folder path", ""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return "format", f"unsupported format '{suffix or '(none)'}': send {FORMATS}", suffix or "(none)"
    return None


def _existing_hashes(reports_dir: Path) -> dict[str, str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest(): p.relative_to(reports_dir).as_posix()
            for p in report_files(reports_dir)}


def _reserve(reports_dir: Path, stem: str, suffix: str) -> Path:
    """A new file in the folder, created exclusively so that no one else can take the same name."""
    for n in range(1, 10_000):
        candidate = reports_dir / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            fd = os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate
    raise RuntimeError(f"no free name for {stem}{suffix}")


def _append_manifest(reports_dir: Path, rows: list[dict]) -> None:
    path = reports_dir / MANIFEST
    with open(path, "a+", encoding="utf-8", newline="") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.seek(0)
            existing = fh.read()
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
            if not existing.strip():
                writer.writeheader()
            elif not existing.endswith("\n"):
                out.write("\n")
            writer.writerows(rows)
            fh.write(out.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _check(upload: Upload, limits: Limits, known: dict[str, str]) -> tuple[str, str, str] | None:
    refused = check_name(upload.name)
    if refused:
        return refused
    if not upload.data:
        return "empty", "empty file", ""
    size_mb = len(upload.data) / 1e6
    if size_mb > limits.max_file_mb:
        return "size", f"{size_mb:.1f} MB, over the {limits.max_file_mb:g} MB limit for one report", \
            f"{limits.max_file_mb:g}"
    digest = hashlib.sha256(upload.data).hexdigest()
    if digest in known:
        return "duplicate", f"the same content is already in the reports as {known[digest]}", known[digest]
    try:
        read_report(Path(upload.name), data=upload.data, name=upload.name)
    except UnreadableReport as exc:
        return "unreadable", exc.reason, exc.reason
    except Exception as exc:  # noqa: BLE001 - a reader crash on a person's file is a refusal, not an outage
        return "unreadable", f"cannot read the file ({type(exc).__name__})", type(exc).__name__
    return None


def ingest(uploads: list[Upload], reports_dir: Path | str, db_path: Path | str, limits: Limits | None = None,
           on_progress: Callable[[float, str], None] | None = None) -> Outcome:
    """Check, save and load uploads; refused ones are named with their reason and change nothing."""
    reports_dir, db_path = Path(reports_dir), Path(db_path)
    limits = limits or Limits.from_env()
    progress = on_progress or (lambda fraction, message: None)
    if len(uploads) > limits.max_files:
        raise TooManyFiles(f"{len(uploads)} files at once, more than the limit of {limits.max_files}")
    if not reports_dir.is_dir():
        raise FileNotFoundError(f"reports folder not found: {reports_dir}")
    outcome = Outcome()
    with build_lock(db_path):
        known = _existing_hashes(reports_dir)
        rows = []
        for i, upload in enumerate(uploads):
            progress(i / (len(uploads) + 1), upload.name)
            refused = _check(upload, limits, known)
            if refused:
                outcome.refused.append(Refusal(upload.name, *refused))
                continue
            suffix = Path(upload.name).suffix.lower()
            target = _reserve(reports_dir, safe_stem(Path(upload.name).stem), suffix)
            try:
                tmp = target.with_name(f".{target.name}.part")
                tmp.write_bytes(upload.data)
                os.replace(tmp, target)
            except BaseException:
                target.unlink(missing_ok=True)
                raise
            known[hashlib.sha256(upload.data).hexdigest()] = target.name
            outcome.saved.append((upload.name, target.name))
            rows.append({"file": target.name, "title": upload.title or "",
                         "published": upload.published.isoformat() if upload.published else "",
                         "province": upload.province or "", "place": upload.place or "",
                         "source": upload.source or ""})
        if rows:
            _append_manifest(reports_dir, rows)
            progress(len(uploads) / (len(uploads) + 1), "ETL")
            outcome.summary = run(reports_dir, db_path, progress=False)
    progress(1.0, "")
    return outcome


def pasted(title: str, text: str, published: date | None = None, province: str | None = None,
           place: str | None = None, source: str | None = None) -> Upload:
    """A text pasted with its title, date and province, as an upload of a .txt file named for its title."""
    if not title or not title.strip():
        raise ValueError("a pasted text needs a title")
    return Upload(f"{safe_stem(title)}.txt", text.encode("utf-8"), title.strip(), published, province or None,
                  place or None, source or None)
