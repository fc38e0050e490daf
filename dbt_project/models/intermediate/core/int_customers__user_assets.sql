with

customers as (select * from {{ ref('int_customers') }}),
acquisition as (select * from {{ ref('int_customers__acquisition') }}),
reach as (select * from {{ ref('int_customers__reach_state') }}),
profile as (select * from {{ ref('int_customers__profile') }}),
purchases as (select * from {{ ref('int_purchases') }}),
referrals as (select * from {{ ref('int_customers__referrals') }}),
rfm as (select * from {{ ref('int_rfm__segments') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

purchase_totals as (
    select
        purchases.customer_id,
        min(purchases.purchase_at) as first_order_at,
        max(purchases.purchase_at) as last_order_at,
        count(*) as orders_count,
        sum(purchases.net_amount) as net_revenue,
        count(*) filter (where purchases.is_trial_order) as trial_orders_count
    from purchases
    group by purchases.customer_id
),

latest_rfm as (
    select rfm.*
    from rfm
    inner join bounds on rfm.as_of_date = bounds.last_date
),

final as (
    select
        customers.customer_id,
        acquisition.acquired_at,
        acquisition.acquisition_channel,
        acquisition.acquisition_campaign,
        reach.is_wecom_friend,
        reach.primary_guide_userid,
        profile.home_store_code,
        reach.is_oa_follower,
        reach.is_group_member,
        profile.is_mp_user,
        profile.has_phone,
        (
            cast(reach.is_wecom_friend as int)
            + cast(reach.is_oa_follower as int)
            + cast(reach.is_group_member as int)
        )
            as reachable_touchpoints,
        reachable_touchpoints > 0 as is_reachable,
        purchase_totals.first_order_at,
        purchase_totals.last_order_at,
        coalesce(purchase_totals.orders_count, 0) as orders_count,
        cast(coalesce(purchase_totals.net_revenue, 0) as decimal(18, 2)) as net_revenue,
        coalesce(purchase_totals.trial_orders_count, 0) as trial_orders_count,
        case
            when coalesce(referrals.referred_buyers_count, 0) > 0 then 'referrer'
            when purchase_totals.orders_count >= 2 then 'repeat'
            when purchase_totals.orders_count >= 1 then 'first_purchase'
            when reach.was_ever_reachable then 'pooled'
            else 'lead'
        end as lifecycle_stage,
        latest_rfm.r_score as rfm_recency_score,
        latest_rfm.f_score as rfm_frequency_score,
        latest_rfm.m_score as rfm_monetary_score,
        latest_rfm.rfm_segment_cn,
        latest_rfm.rfm_segment_en,
        coalesce(latest_rfm.is_super_user, false) as is_super_user,
        referrals.referred_by_customer_id,
        coalesce(referrals.invitees_count, 0) as invitees_count,
        coalesce(referrals.referred_buyers_count, 0) as referred_buyers_count,
        reach.lost_at,
        customers.identifiers_count
    from customers
    left join acquisition on customers.customer_id = acquisition.customer_id
    left join reach on customers.customer_id = reach.customer_id
    left join profile on customers.customer_id = profile.customer_id
    left join purchase_totals on customers.customer_id = purchase_totals.customer_id
    left join referrals on customers.customer_id = referrals.customer_id
    left join latest_rfm on customers.customer_id = latest_rfm.customer_id
)

select * from final
