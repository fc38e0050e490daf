"""留存 Cohort retention: the share of each acquisition month's customers who purchased N months
after it (marts.cohort_retention), as a heatmap."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard import labels as L
from dashboard import queries as Q
from dashboard.filters import Filters, uses
from dashboard.published import query


def render(f: Filters) -> None:
    st.header(L.PAGES["cohorts"])
    uses(L.DATES + " (获客月 cohort month)")
    rows = query(Q.COHORTS, f.params())
    if rows.empty:
        st.info(L.bi("所选日期没有留存数据", "No cohort rows in these dates"))
        return
    rows["cohort"] = [f"{pd.Timestamp(m):%Y-%m}" for m in rows["cohort_month"]]
    st.altair_chart(charts.heatmap(rows[["cohort", "months_since_acquisition", "purchasing_rate",
                                         "cohort_customers", "purchasing_customers"]],
                                   "months_since_acquisition", "cohort", "purchasing_rate",
                                   L.bi("购买率 (获客月 × 获客后月数)",
                                        "Purchasing rate (cohort × months since)")))
    st.dataframe(rows.drop(columns=["cohort"]).rename(columns={
        "cohort_month": L.COHORT_MONTH, "months_since_acquisition": L.MONTHS_SINCE,
        "cohort_customers": L.bi("获客数", "Cohort customers"),
        "purchasing_customers": L.bi("购买客户", "Purchasing"),
        "repurchasing_customers": L.bi("复购客户", "Repurchasing"), "net_revenue": L.NET_REVENUE,
        "purchasing_rate": L.PURCHASING_RATE}), hide_index=True,
        column_config={L.COHORT_MONTH: st.column_config.DateColumn(format="YYYY-MM"),
                       L.PURCHASING_RATE: st.column_config.NumberColumn(format="percent")})
