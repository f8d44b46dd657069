"""Chart builders: pure functions from query results to Plotly figures, testable without a browser.

Every point carries, in customdata, the fact ids and the (province, place, year) it stands for, so a
selection on the page can list the facts behind it; every hover names the report and its date.
Targets are drawn as what they are: a threshold tick to clear, or a band of ranks to stay within.
Ranks run downwards (1 at the top), because lower is better.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import (
    SEPARATORS,
    axis_suffix,
    format_date,
    format_threshold,
    format_value,
    is_missing,
)
from dashboard.i18n import period_label, t

PROVINCE_COLORS = {"Hà Nội": "#c0392b", "Hải Phòng": "#1f6fb4", "Quảng Ninh": "#16a085"}
PALETTE = [
    "#8e44ad",
    "#d35400",
    "#2c3e50",
    "#7f8c8d",
    "#b7950b",
    "#6d4c41",
    "#e84393",
    "#0097a7",
    "#558b2f",
    "#5d6d7e",
]
NATIONAL_COLOR = "#333333"
ATTAINMENT_COLORS = {
    "met": "#2e7d32",
    "not_met": "#c62828",
    "in_progress": "#3f51b5",
    "no_actual": "#f0a500",
    "no_target": "#9e9e9e",
}
ATTAINMENT_ORDER = ("met", "not_met", "in_progress", "no_actual", "no_target")
ATTAINMENT_MARKS = {"met": "✓", "not_met": "✗", "in_progress": "…"}  # beside the colour, for who cannot tell them
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
DODGE = 0.14  # horizontal offset between localities drawn at the same year
_AXIS = {
    "gridcolor": "#ebebeb",
    "linecolor": "#cccccc",
    "zerolinecolor": "#dddddd",
    "automargin": True,
    "title": {"standoff": 12},
}
# A small template of our own: assigning plotly's stock templates deep-copies them on every figure (~15 ms).
TEMPLATE = go.layout.Template(
    layout={
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": PALETTE,
        "font": {"family": FONT, "size": 13, "color": "#2a3f5f"},
        "hoverlabel": {"font": {"family": FONT}, "align": "left"},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
    }
)


@dataclass(frozen=True)
class IndicatorMeta:
    """What a chart needs to know about the indicator it draws."""

    code: str
    label: str
    unit: str
    direction: str  # up, down, none

    @property
    def lower_is_better(self) -> bool:
        return self.direction == "down" or (self.unit == "rank" and self.direction != "up")


def series_label(province: str, place, group_province: str | None, lang: str) -> str:
    """A locality's name in legends: a former province says which province it is part of today."""
    label = province
    if group_province and group_province != province:
        label = t("former_province", lang, old=province, today=group_province)
    if not is_missing(place) and place:
        label = f"{label} · {place}"
    return label


def with_series(points: pd.DataFrame, lang: str) -> pd.DataFrame:
    """points plus a 'series' column (the locality label), ordered the way legends list them."""
    frame = points.copy()
    if frame.empty:
        frame["series"] = pd.Series(dtype="object")
        return frame
    group = frame["group_province"] if "group_province" in frame else frame["province"]
    frame["series"] = [
        series_label(p, pl, g, lang) for p, pl, g in zip(frame["province"], frame["place"], group, strict=True)
    ]
    return frame


def series_colors(series: list[str]) -> dict[str, str]:
    """The three provinces keep their colours on every chart; others take the palette in order."""
    colors, spare = {}, iter(PALETTE * 10)
    for name in series:
        base = name.split(" · ")[0].split(" (")[0]
        colors[name] = PROVINCE_COLORS.get(base) if base in PROVINCE_COLORS and name == base else next(spare)
    return colors


