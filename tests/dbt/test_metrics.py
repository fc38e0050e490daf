"""Every metric of the semantic layer (dbt_project/models/marts/metrics/) reproduces the mart column
marts.md defines it by, on a small simulated brand: MetricFlow's value at the mart's own grain is the
column, and at a coarser grain the mart's sums divided as marts.md divides them (ratios of sums, never
means of ratios). test_metrics_by_hand.py checks the same definitions on hand-computed figures.
"""

from __future__ import annotations

import pytest
from metricflow_support import Metrics, build_simulated_brand, differences, mart

pytestmark = pytest.mark.build  # dbt builds the marts of a simulated brand

DAY, MONTH = ["metric_time__day"], ["metric_time__month"]
BEIJING_MONTH = "cast(date_trunc('month', cast(timezone('Asia/Shanghai', acquired_at) as date)) as date)"


@pytest.fixture(scope="module")
def brand(tmp_path_factory):
    warehouse, target = build_simulated_brand(tmp_path_factory.mktemp("metrics"))
    return Metrics(target, warehouse), lambda sql, keys=1: mart(warehouse, sql, keys)


def test_daily_metrics_are_the_columns_of_daily_kpis(brand):
    metrics, sql = brand
    got = metrics.query(["net_revenue", "private_domain_net_revenue", "purchases", "new_customers",
                         "added_wecom_friendships", "lost_wecom_friendships", "add_rate", "delete_rate",
                         "interaction_rate"], DAY)
    want = sql("""select business_date, net_revenue, private_domain_net_revenue, purchases, new_customers,
                      new_wecom_friendships, lost_by_customer + lost_by_guide, add_rate, delete_rate,
                      interaction_rate
                  from marts.daily_kpis""")
    assert differences(got, want) == []
    # the brand moves: revenue, adds, deletions and messages on some days, a day with no message (0)
    assert sum(w[0] for w in want.values()) > 0 and sum(w[5] for w in want.values()) > 0
    assert {w[8] == 0 for w in want.values()} == {True, False} and any(w[7] for w in want.values())


# Each loaded day's terms of the three rates, from the marts: daily_kpis, the statement's WeCom
# customers at day end and the guides' friendship books (senders = the rate × its denominator)
DAY_TERMS = """
    select k.business_date, k.net_revenue, s.closing_customers as wecom,
           round(k.interaction_rate * s.closing_customers) as senders,
           sum(g.added_customers) as added, sum(g.lost_by_customer + g.lost_by_guide) as lost,
           sum(g.opening_customers) as opening
    from marts.daily_kpis as k
    inner join marts.user_asset_statement as s
        on s.period_grain = 'day' and s.touchpoint = 'wecom' and s.period_start = k.business_date
    inner join marts.guide_assets_daily as g on g.business_date = k.business_date
    group by all"""


def test_a_months_rates_divide_the_months_sums(brand):
    metrics, sql = brand
    got = metrics.query(["interacting_customers", "wecom_customer_days", "opening_wecom_friendships"], DAY)
    assert differences(got, sql(f"select business_date, senders, wecom, opening from ({DAY_TERMS})")) == []
    got = metrics.query(["add_rate", "delete_rate", "interaction_rate", "net_revenue"], MONTH)
    want = sql(f"""select cast(date_trunc('month', business_date) as date), sum(added) / sum(opening),
                       sum(lost) / sum(opening), sum(senders) / sum(wecom), sum(net_revenue)
                   from ({DAY_TERMS}) group by 1""")
    assert differences(got, want) == []


def test_guide_rates_and_assets_are_guide_assets_daily(brand):
    metrics, sql = brand
    got = metrics.query(["add_rate", "delete_rate", "guide_customer_assets"], ["guide", *DAY])
    want = sql("""select userid, business_date, added_customers / nullif(opening_customers, 0),
                      (lost_by_customer + lost_by_guide) / nullif(opening_customers, 0), customer_asset_count
                  from marts.guide_assets_daily""", 2)
    assert differences(got, want) == []
    # a balance: a month shows its last day's assets, summed over guides
    assert differences(metrics.one("guide_customer_assets", MONTH), sql("""
        select cast(date_trunc('month', business_date) as date), sum(customer_asset_count)
        from marts.guide_assets_daily
        where business_date in (select max(business_date) from marts.guide_assets_daily
                                group by date_trunc('month', business_date))
        group by 1""")) == []


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_reachable_customers_close_the_asset_statements_periods(brand, grain):
    metrics, sql = brand
    got = metrics.query(["reachable_customers", "wecom_customer_days"], [f"metric_time__{grain}"])
    want = sql(f"""select period_start, sum(closing_customers) filter (where touchpoint = 'any'),
                       sum(closing_customers) filter (where touchpoint = 'wecom')
                   from marts.user_asset_statement where period_grain = '{grain}' group by 1""")
    if grain != "day":  # customer-days sum a period's days; only the statement's day rows say so
        got, want = ({k: v[0] for k, v in d.items()} for d in (got, want))
    assert differences(got, want) == []


def n(condition: str) -> str:
    return f"count(*) filter (where {condition})"


BUYER, REPEAT, TRIAL = "orders_count >= 1", "orders_count >= 2", "trial_orders_count >= 1"
CONVERTED = f"{TRIAL} and orders_count > trial_orders_count"


