"""Đánh giá mất khớp: reviews that no longer find their fact (the report changed or is gone), never dropped."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard import data, filters, queries, review, ui
from dashboard.i18n import t

lang = filters.current_lang()
db = ui.database_or_stop(lang, need_facts=False)
view, catalog = filters.sidebar(db, show_filters=False)
lang = view.lang

st.title(t("page_orphans", lang))
st.caption(t("orphans_intro", lang))
orphans = data.read(db, queries.orphaned_reviews)
if orphans.empty:
    st.info(t("orphans_none", lang))
    st.stop()


def what(fact_json: str) -> str:
    fact = json.loads(fact_json)
    return review.fact_summary(fact, catalog, lang)


st.dataframe(pd.DataFrame({
    t("report", lang): orphans["doc"],
    t("review_action", lang): [t(f"action_{a}", lang) for a in orphans["action"]],
    t("evidence", lang): orphans["evidence"],
    t("value", lang): [what(f) for f in orphans["fact"]],
    t("reviewer", lang): orphans["reviewer"],
    t("reviewed_at", lang): orphans["reviewed_at"],
    t("review_note", lang): orphans["note"],
    t("orphan_reason", lang): [t(review.ORPHAN_REASONS[r], lang) if r in review.ORPHAN_REASONS else r
                               for r in orphans["reason"]],
}), hide_index=True)
