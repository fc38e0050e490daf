"""客户资产 Customer assets: the asset statement as a waterfall per touchpoint (opening + added − lost
= closing over the chosen days), the guides' friendships with transfers, the customers now held."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard import labels as L
from dashboard import queries as Q
from dashboard.filters import Filters, uses
from dashboard.published import query

ORDER = ["wecom", "oa", "group", "any"]


def render(f: Filters) -> None:
    st.header(L.PAGES["assets"])
    st.subheader(L.bi("用户资产表", "Asset statement") + f" · {f.start} – {f.end}")
    uses(L.DATES)
    statement = query(Q.ASSET_STATEMENT, f.params()).set_index("touchpoint").reindex(ORDER).dropna()
    if statement.empty:
        st.info(L.bi("所选日期没有资产表数据", "No asset statement rows in these dates"))
    else:
        columns = st.columns(len(statement))
        for column, (touchpoint, row) in zip(columns, statement.iterrows(), strict=True):
            steps = [(L.OPENING, row.opening, "total"), (L.ADDED, row.added, "up"),
                     (L.LOST, row.lost, "down"), (L.CLOSING, row.closing, "total")]
            column.altair_chart(charts.waterfall(steps, L.TOUCHPOINTS[touchpoint]))
        table = statement.astype("int64").rename(
            columns={"opening": L.OPENING, "added": L.ADDED, "lost": L.LOST, "closing": L.CLOSING})
        table.index = [L.TOUCHPOINTS[t] for t in table.index]
        st.dataframe(table)

    st.subheader(L.bi("导购好友", "Guides' WeCom friendships"))
    uses(L.DATES, L.GUIDE)
    friends = query(Q.GUIDE_FRIENDSHIPS, f.params()).iloc[0]
    if friends.isna().all():
        st.info(L.bi("所选日期没有导购数据", "No guide rows in these dates"))
    else:
        steps = [(L.OPENING, friends.opening, "total"), (L.ADDED, friends.added, "up"),
                 (L.TRANSFERRED_IN, friends.transferred_in, "up"),
                 (L.LOST_BY_CUSTOMER, friends.lost_by_customer, "down"),
                 (L.LOST_BY_GUIDE, friends.lost_by_guide, "down"),
                 (L.TRANSFERRED_OUT, friends.transferred_out, "down"), (L.CLOSING, friends.closing, "total")]
        st.altair_chart(charts.waterfall(steps, f.guide or L.bi("全部导购", "All guides")))

    st.subheader(L.bi("当前客户资产", "Customers held now"))
    uses(L.STORE, L.GUIDE)
    now = query(Q.CURRENT_ASSETS, f.params()).iloc[0]
    cells = st.columns(5)
    figures = [(L.CUSTOMERS, now.customers), (L.bi("可触达", "Reachable"), now.reachable),
               (L.TOUCHPOINTS["wecom"], now.wecom), (L.TOUCHPOINTS["oa"], now.oa),
               (L.TOUCHPOINTS["group"], now["group"])]
    for cell, (label, value) in zip(cells, figures, strict=True):
        cell.metric(label, f"{int(value):,}")
