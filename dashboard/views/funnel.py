"""私域漏斗 Funnel: customers acquired in the dates who reached each step, the conversion from the
previous mandatory step (the optional 裂变 step divides by the step before it and gates nothing) and
from the start (spec/marts.md, funnel_steps)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard import labels as L
from dashboard import queries as Q
from dashboard.filters import Filters, uses
from dashboard.published import query


def conversions(steps: pd.DataFrame, counts: dict[str, int]) -> pd.DataFrame:
    """Each step's customers, its conversion from the latest mandatory step before it and from the
    first step; null when the divisor is 0."""
    rows, previous, first = [], None, None
    for step in steps.itertuples():
        n = int(counts[step.step_name])
        first = n if first is None else first
        rows.append({"step_name": step.step_name, "step_name_cn": step.step_name_cn,
                     "is_optional": bool(step.is_optional), "customers": n,
                     "from_previous": n / previous if previous else None,
                     "from_start": n / first if first else None})
        if not step.is_optional:
            previous = n
    return pd.DataFrame(rows)


def render(f: Filters) -> None:
    st.header(L.PAGES["funnel"])
    uses(L.DATES + " (获客日 acquisition date)", L.STORE, L.GUIDE, L.CHANNEL)
    channels = [None, *query(Q.FUNNEL_CHANNELS)["channel"]]
    channel = st.selectbox(L.CHANNEL, channels, format_func=lambda c: L.ALL if c is None else c,
                           key="funnel_channel")
    steps = query(Q.FUNNEL_STEPS)
    if steps.empty:
        st.info(L.bi("没有漏斗数据", "No funnel rows"))
        return
    counts = query(Q.funnel_counts(list(steps["step_name"])), f.params(channel=channel)).iloc[0]
    table = conversions(steps, counts.to_dict())
    table["step"] = table["step_name_cn"] + " " + table["step_name"]
    st.altair_chart(charts.bars(table[["step", "customers"]], "step", "customers",
                                L.bi("各步骤客户数", "Customers reaching each step")))
    shown = table[["step", "customers", "from_previous", "from_start", "is_optional"]].rename(columns={
        "step": L.STEP, "customers": L.CUSTOMERS, "from_previous": L.FROM_PREVIOUS,
        "from_start": L.FROM_START, "is_optional": L.bi("可选", "Optional")})
    st.dataframe(shown, hide_index=True, column_config={
        L.FROM_PREVIOUS: st.column_config.NumberColumn(format="percent"),
        L.FROM_START: st.column_config.NumberColumn(format="percent")})
