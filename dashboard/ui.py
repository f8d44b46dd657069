"""Page parts shared by several pages: the database check, gap statements, export buttons, fact cards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, export, filters, queries, tables
from dashboard.evidence import sentence_with_mark
from dashboard.filters import Catalog, View
from dashboard.formatting import format_date, format_number, format_threshold, format_value, format_year_range
from dashboard.i18n import period_label, t

REPORT_PAGE = "pages/report.py"
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def database_or_stop(lang: str, need_facts: bool = True) -> Path:
    """The database path, after checking it can be read; otherwise say why plainly and stop the page."""
    db = data.db_path()
    try:
        summary = filters.read_summary(db).iloc[0]
    except data.DatabaseMissing:
        st.error(t("db_missing", lang, path=db))
        st.stop()
    except duckdb.Error as error:
        st.error(t("db_unreadable", lang, path=db, error=error))
        st.stop()
    if need_facts and int(summary["n_facts"]) == 0:
        st.warning(
            t(
                "db_empty",
                lang,
                path=db,
                reports=int(summary["n_documents"]),
                skipped=int(summary["n_skipped"]),
            )
        )
        st.stop()
    return db


def status_caption(db: Path, lang: str) -> None:
    """Sidebar footer: how much data there is, when it was built, which reports could not be read."""
    summary = data.read(db, queries.database_summary).iloc[0]
    when = summary["finished_at"]
    when_text = pd.Timestamp(when).strftime("%d/%m/%Y %H:%M") if pd.notna(when) else "–"
    with st.sidebar:
        st.caption(
            t(
                "db_status",
                lang,
                facts=format_number(int(summary["n_facts"]), lang),
                reports=format_number(int(summary["n_documents"]), lang),
                when=when_text,
            )
        )
        skipped = int(summary["n_skipped"])
        if skipped:
            with st.expander(t("skipped_reports", lang, n=skipped)):
                for row in data.read(db, queries.skipped_reports).itertuples():
                    st.caption(f"{row.file}: {row.reason}")


def indicator_meta(catalog: Catalog, code: str, lang: str, points: pd.DataFrame | None = None) -> charts.IndicatorMeta:
    unit = catalog.unit(code)
    if points is not None and not points.empty and code not in catalog.names():
        unit = points["unit"].mode().iloc[0]  # other:<label> figures carry their own unit
    return charts.IndicatorMeta(code, catalog.label(code, lang), unit, catalog.direction(code))


def view_points(db: Path, view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The view's target-against-actual points and the indicator's coverage (for gaps), in one read."""
    points, cover = data.read_all(
        db,
        (queries.target_actual_points, view.fact_filter()),
        (queries.coverage, view.indicator, view.level, view.today_provinces),
    )
    return points, cover


def view_points_and_pairs(db: Path, view: View) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """view_points plus every target in view with its verdict (the summary), on one connection."""
    points, cover, pairs = data.read_all(
        db,
        (queries.target_actual_points, view.fact_filter()),
        (queries.coverage, view.indicator, view.level, view.today_provinces),
        (queries.target_pairs, view.fact_filter()),
    )
    return points, cover, pairs


def gap_statement(view: View, catalog: Catalog, points: pd.DataFrame, cover: pd.DataFrame) -> list[str]:
    """Plain sentences on what the data holds and what is missing for the current view (may be empty)."""
    lang = view.lang
    label = catalog.label(view.indicator, lang)
    level = t(f"level_{view.level}", lang).lower()
    years = format_year_range(view.year_from, view.year_to)
    unit = catalog.unit(view.indicator)
    lines: list[str] = []
    if not view.provinces:
        return [t("no_provinces", lang)]
    if points.empty:
        if cover.empty:
            return [t("gap_none_at_all", lang, indicator=label, level=level)]
        lines.append(
            t(
                "gap_filtered",
                lang,
                indicator=label,
                provinces=", ".join(view.provinces),
                years=years,
                level=level,
            )
        )
        lines.append(t("gap_exists", lang))
        for row in cover.itertuples():
            name = charts.series_label(row.province, row.place, row.group_province, lang)
            lines.append(
                "- "
                + t(
                    "gap_row",
                    lang,
                    province=name,
                    targets=_years(row.target_years, lang),
                    actuals=_years(row.actual_years, lang),
                )
            )
        return lines
    shown = set(points["group_province"])
    missing = [p for p in view.provinces if p not in shown]
    no_actual = points[points["attainment"] == "no_actual"] if view.kind != "target" else points.iloc[0:0]
    if missing or not no_actual.empty:
        lines.append(t("gap_missing_in_view", lang))
    for province in missing:
        lines.append("- " + t("gap_province_missing", lang, province=province, years=years))
    for row in no_actual.itertuples():
        name = charts.series_label(row.province, row.place, row.group_province, lang)
        lines.append(
            "- "
            + t(
                "gap_target_no_actual",
                lang,
                province=name,
                year=int(row.year),
                target=format_threshold(row.target_comparator, row.target_value, unit, lang),
            )
        )
    hidden_kind = {"target": "actual_value", "actual": "target_value"}.get(view.kind)
    if hidden_kind:
        n_hidden = int(points[hidden_kind].notna().sum())
        if n_hidden:
            lines.append(t("gap_only_kind", lang, kind=t(f"kind_{view.kind}", lang), n=n_hidden))
    return lines


