{#- The customer rows as the contract publishes them; int_customers__user_assets holds the logic,
    which customer_tags and care_calendar read too. -#}
with

user_assets as (select * from {{ ref('int_customers__user_assets') }}),

final as (
    select
        user_assets.customer_id,
        user_assets.acquired_at,
        user_assets.acquisition_channel,
        user_assets.acquisition_campaign,
        user_assets.is_wecom_friend,
        user_assets.primary_guide_userid,
        user_assets.home_store_code,
        user_assets.is_oa_follower,
        user_assets.is_group_member,
        user_assets.is_mp_user,
        user_assets.has_phone,
        user_assets.reachable_touchpoints,
        user_assets.is_reachable,
        user_assets.first_order_at,
        user_assets.last_order_at,
        user_assets.orders_count,
        user_assets.net_revenue,
        user_assets.trial_orders_count,
        user_assets.lifecycle_stage,
        user_assets.rfm_recency_score,
        user_assets.rfm_frequency_score,
        user_assets.rfm_monetary_score,
        user_assets.rfm_segment_cn,
        user_assets.rfm_segment_en,
        user_assets.is_super_user,
        user_assets.referred_by_customer_id,
        user_assets.invitees_count,
        user_assets.referred_buyers_count,
        user_assets.lost_at,
        user_assets.identifiers_count
    from user_assets
)

select * from final