def _tint(hex_color: str, alpha: float) -> str:
    """'#c0392b', 0.12 -> 'rgba(192,57,43,0.12)'."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _wrap(text: str, width: int = 70) -> str:
    return "<br>".join(textwrap.wrap(text, width)) if text else ""


def _source_line(title, published, lang: str) -> str:
    title = title if not is_missing(title) and title else t("no_title", lang)
    when = format_date(published, lang) if not is_missing(published) else t("no_date", lang)
    return _wrap(f"{t('source', lang)}: {title} ({when})")


def _period_note(period, lang: str) -> str:
    return "" if is_missing(period) or period == "year" else f" ({period_label(period, lang)})"


def point_hover(row, meta: IndicatorMeta, lang: str) -> str:
    """Hover text of one locality-year: actual, target, attainment and the reports they come from."""
    lines = [f"<b>{row['series']}</b> · {int(row['year'])}"]
    if not is_missing(row.get("actual_value")):
        lines.append(
            f"{t('hover_actual', lang)}: {format_value(row['actual_value'], meta.unit, lang)}"
            f"{_period_note(row.get('actual_period'), lang)}"
        )
    if not is_missing(row.get("target_value")):
        national = row.get("target_scope") == "national"
        by = ""
        if row.get("target_horizon") == "by" and not is_missing(row.get("target_set_year")):
            by = f" ({t('target_by', lang, year=int(row['year']), set_year=int(row['target_set_year']))})"
        lines.append(
            f"{t('target_national' if national else 'hover_target', lang)}: "
            f"{format_threshold(row['target_comparator'], row['target_value'], meta.unit, lang)}"
            f"{_period_note(row.get('target_period'), lang)}{by}"
        )
    attainment = row.get("attainment")
    if not is_missing(attainment) and attainment != "no_target":
        verdict = t("att_" + attainment, lang)
        if attainment == "in_progress" and not is_missing(row.get("trend")):
            verdict += f" — {t('trend_' + row['trend'], lang)}"
        lines.append(f"{t('attainment', lang)}: <b>{verdict}</b>")
    for prefix in ("target", "actual"):
        reports = row.get(f"{prefix}_reports")
        if not is_missing(reports) and int(reports) > 1 and not _truthy(row.get(f"{prefix}_disagreement")):
            lines.append(f"{t(prefix, lang)}: {t('stated_by', lang, n=int(reports))}")
        if _truthy(row.get(f"{prefix}_disagreement")):
            lines.append(f"⚠ {t(prefix, lang)}: {t('disagreement', lang, n=int(row[f'{prefix}_reports']))}")
    if not is_missing(row.get("actual_id")):
        lines.append(_source_line(row.get("actual_title"), row.get("actual_published"), lang))
    if not is_missing(row.get("target_id")) and row.get("target_doc") != row.get("actual_doc"):
        lines.append(_source_line(row.get("target_title"), row.get("target_published"), lang))
    return "<br>".join(lines)


def _truthy(value) -> bool:
    return not is_missing(value) and bool(value)


def _custom(row: dict) -> list:
    """[actual_id, target_id, province, place, year] of a point: what a selection needs to find its facts."""
    return [
        None if is_missing(row["actual_id"]) else int(row["actual_id"]),
        None if is_missing(row["target_id"]) else int(row["target_id"]),
        row["province"],
        "" if is_missing(row["place"]) else row["place"],
        int(row["year"]),
    ]


def _by_series(points: pd.DataFrame, lang: str) -> dict[str, list[dict]]:
    """Points as plain dicts grouped by locality label, each group in year order.

    Plain dicts: pandas row access costs more than the rest of a chart build.
    """
    groups: dict[str, list[dict]] = {}
    if points.empty:
        return groups
    for row in points.to_dict("records"):
        group = row.get("group_province", row["province"])
        row["series"] = series_label(row["province"], row["place"], group, lang)
        groups.setdefault(row["series"], []).append(row)
    for rows in groups.values():
        rows.sort(key=lambda r: r["year"])
    return groups


def _values(groups: dict[str, list[dict]]) -> list[float]:
    return [r[k] for rows in groups.values() for r in rows for k in ("actual_value", "target_value")]


def _has(row: dict, key: str) -> bool:
    return not is_missing(row[key])


def _base_layout(
    fig: go.Figure,
    title: str,
    meta: IndicatorMeta,
    lang: str,
    years: list[int],
    rank_values: list[float] = (),
) -> None:
    """Title, language, legend and axes in one update (each plotly update validates: one is cheaper)."""
    layout: dict = {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 17}},
        "separators": SEPARATORS.get(lang, ",."),
        "template": TEMPLATE,
        "legend": {
            "orientation": "v",
            "yanchor": "top",
            "y": 1,
            "xanchor": "left",
            "x": 1.01,
            "tracegroupgap": 4,
            "font": {"size": 12},
        },
        "margin": {"l": 70, "r": 20, "t": 60, "b": 50},
        "hovermode": "closest",
        "xaxis": {"showgrid": False},
    }
    if years:
        ticks = list(range(min(years), max(years) + 1))
        layout["xaxis"] = {
            "title": {"text": t("year", lang)},
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [str(y) for y in ticks],
            "range": [min(years) - 0.7, max(years) + 0.7],
            "showgrid": False,
        }
    if meta.unit == "rank":
        worst = max([v for v in rank_values if not is_missing(v)], default=10)
        layout["yaxis"] = {
            "title": {"text": t("rank_axis", lang)},
            "range": [worst + max(1.0, worst * 0.08), 0.5],
            "tickformat": "d",
            "zeroline": False,
        }
        if worst <= 12:
            layout["yaxis"]["dtick"] = 1
    else:
        layout["yaxis"] = {"title": {"text": meta.label}, "ticksuffix": axis_suffix(meta.unit), "tickformat": ",~r"}
        if meta.lower_is_better:
            layout["yaxis"]["autorange"] = "reversed"
    fig.update_layout(layout)


def _legend_markers(
    fig: go.Figure,
    attainments: set[str],
    lang: str,
    with_target: bool,
    with_band: bool,
    target_color: str = "#555555",
) -> None:
    """Legend-only entries that explain the colours of the dots and the target marks."""
    for key in ATTAINMENT_ORDER:
        if key in attainments:
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=t("att_" + key, lang),
                    marker={"size": 11, "color": ATTAINMENT_COLORS[key]},
                    legendgroup="attainment",
                    hoverinfo="skip",
                )
            )
    if with_target:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=t("legend_target_line", lang),
                marker={
                    "symbol": "line-ew-open",
                    "size": 22,
                    "color": target_color,
                    "line": {"width": 3, "color": target_color},
                },
                legendgroup="attainment",
                hoverinfo="skip",
            )
        )
    if with_band:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=t("legend_rank_band", lang),
                marker={"symbol": "square", "size": 14, "color": "rgba(90,90,90,0.18)"},
                legendgroup="attainment",
                hoverinfo="skip",
            )
        )


def _by_scope(targets: list[dict]) -> list[tuple[list[dict], bool]]:
    """Targets split into the locality's own and the national benchmark (drawn apart, named as national)."""
    own = [r for r in targets if r.get("target_scope") != "national"]
    national = [r for r in targets if r.get("target_scope") == "national"]
    return [(rows, flag) for rows, flag in ((own, False), (national, True)) if rows]


