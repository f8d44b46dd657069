"""Seeded mutations of real reports: what reports nobody has shown us write in places we did not expect.

Each mutation takes a bundled report and changes it the way other reports differ from ours: a date
in one of its written forms, a range, a bracket (balanced or not), a list marker, an odd space, a
number written otherwise, a cue word the extractor reads — inserted at a random point (often right
beside a figure, where the extractor looks hardest) — or the text cut short. The same seed gives the
same mutations, so a failure can be reproduced from its seed and index alone.

    from mutations import mutate, mutated_reports
    for m in mutated_reports(REPORTS, n=600, seed=6): ...    # m.text, m.data (bytes of a file), m.name
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

DAYS = ["1", "3", "03", "15", "30", "31", "0", "32"]
MONTHS = ["1", "9", "09", "12", "13", "0"]
YEARS = ["2016", "2019", "2024", "2025", "2030", "1999", "25", "0000", "20250"]
ROMAN = ["I", "II", "III", "IV", "V"]


def _date(rng: random.Random) -> str:
    d, m, y = rng.choice(DAYS), rng.choice(MONTHS), rng.choice(YEARS)
    y2 = str(int(y) + rng.choice([1, 5, -1])) if y.isdigit() else "2026"
    forms = [
        f"{d}/{m}/{y}", f"{d.zfill(2)}/{m.zfill(2)}/{y}", f"ngày {d} tháng {m} năm {y}", f"{m}/{y}",
        f"{d}-{m}-{y}", f"{d}.{m}.{y}", f"{y}-{m.zfill(2)}-{d.zfill(2)}", f"{y}/{m}/{d}",
        f"{y}-{y2}", f"{y}–{y2}", f"{y} - {y2}", f"giai đoạn {y}–{y2}", f"năm {y}-{y2}",
        f"quý {rng.choice(ROMAN)}/{y}", f"quý {rng.choice(ROMAN)} năm {y}", f"Q{rng.randint(0, 5)}/{y}",
        f"tháng {m}/{y}", f"tháng {m} năm {y}", f"6 tháng đầu năm {y}", f"9 tháng năm {y}",
        f"từ ngày {d}/{m}/{y}", f"từ ngày {d}/{m}/{y} đến ngày {d}/{m}/{y2}", f"đến hết ngày {d}/{m}",
        f"tính đến hết tháng {m}/{y}", "từ đầu năm đến nay", f"năm {y}", f"đến năm {y2}",
        f"{d}/{m}", f"ngày {d}/{m}", f"{y}/{y2}", f"niên độ {y}/{y2}", f"({d}/{m}/{y})",
    ]
    return rng.choice(forms)


def _range(rng: random.Random) -> str:
    a = rng.choice(["30", "1.000", "95,5", "0", "12", "1,5", "100"])
    b = rng.choice(["50", "2.000", "100", "99,9", "", "-", "1.000.000"])
    forms = [f"từ {a}% đến {b}%", f"{a} - {b}%", f"{a}–{b}%", f"{a}-{b} hồ sơ", f"từ {a} đến {b} hồ sơ",
             f"khoảng {a}-{b}%", f"{a}% - {b}%", f"{a} ~ {b}", f"trên {a}% đến dưới {b}%", f"{a}/{b}",
             f"tối thiểu {a}%, tối đa {b}%", f"-{a}%", f"{a}% -", f"+{a}%", f"{a}%-"]
    return rng.choice(forms)


def _bracket(rng: random.Random) -> str:
    return rng.choice(["(", ")", "[", "]", "((", "))", "{", "}", "()", "( )", f"({_range(rng)}",
                       f"({_number(rng)})", f"[{_date(rng)}]", "(trong đó ", ")]", "\"", "“", "”", "«"])


def _marker(rng: random.Random) -> str:
    return rng.choice(["\n- ", "\n+ ", "\n* ", "\n• ", "\n1. ", "\n2) ", "\na) ", "\nb. ", "\nI. ", "\nIV. ",
                       "\n(1) ", "\n1.1. ", "\n1.2.3 ", "\n- Mục tiêu: ", "\n+ Chỉ tiêu 1: ", "\n\n", "\n–",
                       "\n| ", " | ", "\nSTT | Chỉ tiêu | Kế hoạch | Thực hiện\n1 | "])


def _space(rng: random.Random) -> str:
    return rng.choice(["\u00a0", "\u200b", "\t", "\u2009", "\u202f", "\ufeff", "\u3000", "\r\n", "   ",
                       "\u200b\u200b", "\u00a0\u00a0", "\u2028", "\u200c", "\u2060", " \t "])


def _number(rng: random.Random) -> str:
    return rng.choice(["5.121", "99,8%", "1.048/1.383", "100%", "0%", "0,5 %", "1e5", "1,000,000",
                       "12.345.678.901", "thứ 3/63", "top 10", "hạng 1", "đạt 97,2%", "9.999.999.999.999.999.999",
                       "0,000001%", "1.5", "3,14159", "75 %", "100,0%", "1.", ",5", "5,", "10^6", "½", "٣"])


def _cue(rng: random.Random) -> str:
    """Words the extractor reads around a figure, with or without a figure of their own."""
    cue = rng.choice(["so với cùng kỳ năm", "so với năm", "lần lượt là", "trong đó", "còn lại", "tăng", "giảm",
                      "đạt", "chỉ tiêu", "kế hoạch", "mục tiêu đến năm", "xếp thứ", "đứng thứ", "dẫn đầu", "tốp",
                      "năm thứ", "liên tiếp", "tính đến", "từ đầu năm đến nay", "cả nước", "phấn đấu", "tối thiểu",
                      "khoảng", "trên", "hơn", "gần", "Chỉ số PAR INDEX", "SIPAS", "PCI, PAPI", "huyện", "phường",
                      "TP", "Quảng Ninh", "Hà Nội", "Hải Phòng", "NHIỆM VỤ NĂM", "KẾT QUẢ", "tỷ lệ hồ sơ trực tuyến"])
    roll = rng.random()
    if roll < 0.4:
        return cue
    if roll < 0.7:
        return f"{cue} {_number(rng)}"
    return f"{cue} {_date(rng)}"


KINDS: dict[str, Callable[[random.Random], str]] = {
    "date": _date, "range": _range, "bracket": _bracket, "marker": _marker, "space": _space, "number": _number,
    "cue": _cue,
}
NUMBER = re.compile(r"\d[\d.,]*%?")


@dataclass(frozen=True)
class Mutation:
    source: str          # the bundled report it was made from
    index: int           # its number within the seeded sequence
    kind: str            # date, range, bracket, marker, space, number, cue, cut, mixed
    text: str

    @property
    def name(self) -> str:
        return f"m{self.index:04d}_{self.kind}_{Path(self.source).stem}.txt"

    @property
    def data(self) -> bytes:
        """The text as a file's bytes: mostly UTF-8, some with a BOM, some UTF-16."""
        codec = "utf-16" if self.index % 11 == 5 else "utf-8-sig" if self.index % 7 == 3 else "utf-8"
        return self.text.encode(codec, errors="surrogatepass")


