"""Reviews: people confirm, correct, reject or add facts; the database is derived, reviews are user data.

Reviews live in their own store beside the database (``<db>.reviews.sqlite``, SQLite in WAL mode, one
row per review, append-only), never inside the file the ETL replaces. The load stage re-applies every
review to each database it builds (``apply_reviews``), so a correction outlives every rebuild.

A review is keyed by the report's content (``doc_hash``) and the figure's position (start, end), falling
back to the evidence text when the report changed: the words are looked for again in the new text and
the figure found there. A review that finds no fact any more is *orphaned*: kept in the store, listed in
the database's ``orphaned_reviews`` table (and on the dashboard's page of its own), never dropped.

Decisions:
- reviews are applied in the order they were made; a later review of the same fact wins;
- a **rejected** fact is removed from ``facts`` (so no chart, pairing or export shows it); the review
  keeps what it was, and a rebuild re-extracts it from the report and rejects it again;
- a report with an applied review is re-extracted on the next run instead of being copied from the
  previous database (its ``doc_key`` is marked), so reviews always apply to freshly extracted facts.

The JSON-lines format (``python -m etl reviews export|import``), one review a line::

    {"doc", "start", "end", "action": "confirm"|"correct"|"reject"|"add",
     "fact": {fields of the facts export}, "reviewer", "at", "note"}

plus, on export, ``doc_hash`` (the report's content) and ``old`` (the fact before the review).
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from etl.records import COMPARATORS, KINDS, LEVELS, PERIODS, UNITS

ACTIONS = ("confirm", "correct", "reject", "add")
STATUSES = ("extracted", "confirmed", "corrected", "added")
# What a correction may change, with the check each value must pass.
EDITABLE = ("province", "place", "level", "year", "period", "indicator", "kind", "comparator", "value", "unit")
MATCH_FIELDS = ("indicator", "kind", "year", "period", "level", "value", "comparator", "unit", "province", "place")
BUSY_TIMEOUT_S = 30.0
REVIEWED_MARK = "+reviewed"    # added to the doc_key of a report with an applied review
MAX_REVIEW_LINE = 100_000      # characters; a longer line is refused

STORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    doc       TEXT NOT NULL,       -- the report's file name when the review was made
    doc_hash  TEXT,                -- sha256 of the report's bytes then (NULL: imported without one)
    start     INTEGER NOT NULL,    -- the figure's offsets in the report's text then
    "end"     INTEGER NOT NULL,
    action    TEXT NOT NULL,       -- confirm, correct, reject, add
    fact      TEXT NOT NULL,       -- JSON: the fact as the reviewer left it
    old       TEXT,                -- JSON: the fact before (NULL for add)
    reviewer  TEXT NOT NULL,
    at        TEXT NOT NULL,       -- ISO 8601, UTC
    note      TEXT
);
"""


class InvalidReview(ValueError):
    """A review that cannot be stored, with the reason shown to the person or script."""


@dataclass
class Review:
    doc: str
    start: int
    end: int
    action: str
    fact: dict
    reviewer: str
    at: str
    note: str | None = None
    doc_hash: str | None = None
    old: dict | None = None
    id: int | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        row = {"doc": self.doc, "start": self.start, "end": self.end, "action": self.action, "fact": self.fact,
               "reviewer": self.reviewer, "at": self.at, "note": self.note, "doc_hash": self.doc_hash}
        if self.old is not None:
            row["old"] = self.old
        return row

    @property
    def evidence(self) -> str | None:
        """The words the review is about: the fact's evidence before, else as the reviewer left it."""
        for fact in (self.old, self.fact):
            if fact and isinstance(fact.get("evidence"), str) and fact["evidence"]:
                return fact["evidence"]
        return None


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------------------------------------------------------
# validation


def _check_fact_fields(fact: dict, required: tuple[str, ...]) -> None:
    missing = [k for k in required if k not in fact]
    if missing:
        raise InvalidReview(f"fact lacks {', '.join(missing)}")
    checks = {"level": LEVELS, "period": PERIODS, "kind": KINDS, "comparator": COMPARATORS, "unit": UNITS}
    for key, allowed in checks.items():
        if key in fact and fact[key] not in allowed:
            raise InvalidReview(f"fact {key} {fact[key]!r} is not one of {', '.join(allowed)}")
    if "value" in fact and (isinstance(fact["value"], bool) or not isinstance(fact["value"], int | float)):
        raise InvalidReview(f"fact value {fact['value']!r} is not a number")
    if "year" in fact and fact["year"] is not None and (
        isinstance(fact["year"], bool) or not isinstance(fact["year"], int) or not 1900 <= fact["year"] <= 2200
    ):
        raise InvalidReview(f"fact year {fact['year']!r} is not a year")
    if "indicator" in fact and (not isinstance(fact["indicator"], str) or not fact["indicator"].strip()):
        raise InvalidReview("fact indicator is empty")
    for key in ("province", "place", "evidence"):
        if key in fact and fact[key] is not None and not isinstance(fact[key], str):
            raise InvalidReview(f"fact {key} is not text")