def _target_word(national: bool, lang: str) -> str:
    return t("target_national" if national else "target", lang).lower()


def _is_band(comparator, unit: str) -> bool:
    return unit == "rank" and comparator in ("<=", "<")


def targets_chart(points: pd.DataFrame, meta: IndicatorMeta, lang: str = "vi", kinds: str = "both") -> go.Figure:
    """Each locality and year: the actual as a dot coloured by attainment, the target as its threshold.

    points: rows of queries.target_actual_points for one indicator. kinds: both, target or actual.
    """
    groups = _by_series(points, lang)
    fig = go.Figure()
    title = t("chart_targets_title", lang, indicator=meta.label)
    colors = series_colors(list(groups))
    show_actual, show_target = kinds in ("both", "actual"), kinds in ("both", "target")
    band_seen, target_seen, attainments = False, False, set()
    national_seen, path_seen = False, False
    traces = []
    for i, (name, rows) in enumerate(groups.items()):
        offset = (i - (len(groups) - 1) / 2) * DODGE
        targets = [r for r in rows if _has(r, "target_value")] if show_target else []
        actuals = [r for r in rows if _has(r, "actual_value")] if show_actual else []
        bands = [r for r in targets if _is_band(r["target_comparator"], meta.unit)]
        if bands:
            band_seen = True
            xs, ys = [], []
            for r in bands:
                top = r["target_value"] if r["target_comparator"] == "<=" else r["target_value"] - 1
                x0, x1 = r["year"] - 0.42, r["year"] + 0.42
                xs += [x0, x1, x1, x0, x0, None]
                ys += [0.5, 0.5, top + 0.5, top + 0.5, 0.5, None]
            traces.append(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    fill="toself",
                    fillcolor=_tint(colors[name], 0.12),
                    line={"width": 0},
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=name,
                    name=f"{name} — {t('legend_rank_band', lang)}",
                )
            )
        national = [r for r in targets if r.get("target_scope") == "national"]
        targets = [r for r in targets if r.get("target_scope") != "national"]
        if national:
            national_seen = True
            traces.append(
                go.Scatter(
                    x=[r["year"] + offset for r in national],
                    y=[r["target_value"] for r in national],
                    mode="markers",
                    name=f"{name} — {t('target_national', lang).lower()}",
                    legendgroup=name,
                    showlegend=False,
                    marker={"symbol": "line-ew-open", "size": 26, "color": NATIONAL_COLOR,
                            "line": {"width": 2, "color": NATIONAL_COLOR, "dash": "dot"}},
                    hovertext=[point_hover(r, meta, lang) for r in national],
                    hovertemplate="%{hovertext}<extra></extra>",
                    customdata=[_custom(r) for r in national],
                )
            )
        paths = [r for r in rows if _has(r, "target_value") and not is_missing(r.get("path_first_year"))
                 and r.get("attainment") == "in_progress"] if show_actual and show_target else []
        if paths:
            path_seen = True
            xs, ys = [], []
            for r in paths:  # the straight line a 'by' target is judged on: first path actual -> target
                xs += [r["path_first_year"] + offset, r["year"] + offset, None]
                ys += [r["path_first_value"], r["target_value"], None]
            traces.append(
                go.Scatter(
                    x=xs, y=ys, mode="lines", line={"color": colors[name], "width": 1.2, "dash": "dashdot"},
                    hoverinfo="skip", showlegend=False, legendgroup=name,
                    name=f"{name} — {t('legend_path', lang).lower()}",
                )
            )
        if targets:
            target_seen = True
            no_actual = f" · {t('att_no_actual', lang).lower()}" if show_actual else ""
            traces.append(
                go.Scatter(
                    x=[r["year"] + offset for r in targets],
                    y=[r["target_value"] for r in targets],
                    mode="markers+text",
                    name=f"{name} — {t('target', lang).lower()}",
                    legendgroup=name,
                    showlegend=False,
                    marker={
                        "symbol": "line-ew-open",
                        "size": 30,
                        "color": colors[name],
                        "line": {"width": 3.5, "color": colors[name]},
                    },
                    text=[
                        format_threshold(r["target_comparator"], r["target_value"], meta.unit, lang)
                        + (no_actual if r["attainment"] == "no_actual" else "")
                        for r in targets
                    ],
                    textposition="top center",
                    textfont={"size": 11, "color": colors[name]},
                    hovertext=[point_hover(r, meta, lang) for r in targets],
                    hovertemplate="%{hovertext}<extra></extra>",
                    customdata=[_custom(r) for r in targets],
                )
            )
        if actuals:
            judged = [r["attainment"] if show_target else "no_target" for r in actuals]
            attainments.update(judged)
            traces.append(
                go.Scatter(
                    x=[r["year"] + offset for r in actuals],
                    y=[r["actual_value"] for r in actuals],
                    mode="lines+markers+text",
                    text=[ATTAINMENT_MARKS.get(a, "") for a in judged],
                    textposition="middle right",
                    textfont={"size": 13, "color": [ATTAINMENT_COLORS[a] for a in judged]},
                    name=name,
                    legendgroup=name,
                    line={"color": colors[name], "width": 1.5, "dash": "dot"},
                    marker={
                        "size": 13,
                        "color": [ATTAINMENT_COLORS[a] for a in judged],
                        "line": {"width": 2.5, "color": colors[name]},
                    },
                    hovertext=[point_hover(r, meta, lang) for r in actuals],
                    hovertemplate="%{hovertext}<extra></extra>",
                    customdata=[_custom(r) for r in actuals],
                )
            )
        elif targets:  # a legend entry for a locality that only has targets
            traces.append(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="lines",
                    name=name,
                    legendgroup=name,
                    line={"color": colors[name], "width": 3},
                    hoverinfo="skip",
                )
            )
    fig.add_traces(traces)
    _legend_markers(fig, attainments if show_target else set(), lang, target_seen, band_seen)
    for seen, key, marker, line in (
        (national_seen, "legend_national_target",
         {"symbol": "line-ew-open", "size": 22, "color": NATIONAL_COLOR, "line": {"width": 2, "color": NATIONAL_COLOR}},
         None),
        (path_seen, "legend_path", None, {"color": "#555555", "width": 1.2, "dash": "dashdot"}),
    ):
        if seen:
            fig.add_trace(go.Scatter(
                x=[None], y=[None], mode="markers" if marker else "lines", name=t(key, lang),
                marker=marker, line=line, legendgroup="attainment", hoverinfo="skip",
            ))
    years = sorted({int(r["year"]) for rows in groups.values() for r in rows})
    _base_layout(fig, title, meta, lang, years, _values(groups))
    return fig


