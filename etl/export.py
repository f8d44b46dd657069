"""Facts out of the database with the field names of spec/facts.md (plus offsets and review status)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from etl.records import FACT_FIELDS

COLUMNS = list(FACT_FIELDS) + ["start", "end", "status"]   # status: extracted, confirmed, corrected, added
QUERY = """
    SELECT doc, province, place, level, year, period, indicator, kind, comparator, value, unit, evidence,
           start_offset AS "start", end_offset AS "end", status
    FROM facts ORDER BY fact_id"""


def read_facts(db_path: Path) -> list[dict]:
    if not Path(db_path).exists():
        raise FileNotFoundError(f"no database at {db_path}: run 'python -m etl run REPORTS_DIR --db {db_path}'")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        cur = con.execute(QUERY)
        rows = [dict(zip(COLUMNS, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()
    for row in rows:
        if row["value"] == int(row["value"]):
            row["value"] = int(row["value"])
    return rows


def write_facts(db_path: Path, fmt: str, out) -> None:
    rows = read_facts(db_path)
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
