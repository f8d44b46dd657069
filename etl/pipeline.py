"""The whole run: a folder of reports in, a DuckDB file out, and a summary of what happened.

Bad files never stop a run: each is named with its reason and skipped. Reports whose bytes,
manifest row and extractor are unchanged since the previous database are copied, not re-extracted.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from importlib.metadata import version
from pathlib import Path

from tqdm import tqdm

from etl import EXTRACTOR_VERSION
from etl.extract import extract
from etl.lexicon import DATA, load_lexicon
from etl.load import DatabaseWriter, Extracted, RunInfo, previous_state, remove_leftovers
from etl.metadata import read_manifest, settle
from etl.places import Gazetteer
from etl.read import SUPPORTED_SUFFIXES, UnreadableReport, read_report
from etl.records import Document, Fact, ManifestEntry, QualityFlag, Skipped
from etl.reviews import reviewed_key, reviews_fingerprint

MANIFEST = "manifest.csv"
DEFAULT_MAX_MB = 20.0
STAGE_VERBS = {"read": "reading", "settle": "settling", "extract": "extracting"}
PARALLEL_FROM = 200      # below this many reports, one process is faster than starting workers


@dataclass
class RunSummary:
    run_id: str
    db_path: Path
    reports_seen: int
    extracted: int
    reused: int
    skipped: list[Skipped]
    facts_by_province_kind: Counter = field(default_factory=Counter)
    unknown_province_reports: list[str] = field(default_factory=list)
    quality_flags: int = 0
    seconds: float = 0.0

    @property
    def facts(self) -> int:
        return sum(self.facts_by_province_kind.values())


def report_files(reports_dir: Path) -> list[Path]:
    """Every file below the folder but the manifest and hidden files, in a stable order."""
    files = [p for p in reports_dir.rglob("*") if p.is_file() and p.name != MANIFEST
             and not any(part.startswith(".") for part in p.relative_to(reports_dir).parts)]
    return sorted(files, key=lambda p: p.relative_to(reports_dir).as_posix())


FACT_SOURCES = ("read.py", "legacy_encodings.py", "normalize.py", "metadata.py", "places.py", "lexicon.py",
                "figures.py", "extract.py", "records.py", *sorted(
                    f"extraction/{p.name}" for p in (Path(__file__).parent / "extraction").glob("*.py")))


def extractor_fingerprint() -> str:
    """What the facts of an unchanged report depend on besides its bytes and manifest row: the code
    and data that read and extract it, and the gazetteer's version. Any change re-extracts everything."""
    digest = hashlib.sha256()
    for name in FACT_SOURCES:
        digest.update((Path(__file__).parent / name).read_bytes())
    aliases = DATA / "place_aliases.yaml"
    digest.update(aliases.read_bytes() if aliases.exists() else b"")
    return (f"{EXTRACTOR_VERSION}:{load_lexicon().fingerprint}:{version('vietnamadminunits')}:"
            f"{digest.hexdigest()[:12]}")


def doc_key(content_hash: str, entry: ManifestEntry | None, fingerprint: str) -> str:
    return hashlib.sha256(f"{content_hash}|{entry!r}|{fingerprint}".encode()).hexdigest()


Extractor = Callable[[Document], tuple[list[Fact], list[QualityFlag]]]
MAX_ERROR_CHARS = 300


def _error_message(exc: Exception) -> str:
    """The exception's message on one line, short enough for a summary line and a table cell."""
    try:
        text = " ".join(str(exc).split())
    except Exception:                       # noqa: BLE001 - a message that cannot be shown is still a skip
        text = ""
    text = text or "(no message)"
    return text if len(text) <= MAX_ERROR_CHARS else text[:MAX_ERROR_CHARS - 1] + "…"


def _process(job: tuple[Path, bytes, str, ManifestEntry | None, str], extractor: Extractor = extract
             ) -> Extracted | Skipped:
    """One report through read, settle and extract. This is the report's boundary: whatever it raises in
    any stage becomes a Skipped naming the stage, the error's type and its message, and the run goes on."""
    path, data, name, entry, key = job
    stage = "read"
    try:
        report = read_report(path, data=data, name=name)
        stage = "settle"
        doc = settle(report, entry, Gazetteer.load())
        stage = "extract"
        facts, flags = extractor(doc)
    except UnreadableReport as exc:
        return Skipped(name, exc.reason)
    except Exception as exc:                # noqa: BLE001 - one report never stops a run
        return Skipped(name, _error_message(exc), stage=stage, error=type(exc).__name__)
    return Extracted(doc, key, facts, flags)


