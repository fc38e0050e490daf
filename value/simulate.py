"""Purchases drawn from a known BG/NBD + Gamma-Gamma process, to test and benchmark the CLV fit on.

The generative story of Fader, Hardie & Lee (2005) and Fader & Hardie (2013), in days:
each customer buys first at a uniform time in the history window, then makes repeat purchases as a
Poisson process of rate λ ~ Gamma(shape r, rate α) and, after each repeat purchase, drops out for good
with probability p ~ Beta(a, b). Each transaction's amount is Gamma(shape p_spend, rate ν) with
ν ~ Gamma(shape q, rate v) per customer. Draws are vectorised over customers, one purchase per step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Process:
    r: float = 0.5
    alpha: float = 40.0  # mean purchase rate r/α = 1 per 80 days
    a: float = 0.8
    b: float = 4.0  # mean dropout chance after a purchase a/(a+b) = 1/6
    p: float = 6.0
    q: float = 4.0
    v: float = 300.0  # mean spend per purchase p·v/(q−1) = 600 元

    @property
    def params(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in ("r", "alpha", "a", "b", "p", "q", "v")}


def simulate(
    customers: int, end: date, history_days: int = 730, process: Process = Process(), seed: int = 0
) -> pd.DataFrame:
    """Purchases (customer_id, purchase_date, net_amount) of `customers` customers, every one born
    inside the `history_days` before `end`, up to and including `end`."""
    rng = np.random.default_rng(seed)
    n = customers
    rate = rng.gamma(process.r, 1 / process.alpha, n)
    dropout = rng.beta(process.a, process.b, n)
    nu = rng.gamma(process.q, 1 / process.v, n)
    born = rng.uniform(0, history_days, n)  # days after the window's start
    ids, times = [np.arange(n)], [born]
    now, active = born.copy(), np.arange(n)
    while active.size:
        now[active] += rng.exponential(1 / rate[active])
        active = active[now[active] < history_days]
        ids.append(active)
        times.append(now[active].copy())
        active = active[rng.random(active.size) >= dropout[active]]
    customer = np.concatenate(ids)
    amount = rng.gamma(process.p, 1 / nu[customer])
    start = pd.Timestamp(end) - pd.Timedelta(days=history_days - 1)
    days = np.floor(np.concatenate(times)).astype("int64")
    return pd.DataFrame(
        {
            "customer_id": pd.Series(customer).map("c{:07d}".format),
            "purchase_date": (start + pd.to_timedelta(days, unit="D")).date,
            "net_amount": np.round(amount, 2),
        }
    ).sort_values(["customer_id", "purchase_date"], ignore_index=True)
