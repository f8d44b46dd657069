"""Shared fixtures: one real ETL run over the bundled reports into a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
GOLD = sorted((ROOT / "data" / "gold").glob("*.jsonl"))     # every gold file: seeds, corpus, own


@pytest.fixture(scope="session")
def etl_db(tmp_path_factory) -> Path:
    """The database the real ETL builds from data/reports (built once per test session)."""
    from etl.pipeline import run

    db = tmp_path_factory.mktemp("etl") / "cchc.duckdb"
    run(REPORTS, db, progress=False)
    return db


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of a query on a database file, through a short-lived read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
