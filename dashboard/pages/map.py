"""Bản đồ: each province coloured by its figure for one year, or by its target's verdict; a click shows the
province's facts and can add it to the filter. The 'today' switch picks the 34-province map."""

from __future__ import annotations

import streamlit as st

from dashboard import data, export, filters, maps, queries, ui
from dashboard.formatting import format_year_range
from dashboard.i18n import t

YEAR_KEY, MODE_KEY, KEPT_KEY = "w_map_year", "w_map_mode", "map_kept_click"

# The map's own choices live in the URL too (myear, map), seeded from it on a session's first run.
if MODE_KEY not in st.session_state:
    mode_param = st.query_params.get("map")
    st.session_state[MODE_KEY] = mode_param if mode_param in maps.MODES else "value"
if YEAR_KEY not in st.session_state and str(st.query_params.get("myear", "")).isdigit():
    st.session_state[YEAR_KEY] = int(st.query_params["myear"])
url_extra = {"map": st.session_state[MODE_KEY]} if st.session_state[MODE_KEY] != "value" else {}
if st.session_state.get(YEAR_KEY):
    url_extra["myear"] = str(st.session_state[YEAR_KEY])

lang = filters.current_lang()
db = ui.database_or_stop(lang)
view, catalog = filters.sidebar(db, url_extra=url_extra)
lang = view.lang
ui.status_caption(db, lang)

st.title(t("page_map", lang))
st.caption(t("map_intro", lang))

meta = ui.indicator_meta(catalog, view.indicator, lang)
flt = queries.MapFilter(view.indicator, meta.unit, view.year_from, view.year_to, view.today_provinces)
figures, codes = data.read_all(db, (queries.map_figures, flt), (queries.province_codes, flt.era))
names = dict(zip(codes["code"], codes["province"], strict=True))
code_of = {province: code for code, province in names.items()}


def _add_to_filter(clicked: list) -> None:
    """Runs before the next run draws the sidebar, so the province widget can take the new value. The map
    is redrawn with the province outlined, which clears the click: its facts stay shown for that run."""
    province = clicked[1]
    chosen = st.session_state[filters.VIEW_KEY]["prov"]
    if province not in chosen:
        chosen.append(province)
    st.session_state["w_prov"] = list(chosen)
    st.session_state[KEPT_KEY] = clicked


st.radio(
    t("map_mode", lang),
    maps.MODES,
    key=MODE_KEY,
    horizontal=True,
    format_func=lambda m: t(f"map_mode_{m}", lang),
)
mode = st.session_state[MODE_KEY]
years = maps.map_years(figures, mode)
if view.level != "province":
    st.info(t("map_level_note", lang, level=t(f"level_{view.level}", lang).lower()))
if not years:
    st.info(
        t(
            "map_nothing",
            lang,
            indicator=meta.label,
            years=format_year_range(view.year_from, view.year_to),
            mode=t(f"map_mode_{mode}", lang).lower(),
        )
    )
    st.stop()
if st.session_state.get(YEAR_KEY) not in years:
    st.session_state[YEAR_KEY] = years[-1]
st.radio(t("map_year", lang), years, key=YEAR_KEY, horizontal=True)
year = int(st.session_state[YEAR_KEY])

outlined = tuple(code_of[p] for p in view.provinces if p in code_of)
fig = maps.province_map(figures, names, flt.era, meta, year, mode, lang, outlined)
left, right = st.columns([5, 3], gap="medium")
with left:
    event = st.plotly_chart(fig, key="map_chart", on_select="rerun", selection_mode=("points",),
                            config=ui.PLOTLY_CONFIG)
    st.caption(t(f"map_era_{flt.era}", lang))  # the attribution is on the map itself
    missing = maps.unplaced(figures, year)
    if missing:
        st.caption(t("map_unplaced", lang, provinces=", ".join(missing)))
    kinds = ("actual",) if mode == "value" else ("target", "actual")

    def framed(figure, title, filter_line, _sources, lang_, width, height):
        """The exported image, with the reports behind the year: read only when a file is asked for."""
        sources = maps.source_lines(data.read(db, queries.map_sources, flt, year, kinds), lang_)
        return maps.for_export(figure, title, filter_line, sources, lang_, width, height)

    ui.export_buttons(
        fig,
        maps.map_table(figures, names, year, mode, lang),
        export.file_stem(view.indicator, view.provinces, year, year, f"map_{'34' if flt.era == '2025' else '63'}"),
        view.describe(meta.label) + f" · {t(f'map_mode_{mode}', lang)} {year}",
        [],
        lang,
        key="map",
        framer=framed,
    )

with right:
    clicked = maps.selected_area(event) or st.session_state.pop(KEPT_KEY, None)
    if not clicked:
        st.caption(t("map_click_hint", lang))
    else:
        code, province = clicked[0], clicked[1]
        st.subheader(t("map_selected_heading", lang, province=province, year=year))
        if province in view.provinces:
            st.caption(t("map_in_filter", lang, province=province))
        else:
            st.button(
                t("map_add_to_filter", lang, province=province),
                key="map_add",
                on_click=_add_to_filter,
                args=(clicked,),
                icon=":material/add:",
            )
        rows = figures[(figures["year"] == year) & (figures["code"] == code)]
        keys = tuple((p, "", year) for p in dict.fromkeys(rows["province"]))
        facts = data.read(db, queries.facts_at_points, view.indicator, "province", keys) if keys else None
        if facts is None or facts.empty:
            st.info(t("map_no_facts", lang, province=province, year=year))
        else:
            for row in facts.itertuples():
                ui.fact_card(row, catalog, lang)