def run(reports_dir: Path, db_path: Path, progress: bool = True, max_mb: float = DEFAULT_MAX_MB,
        workers: int | None = None, extractor: Extractor = extract) -> RunSummary:
    """Build db_path from the reports. `extractor` turns a settled Document into facts and flags (the
    project's own by default); another one gets its own reuse keys, so no facts of one reach the other."""
    started = datetime.now()
    reports_dir, db_path = Path(reports_dir), Path(db_path)
    if not reports_dir.is_dir():
        raise FileNotFoundError(f"reports folder not found: {reports_dir}")
    remove_leftovers(db_path)       # half-built files of runs killed before they could clean up
    manifest = read_manifest(reports_dir / MANIFEST)
    fingerprint = extractor_fingerprint()
    if extractor is not extract:
        fingerprint += f":{extractor.__module__}.{extractor.__qualname__}"
    previous, previous_run_id = previous_state(db_path)
    files = report_files(reports_dir)
    skipped: list[Skipped] = []
    reused: list[str] = []
    jobs = []
    keys = []
    for path in files:
        name = path.relative_to(reports_dir).as_posix()
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            skipped.append(Skipped(name, f"unsupported format '{path.suffix or '(none)'}'"))
            continue
        size_mb = path.stat().st_size / 1e6
        if size_mb > max_mb:
            skipped.append(Skipped(name, f"{size_mb:.1f} MB, over the {max_mb:g} MB limit for one report "
                                         "(raise it with --max-mb)"))
            continue
        data = path.read_bytes()
        entry = manifest.get(name)
        key = doc_key(hashlib.sha256(data).hexdigest(), entry, fingerprint)
        keys.append(key)
        if previous.get(name) == key:
            reused.append(name)
            continue
        jobs.append((path, data, name, entry, key))
    inputs = sorted(keys) + sorted(f"{sk.file}:{sk.reason}" for sk in skipped) + [reviews_fingerprint(db_path)]
    run_id = hashlib.sha256("|".join(inputs).encode()).hexdigest()[:12]
    if previous_run_id == run_id and all(previous.get(job[2]) == reviewed_key(job[4]) for job in jobs):
        # Every input (reviews included) is as it was when this database was written: it already holds this
        # run. Reports with reviews applied are re-extracted only when something changed (etl/reviews.py).
        return _summarise(db_path, run_id, len(files), 0, len(reused) + len(jobs), skipped, started)

    info = RunInfo(run_id, started, str(reports_dir), fingerprint, len(files))
    bar = tqdm(total=len(jobs), desc="extracting", unit="report", disable=not progress or not jobs,
               file=sys.stderr)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers > 1 and len(jobs) >= PARALLEL_FROM:
        Gazetteer.load()    # loaded before the workers fork, so each inherits it instead of loading it again
        with ProcessPoolExecutor(max_workers=workers) as pool:
            # map() submits every job, so the workers fork here, before the writer opens DuckDB
            results = pool.map(partial(_process, extractor=extractor), jobs,
                               chunksize=max(1, len(jobs) // (workers * 8)))
            n_extracted = _load(db_path, info, results, reused, skipped, bar)
    else:
        n_extracted = _load(db_path, info, map(partial(_process, extractor=extractor), jobs), reused, skipped, bar)
    bar.close()
    return _summarise(db_path, run_id, len(files), n_extracted, len(reused), skipped, started)


def _load(db_path, info, results, reused, skipped, bar, batch_size: int = 500) -> int:
    """Load results as they come, so that writing overlaps extracting; returns how many loaded."""
    with DatabaseWriter(db_path, info) as writer:
        batch: list[Extracted] = []
        for result in results:
            if isinstance(result, Skipped):
                skipped.append(result)
            else:
                batch.append(result)
            if len(batch) >= batch_size:
                writer.add(batch)
                batch = []
            bar.update()
        writer.add(batch)
        writer.finish(reused, skipped, load_lexicon().indicators_frame(), Gazetteer.load().localities_frame())
        return writer.extracted


def _summarise(db_path, run_id, seen, n_extracted, n_reused, skipped, started) -> RunSummary:
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        by = Counter({(p or "(unknown)", k): n for p, k, n in con.execute(
            "SELECT province, kind, count(*) FROM facts GROUP BY ALL").fetchall()})
        unknown = [r[0] for r in con.execute(
            "SELECT file FROM documents WHERE province IS NULL ORDER BY file").fetchall()]
        flags = con.execute("SELECT count(*) FROM quality_flags").fetchone()[0]
    finally:
        con.close()
    return RunSummary(run_id, db_path, seen, n_extracted, n_reused, skipped, by, unknown, flags,
                      (datetime.now() - started).total_seconds())


def print_summary(s: RunSummary, out=sys.stdout) -> None:
    read = s.extracted + s.reused
    print(f"Run {s.run_id} → {s.db_path}  ({s.seconds:.1f} s)", file=out)
    print(f"Reports: {s.reports_seen} found, {read} loaded ({s.extracted} extracted, {s.reused} unchanged "
          f"and reused), {len(s.skipped)} skipped", file=out)
    for sk in s.skipped:
        if sk.error:
            print(f"  skipped {sk.file}: {sk.error} while {STAGE_VERBS[sk.stage]} it: {sk.reason}", file=out)
        else:
            print(f"  skipped {sk.file}: {sk.reason}", file=out)
    raised = [sk for sk in s.skipped if sk.error]
    if raised:
        print(f"{len(raised)} report(s) raised an error inside the ETL, not in the file's format: worth a bug "
              "report with the file", file=out)
    if s.unknown_province_reports:
        shown = s.unknown_province_reports[:10]
        more = len(s.unknown_province_reports) - len(shown)
        print(f"Reports whose province could not be told ({len(s.unknown_province_reports)}): "
              + ", ".join(shown) + (f" and {more} more" if more else ""), file=out)
    print(f"Facts: {s.facts}", file=out)
    provinces = sorted({p for p, _ in s.facts_by_province_kind},
                       key=lambda p: -sum(v for (q, _), v in s.facts_by_province_kind.items() if q == p))
    width = max([len(p) for p in provinces] + [8])
    print(f"  {'province':<{width}}  {'target':>7} {'actual':>7}", file=out)
    for p in provinces:
        print(f"  {p:<{width}}  {s.facts_by_province_kind[(p, 'target')]:>7} "
              f"{s.facts_by_province_kind[(p, 'actual')]:>7}", file=out)
    print(f"Data-quality flags: {s.quality_flags}", file=out)