def compare_chart(points: pd.DataFrame, meta: IndicatorMeta, lang: str = "vi", kinds: str = "both") -> go.Figure:
    """The same indicator, localities side by side each year: bars (dots for ranks) and target ticks."""
    groups = _by_series(points, lang)
    fig = go.Figure()
    title = t("chart_compare_title", lang, indicator=meta.label)
    colors = series_colors(list(groups))
    show_actual, show_target = kinds in ("both", "actual"), kinds in ("both", "target")
    attainments, target_seen, traces = set(), False, []
    for name, rows in groups.items():
        actuals = [r for r in rows if _has(r, "actual_value")] if show_actual else []
        targets = [r for r in rows if _has(r, "target_value")] if show_target else []
        common = {"offsetgroup": name, "legendgroup": name, "hovertemplate": "%{hovertext}<extra></extra>"}
        if actuals:
            judged = [r["attainment"] if show_target else "no_target" for r in actuals]
            attainments.update(judged)
            points_of = {
                "x": [str(int(r["year"])) for r in actuals],
                "y": [r["actual_value"] for r in actuals],
                "hovertext": [point_hover(r, meta, lang) for r in actuals],
                "customdata": [_custom(r) for r in actuals],
                "name": name,
                **common,
            }
            if meta.unit == "rank":
                traces.append(
                    go.Scatter(
                        mode="markers",
                        marker={
                            "size": 15,
                            "color": [ATTAINMENT_COLORS[a] for a in judged],
                            "line": {"width": 2.5, "color": colors[name]},
                        },
                        **points_of,
                    )
                )
            else:
                traces.append(
                    go.Bar(
                        marker={
                            "color": colors[name],
                            "line": {"width": 3, "color": [ATTAINMENT_COLORS[a] for a in judged]},
                        },
                        **points_of,
                    )
                )
        for scoped, is_national in _by_scope(targets):
            target_seen = True
            color = NATIONAL_COLOR if is_national else "#222222"
            traces.append(
                go.Scatter(
                    x=[str(int(r["year"])) for r in scoped],
                    y=[r["target_value"] for r in scoped],
                    mode="markers",
                    marker={
                        "symbol": "line-ew-open",
                        "size": 26,
                        "color": color,
                        "line": {"width": 2 if is_national else 3.5, "color": color,
                                 "dash": "dot" if is_national else "solid"},
                    },
                    hovertext=[point_hover(r, meta, lang) for r in scoped],
                    customdata=[_custom(r) for r in scoped],
                    showlegend=False,
                    name=f"{name} — {_target_word(is_national, lang)}",
                    **common,
                )
            )
    fig.add_traces(traces)
    _legend_markers(fig, attainments if show_target else set(), lang, target_seen, False, target_color="#222222")
    _base_layout(fig, title, meta, lang, [], _values(groups))
    fig.update_layout(
        barmode="group",
        scattermode="group",
        bargap=0.25,
        xaxis={"type": "category", "title": {"text": t("year", lang)}, "categoryorder": "category ascending"},
    )
    return fig