def _insertion_point(rng: random.Random, text: str) -> int:
    """Beside a figure half the time, else at a word boundary or (rarely) anywhere, inside a word too."""
    roll = rng.random()
    numbers = [m for m in NUMBER.finditer(text)]
    if roll < 0.5 and numbers:
        m = rng.choice(numbers)
        return rng.choice([m.start(), m.end(), max(0, m.start() - rng.randint(1, 40)),
                           min(len(text), m.end() + rng.randint(1, 40))])
    if roll < 0.9:
        spaces = [i for i, c in enumerate(text) if c.isspace()] or [0]
        return rng.choice(spaces)
    return rng.randint(0, len(text))


def _insert(rng: random.Random, text: str, piece: str) -> str:
    at = _insertion_point(rng, text)
    if not piece.startswith(("\n", " ", "\t", "\u00a0")) and rng.random() < 0.7:
        piece = f" {piece} "
    return text[:at] + piece + text[at:]


def mutate(text: str, rng: random.Random, kind: str) -> str:
    """One mutation of one text. kind 'cut' cuts it short; 'mixed' applies several of the others."""
    if kind == "cut":                   # anywhere, inside a word or a number too, but not before the first word
        first_word = len(text) - len(text.lstrip()) + 1
        return text[:max(first_word, rng.randint(1, len(text)))]
    if kind == "mixed":
        for _ in range(rng.randint(2, 8)):
            text = _insert(rng, text, KINDS[rng.choice(list(KINDS))](rng))
        return text[:rng.randint(len(text) // 2, len(text))] if rng.random() < 0.3 else text
    for _ in range(rng.randint(1, 3)):
        text = _insert(rng, text, KINDS[kind](rng))
    return text


ALL_KINDS = (*KINDS, "cut", "mixed")


def mutated_reports(reports_dir: Path, n: int, seed: int) -> Iterator[Mutation]:
    """n mutations of the folder's .txt reports: every report in turn, one kind per round over them all."""
    rng = random.Random(seed)
    sources = sorted(reports_dir.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8-sig") for p in sources]
    for index in range(n):
        i = index % len(sources)
        kind = ALL_KINDS[(index // len(sources)) % len(ALL_KINDS)]
        yield Mutation(sources[i].name, index, kind, mutate(texts[i], rng, kind))
