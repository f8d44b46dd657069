"""Small databases for the pairing rules, written through the real loader (etl.load) and schema."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from etl.lexicon import load_lexicon
from etl.load import Extracted, RunInfo, write_database
from etl.places import Gazetteer
from etl.records import Document, Fact

UNITS = {"online_dossier_rate": "percent", "par_index_rank": "rank", "dossiers_overdue": "count",
         "pci_score": "score", "sipas_score": "percent", "procedures_total": "count"}


def fact(doc: str, province: str, year: int, kind: str, value: float, comparator: str = "=",
         indicator: str = "online_dossier_rate", period: str = "year", level: str = "province",
         place: str | None = None) -> dict:
    """One fact as a test states it; write() gives it a sentence and offsets."""
    return {"doc": doc, "province": province, "place": place, "level": level, "year": year, "period": period,
            "indicator": indicator, "kind": kind, "comparator": comparator, "value": value,
            "unit": UNITS.get(indicator, "percent")}


def write(db: Path, published: dict[str, date | None], facts: list[dict]) -> Path:
    """A database holding one report per key of published (its publication date) and the given facts."""
    items = []
    for file, when in published.items():
        mine = [f for f in facts if f["doc"] == file]
        parts, records = [], []
        for f in mine:
            sentence = f"{f['indicator']} {f['kind']} {f['comparator']} {f['value']:g} năm {f['year']}."
            start = sum(len(p) + 1 for p in parts)
            parts.append(sentence)
            records.append(Fact(**f, evidence=sentence, start=start, end=start + len(sentence)))
        text = " ".join(parts)
        doc = Document(doc_hash=f"h-{file}", file=file, text=text, format="txt", encoding="utf-8", title=file,
                       published=when, province=None, place=None, source=None,
                       year=when.year if when else None)
        items.append(Extracted(doc, f"k-{file}", records, []))
    run = RunInfo("test", datetime(2026, 1, 1), "reports", "test", len(items))
    write_database(db, run, items, [], [], load_lexicon().indicators_frame(), Gazetteer.load().localities_frame())
    return db
