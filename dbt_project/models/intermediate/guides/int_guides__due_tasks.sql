{#- The tasks due on each guide's list as of the end of the latest loaded date: one row a guide ×
    customer × reason (× moment, for care moments), with the date to act by.
    Reasons (seed guide_task_reasons):
    - care_moment: a care moment of the care calendar falling within `guide_task_care_days` (1:
      the next day, the day the list is read) — one row a moment, so a list never repeats it;
    - super_user_at_risk: a super user (超级用户) whose recency is no longer better than the
      snapshot's mean (marts.md's R低: their Chinese segment is a 保持 or 挽留 one) — the RFM marts'
      own threshold, which also serves super users with a single purchase (no gap of their own:
      53 of 173 on a simulated 1,500-customer brand, whom a personal-gap rule would never flag);
    - trial_not_converted: every purchase so far a trial order (customer_tags' 仅购体验装), the
      last one within `guide_task_trial_days` (30): due when that follow-up window closes;
    - friend_never_bought: a new friendship (an add, not a transfer) of this guide whose customer
      has never bought, inside its `monetization_days` window, due when 变现成功率 stops counting it.
    Super-user, trial and care tasks go to the primary guide (care: else the exclusive guide, who
    needs a friendship too); a new friendship's task to that friendship's guide. -#}
with

care_moments as (select * from {{ ref('int_guides__care_moments') }}),
contacts as (select * from {{ ref('int_guides__contacts') }}),
friendship_outcomes as (select * from {{ ref('int_performance__friendship_outcomes') }}),
user_assets as (select * from {{ ref('int_customers__user_assets') }}),
rfm_segments as (select * from {{ ref('int_rfm__segments') }}),
purchases as (select * from {{ ref('int_purchases') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

latest_rfm as (
    select rfm_segments.*
    from rfm_segments
    inner join bounds on rfm_segments.as_of_date = bounds.last_date
),

last_trials as (
    select
        purchases.customer_id,
        max(purchases.purchase_date) as last_trial_date
    from purchases
    where purchases.is_trial_order
    group by purchases.customer_id
),

final as (
    select
        care_moments.userid,
        care_moments.customer_id,
        'care_moment' as reason,
        care_moments.moment_type,
        care_moments.moment_date as due_date
    from care_moments
    where
        care_moments.userid is not null
        and care_moments.days_ahead <= {{ var('guide_task_care_days', 1) }}
    union all
    select
        user_assets.primary_guide_userid,
        user_assets.customer_id,
        'super_user_at_risk',
        null,
        null
    from user_assets
    inner join latest_rfm on user_assets.customer_id = latest_rfm.customer_id
    where
        latest_rfm.is_super_user
        and not latest_rfm.is_r_high
        and user_assets.primary_guide_userid is not null
    union all
    select
        user_assets.primary_guide_userid,
        user_assets.customer_id,
        'trial_not_converted',
        null,
        last_trials.last_trial_date + {{ var('guide_task_trial_days', 30) }}
    from user_assets
    inner join last_trials on user_assets.customer_id = last_trials.customer_id
    cross join bounds
    where
        user_assets.primary_guide_userid is not null
        and user_assets.trial_orders_count = user_assets.orders_count
        and last_trials.last_trial_date + {{ var('guide_task_trial_days', 30) }} > bounds.last_date
    union all
    select
        friendship_outcomes.userid,
        friendship_outcomes.customer_id,
        'friend_never_bought',
        null,
        {{ beijing_date(add_hours(
            'friendship_outcomes.started_at', '24 * ' ~ var('monetization_days')
        )) }}
    from friendship_outcomes
    inner join contacts on friendship_outcomes.friendship_id = contacts.friendship_id
    inner join user_assets on friendship_outcomes.customer_id = user_assets.customer_id
    where user_assets.orders_count = 0 and not friendship_outcomes.is_monetization_window_complete
)

select * from final
