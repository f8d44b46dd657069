"""Settle a report's metadata: the manifest first, then what the file and its text say.

A province that cannot be told from the manifest, the title or a clear majority of the text's
place mentions stays unknown (None): it is counted as such, never guessed.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

from etl.normalize import match_key, normalize_text
from etl.places import Gazetteer
from etl.records import Document, ManifestEntry, Report

DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})(?!\d)")
YEAR = re.compile(r"(?<![\d.,/:])(?:19[89]\d|20[0-4]\d)(?![\d]|/[a-zđ])")
# The year of a date or a period written with a slash: "30/7/2025", "tháng 9/2020", "quý I/2020".
DATE_YEAR = re.compile(r"(?:(?<![\d.,/])\d{1,2}/(?:\d{1,2}/)?|(?:quý\s+[ivx\d]+|tháng\s+\d{1,2})\s*[/-]\s*)"
                       r"((?:19|20)\d{2})(?![\d/])")
NOT_OWN_YEAR = re.compile(
    r"(?:so\s+với|từ|kể\s+từ|giai\s+đoạn|ngày\s+\d{1,2}/\d{1,2}/?)\s*(?:\w+\s+){0,2}?(?:năm\s+)?$")


def read_manifest(path: Path) -> dict[str, ManifestEntry]:
    """manifest.csv: file,title,published,province,place,source — any column may be empty."""
    if not path.exists():
        return {}
    entries = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("file") or "").strip()
            if not name:
                continue
            clean = {k: (normalize_text(v).strip() or None) if isinstance(v, str) else None for k, v in row.items()}
            entries[name] = ManifestEntry(
                file=name, title=clean.get("title"), published=parse_date(clean.get("published")),
                province=clean.get("province"), place=clean.get("place"), source=clean.get("source"))
    return entries


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        m = DATE.search(value)
        return _date(m) if m else None


def _date(m: re.Match) -> date | None:
    d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return date(y, mo, d)
    except ValueError:
        return None


WRITTEN_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})", re.IGNORECASE)


def date_in_header(text: str) -> date | None:
    """A dateline near the top ("Thứ Bảy, 31/10/2020, 10:40", "23/03/2020",
    "Hải Phòng, ngày 05 tháng 10 năm 2024")."""
    lines = [ln for ln in text.split("\n") if ln.strip()][:6]
    for line in lines[1:]:
        m = DATE.search(line) or WRITTEN_DATE.search(line)
        if m and len(line.strip()) <= 90:
            return _date(m)
    return None


def own_years(key: str) -> list[int]:
    """Years a text is about, in order, leaving out comparisons ("so với năm 2015") and ranges."""
    out = []
    for m in YEAR.finditer(key):
        head = key[max(0, m.start() - 30):m.start()]
        if NOT_OWN_YEAR.search(head) or re.match(r"\s*[-–]\s*(?:19|20)\d{2}", key[m.end():m.end() + 8]):
            continue
        out.append((m.start(), int(m.group())))
    out.extend((m.start(1), int(m.group(1))) for m in DATE_YEAR.finditer(key))
    return [y for _, y in sorted(out)]


def settle(report: Report, entry: ManifestEntry | None, gaz: Gazetteer) -> Document:
    entry = entry or ManifestEntry(file=report.file)
    text = report.text
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    title = entry.title or report.title or (lines[0] if lines and len(lines[0]) <= 250 else None)
    published = entry.published or report.published or date_in_header(text)
    warnings = list(report.warnings)

    province = gaz.canonical_province(entry.province) if entry.province else None
    if entry.province and not province:
        warnings.append(f"manifest province '{entry.province}' is not a known province")
    place = None
    if entry.place:
        found = gaz.canonical_place(entry.place, province)
        if found:
            province = province or found[0]
            place = found[1]
        else:
            place = entry.place
            warnings.append(f"manifest place '{entry.place}' not found in the gazetteer; kept as written")
    title_key = match_key(title) if title else ""
    key = match_key(text)       # the whole text is normalised once and carried with the document
    text_key = cache(lambda: key)
    if not province:
        province, from_text_place = _province_from_text(title, title_key, text, text_key, gaz)
        place = place or from_text_place
    if province and not place and title:
        # "Uông Bí: quý III …": a place of the report's province that opens its title is the report's place
        place = _title_place([m for m in gaz.find(title, title_key, prefer_province=province)
                              if m.province == province])
    year = _year(title_key, published, text_key)
    return Document(
        doc_hash=report.content_hash, file=report.file, text=text, format=report.format,
        encoding=report.encoding, title=title, published=published, province=province, place=place,
        source=entry.source, year=year, warnings=warnings, key=key)


# A place named this early in a title is what the title is about ("Uông Bí: …", "TP Hạ Long đạt …"); one named
# later is usually part of the news ("Chỉ số CCHC năm 2025: phường Hồng Bàng, đặc khu Cát Hải dẫn đầu …").
TITLE_PLACE_REACH = 20


def _title_place(mentions) -> str | None:
    return next((m.place for m in mentions if m.place and m.start < TITLE_PLACE_REACH), None)


def _province_from_text(title, title_key, text, text_key, gaz: Gazetteer) -> tuple[str | None, str | None]:
    if title:
        mentions = [m for m in gaz.find(title, title_key) if m.province]
        if mentions:
            return mentions[0].province, _title_place(mentions)
    counts = Counter(m.province for m in gaz.find(text, text_key()) if m.province)
    if not counts:
        return None, None
    ranked = counts.most_common(2)
    if ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0], None
    return None, None


def _year(title_key: str, published: date | None, text_key) -> int | None:
    years = own_years(title_key)
    if years:
        return years[0]
    if published:
        return published.year
    years = own_years(text_key())
    return years[0] if years else None
