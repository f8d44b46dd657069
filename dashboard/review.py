"""Reviewing facts in the browser: confirm, correct, reject, add. Shared by the report view and the sources page.

A review goes to the store beside the database (etl/reviews.py), then the database is rebuilt under the
build lock (etl/ingest.rebuild: unchanged reports are reused, so it takes a moment), and the page reruns on
the new file. If the rebuild fails the review is still stored and applies at the next ETL run.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data, queries, ui
from dashboard.filters import Catalog
from dashboard.formatting import format_number
from dashboard.i18n import period_label, t
from etl.records import COMPARATORS, KINDS, LEVELS, NATIONAL, PERIODS, UNITS
from etl.reviews import EDITABLE, InvalidReview, Review, ReviewStore, now_iso, store_path, validate

ACTIONS = ("confirm", "correct", "reject")
FLASH = "review_flash"
ORPHAN_REASONS = {
    "the report is no longer among the reports": "orphan_gone",
    "the report changed and the review has no evidence text to find it again": "orphan_no_evidence",
    "the report changed and the figure's words are no longer in it": "orphan_words_gone",
    "no fact is extracted at this place any more": "orphan_no_fact",
}


def reports_dir(db: Path) -> Path:
    """Where new reports go and what a rebuild reads: env CCHC_REPORTS, else the folder the database was
    last built from, else data/reports."""
    if os.environ.get("CCHC_REPORTS"):
        return Path(os.environ["CCHC_REPORTS"])
    try:
        built = data.read(db, queries.last_reports_dir)
    except data.DatabaseMissing:
        built = pd.DataFrame()
    if not built.empty and isinstance(built.iloc[0, 0], str):
        folder = Path(built.iloc[0, 0])
        folder = folder if folder.is_absolute() else data.ROOT / folder
        if folder.is_dir():
            return folder
    return data.DEFAULT_REPORTS


def reviewer_input(lang: str, key: str) -> str:
    """The reviewer's name: asked once, kept for the session (pre-filled on every page after that)."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get("reviewer", "")
    name = st.text_input(t("reviewer", lang), key=key, help=t("reviewer_help", lang)).strip()
    if name:
        st.session_state["reviewer"] = name
    return name


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        kind, text = message
        (st.success if kind == "ok" else st.warning)(text)


def _submit(db: Path, review: Review, lang: str) -> bool:
    try:
        validate(review.to_json())
    except InvalidReview as error:
        st.error(t("review_invalid", lang, error=error))
        return False
    ReviewStore(store_path(db)).add(review)
    from etl.ingest import rebuild

    try:
        with st.spinner(t("upload_running", lang)):
            rebuild(reports_dir(db), db)
    except Exception as error:  # noqa: BLE001 - the review is stored; say why the database is not updated
        st.session_state[FLASH] = ("warn", t("review_stored_not_applied", lang, error=error))
        return True
    st.session_state[FLASH] = ("ok", t("review_saved", lang, action=t(f"action_{review.action}", lang).lower(),
                                     who=review.reviewer))
    return True


