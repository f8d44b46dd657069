"""Command line: python -m etl run | facts | evaluate | reviews export|import.

Exit status of `run`: 0 when every report was loaded, 3 when the run finished but some report was
skipped (named in the summary and in the skipped_reports table), 1 when the run itself failed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_DB = Path("data/cchc.duckdb")
EXIT_SKIPPED = 3        # the run finished, but not every report is in the database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p_run = sub.add_parser("run", help="read a folder of reports into a DuckDB file")
    p_run.add_argument("reports_dir", type=Path)
    p_run.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_run.add_argument("--max-mb", type=float, default=None, help="largest report to read (default 20)")
    p_run.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    p_run.add_argument("--no-progress", action="store_true")

    p_facts = sub.add_parser("facts", help="print the facts of a database")
    p_facts.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_facts.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")

    p_eval = sub.add_parser("evaluate", help="score the database's facts against gold facts")
    p_eval.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_eval.add_argument("--gold", type=Path, nargs="+", required=True)
    p_eval.add_argument("--quiet", action="store_true", help="numbers only, no lists")

    p_rev = sub.add_parser("reviews", help="export or import reviews (confirmed, corrected, rejected, added facts)")
    rev = p_rev.add_subparsers(dest="reviews_command", required=True)
    p_rexp = rev.add_parser("export", help="print every review as JSON lines")
    p_rexp.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_rimp = rev.add_parser("import", help="store reviews from JSON lines (FILE, or - for stdin) and apply them")
    p_rimp.add_argument("file")
    p_rimp.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_rimp.add_argument("--reports", type=Path, default=None,
                        help="reports folder to rebuild from (default: the one the database was built from)")

    args = parser.parse_args(argv)
    if args.command == "reviews":
        from etl.review_cli import export_reviews, import_reviews

        if args.reviews_command == "export":
            return export_reviews(args.db, sys.stdout)
        return import_reviews(args.file, args.db, args.reports, sys.stdout, sys.stderr)
    if args.command == "run":
        from etl.ingest import build_lock
        from etl.pipeline import DEFAULT_MAX_MB, print_summary, run

        with build_lock(args.db):   # one build at a time: the dashboard rebuilds after an upload or a review
            summary = run(args.reports_dir, args.db, progress=not args.no_progress,
                          max_mb=args.max_mb or DEFAULT_MAX_MB, workers=args.workers)
        print_summary(summary)
        return EXIT_SKIPPED if summary.skipped else 0
    if args.command == "facts":
        from etl.export import write_facts

        write_facts(args.db, args.format, sys.stdout)
        return 0
    from etl.evaluate import evaluate_db, print_report

    print_report(evaluate_db(args.db, args.gold), show=not args.quiet)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:         # output piped into `head`: stop quietly
        sys.stderr.close()
        sys.exit(0)
