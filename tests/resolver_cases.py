"""Run one short report through the extractor and pick the fact a table row asks about.

The resolver tables (tests/test_resolve_*.py) give a wording and the attribute the spec expects; these
helpers build the smallest real Document around the wording, so each row goes through the same reader and
the same resolvers as a bundled report does.
"""

from __future__ import annotations

from datetime import date

from etl.extract import extract
from etl.normalize import normalize_text
from etl.records import Document, Fact


def report(body: str, title: str = "Báo cáo công tác cải cách hành chính", province: str | None = "Quảng Ninh",
           place: str | None = None, published: date | None = date(2024, 12, 20), year: int | None = None
           ) -> list[Fact]:
    text = normalize_text(f"{title}\n\n{body}")
    doc = Document(doc_hash="t", file="t.txt", text=text, format="txt", encoding="utf-8", title=title,
                   published=published, province=province, place=place, source=None,
                   year=year or (published.year if published else None))
    return extract(doc)[0]


def facts_with(found: list[Fact], value: float, unit: str | None = None) -> list[Fact]:
    out = [f for f in found if abs(f.value - value) < 1e-9 and (unit is None or f.unit == unit)]
    assert out, f"no fact of value {value} {unit or ''} among " + \
        ", ".join(f"{f.value:g} {f.unit}" for f in found)
    return out


def fact_with(found: list[Fact], value: float, unit: str | None = None) -> Fact:
    return facts_with(found, value, unit)[0]