def test_customer_counts_are_user_assets(brand):
    metrics, sql = brand
    latest = metrics.query(["customer_assets", "reachable_customers", "repurchase_rate",
                            "trial_conversion_rate"])
    assert differences(latest, sql(f"""
        select count(*), {n('is_reachable')}, {n(REPEAT)} / {n(BUYER)}, {n(CONVERTED)} / {n(TRIAL)}
        from marts.user_assets""", 0)) == []
    names = ["buying_customers", "repeat_customers", "repurchase_rate", "trial_customers",
             "trial_converted_customers", "trial_conversion_rate"]
    want = sql(f"""select {BEIJING_MONTH}, {n(BUYER)}, {n(REPEAT)}, {n(REPEAT)} / nullif({n(BUYER)}, 0),
                       {n(TRIAL)}, {n(CONVERTED)}, {n(CONVERTED)} / nullif({n(TRIAL)}, 0)
                   from marts.user_assets group by 1""")
    assert differences(metrics.query(names, MONTH), want) == []
    assert any(w[1] for w in want.values()) and any(w[4] for w in want.values())  # repeat, converted
    # running total of acquisitions by Beijing date, to the latest loaded date
    running = sql("""select d.date_day, count(u.customer_id) from marts.metricflow_time_spine as d
                     inner join marts.user_assets as u
                         on cast(timezone('Asia/Shanghai', u.acquired_at) as date) <= d.date_day
                     group by 1""")
    assert differences(metrics.query(["customer_assets"], DAY), running) == []


def test_guide_performance_factors_are_its_columns(brand):
    metrics, sql = brand
    names = ["guide_month_customer_assets", "reached_customers", "touched_buyers", "touched_net_revenue",
             "untouched_net_revenue", "delivery_rate", "scene_conversion_rate", "revenue_per_buyer"]
    want = sql("""select userid, month, customer_asset_count, reached_customers, buyers, touched_net_revenue,
                      untouched_net_revenue, delivery_rate, scene_conversion_rate, revenue_per_buyer
                  from marts.guide_performance""", 2)
    assert differences(metrics.query(names, ["guide", *MONTH]), want) == []
    assert any(w[7] for w in want.values())  # someone bought after a mass message


def test_wecom_success_rates_are_its_columns(brand):
    metrics, sql = brand
    names = ["leads", "befriended_leads", "cohort_new_friendships", "served_friendships",
             "monetized_friendships", "lead_to_friend_rate", "service_rate", "monetization_rate"]
    want = sql("""select month, userid, channel, leads, leads_befriended, new_friendships, served_friendships,
                      monetized_friendships, lead_to_friend_rate, service_rate, monetization_rate
                  from marts.wecom_success_rates""", 3)
    assert differences(metrics.query(names, [*MONTH, "guide", "wecom_rate_row__channel"]), want) == []


LTV_WINDOWS = (30, 90, 180, 365)


def test_channel_economics_are_its_columns(brand):
    metrics, sql = brand
    keys = [*MONTH, "channel_cohort__acquisition_channel", "channel_cohort__acquisition_campaign"]
    exact = ["ad_spend", "cohort_new_customers", "payback_days", *(f"ltv_{n}d" for n in LTV_WINDOWS)]
    exact += [f"ltv_{n}d_{part}" for n in LTV_WINDOWS for part in ("net_revenue", "customers")]
    windows = [f"ltv_{n}d" for n in LTV_WINDOWS] + [
        f"ltv_{n}d * new_customers, case when ltv_{n}d is not null then new_customers end"
        for n in LTV_WINDOWS]
    want = sql(f"""select cohort_month, acquisition_channel, acquisition_campaign, spend, new_customers,
                       payback_days, {', '.join(windows)}, cac, ltv_to_cac_180d
                   from marts.channel_economics""", 3)
    got = metrics.query([*exact, "cac", "ltv_to_cac_180d"], keys)
    assert differences({k: v[:-2] for k, v in got.items()}, {k: v[:-2] for k, v in want.items()}) == []
    # the mart's cac is rounded to the fen (MetricFlow's is not); its ltv_to_cac_180d divides the
    # unrounded LTV by the unrounded cac, MetricFlow's the LTV the mart shows (rounded to the fen)
    assert differences({k: v[-2] for k, v in got.items()}, {k: v[-2] for k, v in want.items()}, 0.005) == []
    assert differences({k: v[-1] for k, v in got.items()}, {k: v[-1] for k, v in want.items()}, 0.01) == []
    assert any(w[0] for w in want.values()) and any(w[3] for w in want.values())  # spend, 30-day LTV


def test_k_factor_is_fission_campaigns(brand):
    metrics, sql = brand
    want = sql("select campaign_id, participants, new_customers, k_factor from marts.fission_campaigns")
    got = metrics.query(["fission_participants", "fission_new_customers", "k_factor"], ["campaign"])
    assert differences(got, want) == [] and len(want) >= 2


def test_every_metric_of_the_semantic_layer_was_compared(brand):
    """Last in the module, after the comparisons above: a metric added to the semantic layer without
    one fails here (run the module whole)."""
    metrics, _ = brand
    assert metrics.defined - metrics.asked == set()
    assert len(metrics.defined) >= 50
