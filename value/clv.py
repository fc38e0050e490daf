"""Predicted customer lifetime value: BG/NBD for how often a customer buys, Gamma-Gamma for how much.

Both models are pymc-marketing's, fitted by maximum a posteriori with flat priors, i.e. the
maximum-likelihood fits of Fader, Hardie & Lee (2005) and Fader & Hardie (2013); no MCMC sampling.
BG/NBD's likelihood depends on a customer's (frequency, recency, T) alone, so it is fitted on the
distinct triples, each row's log-likelihood counted as many times as customers share it: the same
likelihood as one row per customer (`_collapsed`, `_count_repeats`).
The day is the time unit and days are Beijing dates. As the models define them:
- a transaction is a customer's purchase day: purchases on one day count once, net amounts summed;
- `frequency` = transaction days − 1 (the first purchase starts the customer's clock, it is not counted);
- `recency_days` = last − first purchase date; `t_days` = as-of date − first purchase date;
- `avg_monetary_value` = mean net amount of the repeat transaction days (the first one excluded, as
  Gamma-Gamma wants); null when frequency = 0.
Customers without a purchase get no prediction: BG/NBD is conditioned on a first purchase and has no
clock for them. Expected value = expected transactions × Gamma-Gamma expected spend per transaction,
undiscounted, which assumes spend independent of frequency (the Gamma-Gamma assumption).
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

HORIZONS = (90, 365)
HOLDOUT_DAYS = 90
# Gamma-Gamma learns spend from repeat buyers only. On simulated buyers with a true mean spend of 600 元,
# 4 fits on 20 of them gave 399–780 and on 50 gave 487–677: below 20 the fit is noise, not a model.
MIN_REPEAT_CUSTOMERS = 20
MIN_HOLDOUT_DAYS = 7
MODEL_NAME = "BG/NBD + Gamma-Gamma (MAP, flat priors)"
BGNBD_PARAMS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMS = ("p", "q", "v")


class NotEnoughData(ValueError):
    """The purchases cannot support a fit; the message says why."""


@dataclass
class ClvFit:
    bgnbd: object  # pymc_marketing.clv.BetaGeoModel
    gamma_gamma: object  # pymc_marketing.clv.GammaGammaModel
    params: dict[str, float]
    fit_seconds: float


def model_version() -> str:
    from importlib.metadata import version

    return f"pymc-marketing {version('pymc-marketing')}"


def summarise(purchases: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per customer with a purchase on or before `as_of`: frequency, recency_days, t_days and
    avg_monetary_value. `purchases`: customer_id, purchase_date, net_amount (元), one row per purchase."""
    dates = pd.to_datetime(purchases["purchase_date"])
    end = pd.Timestamp(as_of)
    kept = purchases.assign(purchase_date=dates).loc[dates <= end]
    days = kept.groupby(["customer_id", "purchase_date"], as_index=False)["net_amount"].sum()
    first = days.groupby("customer_id")["purchase_date"].transform("min")
    repeat_spend = days.loc[days["purchase_date"] > first].groupby("customer_id")["net_amount"].mean()
    out = days.groupby("customer_id").agg(
        first=("purchase_date", "min"), last=("purchase_date", "max"), transactions=("purchase_date", "size")
    )
    summary = pd.DataFrame(
        {
            "customer_id": out.index.astype(str),
            "frequency": (out["transactions"] - 1).to_numpy(dtype="int64"),
            "recency_days": (out["last"] - out["first"]).dt.days.to_numpy(dtype="int64"),
            "t_days": (end - out["first"]).dt.days.to_numpy(dtype="int64"),
            "avg_monetary_value": repeat_spend.reindex(out.index).to_numpy(dtype="float64"),
        }
    )
    # Rows in an order the data decides, not the customer ids: the fit sums over rows in float, so
    # the same purchases under other ids (ids are kept from earlier runs) must meet the optimiser in
    # the same order to give the same parameters to the last digit. Equal rows are interchangeable.
    data = ["frequency", "recency_days", "t_days", "avg_monetary_value"]
    return summary.sort_values(data, kind="stable", na_position="first").reset_index(drop=True)


def _bgnbd_frame(summary: pd.DataFrame) -> pd.DataFrame:
    # positional ids: the library's xarray outputs are then in the summary's row order
    return pd.DataFrame(
        {
            "customer_id": np.arange(len(summary)),
            "frequency": summary["frequency"].to_numpy(float),
            "recency": summary["recency_days"].to_numpy(float),
            "T": summary["t_days"].to_numpy(float),
        }
    )


