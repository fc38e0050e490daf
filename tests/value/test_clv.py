"""CLV: the frequency/recency/T derivation by hand, and the fitted models against a known process.

Purchases are drawn from a BG/NBD + Gamma-Gamma process with known parameters (value/simulate.py),
90 days past the as-of date: the model sees purchases up to the as-of date and its predictions are
checked against the 90 days it did not see. Tolerances are about twice the largest error seen over
8 seeds at this size (20,000 customers): r/α 4.3%, a/(a+b) 2.6%, mean spend 2.4%, next-90-day purchases
3.0% and value 3.7%. Each fit runs once per module: pymc-marketing's fits cost seconds each.
"""

from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from value.clv import (
    BGNBD_PARAMS,
    MIN_REPEAT_CUSTOMERS,
    _bgnbd_frame,
    _collapsed,
    _count_repeats,
    fit,
    summarise,
)
from value.simulate import Process, simulate
from value.warehouse import build_clv, empty_predictions, write_clv

END = date(2026, 10, 31)
FUTURE = END + timedelta(days=90)
PROCESS = Process()
LEFT_OUT = ["c0000003", "c0000011"]  # buyers missing from user_assets get no prediction


def make_warehouse(path, purchases: pd.DataFrame, as_of: date, customers: list[str]):
    con = duckdb.connect(str(path))
    con.execute("create schema intermediate; create schema marts")
    con.register("p", purchases)
    con.execute("create table intermediate.int_purchases as select customer_id, purchase_date::date as "
                "purchase_date, net_amount::decimal(18,2) as net_amount from p where purchase_date <= ?",
                [as_of])
    con.execute("create table intermediate.int_calendar__bounds as select ?::date as last_date", [as_of])
    con.register("c", pd.DataFrame({"customer_id": customers}))
    con.execute("create table marts.user_assets as select customer_id from c")
    return con


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    purchases = simulate(20_000, FUTURE, history_days=820, process=PROCESS, seed=7)
    purchases["purchase_date"] = pd.to_datetime(purchases["purchase_date"])
    customers = sorted(set(purchases["customer_id"]) - set(LEFT_OUT)) + ["never_bought"]
    con = make_warehouse(tmp_path_factory.mktemp("clv") / "w.duckdb", purchases, END, customers)
    metadata = build_clv(con, holdout_days=90)
    predictions = con.execute("select * from value.clv_predictions").df()
    seen = purchases[~purchases["customer_id"].isin(LEFT_OUT)]
    yield con, seen, metadata, predictions
    con.close()


def days_bought(purchases: pd.DataFrame, start: date, end: date, customers) -> pd.DataFrame:
    """Distinct purchase days in (start, end] of `customers`, with their net amount: the truth."""
    d = purchases["purchase_date"]
    inside = (d > pd.Timestamp(start)) & (d <= pd.Timestamp(end))
    window = purchases[inside & purchases["customer_id"].isin(customers)]
    return window.groupby(["customer_id", "purchase_date"], as_index=False)["net_amount"].sum()


def test_summary_by_hand():
    purchases = pd.DataFrame([
        ("a", date(2026, 1, 1), 100.0), ("a", date(2026, 1, 1), 50.0),  # one day: one transaction
        ("a", date(2026, 1, 5), 30.0), ("a", date(2026, 1, 11), 90.0), ("a", date(2026, 2, 2), 999.0),
        ("b", date(2026, 1, 20), 40.0),
        ("c", date(2026, 2, 1), 70.0),  # after the as-of date: not yet a customer
    ], columns=["customer_id", "purchase_date", "net_amount"])
    got = summarise(purchases, date(2026, 1, 31)).set_index("customer_id")
    assert sorted(got.index) == ["a", "b"]
    # a: 3 purchase days → 2 repeats; last − first = 10 days; as-of − first = 30; repeat days' mean (30+90)/2
    assert got.loc["a"].tolist() == [2, 10, 30, 60.0]
    assert got.loc["b", ["frequency", "recency_days", "t_days"]].tolist() == [0, 0, 11]
    assert pd.isna(got.loc["b", "avg_monetary_value"])  # no repeat purchase, no spend average


def test_summary_rows_follow_the_data_not_the_ids():
    """The same purchases under other customer ids (ids are kept from earlier runs) reach the fit in
    the same row order, so a night-by-night warehouse fits the parameters of one run exactly."""
    rows = [("a", date(2026, 1, 1), 10.0), ("a", date(2026, 1, 9), 20.0), ("b", date(2026, 1, 3), 5.0),
            ("c", date(2026, 1, 2), 7.0), ("c", date(2026, 1, 30), 9.0)]
    purchases = pd.DataFrame(rows, columns=["customer_id", "purchase_date", "net_amount"])
    renamed = purchases.assign(customer_id=purchases.customer_id.map({"a": "z", "b": "y", "c": "x"}))
    data = ["frequency", "recency_days", "t_days", "avg_monetary_value"]
    one, other = summarise(purchases, date(2026, 1, 31)), summarise(renamed, date(2026, 1, 31))
    pd.testing.assert_frame_equal(one[data], other[data])


