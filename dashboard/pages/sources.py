"""Nguồn số liệu: the facts behind the view; selecting one shows its sentence with the figure marked."""

from __future__ import annotations

import streamlit as st

from dashboard import data, export, filters, queries, review, tables, ui
from dashboard.i18n import t

lang = filters.current_lang()
db = ui.database_or_stop(lang)
view, catalog = filters.sidebar(db)
lang = view.lang
ui.status_caption(db, lang)

st.title(t("page_sources", lang))
st.caption(t("sources_intro", lang))

all_indicators = st.checkbox(t("all_indicators", lang), key="w_all_indicators")
kinds = ("target", "actual") if view.kind == "both" else (view.kind,)
facts = data.read(db, queries.facts_table, view.fact_filter(), kinds, all_indicators)
if facts.empty:
    points, cover = ui.view_points(db, view)
    ui.show_gaps(
        ui.gap_statement(view, catalog, points, cover)
        if not all_indicators
        else [
            t(
                "gap_filtered",
                lang,
                indicator=t("all_indicators", lang),
                provinces=", ".join(view.provinces) or "–",
                years=f"{view.year_from}–{view.year_to}",
                level=t(f"level_{view.level}", lang).lower(),
            )
        ]
    )
    st.stop()

labels = {c: catalog.label(c, lang) for c in facts["indicator"].unique()}
st.subheader(f"{t('facts_table', lang)} · {t('n_facts', lang, n=len(facts))}")
event = st.dataframe(
    tables.facts_display(facts, labels, lang),
    hide_index=True,
    on_select="rerun",
    selection_mode="multi-row",
    key="facts_table",
)
stem = export.file_stem(
    "all" if all_indicators else view.indicator, view.provinces, view.year_from, view.year_to, "facts"
)
exported = tables.facts_export(facts, labels)
with st.expander(f"⬇ {t('export', lang)}"):
    cols = st.columns(2)
    cols[0].download_button(
        "CSV",
        data=lambda: export.csv_bytes(exported),
        file_name=f"{stem}.csv",
        mime=export.MIME["csv"],
        key="facts_csv",
        on_click="ignore",
    )
    cols[1].download_button(
        "XLSX",
        data=lambda: export.xlsx_bytes(exported, "facts"),
        file_name=f"{stem}.xlsx",
        mime=export.MIME["xlsx"],
        key="facts_xlsx",
        on_click="ignore",
    )

rows = event.selection.rows if event and event.selection else []
with st.expander(t("review_header", lang), expanded=bool(rows)):
    review.review_panel(db, facts, catalog, lang, key="src",
                        preselect=int(facts["fact_id"].iloc[rows[0]]) if rows else None)
if not rows:
    st.caption(t("sources_intro", lang))
    st.stop()
chosen = tuple(int(facts["fact_id"].iloc[i]) for i in rows)
st.subheader(t("sentence", lang))
for row in data.read(db, queries.facts_by_id, chosen).itertuples():
    ui.fact_card(row, catalog, lang)
