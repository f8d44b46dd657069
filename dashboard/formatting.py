"""Numbers, dates and thresholds written the way the reader expects: 1.525 and 99,8% in Vietnamese.

One module so that tables, hover labels, captions and exported images all agree.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import pandas as pd

# Plotly's layout.separators: first the decimal mark, then the thousands separator.
SEPARATORS = {"vi": ",.", "en": ".,"}

COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈", "=": ""}


def is_missing(value) -> bool:
    """None, NaN, pandas' NA and NaT: a value the data does not have."""
    if value is None:
        return True
    if isinstance(value, (list, tuple, dict)):
        return False
    return bool(pd.isna(value))


def format_number(value: float, lang: str = "vi", decimals: int | None = None) -> str:
    """1525 -> '1.525' (vi) / '1,525' (en); 99.8 -> '99,8'; whole numbers lose their decimals."""
    if is_missing(value):
        return "–"
    value = float(value)
    if decimals is None:
        decimals = 0 if abs(value - round(value)) < 1e-9 else (1 if abs(value * 10 - round(value * 10)) < 1e-6 else 2)
    text = f"{value:,.{decimals}f}"  # 1,525.50
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_value(value: float, unit: str, lang: str = "vi") -> str:
    """A figure with its unit: '99,8%', '1.525', 'thứ 3' / 'no. 3', '68,2 điểm' / '68.2 points'."""
    if is_missing(value):
        return "–"
    number = format_number(value, lang)
    if unit == "percent":
        return f"{number}%"
    if unit == "rank":
        return f"thứ {number}" if lang == "vi" else f"no. {number}"
    if unit == "score":
        return f"{number} điểm" if lang == "vi" else f"{number} points"
    return number


def format_threshold(comparator: str, value: float, unit: str, lang: str = "vi") -> str:
    """A target as it is meant: '≥ 30%', 'top 10' for a rank to stay within, '100%' for an exact one."""
    if is_missing(value):
        return "–"
    if unit == "rank" and comparator in ("<=", "<"):
        top = value if comparator == "<=" else value - 1
        return f"trong nhóm {format_number(top, lang)} dẫn đầu" if lang == "vi" else f"top {format_number(top, lang)}"
    sign = COMPARATOR_SIGNS.get(comparator, comparator)
    text = format_value(value, unit, lang)
    return f"{sign} {text}" if sign else text


def format_date(value, lang: str = "vi") -> str:
    """'23/03/2020' in Vietnamese, '23 Mar 2020' in English; '–' when the report has no date."""
    if is_missing(value):
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime().date()
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.strftime("%-d %b %Y")


def format_year_range(year_from: int, year_to: int) -> str:
    return str(year_from) if year_from == year_to else f"{year_from}–{year_to}"


def axis_suffix(unit: str) -> str:
    return "%" if unit == "percent" else ""


def slug(text: str) -> str:
    """ASCII file-name part: 'Hải Phòng' -> 'hai-phong', 'other:par_media' -> 'other-par_media'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9_]+", "-", text)
    return text.strip("-") or "x"
