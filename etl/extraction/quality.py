"""Data-quality flags over one report's facts."""

from __future__ import annotations

from etl.lexicon import Lexicon
from etl.records import Fact, QualityFlag


def quality_flags(file: str, facts: list[Fact], lex: Lexicon) -> list[QualityFlag]:
    """Places where a report's own figures disagree. Both figures stay loaded; the flag says why."""
    flags = []
    groups: dict[tuple, dict[str, Fact]] = {}
    for f in facts:
        if f.indicator in lex.indicators:
            g = groups.setdefault((f.province, f.place, f.level, f.year, f.period, f.kind), {})
            g.setdefault(f.indicator, f)
    for g in groups.values():
        for code, total in g.items():
            ind = lex.indicators[code]
            parts = [g[c] for c in ind.sum_of if c in g]
            if ind.sum_of and len(parts) == len(ind.sum_of):
                s = sum(x.value for x in parts)
                if abs(s - total.value) > 0.5:
                    flags.append(QualityFlag(file, "parts_do_not_add_up",
                                             f"{code}: {_vn(total.value)} ≠ " + " + ".join(_vn(x.value) for x in parts)
                                             + f" = {_vn(s)}", total.start, total.end))
            if ind.part_of and ind.part_of in g and total.value > g[ind.part_of].value:
                whole = g[ind.part_of]
                flags.append(QualityFlag(file, "part_exceeds_whole",
                                         f"{code} {_vn(total.value)} > {whole.indicator} {_vn(whole.value)}",
                                         total.start, total.end))
    for f in facts:
        if f.unit == "percent" and f.value > 100 and not f.indicator.endswith("_change"):
            flags.append(QualityFlag(file, "percent_over_100", f"{f.indicator}: {f.value:g}%", f.start, f.end))
        if f.unit == "rank" and f.denominator and f.value > f.denominator:
            flags.append(QualityFlag(file, "rank_beyond_total", f"{f.indicator}: {f.value:g}/{f.denominator:g}",
                                     f.start, f.end))
    return flags


def _vn(x: float) -> str:
    """1525 -> "1.525" (Vietnamese grouping) for messages."""
    return f"{x:,.0f}".replace(",", ".") if x == int(x) else f"{x:,.2f}".replace(",", " ").replace(".", ",")