def _plain(value):
    """A DataFrame cell as JSON wants it: NaN/NA -> None, whole floats -> int."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def fact_dict(row: pd.Series, doc: str) -> dict:
    out = {k: _plain(row[k]) for k in ("province", "place", "level", "year", "period", "indicator", "kind",
                                       "comparator", "value", "unit", "evidence")}
    out["doc"] = doc
    return out


def _fields(db: Path, fact: dict, catalog: Catalog, lang: str, key: str) -> dict:
    """Inputs for every attribute a correction may change, filled with the fact's current values. Provinces
    are chosen from the gazetteer's names (either era) and the country, so a correction cannot misspell one."""
    codes = list(catalog.indicators["code"])
    if fact["indicator"] and fact["indicator"] not in codes:
        codes.insert(0, fact["indicator"])
    c = st.columns(4)
    new = {
        "value": c[0].number_input(t("value", lang), value=float(fact["value"]) if fact["value"] is not None else None,
                                   format="%g", key=f"{key}_value"),
        "year": c[1].number_input(t("year", lang), min_value=1900, max_value=2200, step=1,
                                  value=int(fact["year"]) if fact["year"] is not None else None, key=f"{key}_year"),
        "kind": c[2].selectbox(t("kind", lang), KINDS, index=KINDS.index(fact["kind"]),
                               format_func=lambda k: t(k, lang), key=f"{key}_kind"),
        "comparator": c[3].selectbox(t("comparator", lang), COMPARATORS, index=COMPARATORS.index(fact["comparator"]),
                                     key=f"{key}_comparator"),
    }
    c = st.columns(4)
    new["period"] = c[0].selectbox(t("period", lang), PERIODS, index=PERIODS.index(fact["period"]),
                                   format_func=lambda p: period_label(p, lang), key=f"{key}_period")
    new["level"] = c[1].selectbox(t("level", lang), LEVELS, index=LEVELS.index(fact["level"]),
                                  format_func=lambda lv: t(f"level_{lv}", lang), key=f"{key}_level")
    names = set(data.read(db, queries.province_map)["province"]) - {NATIONAL}
    provinces = [None, NATIONAL, *sorted(names, key=lambda n: unicodedata.normalize("NFD", n.replace("Đ", "D")))]
    if fact["province"] not in provinces:
        provinces.insert(1, fact["province"])
    new["province"] = c[2].selectbox(t("province", lang), provinces, index=provinces.index(fact["province"]),
                                     format_func=lambda p: p or t("unknown", lang), key=f"{key}_province")
    new["place"] = c[3].text_input(t("place", lang), value=fact["place"] or "", key=f"{key}_place")
    c = st.columns([3, 1])
    new["indicator"] = c[0].selectbox(t("indicator", lang), codes, index=codes.index(fact["indicator"]),
                                      format_func=lambda code: f"{catalog.label(code, lang)} ({code})",
                                      key=f"{key}_indicator")
    new["unit"] = c[1].selectbox(t("unit", lang), UNITS, index=UNITS.index(fact["unit"]), key=f"{key}_unit")
    new["place"] = new["place"].strip() or None
    new["year"] = int(new["year"]) if new["year"] is not None else None
    if new["value"] is not None and float(new["value"]).is_integer():
        new["value"] = int(new["value"])
    return new


def review_panel(db: Path, facts: pd.DataFrame, catalog: Catalog, lang: str, key: str,
                 preselect: int | None = None) -> None:
    """Confirm, correct or reject one of `facts` (rows of queries.document_facts or facts_table, with `doc`)."""
    st.subheader(t("review_header", lang))
    st.caption(t("review_intro", lang))
    show_flash()
    if facts.empty:
        return
    by_id = facts.set_index("fact_id", drop=False)
    ids = [int(i) for i in facts["fact_id"]]
    if preselect in ids and st.session_state.get(f"{key}_last_preselect") != preselect:
        st.session_state[f"{key}_fact"] = preselect
        st.session_state[f"{key}_last_preselect"] = preselect
    if st.session_state.get(f"{key}_fact") not in ids:
        st.session_state[f"{key}_fact"] = ids[0]

    def label(fact_id: int) -> str:
        row = by_id.loc[fact_id]
        status = t(f"status_{row['status']}", lang)
        words = row["evidence"] if len(row["evidence"]) <= 70 else row["evidence"][:67] + "…"
        return f"{ui.fact_label(row, catalog, lang)} · {status} · «{words}»"

    fact_id = st.selectbox(t("review_fact", lang), ids, format_func=label, key=f"{key}_fact")
    row = by_id.loc[fact_id]
    action = st.radio(t("review_action", lang), ACTIONS, format_func=lambda a: t(f"action_{a}", lang),
                      horizontal=True, key=f"{key}_action")
    doc = str(row["doc"])
    old = fact_dict(row, doc)
    with st.form(f"{key}_form_{fact_id}_{action}", border=True):
        st.markdown(f"«{row['evidence']}»")
        new = _fields(db, old, catalog, lang, f"{key}_{fact_id}") if action == "correct" else dict(old)
        note = st.text_input(t("review_note", lang), key=f"{key}_note_{fact_id}_{action}")
        name = reviewer_input(lang, f"{key}_reviewer_{fact_id}_{action}")
        submitted = st.form_submit_button(t("review_save", lang), type="primary")
    if not submitted:
        return
    if not name:
        st.error(t("reviewer_needed", lang))
        return
    if action == "correct" and all(new[k] == old[k] for k in EDITABLE):
        st.warning(t("review_nochange", lang))
        return
    doc_row = data.read(db, queries.document, doc)
    review = Review(doc, int(row["start_offset"]), int(row["end_offset"]), action, {**old, **new}, name, now_iso(),
                    note.strip() or None, str(doc_row["doc_hash"].iloc[0]) if not doc_row.empty else None, old)
    if _submit(db, review, lang):
        st.rerun()


