"""Where the database is, keeping it fresh, and reading it safely while the ETL may replace it.

The ETL writes a new file and moves it over the old one (os.replace). A reader therefore opens a
short-lived read-only connection per query: a long-lived one would keep showing the old file. Query
results are cached under the file's identity (mtime, size, inode), so a rebuild is seen on the very
next interaction and an unchanged file is never read twice for the same question.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "cchc.duckdb"
DEFAULT_REPORTS = ROOT / "data" / "reports"
CACHE_ENTRIES = 256
OPEN_ATTEMPTS = 3  # the file can be swapped between stat() and open(): try again on the new one


def db_path() -> Path:
    """The database the app reads: env CCHC_DB, else data/cchc.duckdb."""
    return Path(os.environ.get("CCHC_DB") or DEFAULT_DB)


def _newest_input(reports_dir: Path) -> float:
    """mtime of the newest report, the manifest, or the extractor's code and data."""
    newest = reports_dir.stat().st_mtime
    extractor = [*(ROOT / "etl").glob("*.py"), ROOT / "etl" / "schema.sql", *(ROOT / "data").glob("*.yaml")]
    for path in [*reports_dir.rglob("*"), *extractor]:
        if path.is_file() and not path.name.startswith("."):
            newest = max(newest, path.stat().st_mtime)
    return newest


def needs_rebuild(db: Path, reports_dir: Path) -> bool:
    """True when the database is missing or older than any report, the manifest or the extractor."""
    db, reports_dir = Path(db), Path(reports_dir)
    if not db.exists():
        return True
    return _newest_input(reports_dir) > db.stat().st_mtime


def ensure_database(db: Path | str | None = None, reports_dir: Path | str | None = None, progress: bool = True) -> bool:
    """Build the database from the reports when it is missing or stale; True when it was (re)built."""
    db = Path(db) if db else db_path()
    reports_dir = Path(reports_dir) if reports_dir else DEFAULT_REPORTS
    if not needs_rebuild(db, reports_dir):
        return False
    from etl.pipeline import print_summary, run  # imported here: reading the dashboard needs no ETL deps

    summary = run(reports_dir, db, progress=progress)
    if progress:        # run by a person (make run): say what came out
        print_summary(summary)
    return True


@dataclass(frozen=True)
class FileStamp:
    """Identity of the database file as it is now: changes whenever the ETL replaces it."""

    path: str
    mtime_ns: int
    size: int
    inode: int


def stamp(db: Path) -> FileStamp | None:
    """The file's current identity, or None when there is no database file."""
    try:
        st = os.stat(db)
    except FileNotFoundError:
        return None
    return FileStamp(str(db), st.st_mtime_ns, st.st_size, st.st_ino)


class DatabaseMissing(Exception):
    """No database file at the configured path."""


_cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_cache_lock = threading.Lock()


Call = tuple  # (query, *args)


def read(db: Path, query: Callable[..., pd.DataFrame], *args) -> pd.DataFrame:
    """Run query(con, *args) on a fresh read-only connection, cached on the file's identity.

    Raises DatabaseMissing when there is no file; other DuckDB errors propagate so that a real
    problem is shown rather than hidden behind an empty chart.
    """
    return read_all(db, (query, *args))[0]


def read_all(db: Path, *calls: Call) -> list[pd.DataFrame]:
    """Several queries; those not cached run together on one short-lived read-only connection.

    Opening a DuckDB file costs ~11 ms whatever its size, so a page asks for what it needs at once.
    """
    for attempt in range(OPEN_ATTEMPTS):
        current = stamp(db)
        if current is None:
            raise DatabaseMissing(str(db))
        keys = [(current, query.__module__, query.__qualname__, tuple(args)) for query, *args in calls]
        with _cache_lock:
            results = [_cache.get(key) for key in keys]
            for key, result in zip(keys, results, strict=True):
                if result is not None:
                    _cache.move_to_end(key)
        missing = [i for i, result in enumerate(results) if result is None]
        if not missing:
            return results
        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.IOException:
            # Replaced or being replaced between stat() and open(): the next attempt sees the new file.
            if attempt == OPEN_ATTEMPTS - 1:
                raise
            continue
        try:
            for i in missing:
                query, *args = calls[i]
                results[i] = query(con, *args)
        finally:
            con.close()
        if stamp(db) != current:  # replaced while we read: read the new file instead
            continue
        with _cache_lock:
            for i in missing:
                _cache[keys[i]] = results[i]
            while len(_cache) > CACHE_ENTRIES:
                _cache.popitem(last=False)
        return results
    return results


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


if __name__ == "__main__":     # python -m dashboard.data: what `make run` calls before serving
    ensure_database()
