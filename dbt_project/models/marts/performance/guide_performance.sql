{#- 私域业绩 = 客群资产数 × 营销传递率 × 场景转化率 × 客单价, per guide and Beijing month. A purchase is touched (by this
    guide) when its customer was reached that month and paid at or after their first receipt;
    untouched when not touched but the customer was the guide's friend at payment time. The rates
    are unrounded doubles so that their product with the asset count gives touched_net_revenue back.
    Rows: every guide × loaded month (int_performance__guide_months); a month without customers is a
    row of zeros whose rates are null, their denominators being 0. -#}
with

guide_months as (select * from {{ ref('int_performance__guide_months') }}),
month_customers as (select * from {{ ref('int_performance__guide_month_customers') }}),
friendships as (select * from {{ ref('int_guides__customer_friendships') }}),
purchases as (select * from {{ ref('int_purchases') }}),
guide_stores as (select * from {{ ref('int_guides__stores') }}),

month_purchases as (
    -- a friend at payment time had a friendship active in the month, so is one of the month's
    -- customers
    select
        month_customers.userid,
        month_customers.month,
        purchases.customer_id,
        purchases.purchase_at,
        purchases.net_amount,
        coalesce(purchases.purchase_at >= month_customers.first_received_at, false) as is_touched
    from month_customers
    inner join purchases
        on
            month_customers.customer_id = purchases.customer_id
            and purchases.purchase_at >= month_customers.month_start_at
            and purchases.purchase_at < month_customers.month_end_at
),

counted_purchases as (
    select month_purchases.*
    from month_purchases
    where month_purchases.is_touched or exists (
        select 1 from friendships
        where
            friendships.userid = month_purchases.userid
            and friendships.customer_id = month_purchases.customer_id
            and friendships.started_at <= month_purchases.purchase_at
            and (friendships.ended_at is null or friendships.ended_at > month_purchases.purchase_at)
    )
),

purchase_totals as (
    select
        counted_purchases.userid,
        counted_purchases.month,
        count(distinct counted_purchases.customer_id) filter (where counted_purchases.is_touched)
            as buyers,
        coalesce(sum(counted_purchases.net_amount) filter (where counted_purchases.is_touched), 0)
            as touched,
        coalesce(
            sum(counted_purchases.net_amount) filter (where not counted_purchases.is_touched), 0
        )
            as untouched
    from counted_purchases
    group by counted_purchases.userid, counted_purchases.month
),

customer_totals as (
    select
        month_customers.userid,
        month_customers.month,
        count(*) as customer_asset_count,
        count(month_customers.first_received_at) as reached_customers
    from month_customers
    group by month_customers.userid, month_customers.month
),

final as (
    select
        {{ as_text('guide_months.userid') }} as userid,
        {{ as_text('guide_stores.store_code') }} as store_code,
        cast(guide_months.month as date) as month,
        cast(coalesce(customer_totals.customer_asset_count, 0) as bigint) as customer_asset_count,
        cast(coalesce(customer_totals.reached_customers, 0) as bigint) as reached_customers,
        cast(coalesce(purchase_totals.buyers, 0) as bigint) as buyers,
        cast(coalesce(purchase_totals.touched, 0) as decimal(18, 2)) as touched_net_revenue,
        cast(customer_totals.reached_customers as double)
        / nullif(customer_totals.customer_asset_count, 0)
            as delivery_rate,
        cast(coalesce(purchase_totals.buyers, 0) as double)
        / nullif(customer_totals.reached_customers, 0)
            as scene_conversion_rate,
        cast(purchase_totals.touched as double)
        / nullif(purchase_totals.buyers, 0) as revenue_per_buyer,
        cast(coalesce(purchase_totals.untouched, 0) as decimal(18, 2)) as untouched_net_revenue
    from guide_months
    left join customer_totals
        on
            guide_months.userid = customer_totals.userid
            and guide_months.month = customer_totals.month
    left join purchase_totals
        on
            guide_months.userid = purchase_totals.userid
            and guide_months.month = purchase_totals.month
    left join guide_stores on guide_months.userid = guide_stores.userid
)

select * from final
