"""python -m etl reviews export | import: reviews as JSON lines, for scripts and for sharing between machines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

from etl.reviews import ReviewStore, export_lines, parse_lines, resolve_hashes, store_path


def export_reviews(db_path: Path, out) -> int:
    for line in export_lines(db_path):
        out.write(line + "\n")
    return 0


def built_from(db_path: Path) -> Path | None:
    """The reports folder the database was last built from, when it still exists."""
    if not Path(db_path).exists():
        return None
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        row = con.execute("SELECT reports_dir FROM runs ORDER BY finished_at DESC LIMIT 1").fetchone()
    finally:
        con.close()
    return Path(row[0]) if row and Path(row[0]).is_dir() else None


def _identity(review) -> str:
    return json.dumps([review.doc, review.doc_hash, review.start, review.end, review.action, review.fact,
                       review.reviewer, review.at, review.note], ensure_ascii=False, sort_keys=True)


def import_reviews(file: str, db_path: Path, reports: Path | None, out, err) -> int:
    """Validate every line first; if any is bad, name each and import nothing (exit 1)."""
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {file}: {exc}", file=err)
        return 2
    reviews, bad = parse_lines(text.splitlines())
    for number, reason in bad:
        print(f"{file}:{number}: {reason}", file=err)
    if bad:
        print(f"{len(bad)} bad line(s): nothing imported", file=err)
        return 1
    resolve_hashes(reviews, db_path)
    store = ReviewStore(store_path(db_path))
    stored = {_identity(r) for r in store.all()}
    new = [r for r in reviews if _identity(r) not in stored]
    store.add(new)
    print(f"{len(new)} review(s) stored in {store.path} ({len(reviews) - len(new)} already there)", file=out)
    reports = reports or built_from(db_path)
    if reports is None or not Path(reports).is_dir():
        print("no reports folder to rebuild from: the reviews apply at the next 'python -m etl run'", file=out)
        return 0
    from etl.ingest import rebuild

    rebuild(reports, db_path)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        orphaned = con.execute("SELECT count(*) FROM orphaned_reviews").fetchone()[0]
        statuses = dict(con.execute("SELECT status, count(*) FROM facts GROUP BY 1").fetchall())
    finally:
        con.close()
    print(f"rebuilt {db_path}: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
          + f"; {orphaned} orphaned review(s)", file=out)
    return 0