def add_panel(db: Path, doc: pd.Series, catalog: Catalog, lang: str, key: str) -> None:
    """Add a figure the extractor missed, by the words of the report that state it."""
    st.subheader(t("add_header", lang))
    text = str(doc["text"])
    words = st.text_input(t("add_words", lang), key=f"{key}_words").strip()
    found = []
    if words:
        at = text.find(words)
        while at >= 0:
            found.append(at)
            at = text.find(words, at + 1)
        if not found:
            st.warning(t("add_not_found", lang, words=words))
            return
        st.caption(t("add_found", lang, n=format_number(len(found), lang)))
    if not words:
        return
    occurrence = 1
    if len(found) > 1:
        occurrence = int(st.number_input(t("add_occurrence", lang), 1, len(found), 1, key=f"{key}_occurrence"))
    start = found[occurrence - 1]
    default = {"province": doc["province"] if isinstance(doc["province"], str) else None,
               "place": doc["place"] if isinstance(doc["place"], str) else None, "level": "province",
               "year": _plain(doc["year"]), "period": "year", "indicator": str(catalog.indicators["code"].iloc[0]),
               "kind": "actual", "comparator": "=", "value": None, "unit": "percent"}
    with st.form(f"{key}_add_form", border=True):
        new = _fields(db, default, catalog, lang, f"{key}_add")
        note = st.text_input(t("review_note", lang), key=f"{key}_add_note")
        name = reviewer_input(lang, f"{key}_add_reviewer")
        submitted = st.form_submit_button(t("review_save", lang), type="primary")
    if not submitted:
        return
    if not name:
        st.error(t("reviewer_needed", lang))
        return
    fact = {**new, "doc": str(doc["file"]), "evidence": words}
    review = Review(str(doc["file"]), start, start + len(words), "add", fact, name, now_iso(), note.strip() or None,
                    str(doc["doc_hash"]))
    if _submit(db, review, lang):
        st.rerun()


def fact_summary(fact: dict | None, catalog: Catalog, lang: str) -> str:
    if not fact:
        return "–"
    parts = [catalog.label(fact.get("indicator", ""), lang) if fact.get("indicator") else None,
             t(fact["kind"], lang).lower() if fact.get("kind") in KINDS else None,
             format_number(fact["value"], lang) if isinstance(fact.get("value"), int | float) else None,
             fact.get("province"), str(fact["year"]) if fact.get("year") else None]
    return " · ".join(p for p in parts if p)


def history(db: Path, doc: str, catalog: Catalog, lang: str) -> None:
    """Every review of a report: who, when, and old → new."""
    reviews = [r for r in ReviewStore(store_path(db)).all() if r.doc == doc]
    if not reviews:
        return
    with st.expander(t("review_history", lang, n=len(reviews))):
        for r in reversed(reviews):
            st.markdown(t("review_history_line", lang, at=r.at.replace("T", " ").replace("Z", " UTC"), who=r.reviewer,
                          action=t(f"action_{r.action}", lang), old=fact_summary(r.old, catalog, lang),
                          new=fact_summary(r.fact, catalog, lang))
                        + (f" — {r.note}" if r.note else ""))
