"""裂变 Fission: each campaign's K-factor (new customers / participants) and its tree's generations
(marts.fission_campaigns, marts.referrals; self-invitations never count)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard import labels as L
from dashboard import queries as Q
from dashboard.filters import Filters, uses
from dashboard.published import query


def render(f: Filters) -> None:
    st.header(L.PAGES["fission"])
    st.markdown(f"**{L.K_FACTOR}** = {L.NEW_CUSTOMERS} / {L.PARTICIPANTS}")
    uses(L.DATES + " (活动有邀请的日期 campaigns inviting in the dates)")
    campaigns = query(Q.FISSION, f.params())
    if campaigns.empty:
        st.info(L.bi("所选日期没有裂变活动", "No fission campaign in these dates"))
        return
    st.altair_chart(charts.bars(campaigns[["campaign_id", "k_factor"]], "campaign_id", "k_factor",
                                L.bi("各活动 K 因子", "K-factor per campaign")))
    st.dataframe(campaigns.rename(columns={
        "campaign_id": L.CAMPAIGN, "participants": L.PARTICIPANTS, "invitees": L.INVITEES,
        "new_customers": L.NEW_CUSTOMERS, "buyers": L.BUYERS, "k_factor": L.K_FACTOR,
        "max_generation": L.bi("最大代际", "Deepest generation")}), hide_index=True,
        column_config={L.K_FACTOR: st.column_config.NumberColumn(format="%.2f")})
    generations = query(Q.FISSION_GENERATIONS)
    generations = generations[generations["campaign_id"].isin(campaigns["campaign_id"])]
    if not generations.empty:
        st.subheader(L.bi("裂变树各代受邀人", "Invitees per generation of each tree"))
        tree = generations.pivot(index="campaign_id", columns="generation", values="invitees").fillna(0)
        tree.columns = [f"{L.GENERATION} {g}" for g in tree.columns]
        tree.index.name = L.CAMPAIGN
        st.dataframe(tree.astype("int64"))