def _years(years, lang: str) -> str:
    if not hasattr(years, "__len__") or len(years) == 0:  # NULL list comes back as None or pd.NA
        return t("gap_no_years", lang)
    return ", ".join(str(int(y)) for y in years)


def show_gaps(lines: list[str]) -> None:
    if lines:
        st.info("\n".join(lines))


def sources_of(points: pd.DataFrame, lang: str) -> list[str]:
    """'Title (date)' of every report behind the points, for captions under exported charts."""
    seen: dict[str, str] = {}
    for prefix in ("actual", "target"):
        if f"{prefix}_doc" not in points:
            continue
        for doc, title, published in zip(
            points[f"{prefix}_doc"], points[f"{prefix}_title"], points[f"{prefix}_published"], strict=True
        ):
            if isinstance(doc, str) and doc not in seen:
                name = title if isinstance(title, str) and title else doc
                when = format_date(published, lang) if pd.notna(published) else t("no_date", lang)
                seen[doc] = f"{name} ({when})"
    return list(seen.values())


def export_buttons(
    fig: go.Figure,
    frame: pd.DataFrame,
    stem: str,
    caption_filters: str,
    sources: list[str],
    lang: str,
    key: str,
    framer: Callable[..., go.Figure] | None = None,
) -> None:
    """Download buttons for a chart (PNG, SVG, PDF, HTML) and its data (CSV, XLSX); built on click.

    framer(fig, title, filters, sources, lang, width, height) frames the exported image: charts.for_export
    unless given (the map frames its own, maps.for_export)."""
    title = fig.layout.title.text or ""
    frame_figure = framer or charts.for_export

    def export_figure() -> go.Figure:
        return frame_figure(fig, title, caption_filters, sources, lang, export.IMAGE_WIDTH, export.IMAGE_HEIGHT)

    def image(fmt: str) -> Callable[[], bytes]:
        return lambda: export.image_bytes(export_figure(), fmt)

    with st.expander(f"⬇ {t('export', lang)}", expanded=False):
        has_browser = export.chromium_path() is not None
        cols = st.columns(6)
        for i, fmt in enumerate(export.IMAGE_FORMATS):
            cols[i].download_button(
                fmt.upper(),
                data=image(fmt),
                file_name=f"{stem}.{fmt}",
                mime=export.MIME[fmt],
                key=f"{key}_{fmt}",
                on_click="ignore",
                disabled=not has_browser,
            )
        cols[3].download_button(
            "HTML",
            data=lambda: export.html_bytes(export_figure()),
            file_name=f"{stem}.html",
            mime=export.MIME["html"],
            key=f"{key}_html",
            on_click="ignore",
            help=t("export_html", lang),
        )
        cols[4].download_button(
            "CSV",
            data=lambda: export.csv_bytes(frame),
            file_name=f"{stem}.csv",
            mime=export.MIME["csv"],
            key=f"{key}_csv",
            on_click="ignore",
            help=t("export_data", lang),
        )
        cols[5].download_button(
            "XLSX",
            data=lambda: export.xlsx_bytes(frame),
            file_name=f"{stem}.xlsx",
            mime=export.MIME["xlsx"],
            key=f"{key}_xlsx",
            on_click="ignore",
            help=t("export_data", lang),
        )
        if not has_browser:
            st.caption(t("no_chromium", lang))


