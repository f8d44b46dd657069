"""Thêm báo cáo: upload report files or paste a text; the ETL runs on what is new; the page says what came in."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st

from dashboard import data, filters, queries, review
from dashboard.formatting import format_number
from dashboard.i18n import t
from etl.ingest import FORMATS, Limits, TooManyFiles, Upload, ingest, pasted

OUTCOME = "upload_outcome"

lang = filters.current_lang()
db = data.db_path()
catalog = None
if data.stamp(db) is not None:
    view, catalog = filters.sidebar(db, show_filters=False)
    lang = view.lang
limits = Limits.from_env()
folder = review.reports_dir(db)

st.title(t("page_upload", lang))
st.caption(t("upload_intro", lang))
st.caption(t("upload_limits", lang, files=limits.max_files, mb=format_number(limits.max_file_mb, lang),
             formats=FORMATS))


def meta_inputs(key: str) -> dict:
    c = st.columns(3)
    title = c[0].text_input(t("upload_title", lang), key=f"{key}_title").strip()
    published = c[1].date_input(t("upload_date", lang), value=None, format="DD/MM/YYYY", key=f"{key}_date")
    province = c[2].text_input(t("upload_province", lang), key=f"{key}_province").strip()
    c = st.columns(2)
    place = c[0].text_input(t("upload_place", lang), key=f"{key}_place").strip()
    source = c[1].text_input(t("upload_source", lang), key=f"{key}_source").strip()
    return {"title": title or None, "published": published, "province": province or None, "place": place or None,
            "source": source or None}


def bring_in(uploads: list[Upload]) -> None:
    bar = st.progress(0.0, text=t("upload_checking", lang, name=uploads[0].name if uploads else ""))

    def progress(fraction: float, name: str) -> None:
        text = (t("upload_done", lang) if fraction >= 1 else t("upload_running", lang) if name == "ETL"
                else t("upload_checking", lang, name=name))
        bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    try:
        outcome = ingest(uploads, folder, db, limits, on_progress=progress)
    except TooManyFiles:
        bar.empty()
        st.error(t("upload_too_many", lang, n=len(uploads), limit=limits.max_files))
        return
    except Exception as error:  # noqa: BLE001 - say what went wrong; files already saved stay for the next run
        bar.empty()
        st.error(t("upload_failed", lang, error=error))
        return
    st.session_state[OUTCOME] = outcome


tab_files, tab_paste = st.tabs([t("upload_files", lang), t("paste_header", lang)])
with tab_files, st.form("upload_form", clear_on_submit=True):
    files = st.file_uploader(t("upload_files", lang), accept_multiple_files=True, key="upload_files")
    with st.expander(t("upload_meta", lang)):
        meta = meta_inputs("up")
    send = st.form_submit_button(t("upload_submit", lang), type="primary")
if send:
    if not files:
        st.warning(t("upload_none", lang))
    else:
        bring_in([Upload(f.name, f.getvalue(), **meta) for f in files])

with tab_paste, st.form("paste_form", clear_on_submit=False):
    pasted_meta = meta_inputs("paste")
    text = st.text_area(t("paste_text", lang), height=240, key="paste_text")
    send_text = st.form_submit_button(t("paste_submit", lang), type="primary")
if send_text:
    if not pasted_meta["title"] or not text.strip():
        st.warning(t("paste_needs", lang))
    else:
        bring_in([pasted(text=text, **pasted_meta)])

outcome = st.session_state.get(OUTCOME)
if outcome is not None:
    if outcome.saved:
        st.success(t("upload_saved", lang, n=len(outcome.saved)))
        files = tuple(new for _, new in outcome.saved)
        docs, facts = data.read_all(db, (queries.documents_by_file, files), (queries.facts_of_documents, files))
        if catalog is None:
            catalog = filters.load_catalog(db, False)
        for file in files:
            doc = docs[docs["file"] == file]
            mine = facts[facts["doc"] == file]
            title = doc["title"].iloc[0] if not doc.empty and isinstance(doc["title"].iloc[0], str) else file
            st.markdown(t("upload_report_line", lang, title=title, file=file,
                          n=format_number(int(mine["n_facts"].sum()), lang))
                        + f" · [{t('open_in_report_view', lang)}](bao-cao?doc={quote(file)})")
            if mine.empty:
                st.caption(t("upload_no_facts", lang))
                continue
            years = [f"{int(a)}–{int(b)}" if a != b else str(int(a)) if pd.notna(a) else "–"
                     for a, b in zip(mine["year_min"], mine["year_max"], strict=True)]
            st.dataframe(pd.DataFrame({
                t("indicator", lang): [catalog.label(c, lang) for c in mine["indicator"]],
                t("kind", lang): [t(k, lang) for k in mine["kind"]],
                t("n_facts_col", lang): [format_number(int(n), lang) for n in mine["n_facts"]],
                t("years_col", lang): years,
            }), hide_index=True)
    if outcome.refused:
        st.error(t("upload_refused", lang, n=len(outcome.refused)))
        for r in outcome.refused:
            reason = t(f"refuse_{r.code}", lang, detail=r.detail, formats=FORMATS)
            st.markdown(f"- **{r.name}**: {reason}")
