"""Mục tiêu và kết quả: each locality's targets against its actuals for one indicator."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, export, filters, tables, ui
from dashboard.i18n import t

lang = filters.current_lang()
db = ui.database_or_stop(lang)
view, catalog = filters.sidebar(db)
lang = view.lang
ui.status_caption(db, lang)

st.title(t("page_targets", lang))
st.caption(t("targets_intro", lang))

points, cover, pairs = ui.view_points_and_pairs(db, view)
ui.show_summary_points(db, pairs, ui.target_summary(pairs, lang), catalog, lang)
visible = tables.visible(points, view.kind)
gaps = ui.gap_statement(view, catalog, points, cover)
if visible.empty:
    ui.show_gaps(gaps)
    st.stop()

meta = ui.indicator_meta(catalog, view.indicator, lang, points)
fig = charts.targets_chart(visible, meta, lang, view.kind)
event = st.plotly_chart(
    fig,
    key="targets_chart",
    on_select="rerun",
    selection_mode=("points", "box", "lasso"),
    config=ui.PLOTLY_CONFIG,
)
ui.show_gaps(gaps)
display, exported = ui.points_frames(visible, meta, lang)
ui.export_buttons(
    fig,
    exported,
    export.file_stem(view.indicator, view.provinces, view.year_from, view.year_to),
    view.describe(meta.label),
    ui.sources_of(visible, lang),
    lang,
    key="targets",
)
st.subheader(t("attainment_table", lang))
st.dataframe(display, hide_index=True)
ui.show_selected_facts(db, view, catalog, ui.selected_points(event), view.level)
