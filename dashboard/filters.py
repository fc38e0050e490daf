"""The sidebar's filters: a date range, a store and a guide, from what the published marts hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import labels as L
from dashboard import queries as Q
from dashboard.published import query


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    store: str | None = None
    guide: str | None = None

    def params(self, **more) -> dict:
        return {"start": self.start, "end": self.end, "store": self.store, "guide": self.guide, **more}


def _all(value) -> str:
    return L.ALL if value is None else str(value)


def sidebar() -> Filters | None:
    """The filters as chosen; None when the marts hold no loaded day yet."""
    bounds = query(Q.DATE_BOUNDS).iloc[0]
    if bounds.isna().any():
        return None
    first, last = pd.Timestamp(bounds["first"]).date(), pd.Timestamp(bounds["last"]).date()
    chosen = st.sidebar.date_input(L.DATES, value=(first, last), min_value=first, max_value=last,
                                   key="dates")
    # while a range is being picked the widget holds its first day only
    start, end = (tuple(chosen) + (last,))[:2] if isinstance(chosen, tuple | list) else (chosen, last)
    stores = [None, *query(Q.STORES)["store"]]
    guides = [None, *query(Q.GUIDES)["userid"]]
    store = st.sidebar.selectbox(L.STORE, stores, format_func=_all, key="store")
    guide = st.sidebar.selectbox(L.GUIDE, guides, format_func=_all, key="guide")
    return Filters(start, end, store, guide)


def uses(*names: str) -> None:
    """Say under a page's title which filters apply to it (where its marts carry them)."""
    st.caption("筛选 Filters: " + ", ".join(names))
