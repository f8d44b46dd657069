"""Province maps: pure builders from queries.map_figures rows to an offline Plotly choropleth.

Drawn with go.Choroplethmap on map_style "white-bg" and the boundaries in data/geo/ (no tiles, no
network: go.Choropleth's geo subplot always fetches a world outline from a CDN). Figures reach their
shape through the official province code of the map's era, never through a name: the 63-province file
before 1 July 2025, the 34-province one when the "today" switch groups former provinces under today's.

Each province is coloured by one figure or drawn as having none; a 2025 province under which several
former provinces have figures (Hải Dương and Hải Phòng in 2023) is drawn as such, with every figure in
its hover, rather than coloured by one of them.
"""

from __future__ import annotations

import functools
import json
import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import ATTAINMENT_COLORS, FONT, IndicatorMeta
from dashboard.formatting import SEPARATORS, format_date, format_number, format_threshold, format_value, is_missing
from dashboard.i18n import STRINGS, period_label, t

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
GEO_FILES = {"legacy": "provinces_63.geojson", "2025": "provinces_34.geojson"}
MODES = ("value", "verdict")
NO_DATA_COLOR = "#e4e4e4"
SEVERAL_COLOR = "#b9a7d1"
OUTLINE_COLOR = "#111111"
BORDER_COLOR = "#9e9e9e"  # grey, not white: a white edge would swallow the small islands
# Darker is better, whatever the indicator's direction (the colour bar puts the best at the top).
VALUE_SCALE = [[0.0, "#edf8b1"], [0.35, "#7fcdbb"], [0.7, "#2c7fb8"], [1.0, "#0c2c84"]]
VERDICT_COLORS = {**ATTAINMENT_COLORS, "in_progress": "#4a90c2"}
VERDICT_ORDER = ("met", "not_met", "in_progress", "no_actual")
PAGE_HEIGHT = 720
MARGIN = {"l": 10, "r": 10, "t": 56, "b": 34}


@functools.cache
def shapes(era: str) -> dict:
    """The boundaries of an era ('legacy': 63 provinces, '2025': 34) as GeoJSON; read once per process."""
    return json.loads((GEO_DIR / GEO_FILES[era]).read_text(encoding="utf-8"))


def _points(geometry: dict):
    coords = geometry["coordinates"]
    polygons = coords if geometry["type"] == "MultiPolygon" else [coords]
    for polygon in polygons:
        for ring in polygon:
            yield from ring


@functools.cache
def _bounds(era: str) -> tuple[float, float, float, float]:
    """(west, south, east, north) of every shape of the era, islands included."""
    lons, lats = [], []
    for feature in shapes(era)["features"]:
        for lon, lat in _points(feature["geometry"]):
            lons.append(lon)
            lats.append(lat)
    return min(lons), min(lats), max(lons), max(lats)


def feature_bounds(geojson: dict, code: str) -> tuple[float, float, float, float]:
    """(west, south, east, north) of one province's shape: what the islands test reads."""
    feature = next(f for f in geojson["features"] if f["id"] == code)
    lons, lats = zip(*_points(feature["geometry"]), strict=True)
    return min(lons), min(lats), max(lons), max(lats)


