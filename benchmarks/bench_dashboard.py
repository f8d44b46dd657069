"""Benchmark: the dashboard's server-side work on a database of 1,000,000 synthetic facts.

Builds a DuckDB file in the real schema (etl/schema.sql; indicators and localities from a real ETL run
over data/reports, documents and facts generated with DuckDB SQL), then times, for the main interactions
of the targets page, the queries plus the figure build, and prints the size of the figure JSON that is
sent to the browser. Query results are not cached between timings (the cache is cleared), so the times
are those of a first visit to each view; a revisit is served from the cache.

    .venv/bin/python benchmarks/bench_dashboard.py [--facts 1000000] [--repeat 5] [--keep PATH]

Aim: under 200 ms for each interaction.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import plotly.io as pio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import charts, data, queries  # noqa: E402
from dashboard.filters import DEFAULT_PROVINCES, load_catalog  # noqa: E402

AIM_MS = 200
N_DOCUMENTS = 20_000


def build(db: Path, n_facts: int) -> None:
    """A database in the real schema with n_facts synthetic facts over 63 provinces and 2016-2025."""
    from etl.pipeline import run

    reference = db.with_name("reference.duckdb")
    run(ROOT / "data" / "reports", reference, progress=False)
    con = duckdb.connect(str(db))
    try:
        con.execute((ROOT / "etl" / "schema.sql").read_text(encoding="utf-8"))
        con.execute("ATTACH ? AS ref (READ_ONLY)", [str(reference)])
        con.execute("INSERT INTO indicators SELECT * FROM ref.indicators")
        con.execute("INSERT INTO localities SELECT * FROM ref.localities")
        con.execute("DETACH ref")
        con.execute("""
            CREATE TEMP TABLE provinces AS
            SELECT row_number() OVER (ORDER BY province) - 1 AS i, province FROM (
                SELECT DISTINCT province FROM localities WHERE level = 'province' AND era = 'legacy'
                UNION SELECT 'Cả nước')""")
        con.execute("""
            CREATE TEMP TABLE codes AS
            SELECT row_number() OVER (ORDER BY code) - 1 AS i, code, unit FROM indicators""")
        n_provinces = con.execute("SELECT count(*) FROM provinces").fetchone()[0]
        n_codes = con.execute("SELECT count(*) FROM codes").fetchone()[0]
        text = ("Năm {y}, tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5%; đã tiếp nhận 1.525 hồ sơ trực tuyến. "
                "Chỉ số PAR INDEX xếp thứ 3/63. Mục tiêu: tối thiểu 30% hồ sơ trực tuyến toàn trình. ") * 8
        con.execute(f"""
            INSERT INTO documents
            SELECT 'synthetic_' || lpad(d::VARCHAR, 6, '0') || '.txt', md5(d::VARCHAR), md5(d::VARCHAR),
                   'Báo cáo cải cách hành chính số ' || d, DATE '2016-01-15' + INTERVAL (d % 3650) DAY,
                   p.province, NULL, 'https://example.vn/' || d, 2016 + d % 10, 'txt', 'utf-8',
                   length(replace(?, '{{y}}', (2016 + d % 10)::VARCHAR)), [],
                   replace(?, '{{y}}', (2016 + d % 10)::VARCHAR), 'bench'
            FROM range({N_DOCUMENTS}) t(d) JOIN provinces p ON p.i = d % {n_provinces}""", [text, text])
        con.execute(f"""
            INSERT INTO facts
            SELECT n + 1, 'synthetic_' || lpad(((n * 31) % {N_DOCUMENTS})::VARCHAR, 6, '0') || '.txt',
                   p.province, NULL,
                   CASE WHEN n % 10 < 8 THEN 'province' WHEN n % 10 = 8 THEN 'district' ELSE 'commune' END,
                   2016 + (n // 7) % 10,
                   CASE (n // 3) % 5 WHEN 0 THEN 'year' WHEN 1 THEN 'H1' WHEN 2 THEN '9M' WHEN 3 THEN 'Q1'
                        ELSE 'year' END,
                   c.code, CASE WHEN n % 4 = 0 THEN 'target' ELSE 'actual' END,
                   CASE WHEN n % 4 = 0 THEN (CASE WHEN c.unit = 'rank' THEN '<=' ELSE '>=' END) ELSE '=' END,
                   CASE c.unit WHEN 'percent' THEN round(random() * 100, 1) WHEN 'rank' THEN 1 + (n % 63)
                        WHEN 'score' THEN round(50 + random() * 40, 2) ELSE (n * 37) % 20000 END,
                   c.unit, NULL, 'đạt 98,5%', 44, 53, 'bench'
            FROM range({n_facts}) t(n)
            JOIN provinces p ON p.i = (n // 13) % {n_provinces}
            JOIN codes c ON c.i = (n * 7 + n // {n_provinces * 13}) % {n_codes}""")
        con.execute("INSERT INTO runs VALUES ('bench', now(), now(), 'synthetic', 'bench', ?, ?, 0, 0, ?)",
                    [N_DOCUMENTS, N_DOCUMENTS, n_facts])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    reference.unlink(missing_ok=True)


def timed(step: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time in ms over repeat runs, each with an empty cache; and the last result."""
    times, result = [], None
    for _ in range(repeat):
        data.clear_cache()
        started = time.perf_counter()
        result = step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def targets_page(db: Path, flt: queries.FactFilter, catalog_needed: bool) -> str:
    """What the targets page computes on the server for one view; returns the figure JSON it sends."""
    if catalog_needed:
        data.read(db, queries.database_summary)
        catalog = load_catalog(db, flt.today_provinces)
    else:
        catalog = CATALOG
    points = data.read(db, queries.target_actual_points, flt)
    data.read(db, queries.coverage, flt.indicators[0], flt.level, flt.today_provinces)
    code = flt.indicators[0]
    meta = charts.IndicatorMeta(code, catalog.label(code, "vi"), catalog.unit(code), catalog.direction(code))
    fig = charts.targets_chart(points, meta, "vi")
    return pio.to_json(fig, validate=False)


def main() -> None:
    global CATALOG
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or Path(tmp) / "bench.duckdb"
        if not db.exists():
            started = time.perf_counter()
            db.parent.mkdir(parents=True, exist_ok=True)
            build(db, args.facts)
            print(f"built {db} with {args.facts:,} facts in {time.perf_counter() - started:.1f} s "
                  f"({db.stat().st_size / 1e6:.0f} MB)")
        n = duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM facts").fetchone()[0]
        CATALOG = load_catalog(db, False)
        years = (2016, 2025)
        three = tuple(DEFAULT_PROVINCES)
        base = queries.FactFilter(three, *years, ("online_dossier_rate",))
        steps = [
            ("first load (catalog + points + figure)", lambda: targets_page(db, base, True)),
            ("province change (+ Đà Nẵng)",
             lambda: targets_page(db, queries.FactFilter((*three, "Đà Nẵng"), *years, base.indicators), False)),
            ("year change (2018-2022)",
             lambda: targets_page(db, queries.FactFilter(three, 2018, 2022, base.indicators), False)),
            ("indicator change (par_index_rank)",
             lambda: targets_page(db, queries.FactFilter(three, *years, ("par_index_rank",)), False)),
            ("overview, one theme (compare page)",
             lambda: pio.to_json(charts.overview_chart(
                 data.read(db, queries.latest_against_target,
                           queries.FactFilter(three, *years, tuple(CATALOG.codes("online")))),
                 {c: CATALOG.label(c, "vi") for c in CATALOG.codes("online")},
                 {c: CATALOG.unit(c) for c in CATALOG.codes("online")}), validate=False)),
            ("facts table (sources page)",
             lambda: data.read(db, queries.facts_table, base, ("target", "actual"), False).to_json()),
        ]
        print(f"\n{n:,} facts; median of {args.repeat} runs, cache cleared before each; aim < {AIM_MS} ms\n")
        print(f"{'interaction':42} {'server ms':>10} {'sent KB':>9}  ")
        worst = 0.0
        for name, step in steps:
            ms, payload = timed(step, args.repeat)
            worst = max(worst, ms)
            size = len(payload.encode("utf-8")) / 1024
            print(f"{name:42} {ms:10.1f} {size:9.1f}  {'ok' if ms < AIM_MS else 'SLOW'}")
        print(f"\nslowest: {worst:.1f} ms ({'within' if worst < AIM_MS else 'over'} the {AIM_MS} ms aim)")


CATALOG = None

if __name__ == "__main__":
    main()
