"""The shared sidebar: filters that every page reads, kept in the URL so a copied link opens the same view.

The URL holds stable codes (province names, indicator codes, years), not labels, so a link works in
either language. The values live in st.session_state["view"] between pages; the widgets are seeded from
it (on a session's first run, from the URL) and write back to it, and the URL is rewritten from it on
every run.

URL keys: prov (repeated), from, to, ind, level, kind, today=1, reviewed=1, lang=en.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import data, queries
from dashboard.i18n import KINDS, LANGS, LEVELS, THEMES, indicator_label, named_for_unit, t

DEFAULT_PROVINCES = ("Hà Nội", "Hải Phòng", "Quảng Ninh")
VIEW_KEY = "view"
URL_KEYS = ("prov", "from", "to", "ind", "level", "kind", "today", "reviewed", "lang")


@dataclass(frozen=True)
class View:
    """What the person is looking at."""

    lang: str
    provinces: tuple[str, ...]
    year_from: int
    year_to: int
    theme: str
    indicator: str
    level: str
    kind: str  # both, target, actual
    today_provinces: bool
    reviewed_only: bool = False  # only facts a person confirmed, corrected or added

    def fact_filter(self, indicators: tuple[str, ...] | None = None) -> queries.FactFilter:
        return queries.FactFilter(
            self.provinces,
            self.year_from,
            self.year_to,
            indicators if indicators is not None else (self.indicator,),
            self.level,
            self.today_provinces,
            self.reviewed_only,
        )

    def describe(self, indicator_name: str | None = None) -> str:
        """The filters in words, for captions under exported charts."""
        parts = [
            ", ".join(self.provinces) or "–",
            f"{self.year_from}–{self.year_to}" if self.year_from != self.year_to else str(self.year_from),
            t(f"level_{self.level}", self.lang),
        ]
        if indicator_name:
            parts.insert(0, indicator_name)
        if self.kind != "both":
            parts.append(t(f"kind_{self.kind}", self.lang))
        if self.today_provinces:
            parts.append(t("today_provinces", self.lang))
        if self.reviewed_only:
            parts.append(t("reviewed_only", self.lang))
        return " · ".join(parts)


@dataclass(frozen=True)
class Catalog:
    """The choices the data offers."""

    provinces: tuple[str, ...]
    year_min: int
    year_max: int
    indicators: pd.DataFrame  # queries.indicator_catalog

    def names(self) -> dict[str, tuple[str, str]]:
        known = self.indicators[self.indicators["name_vi"].notna()]
        return {
            c: named_for_unit(v, e, u)
            for c, v, e, u in zip(known["code"], known["name_vi"], known["name_en"], known["unit"], strict=True)
        }

    def theme_of(self, code: str) -> str:
        rows = self.indicators[self.indicators["code"] == code]
        return rows["theme"].iloc[0] if not rows.empty else "other"

    def codes(self, theme: str) -> list[str]:
        return list(self.indicators.loc[self.indicators["theme"] == theme, "code"])

    def unit(self, code: str) -> str:
        rows = self.indicators[self.indicators["code"] == code]
        return rows["unit"].iloc[0] if not rows.empty else "count"

    def direction(self, code: str) -> str:
        rows = self.indicators[self.indicators["code"] == code]
        return rows["direction"].iloc[0] if not rows.empty else "up"

    def n_facts(self, code: str, level: str | None = None) -> int:
        rows = self.indicators[self.indicators["code"] == code]
        if rows.empty:
            return 0
        return int(rows[f"n_{level}"].iloc[0] if level else rows["n_facts"].iloc[0])

    def label(self, code: str, lang: str) -> str:
        return indicator_label(code, self.names(), lang)


def load_catalog(db, today_provinces: bool) -> Catalog:
    summary, provinces, indicators = data.read_all(
        db, (queries.database_summary,), (queries.province_options, today_provinces), (queries.indicator_catalog,)
    )
    summary = summary.iloc[0]
    names = provinces["province"].tolist()
    ordered = [p for p in DEFAULT_PROVINCES if p in names] + [p for p in names if p not in DEFAULT_PROVINCES]
    year_min = int(summary["year_min"]) if pd.notna(summary["year_min"]) else 2016
    year_max = int(summary["year_max"]) if pd.notna(summary["year_max"]) else 2025
    return Catalog(tuple(ordered), year_min, max(year_max, year_min), indicators)


def current_lang() -> str:
    """The language of this run: the toggle's value, else the URL's, else Vietnamese."""
    if "w_lang" in st.session_state:
        return "en" if st.session_state["w_lang"] else "vi"
    view = st.session_state.get(VIEW_KEY)
    if view:
        return view["lang"]
    lang = st.query_params.get("lang", "vi")
    return lang if lang in LANGS else "vi"


def default_indicator(catalog: Catalog, provinces: tuple[str, ...], pairs: pd.DataFrame | None = None) -> str:
    """The indicator with the most targets judged against a full-year actual for the chosen provinces and
    years (pairs: queries.indicators_by_pairs), so the first page opens on what matters; without any, the
    one with the most province-level facts."""
    if pairs is not None and not pairs.empty:
        known = set(catalog.indicators.loc[catalog.indicators["theme"] != "other", "code"])
        ranked = pairs[pairs["indicator"].isin(known) & (pairs["n_pairs"] > 0)]
        if not ranked.empty:
            return str(ranked["indicator"].iloc[0])
    frame = catalog.indicators[catalog.indicators["theme"] != "other"]
    frame = frame[frame["n_province"] > 0]
    if frame.empty:
        frame = catalog.indicators
    if frame.empty:
        return "par_index_rank"
    return str(frame.sort_values(["n_province", "position"], ascending=[False, True])["code"].iloc[0])


def prefetch_first_view(db, today_provinces: bool, provinces: tuple[str, ...], level: str) -> None:
    """A session's first page needs the catalog and, to open on the indicator with the most pairs, the pair
    counts: read them on one connection (opening one costs more than these queries at 1,000,000 facts)."""
    data.read_all(
        db,
        (queries.database_summary,),
        (queries.province_options, today_provinces),
        (queries.indicator_catalog,),
        (queries.indicators_by_pairs, provinces, None, None, level if level in LEVELS else "province"),
    )


def read_summary(db) -> pd.DataFrame:
    """The database summary every page checks first; on a session's first page it is read together with what
    the first view needs (prefetch_first_view), so that page opens one connection for all of it."""
    if VIEW_KEY not in st.session_state:
        params = st.query_params
        prefetch_first_view(db, params.get("today") == "1", tuple(params.get_all("prov")) or DEFAULT_PROVINCES,
                            params.get("level", "province"))
    return data.read(db, queries.database_summary)


def _initial_view(db, catalog: Catalog) -> dict:
    """Defaults, overridden by whatever valid values the URL carries."""
    params = st.query_params
    lang = params.get("lang", "vi")
    lang = lang if lang in LANGS else "vi"
    today = params.get("today") == "1"
    provinces = [p for p in params.get_all("prov") if p in catalog.provinces or p in DEFAULT_PROVINCES]
    if not params.get_all("prov"):
        provinces = [p for p in DEFAULT_PROVINCES if p in catalog.provinces] or list(catalog.provinces[:3])
    year_from, year_to = catalog.year_min, catalog.year_max
    try:
        year_from = min(max(int(params.get("from", year_from)), catalog.year_min), catalog.year_max)
        year_to = min(max(int(params.get("to", year_to)), catalog.year_min), catalog.year_max)
    except ValueError:
        year_from, year_to = catalog.year_min, catalog.year_max  # a mangled link: show everything
    if year_from > year_to:
        year_from, year_to = year_to, year_from
    indicator = params.get("ind")
    level = params.get("level", "province")
    if indicator not in set(catalog.indicators["code"]):
        whole = "from" not in params and "to" not in params  # all years: the read prefetch_first_view made
        pairs = data.read(db, queries.indicators_by_pairs, tuple(provinces), None if whole else year_from,
                          None if whole else year_to, level if level in LEVELS else "province")
        indicator = default_indicator(catalog, tuple(provinces), pairs)
    kind = params.get("kind", "both")
    return {
        "lang": lang,
        "prov": provinces,
        "from": year_from,
        "to": year_to,
        "theme": catalog.theme_of(indicator),
        "ind": indicator,
        "level": level if level in LEVELS else "province",
        "kind": kind if kind in KINDS else "both",
        "today": today,
        "reviewed": params.get("reviewed") == "1",
    }


def _write_url(view: dict, catalog: Catalog, extra: dict[str, str] | None = None) -> None:
    """The URL says the view; values equal to the defaults are left out to keep links short."""
    wanted: dict[str, str | list[str]] = {}
    if list(view["prov"]) != [p for p in DEFAULT_PROVINCES if p in catalog.provinces]:
        wanted["prov"] = list(view["prov"]) or [""]
    if view["from"] != catalog.year_min:
        wanted["from"] = str(view["from"])
    if view["to"] != catalog.year_max:
        wanted["to"] = str(view["to"])
    wanted["ind"] = view["ind"]
    if view["level"] != "province":
        wanted["level"] = view["level"]
    if view["kind"] != "both":
        wanted["kind"] = view["kind"]
    if view["today"]:
        wanted["today"] = "1"
    if view.get("reviewed"):
        wanted["reviewed"] = "1"
    if view["lang"] != "vi":
        wanted["lang"] = view["lang"]
    wanted.update(extra or {})
    current = {k: (st.query_params.get_all(k) if k == "prov" else st.query_params.get(k)) for k in st.query_params}
    # keys other pages own (the report view's "doc", the map's "myear") stay in the address for when they open
    wanted = {**{k: v for k, v in current.items() if k not in URL_KEYS}, **wanted}
    if current != wanted:
        st.query_params.from_dict(wanted)


def _seed(widget_key: str, value) -> None:
    """Give the widget its value before it is drawn: the current one, else value.

    Assigning even the current value matters: a widget drawn by another page is a new widget to
    Streamlit, and would otherwise start from its default instead of the value chosen on the last page.
    """
    st.session_state[widget_key] = st.session_state[widget_key] if widget_key in st.session_state else value


def sidebar(
    db, show_indicator: bool = True, show_filters: bool = True, url_extra: dict[str, str] | None = None
) -> tuple[View, Catalog]:
    """Draw the filters; return the view they select and the catalog of choices it was drawn from.

    show_filters=False draws only the language toggle (the report view) and keeps the rest as it was.
    """
    if VIEW_KEY not in st.session_state:
        read_summary(db)  # already read by the page's database check: this only makes sure of it
        st.session_state[VIEW_KEY] = _initial_view(db, load_catalog(db, st.query_params.get("today") == "1"))
    view = st.session_state[VIEW_KEY]
    lang = current_lang()

    with st.sidebar:
        _seed("w_lang", view["lang"] == "en")
        st.toggle(t("english", lang), key="w_lang")
        lang = "en" if st.session_state["w_lang"] else "vi"
        if not show_filters:
            view["lang"] = lang
            _write_url(view, load_catalog(db, view["today"]), url_extra)
            return _as_view(view), load_catalog(db, view["today"])
        st.header(t("filters", lang))

        _seed("w_today", view["today"])
        st.toggle(t("today_provinces", lang), key="w_today", help=t("today_provinces_help", lang))
        today = bool(st.session_state["w_today"])
        catalog = load_catalog(db, today)
        if today != view["today"]:  # names change with the switch: carry the chosen provinces across
            view["prov"] = [p for p in _map_provinces(db, view["prov"], today) if p in catalog.provinces]
            st.session_state["w_prov"] = view["prov"]

        options = list(dict.fromkeys([*catalog.provinces, *[p for p in view["prov"] if p not in catalog.provinces]]))
        _seed("w_prov", [p for p in view["prov"] if p in options])
        st.session_state["w_prov"] = [p for p in st.session_state["w_prov"] if p in options]
        st.multiselect(t("provinces", lang), options, key="w_prov")

        low, high = catalog.year_min, catalog.year_max
        _seed("w_years", (view["from"], view["to"]))
        chosen_from, chosen_to = st.session_state["w_years"]  # a rebuilt database may span other years
        st.session_state["w_years"] = (min(max(chosen_from, low), high), max(min(chosen_to, high), low))
        if low < high:
            st.slider(t("years", lang), min_value=low, max_value=high, key="w_years", step=1)
        else:
            st.session_state["w_years"] = (low, high)
            st.caption(f"{t('years', lang)}: {low}")

        if show_indicator:
            themes = [th for th in THEMES if catalog.codes(th)]
            _seed("w_theme", view["theme"] if view["theme"] in themes else themes[0])
            if st.session_state["w_theme"] not in themes:
                st.session_state["w_theme"] = themes[0]
            st.selectbox(t("theme", lang), themes, key="w_theme", format_func=lambda th: t(f"theme_{th}", lang))
            codes = catalog.codes(st.session_state["w_theme"])
            level = st.session_state.get("w_level", view["level"])
            chosen = view["ind"] if view["ind"] in codes else _first_with_data(catalog, codes, level)
            _seed("w_ind", chosen)
            if st.session_state["w_ind"] not in codes:
                st.session_state["w_ind"] = chosen
            st.selectbox(
                t("indicator", lang),
                codes,
                key="w_ind",
                format_func=lambda c: _indicator_option(catalog, c, lang, level),
            )

        _seed("w_level", view["level"])
        st.selectbox(t("level", lang), list(LEVELS), key="w_level", format_func=lambda lv: t(f"level_{lv}", lang))
        _seed("w_kind", view["kind"])
        st.radio(t("kind", lang), list(KINDS), key="w_kind", format_func=lambda k: t(f"kind_{k}", lang))
        _seed("w_reviewed", bool(view.get("reviewed")))
        st.toggle(t("reviewed_only", lang), key="w_reviewed")
        st.caption(t("copy_link", lang))

    year_from, year_to = st.session_state["w_years"]
    view.update(
        {
            "lang": lang,
            "today": today,
            "prov": list(st.session_state["w_prov"]),
            "from": int(year_from),
            "to": int(year_to),
            "level": st.session_state["w_level"],
            "kind": st.session_state["w_kind"],
            "reviewed": bool(st.session_state["w_reviewed"]),
        }
    )
    if show_indicator:
        view.update({"theme": st.session_state["w_theme"], "ind": st.session_state["w_ind"]})
    _write_url(view, catalog, url_extra)
    return _as_view(view), catalog


def _as_view(view: dict) -> View:
    return View(
        lang=view["lang"],
        provinces=tuple(view["prov"]),
        year_from=view["from"],
        year_to=view["to"],
        theme=view["theme"],
        indicator=view["ind"],
        level=view["level"],
        kind=view["kind"],
        today_provinces=view["today"],
        reviewed_only=bool(view.get("reviewed")),
    )


def _indicator_option(catalog: Catalog, code: str, lang: str, level: str) -> str:
    label = catalog.label(code, lang)
    return label if catalog.n_facts(code, level) else f"{label} — {t('no_indicator_data', lang)}"


def _first_with_data(catalog: Catalog, codes: list[str], level: str) -> str:
    with_data = [c for c in codes if catalog.n_facts(c, level)]
    return (with_data or codes)[0]


def _map_provinces(db, provinces: list[str], today: bool) -> list[str]:
    """Chosen provinces across the switch: on, to today's names (Hải Dương -> Hải Phòng); off, kept as
    they are (today's Hải Phòng is also a former province)."""
    if not today:
        return list(provinces)
    mapping = data.read(db, queries.province_map)
    lookup = dict(zip(mapping["province"], mapping["province_2025"], strict=True))
    return list(dict.fromkeys(lookup.get(p, p) for p in provinces))
