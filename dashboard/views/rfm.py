"""RFM 分层 RFM segments: the eight standard segments as a grid (R, F high or low across, M down),
the eleven-segment map, super users, and the revenue Pareto curve of the as-of date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard import labels as L
from dashboard import queries as Q
from dashboard.filters import Filters, uses
from dashboard.published import query

ROWS = {True: L.bi("重要 (M高)", "Important (M high)"), False: L.bi("一般 (M低)", "Ordinary (M low)")}
COLUMNS = {(True, True): L.bi("价值 R高F高", "Value R+F+"),
           (True, False): L.bi("发展 R高F低", "Develop R+F−"),
           (False, True): L.bi("保持 R低F高", "Retain R−F+"),
           (False, False): L.bi("挽留 R低F低", "Win back R−F−")}


def grid(segments: pd.DataFrame) -> pd.DataFrame:
    """Customers per standard segment, laid out as R/F across and M down (0 where none)."""
    counts = dict(zip(segments["segment_cn"], segments["customers"], strict=True))
    return pd.DataFrame(
        {column: [int(counts.get(L.RFM_GRID[(r, f, m)], 0)) for m in ROWS]
         for (r, f), column in COLUMNS.items()},
        index=list(ROWS.values()))


def render(f: Filters) -> None:
    st.header(L.PAGES["rfm"])
    dates = [pd.Timestamp(d).date() for d in query(Q.RFM_DATES)["as_of_date"]]
    if not dates:
        st.info(L.bi("还没有 RFM 快照", "No RFM snapshot yet"))
        return
    as_of = st.selectbox(L.bi("截至日期", "As of"), dates, key="as_of")
    uses(L.bi("截至日期", "As-of date"), L.STORE, L.GUIDE)
    segments = query(Q.RFM_SEGMENTS, f.params(as_of=as_of))
    cn = segments.groupby("segment_cn", as_index=False)[["customers", "net_revenue", "super_users"]].sum()
    st.subheader(L.bi("八类客户", "The eight segments") + f" · {as_of}")
    st.dataframe(grid(cn))
    buyers, super_users = int(cn["customers"].sum()), int(cn["super_users"].sum())
    left, right = st.columns(2)
    left.metric(L.bi("购买客户", "Buyers"), f"{buyers:,}")
    right.metric(L.SUPER_USERS, f"{super_users:,}")
    en = segments.groupby("segment_en", as_index=False)["customers"].sum().sort_values("customers")
    if not en.empty:
        st.altair_chart(charts.bars(en.rename(columns={"segment_en": "segment"}), "segment", "customers",
                                    L.bi("十一类客户", "Eleven-segment map")))
    st.subheader(L.bi("超级用户帕累托曲线", "Super-user Pareto curve"))
    uses(L.bi("截至日期", "As-of date") + " (全品牌 whole brand)")
    pareto = query(Q.PARETO, f.params(as_of=as_of))
    if pareto.empty:
        st.info(L.bi("没有帕累托数据", "No Pareto rows"))
        return
    st.metric(L.bi("前 20% 客户的收入占比", "Revenue share of the top 20%"),
              f"{pareto['top20_share_of_revenue'].iloc[0]:.1%}")
    st.altair_chart(charts.line(pareto, "percentile_bucket", "cumulative_share_of_revenue",
                                L.bi("累计收入占比 (按客户百分位)",
                                     "Cumulative share of revenue by customer percentile")))