def validate(obj) -> Review:
    """A Review from a parsed JSON line, or InvalidReview saying what is wrong."""
    if not isinstance(obj, dict):
        raise InvalidReview("not a JSON object")
    for key in ("doc", "start", "end", "action", "fact", "reviewer", "at"):
        if key not in obj:
            raise InvalidReview(f"missing '{key}'")
    doc, start, end, action, fact = obj["doc"], obj["start"], obj["end"], obj["action"], obj["fact"]
    if not isinstance(doc, str) or not doc.strip():
        raise InvalidReview("'doc' must be a report's file name")
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidReview(f"'{name}' must be a whole number ≥ 0")
    if end <= start:
        raise InvalidReview("'end' must be after 'start'")
    if action not in ACTIONS:
        raise InvalidReview(f"'action' {action!r} is not one of {', '.join(ACTIONS)}")
    if not isinstance(fact, dict):
        raise InvalidReview("'fact' must be an object")
    if "doc" in fact and fact["doc"] != doc:
        raise InvalidReview(f"fact doc {fact['doc']!r} differs from the review's doc {doc!r}")
    required = {"add": ("level", "period", "indicator", "kind", "comparator", "value", "unit")}.get(action, ())
    _check_fact_fields(fact, required)
    if action == "correct" and not any(k in fact for k in EDITABLE):
        raise InvalidReview("a correction must give at least one of " + ", ".join(EDITABLE))
    reviewer = obj["reviewer"]
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise InvalidReview("'reviewer' must name who reviewed")
    at = obj["at"]
    try:
        datetime.fromisoformat(str(at).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidReview(f"'at' {at!r} is not an ISO date and time") from None
    note = obj.get("note")
    if note is not None and not isinstance(note, str):
        raise InvalidReview("'note' must be text")
    doc_hash = obj.get("doc_hash")
    if doc_hash is not None and not isinstance(doc_hash, str):
        raise InvalidReview("'doc_hash' must be text")
    old = obj.get("old")
    if old is not None and not isinstance(old, dict):
        raise InvalidReview("'old' must be an object")
    return Review(doc, start, end, action, dict(fact), reviewer.strip(), str(at), note, doc_hash, old)


def parse_lines(lines) -> tuple[list[Review], list[tuple[int, str]]]:
    """Reviews from JSON lines, and (line number, reason) for every bad one. Blank lines are ignored."""
    good, bad = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) > MAX_REVIEW_LINE:
            bad.append((number, f"longer than {MAX_REVIEW_LINE} characters"))
            continue
        try:
            good.append(validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            bad.append((number, f"not JSON ({exc.msg})"))
        except InvalidReview as exc:
            bad.append((number, str(exc)))
    return good, bad


# ---------------------------------------------------------------------------------------------------------------
# the store


def store_path(db_path: Path | str) -> Path:
    """Where the reviews of a database live: beside it, never inside the file the ETL replaces."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".reviews.sqlite")


class ReviewStore:
    """Append-only SQLite store; safe for several writers at once (WAL, immediate transactions)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if not self._ready:
            # Switching a new file to WAL answers "database is locked" at once (no busy wait) while another
            # process does the same: set up the store one process at a time. WAL then stays on the file.
            with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        con.execute("PRAGMA journal_mode = WAL")
                    con.executescript(STORE_SCHEMA)
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
            self._ready = True
        return con

    def add(self, reviews: list[Review] | Review) -> list[int]:
        """Store reviews in one transaction; returns their ids."""
        reviews = [reviews] if isinstance(reviews, Review) else reviews
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            ids = []
            for r in reviews:
                cur = con.execute(
                    'INSERT INTO reviews (doc, doc_hash, start, "end", action, fact, old, reviewer, at, note) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [r.doc, r.doc_hash, r.start, r.end, r.action, json.dumps(r.fact, ensure_ascii=False),
                     None if r.old is None else json.dumps(r.old, ensure_ascii=False), r.reviewer, r.at, r.note])
                r.id = cur.lastrowid
                ids.append(cur.lastrowid)
            con.execute("COMMIT")
            return ids
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def all(self) -> list[Review]:
        if not self.path.exists():
            return []
        con = self._connect()
        try:
            rows = con.execute('SELECT id, doc, doc_hash, start, "end", action, fact, old, reviewer, at, note '
                               "FROM reviews ORDER BY id").fetchall()
        finally:
            con.close()
        return [Review(doc, start, end, action, json.loads(fact), reviewer, at, note, doc_hash,
                       None if old is None else json.loads(old), id=rid)
                for rid, doc, doc_hash, start, end, action, fact, old, reviewer, at, note in rows]

    def fingerprint(self) -> str:
        """Changes whenever a review is stored: part of what a run's identity depends on."""
        if not self.path.exists():
            return "no-reviews"
        con = self._connect()
        try:
            n, last = con.execute("SELECT count(*), max(id) FROM reviews").fetchone()
        finally:
            con.close()
        return f"reviews:{n}:{last}"