def selected_points(event) -> list[list]:
    """customdata of the points selected on a chart (empty when nothing is selected)."""
    if not event:
        return []
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    points = selection.get("points", []) if selection else []
    return [p["customdata"] for p in points if p.get("customdata")]


def show_selected_facts(
    db: Path, view: View, catalog: Catalog, custom: list[list], level: str, indicator: str | None = None
) -> None:
    """The facts behind selected points, each with its sentence and report."""
    lang = view.lang
    if not custom:
        st.caption(t("select_hint", lang))
        return
    keys = tuple(dict.fromkeys((c[2], c[3] or "", int(c[4])) for c in custom))
    codes = {c[5] for c in custom if len(c) > 5} or {indicator or view.indicator}
    frames = [data.read(db, queries.facts_at_points, code, level, keys) for code in sorted(codes)]
    facts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    st.subheader(t("selected_facts", lang))
    for row in facts.itertuples():
        fact_card(row, catalog, lang)


def fact_card(row, catalog: Catalog, lang: str) -> None:
    """One fact: what it says, its sentence with the figure marked, and the report it comes from."""
    label = catalog.label(row.indicator, lang)
    place = f" · {row.place}" if isinstance(row.place, str) and row.place else ""
    period = "" if row.period == "year" else f" ({period_label(row.period, lang)})"
    figure = (
        format_threshold(row.comparator, row.value, row.unit, lang)
        if row.kind == "target"
        else format_value(row.value, row.unit, lang)
    )
    title = row.title if isinstance(row.title, str) and row.title else t("no_title", lang)
    when = format_date(row.published, lang) if pd.notna(row.published) else t("no_date", lang)
    with st.container(border=True):
        st.markdown(
            f"**{row.province}{place} · {int(row.year) if pd.notna(row.year) else '–'}{period}** — "
            f"{label}: {t(row.kind, lang).lower()} **{figure}**"
        )
        st.html(
            f'<blockquote class="cchc-sentence">'
            f"{sentence_with_mark(row.doc_text, int(row.start_offset), int(row.end_offset))}</blockquote>"
        )
        source = f" · {row.source}" if isinstance(row.source, str) and row.source else ""
        st.caption(f"{t('report', lang)}: {title} ({when}){source}")
        st.page_link(
            REPORT_PAGE, label=t("open_report", lang), query_params={"doc": row.doc}, icon=":material/description:"
        )


