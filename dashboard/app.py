"""Entry point: `streamlit run dashboard/app.py`. Routes to the pages; each page draws itself."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

if __package__ in (None, ""):  # run as a script by `streamlit run`: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.filters import current_lang  # noqa: E402
from dashboard.i18n import t  # noqa: E402

HERE = Path(__file__).resolve().parent

lang = current_lang()
st.set_page_config(page_title=t("app_title", lang), page_icon="📊", layout="wide")
# The first page answers at / and at its own address /muc-tieu: Streamlit serves a default page only at the
# root, so the root is a hidden page running the same script, and the menu's entry keeps /muc-tieu.
pages = [
    st.Page(HERE / "pages" / "targets.py", title=t("page_targets", lang), url_path="trang-dau", default=True,
            visibility="hidden"),
    st.Page(HERE / "pages" / "targets.py", title=t("page_targets", lang), url_path="muc-tieu"),
    st.Page(HERE / "pages" / "compare.py", title=t("page_compare", lang), url_path="so-sanh"),
    st.Page(HERE / "pages" / "trends.py", title=t("page_trends", lang), url_path="xu-huong"),
    st.Page(HERE / "pages" / "map.py", title=t("page_map", lang), url_path="ban-do"),
    st.Page(HERE / "pages" / "sources.py", title=t("page_sources", lang), url_path="nguon"),
    st.Page(HERE / "pages" / "report.py", title=t("page_report", lang), url_path="bao-cao"),
    st.Page(HERE / "pages" / "upload.py", title=t("page_upload", lang), url_path="them-bao-cao"),
    st.Page(HERE / "pages" / "orphans.py", title=t("page_orphans", lang), url_path="danh-gia-mat-khop"),
]
st.navigation(pages).run()