def reviewed_key(doc_key: str) -> str:
    """The doc_key a report gets once a review applied to it: never equal to a fresh key, so the next run that
    rebuilds extracts it afresh instead of copying facts that already carry reviews."""
    return doc_key + REVIEWED_MARK


def reviews_fingerprint(db_path: Path | str) -> str:
    return ReviewStore(store_path(db_path)).fingerprint()


# ---------------------------------------------------------------------------------------------------------------
# re-applying reviews to a database being built

FACT_SELECT = ("fact_id, doc, province, place, level, year, period, indicator, kind, comparator, value, unit, "
               "evidence, start_offset, end_offset")


def _fact_dict(row) -> dict:
    keys = ["fact_id", "doc", "province", "place", "level", "year", "period", "indicator", "kind", "comparator",
            "value", "unit", "evidence", "start", "end"]
    return dict(zip(keys, row, strict=True))


def _same(a, b) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


def _best(candidates: list[dict], like: dict | None, near: int) -> dict:
    """The candidate most like the fact the review was about, then the one nearest to where it was."""
    def score(f: dict) -> tuple:
        agree = sum(1 for k in MATCH_FIELDS if like and k in like and _same(f[k], like[k]))
        return (-agree, abs(f["start"] - near), f["fact_id"])
    return min(candidates, key=score)


@dataclass
class Applied:
    applied: int = 0
    orphaned: list[tuple[Review, str]] = field(default_factory=list)


def _locate(con, review: Review, documents: dict) -> tuple[str, int, int] | str:
    """Where the review's figure is in the database being built: (file, start, end), or why it is not."""
    same_content = [f for f, (h, _) in documents.items() if review.doc_hash and h == review.doc_hash]
    if same_content:
        file = review.doc if review.doc in same_content else same_content[0]
        text = documents[file][1]
        if review.end <= len(text):
            return file, review.start, review.end
    if review.doc not in documents:
        return "the report is no longer among the reports"
    text = documents[review.doc][1]
    words = review.evidence
    if review.doc_hash is None and review.end <= len(text) and (words is None or text[review.start:review.end]
                                                                == words):
        return review.doc, review.start, review.end
    if not words:
        return "the report changed and the review has no evidence text to find it again"
    found, at = [], text.find(words)
    while at >= 0:
        found.append(at)
        at = text.find(words, at + 1)
    if not found:
        return "the report changed and the figure's words are no longer in it"
    start = min(found, key=lambda s: abs(s - review.start))
    return review.doc, start, start + len(words)


