"""So sánh địa phương: one indicator side by side across localities, and a province x indicator overview."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, export, filters, queries, tables, ui
from dashboard.i18n import t

lang = filters.current_lang()
db = ui.database_or_stop(lang)
view, catalog = filters.sidebar(db)
lang = view.lang
ui.status_caption(db, lang)

st.title(t("page_compare", lang))
st.caption(t("compare_intro", lang))

points, cover = ui.view_points(db, view)
visible = tables.visible(points, view.kind)
gaps = ui.gap_statement(view, catalog, points, cover)
if visible.empty:
    ui.show_gaps(gaps)
else:
    meta = ui.indicator_meta(catalog, view.indicator, lang, points)
    fig = charts.compare_chart(visible, meta, lang, view.kind)
    event = st.plotly_chart(
        fig, key="compare_chart", on_select="rerun", selection_mode=("points", "box"), config=ui.PLOTLY_CONFIG
    )
    ui.show_gaps(gaps)
    _, exported = ui.points_frames(visible, meta, lang)
    ui.export_buttons(
        fig,
        exported,
        export.file_stem(view.indicator, view.provinces, view.year_from, view.year_to, "compare"),
        view.describe(meta.label),
        ui.sources_of(visible, lang),
        lang,
        key="compare",
    )
    ui.show_selected_facts(db, view, catalog, ui.selected_points(event), view.level)

st.header(t("overview_heading", lang))
theme_name = t(f"theme_{view.theme}", lang)
codes = tuple(catalog.codes(view.theme))
latest = data.read(db, queries.latest_against_target, view.fact_filter(codes)) if view.provinces else None
if latest is None or latest.empty:
    st.info(t("overview_none", lang, theme=theme_name) if view.provinces else t("no_provinces", lang))
    st.stop()
labels = {c: catalog.label(c, lang) for c in latest["indicator"].unique()}
units = {c: catalog.unit(c) if c in catalog.names() else None for c in labels}
units = {c: u for c, u in units.items() if u}
overview = charts.overview_chart(latest, labels, units, lang, t("chart_overview_title", lang, theme=theme_name))
event = st.plotly_chart(
    overview, key="overview_chart", on_select="rerun", selection_mode=("points",), config=ui.PLOTLY_CONFIG
)
ui.export_buttons(
    overview,
    tables.overview_export(latest, labels, lang),
    export.file_stem(view.theme, view.provinces, view.year_from, view.year_to, "overview"),
    view.describe(theme_name),
    ui.sources_of(latest, lang),
    lang,
    key="overview",
)
ui.show_selected_facts(db, view, catalog, ui.selected_points(event), view.level)