def overview_chart(
    latest: pd.DataFrame,
    labels: dict[str, str],
    units: dict[str, str],
    lang: str = "vi",
    title: str | None = None,
) -> go.Figure:
    """Province x indicator grid: each cell the latest actual against its target, coloured by attainment.

    latest: rows of queries.latest_against_target; labels: indicator code -> label; units: code -> unit.
    """
    frame = with_series(latest, lang)
    fig = go.Figure()
    fig.update_layout(
        title={"text": title or "", "x": 0.01, "xanchor": "left", "font": {"size": 17}},
        separators=SEPARATORS.get(lang, ",."),
        template=TEMPLATE,
        font={"family": FONT, "size": 12},
    )
    if frame.empty:
        return fig
    rows = list(dict.fromkeys(frame["series"]))
    codes = list(dict.fromkeys(frame["indicator"]))
    code_index = {c: i for i, c in enumerate(codes)}
    row_index = {r: i for i, r in enumerate(rows)}
    z = [[None] * len(codes) for _ in rows]
    text = [[""] * len(codes) for _ in rows]
    hover = [[""] * len(codes) for _ in rows]
    custom = [[None] * len(codes) for _ in rows]
    for r in frame.to_dict("records"):
        i, j = row_index[r["series"]], code_index[r["indicator"]]
        unit = units.get(r["indicator"], r["unit"])
        meta = IndicatorMeta(r["indicator"], labels.get(r["indicator"], r["indicator"]), unit, r["direction"])
        z[i][j] = ATTAINMENT_ORDER.index(r["attainment"])
        parts = [f"{int(r['year'])}"]
        if not is_missing(r["actual_value"]):
            parts.append(format_value(r["actual_value"], unit, lang))
        if not is_missing(r["target_value"]):
            parts.append(
                f"({t('target', lang).lower()} "
                f"{format_threshold(r['target_comparator'], r['target_value'], unit, lang)})"
            )
        lines = [parts[0], " ".join(parts[1:])]
        earlier = None
        if not is_missing(r.get("last_value")):  # the latest year is a target: say where things stood
            earlier = f"{t('actual', lang).lower()} {int(r['last_year'])}: {format_value(r['last_value'], unit, lang)}"
            lines.append(earlier)
        text[i][j] = "<br>".join(lines)
        hover[i][j] = f"<b>{meta.label}</b><br>" + point_hover(r, meta, lang) + (f"<br>{earlier}" if earlier else "")
        custom[i][j] = [
            None if is_missing(r["actual_id"]) else int(r["actual_id"]),
            None if is_missing(r["target_id"]) else int(r["target_id"]),
            r["province"],
            "" if is_missing(r["place"]) else r["place"],
            int(r["year"]),
            r["indicator"],
        ]
    n = len(ATTAINMENT_ORDER)
    scale = []
    for k, key in enumerate(ATTAINMENT_ORDER):
        scale += [[k / n, ATTAINMENT_COLORS[key]], [(k + 1) / n, ATTAINMENT_COLORS[key]]]
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=["<br>".join(textwrap.wrap(labels.get(c, c), 22)) for c in codes],
            y=rows,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 11, "color": "white"},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=custom,
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            showscale=False,
            xgap=3,
            ygap=3,
        )
    )
    present = {ATTAINMENT_ORDER[v] for row in z for v in row if v is not None}
    for key in ATTAINMENT_ORDER:
        if key in present:
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=t("att_" + key, lang),
                    marker={"size": 12, "color": ATTAINMENT_COLORS[key], "symbol": "square"},
                    hoverinfo="skip",
                )
            )
    fig.update_layout(
        legend={"orientation": "v", "yanchor": "top", "y": 1, "x": 1.01},
        showlegend=True,
        margin={"l": 10, "r": 10, "t": 110, "b": 20},
        height=max(260, 90 + 70 * len(rows)),
        plot_bgcolor="white",
    )
    fig.update_xaxes(side="top", showgrid=False, tickangle=0)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return fig


