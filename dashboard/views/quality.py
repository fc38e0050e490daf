"""数据质量 Data quality: the latest validated run's boundary checks (which failed, which blocked)
and the rows quarantined in the dates, by source table and reason. From the counts-only summary the
publish step carries (orchestration/publish_quality.py); the operator's view that replaces GX Data
Docs. A night whose blocking check failed does not publish: its copy still shows the night before,
and `siyu doctor` (on the warehouse) names what blocked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard import labels as L
from dashboard import queries as Q
from dashboard.filters import Filters, uses
from dashboard.published import has_table, query


def render(f: Filters) -> None:
    st.header(L.PAGES["quality"])
    if not has_table("quality", "check_summary"):
        st.warning(L.bi("这份发布副本没有质量摘要", "This published copy carries no quality summary") +
                   ": it was published by an older siyu; the next `siyu run` adds it.")
        return
    _checks()
    _quarantine(f)


def _checks() -> None:
    st.subheader(L.bi("边界检查", "Boundary checks"))
    checks = query(Q.QUALITY_CHECKS)
    if checks.empty:
        st.info(L.bi("还没有检查结果", "No check results yet"))
        return
    run = checks.iloc[0]
    st.caption(f"run {run.run_id} · {pd.Timestamp(run.first_date):%Y-%m-%d} – "
               f"{pd.Timestamp(run.last_date):%Y-%m-%d} · checked "
               f"{pd.Timestamp(run.validated_at):%Y-%m-%d %H:%M} 北京时间 Beijing time")
    cells = st.columns(3)
    for cell, status in zip(cells, ["passed", "warned", "failed"], strict=True):
        cell.metric(L.STATUSES[status], int((checks["status"] == status).sum()))
    st.caption(L.bi("阻断的夜晚不会发布", "A night a blocking check failed is not published") +
               ": this copy is the last night that published; `siyu doctor` shows a blocked night.")
    flagged = checks[checks["status"] != "passed"].copy()
    if flagged.empty:
        st.success(L.bi("所有检查通过", "Every check passed"))
        return
    flagged["status"] = flagged["status"].map(L.STATUSES)
    flagged["failed_days"] = [", ".join(f"{pd.Timestamp(d):%m-%d}" for d in days)
                              for days in flagged["failed_days"]]
    st.dataframe(flagged[["table", "check_name", "status", "failed_rules", "blocking_failures",
                          "failed_days"]].rename(columns={
        "table": L.TABLE, "check_name": L.CHECK, "status": L.STATUS,
        "failed_rules": L.bi("失败规则", "Failed rules"),
        "blocking_failures": L.bi("阻断规则", "Blocking failures"),
        "failed_days": L.bi("失败日期", "Failed days")}), hide_index=True)


def _quarantine(f: Filters) -> None:
    st.subheader(L.bi("隔离数据", "Quarantined rows"))
    uses(L.DATES + " (业务日 business date)")
    quarantined = query(Q.QUARANTINE, f.params())
    st.metric(L.ROWS, f"{int(quarantined['quarantined_rows'].sum()):,}")
    if quarantined.empty:
        return
    title = L.bi("各数据表隔离行数 (按原因)", "Quarantined rows per table, by reason")
    st.altair_chart(charts.stacked_rows(quarantined, "table", "quarantined_rows", "reason", title))
    st.dataframe(quarantined.rename(columns={"table": L.TABLE, "reason": L.REASON, "files": L.FILES,
                                             "quarantined_rows": L.ROWS}), hide_index=True)
