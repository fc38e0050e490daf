"""导购排行 Guide leaderboard: 私域业绩 = 客群资产数 × 营销传递率 × 场景转化率 × 客单价 per guide for a
month (marts.guide_performance; the product equals touched_net_revenue to the cent)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard import labels as L
from dashboard import queries as Q
from dashboard.filters import Filters, uses
from dashboard.published import query

FACTORS = ["customer_asset_count", "delivery_rate", "scene_conversion_rate", "revenue_per_buyer"]


def render(f: Filters) -> None:
    st.header(L.PAGES["guides"])
    st.markdown(f"**{L.PERFORMANCE}** = {L.ASSET_COUNT} × {L.DELIVERY_RATE} × {L.SCENE_CONVERSION} × "
                f"{L.REVENUE_PER_BUYER}")
    uses(L.DATES + " (月 month)", L.GUIDE)
    months = [pd.Timestamp(m).date() for m in query(Q.GUIDE_MONTHS, f.params())["month"]]
    if not months:
        st.info(L.bi("所选日期没有导购业绩", "No guide performance in these dates"))
        return
    month = st.selectbox(L.bi("月份", "Month"), months, format_func=lambda m: f"{m:%Y-%m}", key="month")
    board = query(Q.GUIDE_LEADERBOARD, f.params(month=month))
    # the product of the four factors, null where a rate is (a guide with nobody reached): shown
    # beside the mart's own touched_net_revenue so the decomposition can be read off the row
    board["product"] = board[FACTORS].prod(axis=1, skipna=False).round(2)
    table = board[["userid", "product", *FACTORS, "touched_net_revenue", "reached_customers", "buyers",
                   "untouched_net_revenue"]].rename(columns={
        "userid": L.GUIDE, "customer_asset_count": L.ASSET_COUNT, "delivery_rate": L.DELIVERY_RATE,
        "scene_conversion_rate": L.SCENE_CONVERSION, "revenue_per_buyer": L.REVENUE_PER_BUYER,
        "product": L.PERFORMANCE, "touched_net_revenue": L.bi("触达成交额", "Touched net revenue (mart)"),
        "reached_customers": L.REACHED, "buyers": L.BUYERS, "untouched_net_revenue": L.UNTOUCHED})
    top = board[board["product"] > 0].head(15)  # who sold anything through a one-to-one send
    if not top.empty:
        st.altair_chart(charts.bars(top[["userid", "product"]].rename(
            columns={"userid": "guide", "product": "net_revenue"}), "guide", "net_revenue",
            L.bi("私域业绩前 15 名", "Top 15 by touched net revenue")))
    st.dataframe(table, hide_index=True, column_config={
        L.DELIVERY_RATE: st.column_config.NumberColumn(format="percent"),
        L.SCENE_CONVERSION: st.column_config.NumberColumn(format="percent"),
        L.REVENUE_PER_BUYER: st.column_config.NumberColumn(format="%.2f"),
    })
