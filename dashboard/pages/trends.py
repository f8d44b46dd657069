"""Xu hướng: an indicator across the years, one line per locality, the national figure as a benchmark."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, export, filters, queries, tables, ui
from dashboard.i18n import t

lang = filters.current_lang()
db = ui.database_or_stop(lang)
view, catalog = filters.sidebar(db)
lang = view.lang
ui.status_caption(db, lang)

st.title(t("page_trends", lang))
st.caption(t("trends_intro", lang))

points, cover, national = data.read_all(
    db,
    (queries.target_actual_points, view.fact_filter()),
    (queries.coverage, view.indicator, view.level, view.today_provinces),
    (queries.national_points, view.indicator, view.year_from, view.year_to),
)
visible = tables.visible(points, view.kind)
gaps = ui.gap_statement(view, catalog, points, cover)
if visible.empty and (national.empty or view.kind == "target"):
    ui.show_gaps(gaps)
    st.stop()

meta = ui.indicator_meta(catalog, view.indicator, lang, points)
fig = charts.trends_chart(visible, national, meta, lang, view.kind)
event = st.plotly_chart(
    fig,
    key="trends_chart",
    on_select="rerun",
    selection_mode=("points", "box", "lasso"),
    config=ui.PLOTLY_CONFIG,
)
if national.empty:
    st.caption(t("no_national", lang))
ui.show_gaps(gaps)
_, exported = ui.points_frames(visible, meta, lang)
exported = (
    pd.concat([exported, tables.national_export(national, meta)], ignore_index=True) if not national.empty else exported
)
sources = ui.sources_of(visible, lang) + ui.sources_of(
    national.assign(target_doc=None, target_title=None, target_published=None), lang
)
ui.export_buttons(
    fig,
    exported,
    export.file_stem(view.indicator, view.provinces, view.year_from, view.year_to, "trend"),
    view.describe(meta.label),
    list(dict.fromkeys(sources)),
    lang,
    key="trends",
)
ui.show_selected_facts(db, view, catalog, ui.selected_points(event), view.level)