def trends_chart(
    points: pd.DataFrame, national: pd.DataFrame | None, meta: IndicatorMeta, lang: str = "vi", kinds: str = "both"
) -> go.Figure:
    """One line per locality across the years, the national figure as a dashed benchmark line."""
    groups = _by_series(points, lang)
    fig = go.Figure()
    title = t("chart_trends_title", lang, indicator=meta.label)
    colors = series_colors(list(groups))
    show_actual, show_target = kinds in ("both", "actual"), kinds in ("both", "target")
    years: set[int] = set()
    traces = []
    for name, rows in groups.items():
        actuals = [r for r in rows if _has(r, "actual_value")] if show_actual else []
        targets = [r for r in rows if _has(r, "target_value")] if show_target else []
        if actuals:
            traces.append(
                go.Scatter(
                    x=[r["year"] for r in actuals],
                    y=[r["actual_value"] for r in actuals],
                    mode="lines+markers",
                    name=name,
                    legendgroup=name,
                    line={"color": colors[name], "width": 2.5},
                    marker={"size": 9},
                    hovertext=[point_hover(r, meta, lang) for r in actuals],
                    hovertemplate="%{hovertext}<extra></extra>",
                    customdata=[_custom(r) for r in actuals],
                )
            )
        for scoped, is_national in _by_scope(targets):
            color = NATIONAL_COLOR if is_national else colors[name]
            traces.append(
                go.Scatter(
                    x=[r["year"] for r in scoped],
                    y=[r["target_value"] for r in scoped],
                    mode="markers",
                    name=f"{name} — {_target_word(is_national, lang)}",
                    legendgroup=name,
                    marker={
                        "symbol": "line-ew-open",
                        "size": 24,
                        "color": color,
                        "line": {"width": 2 if is_national else 3, "color": color,
                                 "dash": "dot" if is_national else "solid"},
                    },
                    hovertext=[point_hover(r, meta, lang) for r in scoped],
                    hovertemplate="%{hovertext}<extra></extra>",
                    customdata=[_custom(r) for r in scoped],
                )
            )
        years.update(int(r["year"]) for r in actuals + targets)
    values = _values(groups)
    if national is not None and not national.empty and show_actual:
        nat = sorted(national.to_dict("records"), key=lambda r: r["year"])
        hover = [
            f"<b>{t('national', lang)}</b> · {int(r['year'])}<br>{t('hover_actual', lang)}: "
            f"{format_value(r['actual_value'], meta.unit, lang)}{_period_note(r['actual_period'], lang)}<br>"
            + _source_line(r["actual_title"], r["actual_published"], lang)
            for r in nat
        ]
        traces.append(
            go.Scatter(
                x=[r["year"] for r in nat],
                y=[r["actual_value"] for r in nat],
                mode="lines+markers",
                name=t("national_benchmark", lang),
                line={"color": NATIONAL_COLOR, "width": 2, "dash": "dash"},
                marker={"size": 7, "symbol": "diamond"},
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=[[int(r["actual_id"]), None, "Cả nước", "", int(r["year"])] for r in nat],
            )
        )
        years.update(int(r["year"]) for r in nat)
        values += [r["actual_value"] for r in nat]
    fig.add_traces(traces)
    _base_layout(fig, title, meta, lang, sorted(years), values)
    return fig


def for_export(
    fig: go.Figure,
    title: str,
    filter_line: str,
    sources: list[str],
    lang: str = "vi",
    width: int = 1200,
    height: int = 700,
) -> go.Figure:
    """A copy of fig that stands alone on a slide: its title, the filters and the sources under it.

    The figure keeps its pixel size (width x height); the caption takes room from the plot area.
    """
    out = go.Figure(fig)
    shown = sources[:4]
    source_text = "; ".join(shown)
    if len(sources) > len(shown):
        source_text += "; " + t("and_more", lang, n=len(sources) - len(shown))
    caption_lines = textwrap.wrap(t("filters_line", lang, filters=filter_line), 150)
    caption_lines += textwrap.wrap(t("sources_line", lang, sources=source_text), 150)
    caption_lines = caption_lines[:6]
    caption_height = 16 * len(caption_lines)
    axis_room = 70  # tick labels and the axis title under the plot
    out.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 19}},
        width=width,
        height=height,
        autosize=False,
        margin={"l": 80, "r": 30, "t": 70, "b": axis_room + caption_height + 10},
    )
    out.add_annotation(
        text="<br>".join(caption_lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-axis_room,
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#444444"},
    )
    return out