def apply_reviews(con, db_path: Path | str) -> Applied:
    """Apply the stored reviews of db_path to the facts of the database open on `con` (being built).

    Writes facts.status, removes rejected facts, inserts added ones, fills orphaned_reviews and marks
    the doc_key of every report a review applied to, so the next run extracts it afresh.
    """
    result = Applied()
    reviews = ReviewStore(store_path(db_path)).all()
    if not reviews:
        return result
    files = sorted({r.doc for r in reviews})
    hashes = sorted({r.doc_hash for r in reviews if r.doc_hash})
    documents = {f: (h, text) for f, h, text in con.execute(
        "SELECT file, doc_hash, text FROM documents WHERE list_contains(?::VARCHAR[], file) "
        "OR list_contains(?::VARCHAR[], doc_hash)", [files, hashes]).fetchall()}
    touched: set[str] = set()
    for review in reviews:
        where = _locate(con, review, documents)
        if isinstance(where, str):
            result.orphaned.append((review, where))
            continue
        file, start, end = where
        if review.action == "add":
            _add(con, review, file, start, end, documents[file][1])
            touched.add(file)
            result.applied += 1
            continue
        rows = con.execute(f"SELECT {FACT_SELECT} FROM facts WHERE doc = ? AND start_offset = ? AND end_offset = ?",
                           [file, start, end]).fetchall()
        if not rows and review.evidence:
            rows = con.execute(f"SELECT {FACT_SELECT} FROM facts WHERE doc = ? AND evidence = ?",
                               [file, review.evidence]).fetchall()
        if not rows:
            result.orphaned.append((review, "no fact is extracted at this place any more"))
            continue
        fact = _best([_fact_dict(r) for r in rows], review.old or review.fact, start)
        if review.action == "reject":
            con.execute("DELETE FROM facts WHERE fact_id = ?", [fact["fact_id"]])
        elif review.action == "confirm":
            con.execute("UPDATE facts SET status = CASE WHEN status = 'extracted' THEN 'confirmed' ELSE status END "
                        "WHERE fact_id = ?", [fact["fact_id"]])
        else:
            changes = {k: review.fact[k] for k in EDITABLE if k in review.fact}
            sets = ", ".join(f"{k} = ?" for k in changes)
            con.execute(f"UPDATE facts SET {sets}, status = CASE WHEN status = 'added' THEN 'added' "
                        "ELSE 'corrected' END WHERE fact_id = ?",
                        [*(float(v) if k == "value" else v for k, v in changes.items()), fact["fact_id"]])
        touched.add(file)
        result.applied += 1
    if touched:
        con.execute("UPDATE documents SET doc_key = doc_key || ? "
                    "WHERE list_contains(?::VARCHAR[], file) AND NOT ends_with(doc_key, ?)",
                    [REVIEWED_MARK, sorted(touched), REVIEWED_MARK])
    for review, reason in result.orphaned:
        con.execute('INSERT INTO orphaned_reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                    [review.id, review.doc, review.start, review.end, review.action, review.evidence,
                     json.dumps(review.fact, ensure_ascii=False), review.reviewer, review.at, review.note, reason])
    return result


def _add(con, review: Review, file: str, start: int, end: int, text: str) -> None:
    f = review.fact
    values = [f.get("province"), f.get("place"), f["level"], f.get("year"), f["period"], f["indicator"], f["kind"],
              f["comparator"], float(f["value"]), f["unit"]]
    existing = con.execute("SELECT fact_id FROM facts WHERE doc = ? AND start_offset = ? AND end_offset = ? "
                           "AND status = 'added'", [file, start, end]).fetchone()
    if existing:          # the same words added again: the later review wins
        con.execute("UPDATE facts SET province = ?, place = ?, level = ?, year = ?, period = ?, indicator = ?, "
                    "kind = ?, comparator = ?, value = ?, unit = ? WHERE fact_id = ?", [*values, existing[0]])
        return
    run_id = con.execute("SELECT any_value(run_id) FROM documents WHERE file = ?", [file]).fetchone()[0]
    con.execute(
        "INSERT INTO facts (fact_id, doc, province, place, level, year, period, indicator, kind, comparator, value, "
        "unit, denominator, evidence, start_offset, end_offset, run_id, label, status) "
        "SELECT coalesce(max(fact_id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, NULL, 'added' "
        "FROM facts", [file, *values, text[start:end], start, end, run_id])


# ---------------------------------------------------------------------------------------------------------------
# import / export


def export_lines(db_path: Path | str) -> list[str]:
    return [json.dumps(r.to_json(), ensure_ascii=False) for r in ReviewStore(store_path(db_path)).all()]


def resolve_hashes(reviews: list[Review], db_path: Path | str) -> None:
    """Fill in, from the database, what an imported review may lack: the report's content hash (when the
    database holds the report and the review's words are where it says; otherwise the review stays keyed by
    its evidence only) and the fact before the review (`old`, so the record says old → new)."""
    import duckdb

    wanting = [r for r in reviews if r.doc_hash is None or (r.old is None and r.action != "add")]
    if not wanting or not Path(db_path).exists():
        return
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for r in wanting:
            row = con.execute("SELECT doc_hash, text FROM documents WHERE file = ?", [r.doc]).fetchone()
            if not row or r.end > len(row[1]) or (r.evidence is not None and row[1][r.start:r.end] != r.evidence):
                continue
            if r.doc_hash is None:
                r.doc_hash = row[0]
            if r.old is None and r.action != "add" and r.doc_hash == row[0]:
                found = con.execute(f"SELECT {FACT_SELECT} FROM facts WHERE doc = ? AND start_offset = ? "
                                    "AND end_offset = ?", [r.doc, r.start, r.end]).fetchall()
                if found:
                    old = _best([_fact_dict(f) for f in found], r.fact, r.start)
                    old.pop("fact_id")
                    r.old = {k: (int(v) if k == "value" and float(v).is_integer() else v) for k, v in old.items()}
    finally:
        con.close()
