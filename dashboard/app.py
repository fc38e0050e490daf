"""The Streamlit script `siyu dashboard` runs: the sidebar (page, dates, store, guide), then the page.

Started as `streamlit run dashboard/app.py` with $SIYU_DASHBOARD_PUBLISHED naming the published copy
(orchestration/cli.py, cmd_dashboard). `?page=quality` in the address opens that page.
"""

from __future__ import annotations

import streamlit as st

from dashboard import labels as L
from dashboard.filters import sidebar
from dashboard.published import NotPublished
from dashboard.views import assets, channels, cohorts, fission, funnel, guides, quality, rfm

VIEWS = {"assets": assets, "guides": guides, "funnel": funnel, "rfm": rfm, "channels": channels,
         "cohorts": cohorts, "fission": fission, "quality": quality}


def main() -> None:
    st.set_page_config(page_title=L.bi("私域看板", "Siyu dashboard"), page_icon="📊", layout="wide")
    st.sidebar.title(L.bi("私域看板", "Siyu dashboard"))
    pages = list(VIEWS)
    wanted = st.query_params.get("page")
    page = st.sidebar.radio(L.bi("页面", "Page"), pages, format_func=L.PAGES.get, key="page",
                            index=pages.index(wanted) if wanted in VIEWS else 0)
    try:
        filters = sidebar()
    except NotPublished as exc:
        st.error(str(exc))
        return
    if filters is None:
        st.info(L.bi("发布副本里还没有已加载的日期", "The published copy holds no loaded day yet"))
        return
    VIEWS[page].render(filters)
    st.sidebar.caption(L.bi("数据来自发布副本, 每次加载重新打开", "Read from the published copy, reopened "
                            "on every load") + "; no personal data.")


main()
