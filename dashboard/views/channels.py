"""渠道获客 Channel CAC / LTV: spend, new customers and CAC per channel over the cohort months in the
dates (CAC = Σ spend / Σ new customers, exact over months), and every channel × campaign × month
row with its LTV, LTV/CAC and payback days (marts.channel_economics)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard import labels as L
from dashboard import queries as Q
from dashboard.filters import Filters, uses
from dashboard.published import query


def by_channel(rows):
    totals = rows.groupby("channel", as_index=False)[["spend", "new_customers"]].sum()
    totals["cac"] = (totals["spend"] / totals["new_customers"].where(totals["new_customers"] > 0)).round(2)
    return totals.sort_values(["spend", "new_customers"], ascending=False)


def render(f: Filters) -> None:
    st.header(L.PAGES["channels"])
    uses(L.DATES + " (获客月 cohort month)")
    rows = query(Q.CHANNELS, f.params())
    if rows.empty:
        st.info(L.bi("所选日期没有渠道数据", "No channel rows in these dates"))
        return
    totals = by_channel(rows)
    paid = totals[totals["spend"] > 0]
    if not paid.empty:
        st.altair_chart(charts.bars(paid[["channel", "cac"]].dropna(), "channel", "cac",
                                    L.bi("各渠道获客成本 (元)", "CAC per channel (元)")))
    st.dataframe(totals.rename(columns={"channel": L.CHANNEL, "spend": L.SPEND,
                                        "new_customers": L.NEW_CUSTOMERS,
                                        "cac": L.bi("合计获客成本", "CAC over the months")}),
                 hide_index=True)
    st.subheader(L.bi("渠道 × 活动 × 获客月", "Channel × campaign × cohort month"))
    st.dataframe(rows.rename(columns={
        "channel": L.CHANNEL, "campaign": L.CAMPAIGN, "cohort_month": L.COHORT_MONTH, "spend": L.SPEND,
        "new_customers": L.NEW_CUSTOMERS, "cac": L.CAC, "ltv_30d": "LTV 30d", "ltv_90d": "LTV 90d",
        "ltv_180d": "LTV 180d", "ltv_to_cac_180d": "LTV/CAC 180d", "payback_days": L.PAYBACK}),
        hide_index=True,
        column_config={L.COHORT_MONTH: st.column_config.DateColumn(format="YYYY-MM")})
