"""The metrics' definitions, on marts written by hand (two days of March 2026, two guides) and figures
computed by hand: a rate over several days divides the days' sums (加粉率 3/9, not the mean of 1/4 and
2/5), a balance shows its period's last day, a customer's day is the Beijing date of acquisition, and a
channel's CAC, LTV and a campaign set's K-factor weigh their rows by size. The tables are created from
the contracts dbt parses, so a renamed mart column fails here too.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest
from dbt_support import run_dbt
from metricflow_support import Metrics, differences

pytestmark = pytest.mark.build  # dbt parses the project (the semantic manifest)

D1, D2, MAR, JAN = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 1), date(2026, 1, 1)
DAY, MONTH = ["metric_time__day"], ["metric_time__month"]
ROWS = {
    # c1 wrote twice on D1 and c2 once: 2 interacting customers; nobody on D2
    "marts.daily_kpis": (
        "business_date, net_revenue, private_domain_net_revenue, purchases, new_customers, "
        "interacting_customers",
        [(D1, 100, 60, 2, 1, 2), (D2, 59.9, 0, 1, 2, 0)]),
    "marts.guide_assets_daily": (
        "userid, business_date, opening_customers, added_customers, lost_by_customer, lost_by_guide, "
        "customer_asset_count", [("u1", D1, 3, 1, 0, 0, 5), ("u2", D1, 1, 0, 0, 0, 3),
                                 ("u1", D2, 4, 2, 1, 0, 6), ("u2", D2, 1, 0, 0, 1, 1)]),
    # day rows, and a week and a month row the metrics must not add to them
    "marts.user_asset_statement": ("period_grain, period_start, touchpoint, closing_customers", [
        ("day", D1, "wecom", 4), ("day", D2, "wecom", 5), ("day", D1, "any", 6), ("day", D2, "any", 7),
        ("week", D1, "any", 7), ("month", MAR, "any", 7), ("week", D1, "wecom", 5)]),
    # 23:30 and 00:30 Beijing on either side of midnight, 15:30 and 16:30 UTC of one UTC date
    "marts.user_assets": ("customer_id, acquired_at, orders_count, trial_orders_count", [
        ("c1", "2026-03-01 15:30:00+00", 2, 1), ("c2", "2026-03-01 16:30:00+00", 1, 1),
        ("c3", "2026-03-02 02:00:00+00", 0, 0)]),
    "marts.metricflow_time_spine": ("date_day", [(date(2026, 2, 27 + i),) for i in range(2)]
                                    + [(date(2026, 3, 1 + i),) for i in range(3)]),
    "marts.guide_performance": ("userid, month, customer_asset_count, reached_customers, buyers, "
                                "touched_net_revenue, untouched_net_revenue", [
                                    ("u1", MAR, 10, 4, 2, 300, 50), ("u2", MAR, 5, 1, 0, 0, 0)]),
    "marts.wecom_success_rates": (
        "month, userid, channel, leads, leads_befriended, new_friendships, served_friendships, "
        "monetized_friendships", [
            (MAR, None, "oceanengine", 4, 1, 0, 0, 0), (MAR, "u1", "store_qr", 0, 0, 3, 2, 1),
            (MAR, "u2", "wecom", 0, 0, 1, 0, 0)]),
    "marts.channel_economics": (
        "acquisition_channel, acquisition_campaign, cohort_month, spend, new_customers, cac, ltv_30d, "
        "ltv_180d, payback_days", [("douyin_ads", "dy1", JAN, 300, 3, 100, 20, 150, 33),
                                   ("douyin_ads", "dy2", JAN, 100, 0, None, None, None, None),
                                   ("youzan", None, JAN, 0, 10, 0, 10, 40, None)]),
    "marts.fission_campaigns": ("campaign_id, participants, new_customers, first_invited_at", [
        ("k1", 2, 2, "2026-03-01 02:00:00+00"), ("k2", 3, 1, "2026-03-02 02:00:00+00"), ("k3", 0, 0, None)]),
}


def untyped(column: str) -> str:
    """The type of a column of an uncontracted (intermediate) model, from the naming rules."""
    return "date" if column.endswith("_date") else "timestamptz" if column.endswith("_at") else "varchar"


@pytest.fixture(scope="module")
def metrics(tmp_path_factory) -> Metrics:
    tmp = tmp_path_factory.mktemp("by_hand")
    warehouse = tmp / "warehouse.duckdb"
    assert run_dbt(tmp, warehouse, ["parse"]).success
    nodes = json.loads((tmp / "target" / "manifest.json").read_text(encoding="utf-8"))["nodes"].values()
    with duckdb.connect(str(warehouse)) as con:
        for table, (columns, rows) in ROWS.items():
            schema, name = table.split(".")
            node = next(n for n in nodes if n["resource_type"] == "model" and n["name"] == name)
            ddl = ", ".join(f"{c} {col.get('data_type') or untyped(c)}" for c, col in node["columns"].items())
            con.execute(f"create schema if not exists {schema}; create table {table} ({ddl})")
            con.executemany(f"insert into {table} ({columns}) values ({', '.join('?' * len(rows[0]))})", rows)
    return Metrics(tmp / "target", warehouse)


def test_a_rate_over_days_divides_the_days_sums(metrics):
    got = metrics.query(["add_rate", "delete_rate", "interaction_rate", "net_revenue"], DAY)
    assert differences(got, {(D1,): (1 / 4, 0.0, 2 / 4, 100), (D2,): (2 / 5, 2 / 5, 0.0, 59.9)}) == []
    # a month: 3 new / 9 opening, not (1/4 + 2/5) / 2 = 0.325; 2 senders / 9 WeCom customer-days
    got = metrics.query(["add_rate", "delete_rate", "interaction_rate", "net_revenue"], MONTH)
    assert differences(got, {(MAR,): (3 / 9, 2 / 9, 2 / 9, 159.9)}) == []
    assert differences(metrics.one("add_rate", ["guide"]), {("u1",): 3 / 7, ("u2",): 0.0}) == []


def test_a_balance_shows_its_periods_last_day(metrics):
    assert metrics.one("guide_customer_assets", DAY) == {(D1,): 8, (D2,): 7}
    assert metrics.one("guide_customer_assets", MONTH) == {(MAR,): 7}  # not 15, nor the peak 8
    assert metrics.one("reachable_customers", DAY) == {(D1,): 6, (D2,): 7}
    assert metrics.one("reachable_customers", ["metric_time__week"]) == {(D1,): 7}
    assert metrics.one("reachable_customers") == {(): 7}


def test_customers_count_on_their_beijing_acquisition_date(metrics):
    # c2 came at 00:30 Beijing on 03-02 (16:30 UTC on 03-01): 1 customer by 03-01, 3 by 03-02
    assert metrics.one("customer_assets", DAY) == {
        (MAR,): 1, (D1,): 3, (D2,): 3}
    # c1 bought twice (once a trial), c2 once (a trial), c3 never: 1 of 2 buyers repeat, 1 of 2
    # trial buyers bought at full price
    got = metrics.query(["customer_assets", "repurchase_rate", "trial_conversion_rate"])
    assert differences(got, {(): (3, 1 / 2, 1 / 2)}) == []


def test_guide_factors_multiply_to_the_touched_revenue(metrics):
    names = ["delivery_rate", "scene_conversion_rate", "revenue_per_buyer", "guide_month_customer_assets"]
    assert differences(metrics.query(names, ["guide"]), {
        ("u1",): (4 / 10, 2 / 4, 150.0, 10), ("u2",): (1 / 5, 0.0, None, 5)}) == []
    # both guides: 15 × 5/15 × 2/5 × 150 = 300 = touched net revenue (means of the rates would not be)
    got = metrics.query([*names, "touched_net_revenue"])
    assert differences(got, {(): (5 / 15, 2 / 5, 150.0, 15, 300)}) == []


def test_wecom_success_rates_divide_the_months_counts(metrics):
    got = metrics.query(["lead_to_friend_rate", "service_rate", "monetization_rate"], MONTH)
    assert differences(got, {(MAR,): (1 / 4, 2 / 4, 1 / 4)}) == []
    assert differences(metrics.one("service_rate", ["guide"]), {
        ("u1",): 2 / 3, ("u2",): 0.0, (None,): None}) == []  # lead rows: no friendship, no rate


def test_cac_ltv_and_payback_by_channel(metrics):
    names = ["cac", "ltv_30d", "ltv_180d", "ltv_to_cac_180d", "payback_days"]
    got = metrics.query(names, ["channel_cohort__acquisition_channel"])
    # douyin_ads: 400 spent on 3 customers (dy2's 100 won nobody); youzan spent nothing: CAC 0, no ratio
    assert differences(got, {("douyin_ads",): (400 / 3, 20.0, 150.0, 150 / (400 / 3), 33),
                             ("youzan",): (0.0, 10.0, 40.0, None, None)}) == []
    # LTV over both channels weighs the 3 and the 10 customers: (3 × 150 + 10 × 40) / 13
    assert differences(metrics.query(["ltv_30d", "ltv_180d"]), {(): (160 / 13, 850 / 13)}) == []


def test_k_factor_of_campaigns_together_divides_their_sums(metrics):
    assert differences(metrics.one("k_factor", ["campaign"]), {
        ("k1",): 1.0, ("k2",): 1 / 3, ("k3",): None}) == []
    assert differences(metrics.one("k_factor"), {(): 3 / 5}) == []  # not (1 + 1/3) / 2
