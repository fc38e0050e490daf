"""A published copy built by hand: the few mart tables and columns the dashboard reads, with rows
small enough that every figure a page shows can be worked out on paper (the tests say how).

Six customers c1…c6, two stores (S01: c1 c2 c3; S02: c4 c5), guides g_li (c1 c2) and g_wang (c3 c4),
loaded days 2026-09-29 … 2026-10-04.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

TABLES = [
    "create table marts.daily_kpis as select range::date as business_date "
    "from range(date '2026-09-29', date '2026-10-05', interval 1 day)",
    # day grain, wecom and any; a month row the page must not read (day grain makes any range exact)
    """create table marts.user_asset_statement as select * from (values
        ('day', date '2026-10-01', 'wecom', 10, 3, 1, 12), ('day', date '2026-10-02', 'wecom', 12, 2, 0, 14),
        ('day', date '2026-10-03', 'wecom', 14, 1, 4, 11), ('day', date '2026-10-04', 'wecom', 11, 5, 2, 14),
        ('day', date '2026-10-01', 'any', 20, 4, 2, 22), ('day', date '2026-10-02', 'any', 22, 3, 1, 24),
        ('day', date '2026-10-03', 'any', 24, 2, 5, 21), ('day', date '2026-10-04', 'any', 21, 6, 3, 24),
        ('month', date '2026-10-01', 'wecom', 999, 0, 0, 999))
        v(period_grain, period_start, touchpoint, opening_customers, added_customers, lost_customers,
          closing_customers)""",
    # g_li works in store S01, g_wang in S02; g_zhao is in no org/employee snapshot (no store)
    """create table marts.guide_assets_daily as select * from (values
        ('g_li', 'S01', date '2026-10-01', 5, 2, 1, 0, 0, 0, 6),
        ('g_li', 'S01', date '2026-10-02', 6, 1, 0, 1, 2, 0, 8),
        ('g_wang', 'S02', date '2026-10-01', 4, 0, 0, 0, 0, 1, 3),
        ('g_wang', 'S02', date '2026-10-02', 3, 1, 1, 0, 0, 0, 3))
        v(userid, store_code, business_date, opening_customers, added_customers, lost_by_customer,
          lost_by_guide, transferred_in, transferred_out, closing_customers)""",
    """create table marts.user_assets as select * from (values
        ('c1', 'S01', 'g_li', true, true, false, false), ('c2', 'S01', 'g_li', true, true, true, false),
        ('c3', 'S01', 'g_wang', true, false, true, true), ('c4', 'S02', 'g_wang', true, true, false, false),
        ('c5', 'S02', null, false, false, false, false), ('c6', null, null, true, false, false, true))
        v(customer_id, home_store_code, primary_guide_userid, is_reachable, is_wecom_friend,
          is_oa_follower, is_group_member)""",
    # October: g_wang 25 × 0.8 × 0.25 × 360 = 1,800; g_li 40 × 0.75 × 0.2 × 250 = 1,500; g_zhao nobody
    """create table marts.guide_performance as select userid, store_code, month, customer_asset_count,
        reached_customers, buyers, touched_net_revenue::decimal(18, 2) as touched_net_revenue,
        delivery_rate, scene_conversion_rate, revenue_per_buyer,
        untouched_net_revenue::decimal(18, 2) as untouched_net_revenue from (values
        ('g_li', 'S01', date '2026-10-01', 40, 30, 6, 1500.00, 0.75, 0.2, 250.0, 100.00),
        ('g_wang', 'S02', date '2026-10-01', 25, 20, 5, 1800.00, 0.8, 0.25, 360.0, 0.00),
        ('g_zhao', null, date '2026-10-01', 0, 0, 0, 0.00, null, null, null, 0.00),
        ('g_li', 'S01', date '2026-09-01', 10, 5, 1, 99.00, 0.5, 0.2, 99.0, 0.00))
        v(userid, store_code, month, customer_asset_count, reached_customers, buyers, touched_net_revenue,
          delivery_rate, scene_conversion_rate, revenue_per_buyer, untouched_net_revenue)""",
    """create table marts.funnel_steps as select * from (values
        (1, 'acquired', '引流', false), (2, 'pooled', '入池', false), (3, 'fission', '裂变', true),
        (4, 'first_purchase', '首单', false), (5, 'repurchase', '复购', false),
        (6, 'referral', '转介绍', false))
        v(step_order, step_name, step_name_cn, is_optional)""",
    # c2 was acquired at 00:30 Beijing on 10-01 (16:30 UTC the day before), c6 at 23:30 Beijing on 09-30
    """create table marts.funnel_customers as select customer_id, channel as acquisition_channel,
        acquired::timestamptz as acquired_at, pooled::timestamptz as pooled_at,
        fission::timestamptz as fission_at, first::timestamptz as first_purchase_at,
        second::timestamptz as repurchase_at, referral::timestamptz as referral_at from (values
        ('c1', 'store_qr', '2026-10-01 02:00Z', '2026-10-01 03:00Z', '2026-10-02 03:00Z',
         '2026-10-03 03:00Z', '2026-10-04 03:00Z', null),
        ('c2', 'store_qr', '2026-09-30 16:30Z', '2026-10-01 03:00Z', null, '2026-10-02 03:00Z', null, null),
        ('c3', 'mp', '2026-10-02 02:00Z', '2026-10-02 03:00Z', '2026-10-02 04:00Z', null, null, null),
        ('c4', 'mp', '2026-10-02 02:00Z', '2026-10-02 03:00Z', null, '2026-10-02 05:00Z',
         '2026-10-03 05:00Z', '2026-10-04 05:00Z'),
        ('c5', 'store_qr', '2026-10-03 02:00Z', null, null, null, null, null),
        ('c6', 'oa', '2026-09-30 15:30Z', '2026-10-01 01:00Z', null, '2026-10-01 02:00Z', null, null))
        v(customer_id, channel, acquired, pooled, fission, first, second, referral)""",
    """create table marts.rfm_scores as select as_of_date, customer_id, monetary::decimal(18, 2) as monetary,
        rfm_segment_cn, rfm_segment_en, is_super_user from (values
        (date '2026-10-04', 'c1', 500.00, '重要价值客户', 'Champions', true),
        (date '2026-10-04', 'c2', 50.00, '一般发展客户', 'New Customers', false),
        (date '2026-10-04', 'c4', 300.00, '重要价值客户', 'Champions', true),
        (date '2026-10-04', 'c6', 20.00, '一般挽留客户', 'Lost', false),
        (date '2026-09-30', 'c1', 100.00, '重要发展客户', 'Promising', true))
        v(as_of_date, customer_id, monetary, rfm_segment_cn, rfm_segment_en, is_super_user)""",
    # 4 buyers on 10-04: the top ceil(0.2 × 4) = 1 holds 500 of 870 = 57.5 %
    """create table marts.revenue_pareto as select * from (values
        (date '2026-10-04', 25, 500 / 870, 500 / 870), (date '2026-10-04', 50, 800 / 870, 500 / 870),
        (date '2026-10-04', 75, 850 / 870, 500 / 870), (date '2026-10-04', 100, 1.0, 500 / 870))
        v(as_of_date, percentile_bucket, cumulative_share_of_revenue, top20_share_of_revenue)""",
    """create table marts.channel_economics as select channel as acquisition_channel,
        campaign as acquisition_campaign, cohort_month, spend::decimal(18, 2) as spend, new_customers,
        cac::decimal(18, 2) as cac, null::decimal(18, 2) as ltv_30d, null::decimal(18, 2) as ltv_90d,
        null::decimal(18, 2) as ltv_180d, null::double as ltv_to_cac_180d,
        payback::integer as payback_days
        from (values
        ('store_qr', null, date '2026-09-01', 0.00, 3, null, null),
        ('oceanengine', 'oe_1', date '2026-10-01', 1000.00, 8, 125.00, 20),
        ('oceanengine', 'oe_2', date '2026-10-01', 500.00, 2, 250.00, null),
        ('oceanengine', 'oe_1', date '2026-09-01', 300.00, 0, null, null))
        v(channel, campaign, cohort_month, spend, new_customers, cac, payback)""",
    """create table marts.cohort_retention as select * from (values
        (date '2026-09-01', 0, 10, 4, 0, 400.00, 0.4), (date '2026-09-01', 1, 10, 2, 1, 200.00, 0.2),
        (date '2026-10-01', 0, 5, 1, 0, 50.00, 0.2))
        v(cohort_month, months_since_acquisition, cohort_customers, purchasing_customers,
          repurchasing_customers, net_revenue, purchasing_rate)""",
    # fx_a: 6 new customers from 4 participants, K = 1.5; mp_share 2 / 3; fx_old ended before the dates
    """create table marts.fission_campaigns as select campaign_id, participants, invitees, new_customers,
        buyers, k_factor, max_generation, first::timestamptz as first_invited_at,
        last::timestamptz as last_invited_at from (values
        ('fx_a', 4, 7, 6, 2, 6 / 4, 2, '2026-09-29 02:00Z', '2026-10-03 02:00Z'),
        ('mp_share', 3, 2, 2, 0, 2 / 3, 1, '2026-08-01 02:00Z', '2026-10-02 02:00Z'),
        ('fx_old', 2, 2, 1, 0, 1 / 2, 1, '2026-08-01 02:00Z', '2026-09-10 02:00Z'))
        v(campaign_id, participants, invitees, new_customers, buyers, k_factor, max_generation,
          first, last)""",
    """create table marts.referrals as select * from (values
        ('fx_a', 1, false), ('fx_a', 1, false), ('fx_a', 1, false), ('fx_a', 1, false), ('fx_a', 1, true),
        ('fx_a', 2, false), ('fx_a', 2, false), ('fx_a', 2, false), ('mp_share', 1, false),
        ('mp_share', 1, false)) v(campaign_id, generation, is_self_invitation)""",
    """create table quality.check_summary as select 'r1' as run_id,
        timestamptz '2026-10-04 18:10:00Z' as validated_at, source, entity, check_name,
        date '2026-10-04' as first_date, date '2026-10-04' as last_date, status, rules, failed_rules,
        blocking_failures, days::date[] as failed_days from (values
        ('youzan', 'trade', 'contract', 'passed', 4, 0, 0, []),
        ('youzan', 'trade', 'volume', 'warned', 2, 1, 0, ['2026-10-04']),
        ('mp', 'event', 'freshness', 'passed', 1, 0, 0, []),
        ('mp', 'event', 'quarantine_share', 'warned', 2, 1, 0, ['2026-10-03']),
        ('wecom', 'contact', 'accounting', 'passed', 1, 0, 0, []))
        v(source, entity, check_name, status, rules, failed_rules, blocking_failures, days)""",
    """create table quality.quarantine_summary as select * from (values
        ('mp', 'event', date '2026-10-01', 'unknown_enum_value', 1, 3),
        ('mp', 'event', date '2026-10-03', 'unknown_enum_value', 2, 4),
        ('mp', 'event', date '2026-10-03', 'time_in_future', 1, 1),
        ('youzan', 'trade', date '2026-09-29', 'missing_required_field', 1, 2),
        ('ads', 'spend', date '2026-08-15', 'unparseable_amount', 1, 5))
        v(source, entity, business_date, reason, files, quarantined_rows)""",
]


def build(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema quality")
        for sql in TABLES:
            con.execute(sql)
    return path