def _mercator(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(era: str, width: float, height: float) -> dict:
    """Centre and zoom that show the whole country, Hoàng Sa and Trường Sa included, in width x height
    pixels of map (MapLibre's world is 512 px wide at zoom 0)."""
    west, south, east, north = _bounds(era)
    lon_span = math.radians(east - west)
    y_span = _mercator(north) - _mercator(south)
    zoom = min(math.log2(width * 2 * math.pi / (512 * lon_span)), math.log2(height * 2 * math.pi / (512 * y_span)))
    y_mid = (_mercator(north) + _mercator(south)) / 2
    lat_mid = math.degrees(2 * math.atan(math.exp(y_mid)) - math.pi / 2)
    return {"center": {"lon": (west + east) / 2, "lat": lat_mid}, "zoom": zoom - 0.08}


@dataclass
class Area:
    """One province of the map and the figures drawn on it (several when former provinces are grouped)."""

    code: str
    name: str
    rows: list[dict] = field(default_factory=list)


def verdict_label(verdict: str, lang: str) -> str:
    """'met' -> 'Đạt'; a verdict the view may add later ('in_progress') still reads as words."""
    for key in (f"att_{verdict}", f"map_att_{verdict}"):
        if key in STRINGS:
            return t(key, lang)
    return verdict.replace("_", " ")


def map_years(figures: pd.DataFrame, mode: str) -> list[int]:
    """Years with something to draw in this mode: an actual (value) or a target (verdict)."""
    if figures.empty:
        return []
    column = "actual_value" if mode == "value" else "attainment"
    return sorted({int(y) for y in figures.loc[figures[column].notna(), "year"]})


def areas(figures: pd.DataFrame, names: dict[str, str], year: int, mode: str) -> dict[str, Area]:
    """The figures of one year by the code of the province they are drawn on (rows without a code, which
    have no shape, are left out: the page names them)."""
    out: dict[str, Area] = {}
    if figures.empty:
        return out
    column = "actual_value" if mode == "value" else "attainment"
    rows = figures[(figures["year"] == year) & figures[column].notna() & figures["code"].notna()]
    for row in rows.to_dict("records"):
        area = out.setdefault(row["code"], Area(row["code"], names.get(row["code"], row["group_province"])))
        area.rows.append(row)
    return out


def unplaced(figures: pd.DataFrame, year: int) -> list[str]:
    """Provinces with figures in the year that no shape of the era stands for (no code)."""
    if figures.empty:
        return []
    rows = figures[(figures["year"] == year) & figures["code"].isna()]
    return sorted(set(rows["province"]))


def _figure_text(row: dict, meta: IndicatorMeta, mode: str, lang: str) -> list[str]:
    if mode == "value":
        period = "" if row["actual_period"] == "year" else f" ({period_label(row['actual_period'], lang)})"
        return [f"{t('hover_actual', lang)}: <b>{format_value(row['actual_value'], meta.unit, lang)}</b>{period}"]
    target = format_threshold(row["target_comparator"], row["target_value"], meta.unit, lang)
    lines = [f"{t('hover_target', lang)}: {target}"]
    if not is_missing(row.get("judged_value")):
        period = "" if row["judged_period"] == "year" else f" ({period_label(row['judged_period'], lang)})"
        lines.append(f"{t('hover_actual', lang)}: {format_value(row['judged_value'], meta.unit, lang)}{period}")
    lines.append(f"{t('attainment', lang)}: <b>{verdict_label(row['attainment'], lang)}</b>")
    return lines


def _nothing(mode: str, lang: str) -> str:
    """What a grey province lacks: a figure, or (colouring by verdict) a target."""
    return t("map_no_data", lang) if mode == "value" else t("att_no_target", lang)


def _reports(row: dict, mode: str) -> int:
    return int(row["actual_reports"] if mode == "value" else row["reports"])


def _hover(area: Area, meta: IndicatorMeta, year: int, mode: str, lang: str) -> str:
    lines = [f"<b>{area.name}</b> · {year}"]
    if not area.rows:
        lines.append(_nothing(mode, lang))
        return "<br>".join(lines)
    several = len(area.rows) > 1
    if several:
        lines.append(t("map_several", lang))
    for row in area.rows:
        if several:
            lines.append(f"<i>{row['province']}</i>")
        lines += _figure_text(row, meta, mode, lang)
        n = _reports(row, mode)
        lines.append(t("map_report_one", lang) if n == 1 else t("map_reports", lang, n=format_number(n, lang)))
    return "<br>".join(lines)


def _custom(area: Area, year: int) -> list:
    """[code, province drawn, year, former provinces with figures ('|'-joined)]: what a click needs."""
    return [area.code, area.name, year, "|".join(r["province"] for r in area.rows)]


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        return [low]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks or [low]


def legend_title(meta: IndicatorMeta, lang: str) -> str:
    """The colour bar's title: the unit, and which way is better (for a rank, 1 is best)."""
    unit = t(f"map_unit_{meta.unit}", lang) if f"map_unit_{meta.unit}" in STRINGS else meta.unit
    if meta.unit == "rank":
        return f"{unit}<br>{t('map_rank_best', lang)}"
    if meta.direction == "none":
        return unit
    better = t("map_lower_better", lang) if meta.lower_is_better else t("map_higher_better", lang)
    return f"{unit}<br>{better}"


@functools.cache
def _features(era: str) -> dict[str, dict]:
    return {f["id"]: f for f in shapes(era)["features"]}


def _subset(era: str, codes: list[str]) -> dict:
    """Only the shapes a trace draws: each trace carries its own GeoJSON to the browser, so the whole file in
    every trace would send it four or five times."""
    by_code = _features(era)
    return {"type": "FeatureCollection", "features": [by_code[c] for c in codes]}


def _shape_trace(chosen: list[Area], **props) -> go.Choroplethmap:
    return go.Choroplethmap(  # its GeoJSON is set on the built figure (province_map)
        featureidkey="id",
        locations=[a.code for a in chosen],
        marker={"line": {"color": BORDER_COLOR, "width": 0.5}},
        hovertemplate="%{hovertext}<extra></extra>",
        unselected={"marker": {"opacity": 0.45}},
        **props,
    )


def _flat(color: str) -> list:
    return [[0, color], [1, color]]


def province_map(
    figures: pd.DataFrame,
    names: dict[str, str],
    era: str,
    meta: IndicatorMeta,
    year: int,
    mode: str,
    lang: str = "vi",
    outlined: tuple[str, ...] = (),
    title: str | None = None,
) -> go.Figure:
    """The map of one year: each province coloured by its figure (mode 'value') or its target's verdict
    (mode 'verdict'), provinces without one drawn as such, those of `outlined` (codes) outlined.

    figures: rows of queries.map_figures; names: code -> province name of the era (queries.province_codes).
    """
    geojson = shapes(era)
    found = areas(figures, names, year, mode)
    all_codes = [f["id"] for f in geojson["features"]]
    empty = [Area(c, names.get(c, c)) for c in all_codes if c not in found]
    single = [a for a in found.values() if len(a.rows) == 1]
    several = [a for a in found.values() if len(a.rows) > 1]
    if mode == "verdict":  # grouped former provinces that agree share their verdict
        agreeing = [a for a in several if len({r["attainment"] for r in a.rows}) == 1]
        single += agreeing
        several = [a for a in several if a not in agreeing]
    traces: list[go.Choroplethmap] = []

    def hover(chosen: list[Area]) -> dict:
        return {
            "hovertext": [_hover(a, meta, year, mode, lang) for a in chosen],
            "customdata": [_custom(a, year) for a in chosen],
        }

    if empty:
        traces.append(
            _shape_trace(
                empty, z=[0] * len(empty), colorscale=_flat(NO_DATA_COLOR), showscale=False,
                name=_nothing(mode, lang), showlegend=True, legendrank=900, **hover(empty),
            )
        )
    if several:
        traces.append(
            _shape_trace(
                several, z=[0] * len(several), colorscale=_flat(SEVERAL_COLOR), showscale=False,
                name=t("map_several_legend", lang), showlegend=True, legendrank=910, **hover(several),
            )
        )
    if mode == "value" and single:
        traces.append(_value_trace(single, meta, lang, hover(single)))
    elif mode == "verdict":
        verdicts = sorted({a.rows[0]["attainment"] for a in single},
                          key=lambda v: VERDICT_ORDER.index(v) if v in VERDICT_ORDER else len(VERDICT_ORDER))
        for rank, verdict in enumerate(verdicts):
            chosen = [a for a in single if a.rows[0]["attainment"] == verdict]
            traces.append(
                _shape_trace(
                    chosen, z=[0] * len(chosen), showscale=False, showlegend=True, legendrank=100 + rank,
                    colorscale=_flat(VERDICT_COLORS.get(verdict, "#9e9e9e")), name=verdict_label(verdict, lang),
                    **hover(chosen),
                )
            )
    marked = [c for c in dict.fromkeys(outlined) if c in all_codes]
    if marked:
        traces.append(
            go.Choroplethmap(
                featureidkey="id",
                locations=marked,
                z=[0] * len(marked),
                colorscale=_flat("rgba(0,0,0,0)"),
                showscale=False,
                marker={"line": {"color": OUTLINE_COLOR, "width": 2.6}},
                hoverinfo="skip",
                unselected={"marker": {"opacity": 1}},  # a click on a province keeps the outlines
                name=f"▢ {t('map_outlined', lang)}",  # a choropleth's legend shows its fill, not its edge
                showlegend=True,
                legendrank=990,
            )
        )
    fig = go.Figure(traces)
    for trace in fig.data:  # set after building: go.Figure deep-copies what it is given (~15 ms per copy)
        trace.geojson = _subset(era, list(trace.locations))
    text = title or t("map_title", lang, indicator=meta.label, year=year)
    fig.update_layout(
        title={"text": text, "x": 0.01, "xanchor": "left", "font": {"size": 17}},
        separators=SEPARATORS.get(lang, ",."),
        font={"family": FONT, "size": 13, "color": "#2a3f5f"},
        hoverlabel={"font": {"family": FONT}, "align": "left"},
        paper_bgcolor="white",
        height=PAGE_HEIGHT,
        margin=MARGIN,
        map={"style": "white-bg", **fit_view(era, 560, PAGE_HEIGHT - MARGIN["t"] - MARGIN["b"])},
        legend={"x": 0.99, "xanchor": "right", "y": 0.99, "yanchor": "top", "bgcolor": "rgba(255,255,255,0.85)",
                "font": {"size": 12}},
        clickmode="event+select",
        dragmode=False,
        meta={"era": era, "year": year, "mode": mode},
    )
    fig.add_annotation(
        text=t("map_attribution", lang),
        xref="paper", yref="paper", x=1, y=0, xanchor="right", yanchor="top", yshift=-6,
        showarrow=False, font={"size": 11, "color": "#555555"},
    )
    return fig


def _value_trace(chosen: list[Area], meta: IndicatorMeta, lang: str, hover: dict) -> go.Choroplethmap:
    """Values on a colour scale, best at the top of the bar: z is the value, negated when lower is better
    (ranks), and the bar's labels give the values back."""
    values = [a.rows[0]["actual_value"] for a in chosen]
    flip = -1 if meta.lower_is_better else 1
    low, high = min(values), max(values)
    if high - low < 1e-9:  # one value: a scale around it, not a division by zero
        pad = 1 if meta.unit in ("rank", "count") else max(abs(low) * 0.05, 0.5)
        low, high = low - pad, high + pad
        if meta.unit == "rank":
            low = max(low, 1)
    ticks = _nice_ticks(low, high)
    if meta.unit in ("rank", "count"):  # whole numbers only: there is no rank 2,5
        ticks = sorted({round(v) for v in ticks if abs(v - round(v)) < 1e-9} | {round(min(values))})
        ticks = [v for v in ticks if v >= 1] if meta.unit == "rank" else ticks
    suffix = "%" if meta.unit == "percent" else ""
    zmin, zmax = sorted((flip * low, flip * high))
    return _shape_trace(
        chosen,
        z=[flip * v for v in values],
        zmin=zmin,
        zmax=zmax,
        colorscale=VALUE_SCALE,
        showlegend=False,
        name=meta.label,
        colorbar={
            "title": {"text": legend_title(meta, lang), "side": "top", "font": {"size": 12}},
            "tickvals": [flip * v for v in ticks],
            "ticktext": [format_number(v, lang) + suffix for v in ticks],
            "x": 1.0,
            "xanchor": "left",
            "len": 0.6,
            "y": 0.5,
            "thickness": 16,
            "outlinewidth": 0,
        },
        **hover,
    )


def selected_area(event) -> list | None:
    """customdata of the province clicked on the map ([code, name, year, former provinces]), or None."""
    if not event:
        return None
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    for point in (selection or {}).get("points", []) or []:
        custom = point.get("customdata")
        if custom:
            return list(custom)
    return None


def map_table(figures: pd.DataFrame, names: dict[str, str], year: int, mode: str, lang: str) -> pd.DataFrame:
    """The data behind the map as numbers, one row per province figure of the year, with its area's code."""
    columns = ["code", "province_on_map", "province", "year", "actual_value", "actual_period", "target_comparator",
               "target_value", "attainment", "reports"]
    found = areas(figures, names, year, mode)
    rows = [
        {
            "code": a.code,
            "province_on_map": a.name,
            "province": r["province"],
            "year": year,
            "actual_value": r["actual_value"],
            "actual_period": r["actual_period"],
            "target_comparator": r["target_comparator"],
            "target_value": r["target_value"],
            "attainment": None if is_missing(r["attainment"]) else verdict_label(r["attainment"], lang),
            "reports": _reports(r, mode),
        }
        for a in sorted(found.values(), key=lambda a: a.code)
        for r in a.rows
    ]
    return pd.DataFrame(rows, columns=columns)


def source_lines(titles: pd.DataFrame | None, lang: str) -> list[str]:
    """'Title (date)' of each report of queries.map_sources, for the sources line of an exported map."""
    if titles is None or titles.empty:
        return []
    lines = []
    for file, title, published in zip(titles["file"], titles["title"], titles["published"], strict=True):
        when = format_date(published, lang) if not is_missing(published) else t("no_date", lang)
        lines.append(f"{title if isinstance(title, str) and title else file} ({when})")
    return lines


def for_export(
    fig: go.Figure,
    title: str,
    filter_line: str,
    sources: list[str],
    lang: str = "vi",
    width: int = 1200,
    height: int = 700,
) -> go.Figure:
    """A copy of the map that stands alone: title, filters, how many reports and which, and the boundary
    attribution, all on the image; the map refitted to the image's size."""
    out = go.Figure(fig)
    shown = sources[:3]
    source_text = t("map_sources_count", lang, n=format_number(len(sources), lang))
    if shown:
        source_text += ": " + "; ".join(shown)
    if len(sources) > len(shown):
        source_text += "; " + t("and_more", lang, n=len(sources) - len(shown))
    lines = textwrap.wrap(t("filters_line", lang, filters=filter_line), 150)
    lines += textwrap.wrap(t("sources_line", lang, sources=source_text), 150)
    lines = lines[:5] + [t("map_attribution", lang)]
    caption_height = 16 * len(lines) + 12
    margin = {"l": 20, "r": 20, "t": 70, "b": caption_height}
    era = (fig.layout.meta or {}).get("era", "legacy") if isinstance(fig.layout.meta, dict) else "legacy"
    view = fit_view(era, (width - 300) * 0.9, height - margin["t"] - margin["b"])
    out.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 19}},
        width=width,
        height=height,
        autosize=False,
        margin=margin,
        map=view,
    )
    out.layout.annotations = ()  # the page's attribution line: the caption below says it again
    out.add_annotation(
        text="<br>".join(lines),
        xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-8,
        showarrow=False, align="left", font={"size": 11, "color": "#444444"},
    )
    return out