def test_fit_recovers_the_process(run):
    _, _, metadata, _ = run
    assert metadata["status"] == "ok"
    got, true = metadata, PROCESS.params
    tolerance = {"r": 0.10, "alpha": 0.15, "a": 0.20, "b": 0.20, "p": 0.12, "q": 0.08, "v": 0.15}
    for name, rel in tolerance.items():
        assert got[name] == pytest.approx(true[name], rel=rel), name
    assert got["r"] / got["alpha"] == pytest.approx(true["r"] / true["alpha"], rel=0.08)
    assert got["a"] / (got["a"] + got["b"]) == pytest.approx(true["a"] / (true["a"] + true["b"]), rel=0.08)
    mean_spend = lambda q: q["p"] * q["v"] / (q["q"] - 1)  # noqa: E731
    assert mean_spend(got) == pytest.approx(mean_spend(true), rel=0.06)


def test_next_90_days_match_what_the_customers_then_did(run):
    _, purchases, _, predictions = run
    future = days_bought(purchases, END, FUTURE, set(predictions["customer_id"]))
    assert predictions["expected_purchases_90d"].sum() == pytest.approx(len(future), rel=0.06)
    predicted_value = predictions["expected_value_90d"].astype(float).sum()
    assert predicted_value == pytest.approx(future["net_amount"].sum(), rel=0.08)
    # per customer too: more expected purchases, more actual ones (top decile vs the rest)
    actual = future.groupby("customer_id").size().reindex(predictions["customer_id"], fill_value=0).to_numpy()
    top = predictions["expected_purchases_90d"].rank(pct=True).to_numpy() > 0.9
    assert actual[top].mean() > 4 * actual[~top].mean()


def test_calibration_compares_the_holdout_with_what_happened(run):
    con, purchases, metadata, _ = run
    row = con.execute("select * from value.clv_calibration").df().iloc[0]
    start = END - timedelta(days=90)
    known = set(purchases.loc[purchases["purchase_date"] <= pd.Timestamp(start), "customer_id"])
    holdout = days_bought(purchases, start, END, known)
    assert (row["status"], row["holdout_days"], row["calibration_end_date"].date()) == ("ok", 90, start)
    assert (row["customers"], row["actual_purchases"]) == (len(known), len(holdout))
    assert float(row["actual_value"]) == pytest.approx(holdout["net_amount"].sum(), abs=0.01)
    assert row["purchases_ratio"] == pytest.approx(1, abs=0.06)
    assert row["value_ratio"] == pytest.approx(1, abs=0.08)
    # per customer, the model beats predicting everyone the holdout's own mean count
    counts = holdout.groupby("customer_id").size().reindex(sorted(known), fill_value=0)
    assert row["mae_purchases"] < 0.9 * (counts - counts.mean()).abs().mean()
    assert row["rmse_purchases"] < 0.9 * counts.std(ddof=0)
    assert metadata["calibration_purchases_ratio"] == row["purchases_ratio"]


def test_distinct_rows_counted_per_customer_give_every_customer_s_likelihood():
    """BG/NBD is fitted on distinct (frequency, recency, T) rows, each counted for the customers who
    share it. Its log-probability must be the model's on one row per customer, at any parameters;
    and the fit then lands where the per-customer fit does (pymc-marketing's own, as fitted before)."""
    import numpy as np
    from pymc_extras.prior import Prior
    from pymc_marketing.clv import BetaGeoModel

    summary = summarise(simulate(3_000, END, history_days=120, process=PROCESS, seed=3), END)
    distinct, customers = _collapsed(summary)
    assert customers.sum() == len(summary) and len(distinct) < len(summary) / 2
    flat = {name: Prior("HalfFlat") for name in BGNBD_PARAMS}
    per_customer, weighted = BetaGeoModel(model_config=flat), BetaGeoModel(model_config=flat)
    per_customer.build_model(_bgnbd_frame(summary))
    weighted.build_model(distinct)
    _count_repeats(weighted.model, "recency_frequency", customers)
    expected, got = per_customer.model.compile_logp(), weighted.model.compile_logp()
    for values in [(0.5, 10.0, 0.8, 2.5), (2.0, 40.0, 0.05, 9.0), (0.24, 4.4, 0.79, 2.4)]:  # r, alpha, a, b
        point = {f"{name}_log__": np.log(value) for name, value in zip(BGNBD_PARAMS, values, strict=True)}
        assert got(point) == pytest.approx(expected(point), rel=1e-12)
    per_customer.fit(method="map", progressbar=False)
    before = {name: float(per_customer.fit_result[name].mean()) for name in BGNBD_PARAMS}
    after = fit(summary).params
    at = lambda q: expected({f"{n}_log__": np.log(q[n]) for n in BGNBD_PARAMS})  # noqa: E731
    # as likely as the per-customer fit (here more: L-BFGS-B stopped sooner on 3,000 rows, at
    # -9463.75 against -9458.71), and the same process: the rates, and the dropout probability
    # a / (a + b) where a and b alone drift along a ridge of equal likelihood (1,706 and 21,133)
    assert at(after) >= at(before) - 1e-9 * abs(at(before))
    for name in ("r", "alpha"):
        assert after[name] == pytest.approx(before[name], rel=0.01), name
    dropout = lambda q: q["a"] / (q["a"] + q["b"])  # noqa: E731
    assert dropout(after) == pytest.approx(dropout(before), rel=0.01)