def _collapsed(summary: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """BG/NBD's input as distinct (frequency, recency, T) rows, in their sorted order, and how many
    customers each stands for. At 1,000,000 customers (610,201 buyers over 60 days) there were 9,040
    distinct rows: BG/NBD's fit took 0.9 s instead of 4.4 s."""
    keys = ["frequency", "recency_days", "t_days"]
    distinct = summary.groupby(keys, sort=True).size().rename("customers").reset_index()
    return _bgnbd_frame(distinct), distinct["customers"].to_numpy(dtype=float)


def _count_repeats(model, observed: str, customers: np.ndarray) -> None:
    """Make each row of `observed` count for `customers` customers in the model's log-probability: the
    row counts once as observed, and a potential adds (customers − 1) more of its log-likelihood."""
    import pymc as pm
    import pytensor.tensor as pt

    variable = model[observed]
    with model:
        row_logp = pm.logp(variable, model.rvs_to_values[variable])  # one value per row
        pm.Potential(f"{observed}_repeats", (pt.as_tensor_variable(customers - 1.0) * row_logp).sum())


def _spend_frame(summary: pd.DataFrame) -> pd.DataFrame:
    # frequency 0 gets weight 0 in Gamma-Gamma's posterior mean, so its placeholder spend is never used
    return pd.DataFrame(
        {
            "customer_id": np.arange(len(summary)),
            "frequency": summary["frequency"].to_numpy(float),
            "monetary_value": summary["avg_monetary_value"].fillna(0.0).to_numpy(float),
        }
    )


def _values(result, n: int) -> np.ndarray:
    """A per-customer xarray result of a MAP fit (one chain, one draw) as a vector in row order."""
    return result.mean(("chain", "draw")).sel(customer_id=np.arange(n)).to_numpy()


# What `fit` imports: pymc-marketing and what it needs, ~3 s of a process's CPU and ~450 MB. A night
# imports them ahead, while it waits on the dbt step before CLV (orchestration/preload.py).
FIT_MODULES = ("pytensor", "pymc_extras.prior", "pymc_marketing.clv")


# PyTensor's rewrites that compute constant parts of a graph when it is compiled
NOT_FOLDED = ("constant_folding", "topo_constant_folding")


def warm_compiler() -> None:
    """Read PyTensor's cache of compiled C modules, as its first compile would (~0.6 s here): a night
    does it ahead, with the imports (nothing without a C compiler: no C modules are compiled)."""
    import pytensor
    from pytensor.link.c.basic import get_module_cache

    if pytensor.config.cxx:
        get_module_cache()


def fit(summary: pd.DataFrame) -> ClvFit:
    """Fit BG/NBD on every customer and Gamma-Gamma on the repeat buyers."""
    repeat = summary.loc[summary["frequency"] > 0]
    if len(repeat) < MIN_REPEAT_CUSTOMERS:
        raise NotEnoughData(f"{len(repeat)} repeat buyers, the fit needs at least {MIN_REPEAT_CUSTOMERS}")
    # imported here: pymc-marketing takes 6–8 s and ~450 MB to import, and Dagster imports this
    # module's callers in every run worker
    import pytensor
    from pymc_extras.prior import Prior
    from pymc_marketing import clv
    from pytensor.compile.mode import get_mode

    started = time.perf_counter()
    bgnbd = clv.BetaGeoModel(model_config={name: Prior("HalfFlat") for name in BGNBD_PARAMS})
    distinct, customers = _collapsed(summary)
    bgnbd.build_model(distinct)
    _count_repeats(bgnbd.model, "recency_frequency", customers)
    gamma_gamma = clv.GammaGammaModel()  # its default priors are HalfFlat already
    if pytensor.config.cxx:
        # Without constant folding: the models hold the purchases as constants, and folded sums of
        # them were written into the C code PyTensor compiles, so each night's new purchases compiled
        # new modules (12 a night at 1,000,000 customers: the night's fits, calibration and
        # predictions 13.3–16.7 CPU-s with them, 6.2–6.8 without)
        mode = get_mode(pytensor.config.mode).excluding(*NOT_FOLDED)
    else:
        # Without a C compiler PyTensor's default mode runs its fused loops in Python: 312 s for
        # 30,000 customers, against 26 s in FAST_COMPILE (numpy per op) and 3–11 s compiled.
        mode = "FAST_COMPILE"
    with warnings.catch_warnings(), pytensor.config.change_flags(mode=mode):
        # no BLAS op in these graphs (no covariates), so PyTensor's "could not link to BLAS" is moot
        warnings.filterwarnings("ignore", message=".*BLAS.*")
        bgnbd.fit(method="map", progressbar=False)  # the model built above, not built again
        gamma_gamma.fit(data=_spend_frame(repeat), method="map", progressbar=False)
    fitted = ((bgnbd, BGNBD_PARAMS), (gamma_gamma, GAMMA_GAMMA_PARAMS))
    params = {name: float(model.fit_result[name].mean()) for model, names in fitted for name in names}
    if not all(np.isfinite(list(params.values()))) or params["q"] <= 1:
        raise NotEnoughData(f"the fit is degenerate (q ≤ 1 means an infinite mean spend): {params}")
    return ClvFit(bgnbd, gamma_gamma, params, time.perf_counter() - started)


def predict(model: ClvFit, summary: pd.DataFrame, horizons: tuple[int, ...] = HORIZONS) -> pd.DataFrame:
    """The summary plus, per horizon h in days, expected transactions and value in the next h days,
    Gamma-Gamma's expected spend per transaction and the probability the customer is still alive."""
    n, data = len(summary), _bgnbd_frame(summary)
    out = summary.copy()
    spend = _values(model.gamma_gamma.expected_customer_spend(data=_spend_frame(summary)), n)
    out["expected_spend_per_purchase"] = spend
    for h in horizons:
        purchases = _values(model.bgnbd.expected_purchases(data=data, future_t=h), n)
        out[f"expected_purchases_{h}d"] = purchases
        out[f"expected_value_{h}d"] = purchases * spend
    out["probability_alive"] = _values(model.bgnbd.expected_probability_alive(data=data), n)
    return out


def calibrate(purchases: pd.DataFrame, as_of: date, holdout_days: int = HOLDOUT_DAYS) -> dict:
    """Refit on the purchases up to `as_of − holdout`, predict the holdout's transactions and value for
    the customers known then, and compare with what they did. Per customer, MAE favours predicting
    0 for rare buyers (the median); RMSE judges an expected count fairly, so both are kept. The holdout
    shrinks to a third of the history when that is shorter than three holdouts (the demo has 60 days)."""
    dates = pd.to_datetime(purchases["purchase_date"])
    if dates.empty:
        raise NotEnoughData("no purchases")
    history = (pd.Timestamp(as_of) - dates.min()).days
    holdout = min(holdout_days, history // 3)
    if holdout < MIN_HOLDOUT_DAYS:
        raise NotEnoughData(f"{history} days of purchases leave a holdout under {MIN_HOLDOUT_DAYS} days")
    end = as_of - timedelta(days=holdout)
    train = summarise(purchases, end)
    predicted = predict(fit(train), train, horizons=(holdout,)).set_index("customer_id")
    in_holdout = (dates > pd.Timestamp(end)) & (dates <= pd.Timestamp(as_of))
    later = purchases.assign(purchase_date=dates).loc[in_holdout]
    # in whole cents: a sum of floats depends on the order rows come in, cents do not
    later = later.assign(cents=(later["net_amount"].astype(float) * 100).round().astype("int64"))
    actual = later.groupby("customer_id").agg(purchases=("purchase_date", "nunique"), cents=("cents", "sum"))
    actual["value"] = actual["cents"] / 100
    actual = actual.reindex(predicted.index, fill_value=0)
    predicted_purchases = predicted[f"expected_purchases_{holdout}d"]
    predicted_value = predicted[f"expected_value_{holdout}d"]
    errors = predicted_purchases - actual["purchases"]
    return {
        "calibration_end_date": end,
        "holdout_days": holdout,
        "customers": len(predicted),
        "predicted_purchases": _sum(predicted_purchases),
        "actual_purchases": int(actual["purchases"].sum()),
        "purchases_ratio": _ratio(_sum(predicted_purchases), actual["purchases"].sum()),
        "mae_purchases": _sum(errors.abs()) / len(errors),
        "rmse_purchases": float(np.sqrt(_sum(errors**2) / len(errors))),
        "predicted_value": _sum(predicted_value),
        "actual_value": int(actual["cents"].sum()) / 100,
        "value_ratio": _ratio(_sum(predicted_value), int(actual["cents"].sum()) / 100),
    }


def _sum(values: pd.Series) -> float:
    """A correctly rounded sum (math.fsum): the same whatever order customers come in — customers
    the fit cannot tell apart may come in any order, and a nightly warehouse must equal one run."""
    return math.fsum(values.to_numpy(dtype=float))


def _ratio(predicted: float, actual: float) -> float | None:
    return float(predicted / actual) if actual else None