def points_frames(points: pd.DataFrame, meta: charts.IndicatorMeta, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table shown on the page, table exported) for target-against-actual points."""
    return tables.points_display(points, meta, lang), tables.points_export(points, meta, lang)


def report_label(row, file: str, lang: str) -> str:
    """'Title (date)' of a report in the report chooser; the file name when it has no title."""
    title = row["title"] if isinstance(row["title"], str) and row["title"] else file
    when = format_date(row["published"], lang) if pd.notna(row["published"]) else t("no_date", lang)
    return f"{title} ({when})"


def fact_label(row, catalog: Catalog, lang: str) -> str:
    """What a marked figure in a report is, shown on hover: indicator, kind, value, province and year."""
    figure = (
        format_threshold(row.comparator, row.value, row.unit, lang)
        if row.kind == "target"
        else format_value(row.value, row.unit, lang)
    )
    year = int(row.year) if pd.notna(row.year) else "–"
    province = row.province if isinstance(row.province, str) else t("unknown", lang)
    return f"{catalog.label(row.indicator, lang)} · {t(row.kind, lang).lower()} {figure} · {province} {year}"


SUMMARY_KEYS = ("targets", "met", "not_met", "in_progress", "no_actual")
SUMMARY_COLORS = {"targets": "gray", "met": "green", "not_met": "red", "in_progress": "blue", "no_actual": "orange"}
SUMMARY_SHOWN = "summary_shown"
SUMMARY_MAX_POINTS = 40  # sentences shown at once for one count; the facts table has them all


def target_summary(pairs: pd.DataFrame, lang: str) -> str | None:
    """Counts of the targets in view by verdict, each a button that shows those points; the chosen count."""
    counts = {"targets": len(pairs), **{k: int((pairs["attainment"] == k).sum()) for k in SUMMARY_KEYS[1:]}}
    st.caption(t("summary_heading", lang))
    for col, key in zip(st.columns(len(SUMMARY_KEYS)), SUMMARY_KEYS, strict=True):
        name = t("summary_targets", lang) if key == "targets" else t(f"att_{key}", lang)
        mark = charts.ATTAINMENT_MARKS.get(key, "")
        label = f":{SUMMARY_COLORS[key]}[{mark} {name}: **{counts[key]}**]".replace("[ ", "[")
        if col.button(label, key=f"summary_{key}", type="tertiary", disabled=counts[key] == 0):
            st.session_state[SUMMARY_SHOWN] = key
    national = int((pairs["target_scope"] == "national").sum()) if not pairs.empty else 0
    if national:
        st.caption(t("summary_national", lang, n=national))
    return st.session_state.get(SUMMARY_SHOWN)


def show_summary_points(db: Path, pairs: pd.DataFrame, key: str | None, catalog: Catalog, lang: str) -> None:
    """The points behind a summary count: each target with its actual, as sentences from the reports."""
    if not key:
        return
    chosen = pairs if key == "targets" else pairs[pairs["attainment"] == key]
    name = t("summary_targets", lang) if key == "targets" else t(f"att_{key}", lang)
    with st.container(border=True, key="summary_points"):
        head, close = st.columns([6, 1])
        head.subheader(t("summary_shown", lang, status=name, n=len(chosen)))
        if close.button(t("summary_close", lang), key="summary_close"):
            st.session_state.pop(SUMMARY_SHOWN, None)
            st.rerun()
        if chosen.empty:
            st.caption(t("summary_none", lang))
            return
        chosen = chosen.head(SUMMARY_MAX_POINTS)
        ids = [int(i) for pair in zip(chosen["target_id"], chosen["actual_id"], strict=True)
               for i in pair if not pd.isna(i)]
        ids += [int(i) for column in ("target_fact_ids", "actual_fact_ids") for listed in chosen[column]
                if _is_list(listed) for i in listed]
        facts = {r.fact_id: r for r in data.read(db, queries.facts_by_id, tuple(dict.fromkeys(ids))).itertuples()}
        for row in chosen.to_dict("records"):
            verdict = t(f"att_{row['attainment']}", lang)
            if row["attainment"] == "in_progress" and isinstance(row.get("trend"), str):
                verdict += f" — {t('trend_' + row['trend'], lang)}"
            scope = f" · {t('target_national', lang).lower()}" if row["target_scope"] == "national" else ""
            place = f" · {row['place']}" if isinstance(row["place"], str) and row["place"] else ""
            st.markdown(f"**{row['province']}{place} · {int(row['year'])}** — {catalog.label(row['indicator'], lang)}"
                        f"{scope}: **{verdict}**")
            for kind in ("target", "actual"):
                fact_id = row[f"{kind}_id"]
                if pd.isna(fact_id) or int(fact_id) not in facts:
                    continue
                fact_card(facts[int(fact_id)], catalog, lang)
                others = [facts[int(i)] for i in (row[f"{kind}_fact_ids"] if _is_list(row[f"{kind}_fact_ids"]) else [])
                          if int(i) != int(fact_id) and int(i) in facts]
                if others:
                    flag = "⚠ " + t("disagreement", lang, n=int(row[f"{kind}_reports"])) + ". " \
                        if _flagged(row.get(f"{kind}_disagreement")) else ""
                    st.caption(flag + t("also_stated", lang) + "; ".join(_statement(o, lang) for o in others))


def _flagged(value) -> bool:
    return value is not None and not pd.isna(value) and bool(value)


def _is_list(value) -> bool:
    return hasattr(value, "__len__") and not isinstance(value, str)


def _statement(row, lang: str) -> str:
    """Another report's statement of the same figure: its value and the report it is in."""
    figure = (format_threshold(row.comparator, row.value, row.unit, lang) if row.kind == "target"
              else format_value(row.value, row.unit, lang))
    title = row.title if isinstance(row.title, str) and row.title else row.doc
    when = format_date(row.published, lang) if pd.notna(row.published) else t("no_date", lang)
    return f"{figure} — {title} ({when})"
