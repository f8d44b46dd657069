"""Xem báo cáo: a report's text with every extracted figure marked, and its disagreements listed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, filters, queries, review, tables, ui
from dashboard.evidence import MARK_STYLE, text_with_marks
from dashboard.formatting import format_date
from dashboard.i18n import t

lang = filters.current_lang()
db = ui.database_or_stop(lang, need_facts=False)
documents = data.read(db, queries.documents_list)
files = documents["file"].tolist()
if "w_doc" not in st.session_state or st.session_state["w_doc"] not in files:
    wanted = st.query_params.get("doc")
    st.session_state["w_doc"] = wanted if wanted in files else (files[0] if files else None)
view, catalog = filters.sidebar(db, show_filters=False, url_extra={"doc": st.session_state["w_doc"] or ""})
lang = view.lang
ui.status_caption(db, lang)

st.title(t("page_report", lang))
st.caption(t("report_intro", lang))
if not files:
    st.warning(t("db_empty", lang, path=db, reports=0, skipped=0))
    st.stop()

by_file = documents.set_index("file")


st.selectbox(
    t("choose_report", lang), files, key="w_doc", format_func=lambda f: ui.report_label(by_file.loc[f], f, lang)
)
file = st.session_state["w_doc"]
doc = data.read(db, queries.document, file).iloc[0]
facts = data.read(db, queries.document_facts, file)
st.caption(
    t(
        "report_meta",
        lang,
        date=format_date(doc["published"], lang) if pd.notna(doc["published"]) else t("no_date", lang),
        source=doc["source"] if isinstance(doc["source"], str) and doc["source"] else t("unknown", lang),
        province=doc["province"] if isinstance(doc["province"], str) else t("unknown", lang),
        n=len(facts),
    )
)
warnings = list(doc["warnings"]) if doc["warnings"] is not None else []
if warnings:
    st.warning(t("reading_warnings", lang, warnings="; ".join(warnings)))
flags = data.read(db, queries.document_flags, file)
if not flags.empty:
    with st.expander(f"{t('quality_flags', lang)} ({len(flags)})"):
        for row in flags.itertuples():
            st.markdown(f"- **{row.flag}**: {row.message}")


spans = [(int(r.start_offset), int(r.end_offset), ui.fact_label(r, catalog, lang), r.kind) for r in facts.itertuples()]
st.html(
    f'<span style="{MARK_STYLE["actual"]};padding:0 4px">{t("actual", lang)}</span> '
    f'<span style="{MARK_STYLE["target"]};padding:0 4px">{t("target", lang)}</span>'
)
with st.container(height=600, border=True):
    st.html(f'<div class="cchc-report" lang="vi">{text_with_marks(doc["text"], spans)}</div>')

if not facts.empty:
    st.subheader(t("facts_table", lang))
    labels = {c: catalog.label(c, lang) for c in facts["indicator"].unique()}
    shown = facts.assign(doc=file, title=doc["title"], published=doc["published"])
    st.dataframe(tables.facts_display(shown, labels, lang), hide_index=True)

review.review_panel(db, facts.assign(doc=file), catalog, lang, key="rv")
review.add_panel(db, doc, catalog, lang, key="rv")
review.history(db, file, catalog, lang)
