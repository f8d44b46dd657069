"""Load stage: documents, facts and their context into a DuckDB file, atomically.

The database is built in a new file beside the target and moved over it with os.replace, so a
reader never sees a half-written database and a crash leaves the previous one as it was.
Reports whose reuse key is unchanged are copied from the previous database instead of being
extracted again.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from etl.records import Document, Fact, QualityFlag, Skipped
from etl.reviews import apply_reviews

SCHEMA = (Path(__file__).with_name("schema.sql")).read_text(encoding="utf-8")

DOC_COLUMNS = ["file", "doc_hash", "doc_key", "title", "published", "province", "place", "source",
               "year", "format", "encoding", "n_chars", "warnings", "text", "run_id"]
FACT_COLUMNS = ["doc", "province", "place", "level", "year", "period", "indicator", "kind", "comparator",
                "value", "unit", "denominator", "evidence", "start_offset", "end_offset", "run_id", "label"]



if TYPE_CHECKING:          # pandas is imported where a frame is built: a run with nothing
    import pandas as pd  # to write (or a dashboard query) never pays for it

@dataclass(frozen=True)
class RunInfo:
    run_id: str
    started_at: datetime
    reports_dir: str
    extractor_version: str
    reports_seen: int


@dataclass
class Extracted:
    """What the extract stage made of one report, ready to load."""

    document: Document
    doc_key: str
    facts: list[Fact]
    flags: list[QualityFlag]


def previous_state(db_path: Path) -> tuple[dict[str, str], str | None]:
    """What the database already at db_path holds: file -> doc_key, and the id of the run that wrote
    it (the hash of its inputs). Empty and None when there is none."""
    if not db_path.exists():
        return {}, None
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        keys = dict(con.execute("SELECT file, doc_key FROM documents").fetchall())
        row = con.execute("SELECT run_id FROM runs ORDER BY finished_at DESC LIMIT 1").fetchone()
    finally:
        con.close()
    return keys, (row[0] if row else None)


def _documents_frame(items: list[Extracted], run_id: str) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for it in items:
        d = it.document
        rows.append([d.file, d.doc_hash, it.doc_key, d.title, d.published, d.province, d.place, d.source,
                     d.year, d.format, d.encoding, len(d.text), list(d.warnings), d.text, run_id])
    frame = pd.DataFrame(rows, columns=DOC_COLUMNS)
    frame["published"] = pd.to_datetime(frame["published"]).dt.date
    return frame


def _facts_frame(items: list[Extracted], run_id: str) -> pd.DataFrame:
    import pandas as pd

    rows = [[f.doc, f.province, f.place, f.level, f.year, f.period, f.indicator, f.kind, f.comparator,
             float(f.value), f.unit, f.denominator, f.evidence, f.start, f.end, run_id, f.label]
            for it in items for f in it.facts]
    frame = pd.DataFrame(rows, columns=FACT_COLUMNS)
    return frame.astype({"year": "Int64", "denominator": "float64", "value": "float64"})


def _flags_frame(items: list[Extracted]) -> pd.DataFrame:
    import pandas as pd

    rows = [[q.file, q.flag, q.message, q.start, q.end] for it in items for q in it.flags]
    frame = pd.DataFrame(rows, columns=["doc", "flag", "message", "start_offset", "end_offset"])
    return frame.astype({"start_offset": "Int64", "end_offset": "Int64"})


def building_path(db_path: Path, pid: int | None = None) -> Path:
    """The half-built file beside db_path that process `pid` (this one by default) writes: the writer's PID
    is in its name, so a later run can tell a file still being written from one a killed run left."""
    return db_path.with_name(f".{db_path.name}.{os.getpid() if pid is None else pid}.building")


def building_files(db_path: Path) -> list[tuple[Path, int]]:
    """Every half-built file (and DuckDB's .wal or .tmp beside it) of db_path, with the PID of its writer."""
    prefix = f".{db_path.name}."
    if not db_path.parent.is_dir():
        return []
    found = []
    for entry in db_path.parent.iterdir():
        if entry.name.startswith(prefix):
            m = re.fullmatch(r"(\d+)\.building(?:\.\w+)?", entry.name[len(prefix):])
            if m:
                found.append((entry, int(m.group(1))))
    return sorted(found)


def _writing(pid: int) -> bool:
    """Whether process pid may still be writing: it exists and is not a zombie. This process counts as
    writing (its own writer removes its own file). When in doubt, yes: a leftover kept is harmless."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:         # alive, another user's
        return True
    try:                            # killed but not yet reaped by its parent: writes nothing any more
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def remove_leftovers(db_path: Path) -> list[Path]:
    """Remove the half-built files beside db_path that no live process is writing (runs killed mid-build
    leave theirs); returns what was removed."""
    gone = [path for path, pid in building_files(Path(db_path)) if not _writing(pid)]
    for path in gone:
        _remove(path)
    return gone


class DatabaseWriter:
    """Builds the new database in a temporary file beside the target while reports are extracted;
    finish() moves it over the old one in one step, and any failure before that removes it. A run killed
    before it could clean up leaves the file: the next writer (or run) removes it."""

    def __init__(self, db_path: Path, run: RunInfo):
        self.db_path, self.run = Path(db_path), run
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = building_path(self.db_path)
        self._cleanup()
        remove_leftovers(self.db_path)
        self.con = duckdb.connect(str(self.tmp))
        self.con.execute(SCHEMA)
        self.con.execute(f"CREATE TEMP TABLE stage_facts AS SELECT {', '.join(FACT_COLUMNS)} FROM facts LIMIT 0")
        self.extracted = 0

    def add(self, items: list[Extracted]) -> None:
        """Load a batch of extracted reports."""
        if not items:
            return
        self.con.register("new_docs", _documents_frame(items, self.run.run_id))
        self.con.register("new_facts", _facts_frame(items, self.run.run_id))
        self.con.register("new_flags", _flags_frame(items))
        self.con.execute("INSERT INTO documents SELECT * FROM new_docs")
        self.con.execute(f"INSERT INTO stage_facts SELECT {', '.join(FACT_COLUMNS)} FROM new_facts")
        self.con.execute("INSERT INTO quality_flags SELECT * FROM new_flags")
        for name in ("new_docs", "new_facts", "new_flags"):
            self.con.unregister(name)
        self.extracted += len(items)

    def finish(self, reused_files: list[str], skipped: list[Skipped], indicators: pd.DataFrame,
               localities: pd.DataFrame) -> None:
        """Copy the reused reports from the old file, number the facts, and replace the old file."""
        try:
            _finish(self.con, self.db_path, self.run, self.extracted, reused_files, skipped, indicators, localities)
            self.con.execute("CHECKPOINT")
            self.con.close()
            os.replace(self.tmp, self.db_path)
        finally:
            self.abort()

    def abort(self) -> None:
        self.con.close()
        self._cleanup()

    def _cleanup(self) -> None:
        for path, pid in building_files(self.db_path):
            if pid == os.getpid():
                _remove(path)

    def __enter__(self) -> DatabaseWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.abort()


def write_database(
    db_path: Path,
    run: RunInfo,
    extracted: list[Extracted],
    reused_files: list[str],
    skipped: list[Skipped],
    indicators: pd.DataFrame,
    localities: pd.DataFrame,
) -> None:
    """Write the whole database to db_path in one step; reused_files are copied from the old file."""
    with DatabaseWriter(db_path, run) as writer:
        writer.add(extracted)
        writer.finish(reused_files, skipped, indicators, localities)


def _name_other_indicators(con) -> None:
    """Every other:<code> the facts use becomes a row of indicators, named for people."""
    import pandas as pd

    from etl.lexicon import load_lexicon

    rows = con.execute("""
        SELECT indicator, mode(unit), mode(label) FILTER (WHERE label IS NOT NULL)
        FROM facts WHERE indicator LIKE 'other:%' GROUP BY indicator ORDER BY indicator""").fetchall()
    labels = {code: label for code, _, label in rows if label}
    lex = load_lexicon()
    named = [(code, unit, "down" if unit == "rank" else "up", "other", *lex.name_other(code, labels))
             for code, unit, _ in rows]
    con.register("other_df", pd.DataFrame(named, columns=["code", "unit", "direction", "theme", "name_vi",
                                                         "name_en"]))
    con.execute("INSERT INTO indicators SELECT * FROM other_df")


def store_pairing(con) -> None:
    """The pairing rules are the views target_vs_actual and year_actuals (etl/schema.sql): judged once per build
    and stored, so readers query tables (a dashboard click at 1,000,000 facts cannot afford to re-run them), in
    the order the dashboard asks for them (one indicator at a time: a query reads only its row groups)."""
    con.execute("DELETE FROM target_actual_pairs")
    con.execute("DELETE FROM year_actual_points")
    con.execute("INSERT INTO target_actual_pairs SELECT * FROM target_vs_actual "
                "ORDER BY indicator, level, province, year")
    con.execute("INSERT INTO year_actual_points SELECT * FROM year_actuals ORDER BY indicator, level, province, year")


def _finish(con, db_path, run, n_extracted, reused_files, skipped, indicators, localities) -> None:
    import pandas as pd

    if reused_files:
        con.execute("ATTACH ? AS previous (READ_ONLY)", [str(db_path)])
        con.register("reused", pd.DataFrame({"file": reused_files}))
        con.execute(f"INSERT INTO documents SELECT {', '.join(DOC_COLUMNS)} FROM previous.documents "
                    "WHERE file IN (SELECT file FROM reused)")
        con.execute(f"INSERT INTO stage_facts SELECT {', '.join(FACT_COLUMNS)} FROM previous.facts "
                    "WHERE doc IN (SELECT file FROM reused)")
        con.execute("INSERT INTO quality_flags SELECT * FROM previous.quality_flags "
                    "WHERE doc IN (SELECT file FROM reused)")
        con.execute("DETACH previous")
    con.execute(f"""
        INSERT INTO facts (fact_id, {', '.join(FACT_COLUMNS)})
        SELECT row_number() OVER (ORDER BY doc, start_offset, end_offset, indicator, level, kind, value)
               AS fact_id, {', '.join(FACT_COLUMNS)}
        FROM stage_facts""")
    apply_reviews(con, db_path)     # people's reviews, kept beside the database, outlive every rebuild
    con.register("indicators_df", indicators)
    con.execute("INSERT INTO indicators SELECT code, unit, direction, theme, name_vi, name_en FROM indicators_df")
    _name_other_indicators(con)
    con.register("localities_df", localities)
    con.execute("INSERT INTO localities SELECT era, province, place, place_type, level, province_2025, "
                "province_code FROM localities_df")
    con.register("skipped_df", pd.DataFrame([(run.run_id, s.file, s.reason, s.stage, s.error) for s in skipped],
                                            columns=["run_id", "file", "reason", "stage", "error"]))
    con.execute("INSERT INTO skipped_reports SELECT run_id, file, reason, stage, error FROM skipped_df")
    store_pairing(con)
    n_facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        run.run_id, run.started_at, datetime.now(), run.reports_dir, run.extractor_version,
        run.reports_seen, n_extracted, len(reused_files), len(skipped), n_facts])
