"""Tables behind the charts: formatted for the page, raw numbers with readable headers for export."""

from __future__ import annotations

import pandas as pd

from dashboard.charts import IndicatorMeta, with_series
from dashboard.formatting import format_date, format_threshold, format_value, is_missing
from dashboard.i18n import period_label, t


def _national(r, lang: str) -> str:
    return f" ({t('target_national', lang).lower()})" if getattr(r, "target_scope", None) == "national" else ""


def _att(value, lang: str, trend=None) -> str:
    """The verdict in words; progress toward a 'by' target says whether it is on track when that is known."""
    if is_missing(value):
        return ""
    return t(f"att_{value}", lang) + (f" — {t('trend_' + trend, lang)}" if isinstance(trend, str) else "")


def points_display(points: pd.DataFrame, meta: IndicatorMeta, lang: str) -> pd.DataFrame:
    """One row per locality and year, figures written as the reader writes them (99,8%; 1.525)."""
    frame = with_series(points, lang)
    rows = []
    for r in frame.itertuples():
        rows.append(
            {
                t("province", lang): r.series,
                t("year", lang): str(int(r.year)),
                t("actual", lang): ""
                if is_missing(r.actual_value)
                else format_value(r.actual_value, meta.unit, lang)
                + ("" if r.actual_period == "year" else f" ({period_label(r.actual_period, lang)})"),
                t("target", lang): ""
                if is_missing(r.target_value)
                else format_threshold(r.target_comparator, r.target_value, meta.unit, lang)
                + _national(r, lang),
                t("attainment", lang): _att(r.attainment, lang, getattr(r, "trend", None)),
                t("source", lang): _source(r, lang),
            }
        )
    return pd.DataFrame(rows)


def _source(r, lang: str) -> str:
    parts = []
    for prefix in ("actual", "target"):
        doc = getattr(r, f"{prefix}_doc")
        if isinstance(doc, str) and (prefix == "actual" or doc != r.actual_doc):
            title = getattr(r, f"{prefix}_title")
            published = getattr(r, f"{prefix}_published")
            parts.append(
                f"{title if isinstance(title, str) and title else doc} "
                f"({format_date(published, lang) if not is_missing(published) else t('no_date', lang)})"
            )
    return "; ".join(parts)


def points_export(points: pd.DataFrame, meta: IndicatorMeta, lang: str) -> pd.DataFrame:
    """The data behind a chart as numbers (not text), one row per locality and year, with its sources."""
    frame = with_series(points, lang)
    out = pd.DataFrame(
        {
            "locality": frame["series"],
            "province": frame["province"],
            "province_today": frame.get("province_now", frame["province"]),
            "place": frame["place"],
            "year": frame["year"],
            "indicator": frame["indicator"] if "indicator" in frame else meta.code,
            "indicator_name": meta.label,
            "unit": frame["unit"],
            "actual_value": frame["actual_value"],
            "actual_comparator": frame["actual_comparator"],
            "actual_period": frame["actual_period"],
            "target_comparator": frame["target_comparator"],
            "target_value": frame["target_value"],
            "target_period": frame["target_period"],
            "attainment": frame["attainment"],
            "actual_fact_id": frame["actual_id"],
            "actual_evidence": frame["actual_evidence"],
            "actual_report": frame["actual_doc"],
            "actual_report_title": frame["actual_title"],
            "actual_report_date": frame["actual_published"],
            "actual_report_source": frame["actual_source"],
            "target_fact_id": frame["target_id"],
            "target_evidence": frame["target_evidence"],
            "target_report": frame["target_doc"],
            "target_report_title": frame["target_title"],
            "target_report_date": frame["target_published"],
            "target_report_source": frame["target_source"],
        }
    )
    return out


def overview_export(latest: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    frame = with_series(latest, lang)
    return pd.DataFrame(
        {
            "locality": frame["series"],
            "indicator": frame["indicator"],
            "indicator_name": [labels.get(c, c) for c in frame["indicator"]],
            "year": frame["year"],
            "unit": frame["unit"],
            "actual_value": frame["actual_value"],
            "target_comparator": frame["target_comparator"],
            "target_value": frame["target_value"],
            "attainment": frame["attainment"],
            "actual_report_title": frame["actual_title"],
            "actual_report_date": frame["actual_published"],
            "target_report_title": frame["target_title"],
            "target_report_date": frame["target_published"],
        }
    )


def national_export(national: pd.DataFrame, meta: IndicatorMeta) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "locality": "Cả nước",
            "province": "Cả nước",
            "year": national["year"],
            "indicator": meta.code,
            "indicator_name": meta.label,
            "unit": national["unit"],
            "actual_value": national["actual_value"],
            "actual_comparator": national["actual_comparator"],
            "actual_period": national["actual_period"],
            "actual_fact_id": national["actual_id"],
            "actual_evidence": national["actual_evidence"],
            "actual_report_title": national["actual_title"],
            "actual_report_date": national["actual_published"],
            "actual_report_source": national["actual_source"],
        }
    )


FACT_EXPORT_COLUMNS = [
    "fact_id",
    "province",
    "place",
    "level",
    "year",
    "period",
    "indicator",
    "indicator_name",
    "kind",
    "comparator",
    "value",
    "unit",
    "denominator",
    "evidence",
    "doc",
    "title",
    "published",
    "source",
    "start_offset",
    "end_offset",
    "status",
]


def facts_export(facts: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    out = facts.copy()
    out["indicator_name"] = [labels.get(c, c) for c in out["indicator"]]
    return out[[c for c in FACT_EXPORT_COLUMNS if c in out.columns]]


def facts_display(facts: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    rows = []
    for r in facts.itertuples():
        figure = (
            format_threshold(r.comparator, r.value, r.unit, lang)
            if r.kind == "target"
            else format_value(r.value, r.unit, lang)
        )
        rows.append(
            {
                t("province", lang): r.province + (f" · {r.place}" if isinstance(r.place, str) and r.place else ""),
                t("year", lang): "" if is_missing(r.year) else str(int(r.year)),
                t("indicator", lang): labels.get(r.indicator, r.indicator),
                t("kind", lang): t(r.kind, lang),
                t("value", lang): figure + ("" if r.period == "year" else f" ({period_label(r.period, lang)})"),
                t("evidence", lang): r.evidence,
                t("report", lang): r.title if isinstance(r.title, str) and r.title else r.doc,
                t("published", lang): format_date(r.published, lang),
                **({t("status", lang): t(f"status_{r.status}", lang)} if hasattr(r, "status") else {}),
            }
        )
    return pd.DataFrame(rows)


def visible(points: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The points the kind filter keeps: all, those with a target, or those with an actual."""
    if kind == "target":
        return points[points["target_value"].notna()]
    if kind == "actual":
        return points[points["actual_value"].notna()]
    return points
