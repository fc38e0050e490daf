"""Every query the dashboard runs, in one place. Named parameters are the sidebar's filters:
$start / $end (Beijing dates, inclusive), $store and $guide (null: all), and a page's own choice
($month, $as_of, $channel). Only marts and the quality summary are read (README, "What BI users
receive"): no personal data, no raw platform identifier.

A filter applies where the mart carries it: a customer's store is `user_assets.home_store_code` and
a customer's guide `user_assets.primary_guide_userid`, so customer-grain figures (current assets,
funnel, RFM) take both; guide-grain marts take the guide and the guide's store (`store_code`, the
store of the latest org/employee snapshot); the asset statement, channel, cohort and fission marts
have neither (no mart maps a campaign or a channel to a store).
"""

# the customer filter, for a query joining marts.user_assets as `ua`
CUSTOMER_FILTER = """($store is null or ua.home_store_code = $store)
  and ($guide is null or ua.primary_guide_userid = $guide)"""

DATE_BOUNDS = "select min(business_date) as first, max(business_date) as last from marts.daily_kpis"
STORES = """select distinct home_store_code as store from marts.user_assets
where home_store_code is not null order by 1"""
GUIDES = """select userid from marts.guide_performance
union select userid from marts.guide_assets_daily order by 1"""

# opening + added − lost = closing over the days of the range, per touchpoint: the first day's
# opening, the days' transitions, the last day's closing (day grain: any range is exact)
ASSET_STATEMENT = """
select touchpoint,
       arg_min(opening_customers, period_start) as opening,
       sum(added_customers) as added,
       sum(lost_customers) as lost,
       arg_max(closing_customers, period_start) as closing
from marts.user_asset_statement
where period_grain = 'day' and period_start between $start and $end
group by touchpoint
"""
# a guide's WeCom friendships (every guide's summed when none is chosen): the balance of
# guide_assets_daily, transfers included
GUIDE_FRIENDSHIPS = """
with days as (
    select business_date, sum(opening_customers) as opening, sum(added_customers) as added,
           sum(transferred_in) as transferred_in, sum(lost_by_customer) as lost_by_customer,
           sum(lost_by_guide) as lost_by_guide, sum(transferred_out) as transferred_out,
           sum(closing_customers) as closing
    from marts.guide_assets_daily
    where business_date between $start and $end and ($guide is null or userid = $guide)
      and ($store is null or store_code = $store)
    group by business_date
)
select arg_min(opening, business_date) as opening, sum(added) as added,
       sum(transferred_in) as transferred_in, sum(lost_by_customer) as lost_by_customer,
       sum(lost_by_guide) as lost_by_guide, sum(transferred_out) as transferred_out,
       arg_max(closing, business_date) as closing
from days
"""
CURRENT_ASSETS = f"""
select count(*) as customers,
       count(*) filter (where ua.is_reachable) as reachable,
       count(*) filter (where ua.is_wecom_friend) as wecom,
       count(*) filter (where ua.is_oa_follower) as oa,
       count(*) filter (where ua.is_group_member) as "group"
from marts.user_assets as ua
where {CUSTOMER_FILTER}
"""

GUIDE_MONTHS = """select distinct month from marts.guide_performance
where month between date_trunc('month', $start) and $end order by month desc"""
GUIDE_LEADERBOARD = """
select userid, customer_asset_count, delivery_rate, scene_conversion_rate, revenue_per_buyer,
       touched_net_revenue, reached_customers, buyers, untouched_net_revenue
from marts.guide_performance
where month = $month and ($guide is null or userid = $guide)
  and ($store is null or store_code = $store)
order by touched_net_revenue desc, customer_asset_count desc, userid
"""

FUNNEL_STEPS = """select distinct step_order, step_name, step_name_cn, is_optional
from marts.funnel_steps order by step_order"""
FUNNEL_CHANNELS = "select distinct acquisition_channel as channel from marts.funnel_customers order by 1"


def funnel_counts(steps: list[str]) -> str:
    """Customers acquired in the range (Beijing date) who reached each step: funnel_customers keeps
    each step's time per customer (null: not reached), so any filter sums exactly."""
    counts = ",\n       ".join(f'count(fc."{step}_at") as "{step}"' for step in steps)
    return f"""
select {counts}
from marts.funnel_customers as fc
left join marts.user_assets as ua on ua.customer_id = fc.customer_id
where cast(fc.acquired_at as date) between $start and $end
  and ($channel is null or fc.acquisition_channel = $channel)
  and {CUSTOMER_FILTER}
"""


RFM_DATES = "select distinct as_of_date from marts.rfm_scores order by 1 desc"
RFM_SEGMENTS = f"""
select rs.rfm_segment_cn as segment_cn, rs.rfm_segment_en as segment_en,
       count(*) as customers, sum(rs.monetary) as net_revenue,
       count(*) filter (where rs.is_super_user) as super_users
from marts.rfm_scores as rs
left join marts.user_assets as ua on ua.customer_id = rs.customer_id
where rs.as_of_date = $as_of and {CUSTOMER_FILTER}
group by all
"""
PARETO = """
select percentile_bucket, cumulative_share_of_revenue, top20_share_of_revenue
from marts.revenue_pareto where as_of_date = $as_of order by percentile_bucket
"""

CHANNELS = """
select acquisition_channel as channel, acquisition_campaign as campaign, cohort_month, spend,
       new_customers, cac, ltv_30d, ltv_90d, ltv_180d, ltv_to_cac_180d, payback_days
from marts.channel_economics
where cohort_month between date_trunc('month', $start) and $end
order by cohort_month desc, spend desc, channel, campaign
"""

COHORTS = """
select cohort_month, months_since_acquisition, cohort_customers, purchasing_customers,
       repurchasing_customers, net_revenue, purchasing_rate
from marts.cohort_retention
where cohort_month between date_trunc('month', $start) and $end
order by cohort_month, months_since_acquisition
"""

# campaigns with an invitation in the range (a campaign's K-factor is over its whole life)
FISSION = """
select campaign_id, participants, invitees, new_customers, buyers, k_factor, max_generation
from marts.fission_campaigns
where cast(first_invited_at as date) <= $end and cast(last_invited_at as date) >= $start
order by new_customers desc, campaign_id
"""
FISSION_GENERATIONS = """
select campaign_id, generation, count(*) as invitees
from marts.referrals where not is_self_invitation
group by all order by campaign_id, generation
"""

QUALITY_CHECKS = """
select run_id, validated_at, first_date, last_date, source || '/' || entity as "table", check_name,
       status, rules, failed_rules, blocking_failures, failed_days
from quality.check_summary order by status, "table", check_name
"""
QUARANTINE = """
select source || '/' || entity as "table", reason, sum(files) as files,
       sum(quarantined_rows) as quarantined_rows
from quality.quarantine_summary
where business_date between $start and $end
group by all order by quarantined_rows desc, "table", reason
"""