def test_a_night_with_new_purchases_compiles_nothing_new(run):
    """The module's fits compiled what the models need (or found it in PyTensor's cache); fits on
    other purchases, of another number of customers, reuse it: nothing of the data is compiled in."""
    from pytensor.link.c.basic import get_module_cache

    cache = get_module_cache()
    compiled = cache.stats[2]  # modules compiled by this process
    for seed, customers in ((11, 3_000), (12, 4_000)):
        fit(summarise(simulate(customers, END, history_days=200, process=PROCESS, seed=seed), END))
    assert cache.stats[2] == compiled


def test_predictions_table(run):
    con, purchases, _, predictions = run
    buyers = set(purchases.loc[purchases["purchase_date"] <= pd.Timestamp(END), "customer_id"])
    assert predictions["customer_id"].is_unique and set(predictions["customer_id"]) == buyers
    types = dict(con.execute("select column_name, data_type from information_schema.columns "
                             "where table_name = 'clv_predictions'").fetchall())
    money = ["avg_monetary_value", "expected_spend_per_purchase", "expected_value_90d", "expected_value_365d"]
    assert {types[c] for c in money} == {"DECIMAL(18,2)"}
    p = predictions.astype({c: float for c in money})
    assert p.drop(columns="avg_monetary_value").notna().all().all()
    assert (p["as_of_date"].dt.date == END).all() and p["probability_alive"].between(0, 1).all()
    assert (p["expected_purchases_365d"] > p["expected_purchases_90d"]).all()
    unrounded = p["expected_purchases_90d"] * p["expected_spend_per_purchase"]
    assert ((p["expected_value_90d"] - unrounded).abs() <= 0.01 + 0.005 * p["expected_purchases_90d"]).all()
    # one-time buyers get the population's mean spend, shrunk towards nobody's own average
    once = p.loc[p["frequency"] == 0, "expected_spend_per_purchase"]
    assert once.nunique() == 1 and once.iloc[0] == pytest.approx(p["avg_monetary_value"].mean(), rel=0.1)


def test_rerun_replaces_its_rows(run):
    con, _, metadata, predictions = run
    calibration = con.execute("select * from value.clv_calibration").df().iloc[0].to_dict()
    for as_of in (END, END, END + timedelta(days=1)):
        write_clv(con, predictions, calibration | {"as_of_date": as_of}, metadata)
    assert con.execute("select count(*) from value.clv_predictions").fetchone()[0] == len(predictions)
    dates = con.execute("select as_of_date from value.clv_calibration order by 1").fetchall()
    assert [d for (d,) in dates] == [END, END + timedelta(days=1)]


def test_too_few_repeat_buyers_write_no_predictions_and_say_why(tmp_path):
    purchases = simulate(MIN_REPEAT_CUSTOMERS, END, history_days=60, seed=1)
    con = make_warehouse(tmp_path / "w.duckdb", purchases, END, sorted(set(purchases["customer_id"])))
    metadata = build_clv(con)
    assert metadata["status"].startswith("not fitted") and metadata["rows"] == 0
    assert con.execute("select count(*) from value.clv_predictions").fetchone()[0] == 0
    status = con.execute("select status from value.clv_calibration").fetchone()[0]
    assert status.startswith("not calibrated")


def test_a_warehouse_from_before_keeps_its_calibration_history(tmp_path):
    """Warehouses built before the CLV step had its own schema kept the nightly calibrations in
    marts.clv_calibration (now a dbt mart, replaced at the next build): they move to value first,
    and a model that cannot be fitted leaves an empty predictions table for the marts to read."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts")
    con.execute("create table marts.clv_calibration (as_of_date date, customers integer, status varchar)")
    con.execute(
        "insert into marts.clv_calibration values ('2026-10-01', 120, 'ok'), ('2026-10-02', 121, 'ok')"
    )
    empty_predictions(con)
    rows = con.execute(
        "select as_of_date, customers, status, holdout_days from value.clv_calibration order by 1"
    ).fetchall()
    assert rows == [(date(2026, 10, 1), 120, "ok", None), (date(2026, 10, 2), 121, "ok", None)]
    assert con.execute("select count(*) from value.clv_predictions").fetchone()[0] == 0
    con.execute("delete from marts.clv_calibration")  # moved once: the next night does not copy again
    empty_predictions(con)
    assert con.execute("select count(*) from value.clv_calibration").fetchone()[0] == 2
