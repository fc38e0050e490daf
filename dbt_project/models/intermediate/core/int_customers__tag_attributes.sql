{#- Each customer's taggable attributes in long form for the rules of seed customer_tag_rules: an
    attribute (the rules' source_column), its value as text and, when numeric, as a number, and
    since when it holds where that is cheaply known (the stage's reach time, the first trial order,
    lost_at, acquired_at); null when not known, e.g. for RFM values, which are recomputed at each
    as-of date. -#}
with

user_assets as (select * from {{ ref('int_customers__user_assets') }}),
rfm_scores as (select * from {{ ref('int_rfm__segments') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),
stages as (select * from {{ ref('int_customers__stages_reached') }}),

customers as (
    select
        user_assets.*,
        user_assets.orders_count > 0 and user_assets.trial_orders_count = user_assets.orders_count
            as is_trial_only_buyer,
        case user_assets.lifecycle_stage
            when 'lead' then stages.lead_at
            when 'pooled' then stages.pooled_at
            when 'first_purchase' then stages.first_purchase_at
            when 'repeat' then stages.repeat_at
            when 'referrer' then stages.referrer_at
        end as stage_reached_at
    from user_assets
    left join stages on user_assets.customer_id = stages.customer_id
),

latest_rfm as (
    select
        rfm_scores.customer_id,
        rfm_scores.recency_days
    from rfm_scores
    inner join bounds on rfm_scores.as_of_date = bounds.last_date
),

attributes as (
    select
        customer_id,
        'lifecycle_stage' as attribute,
        lifecycle_stage as value_text,
        cast(null as double) as value_number,
        stage_reached_at as value_since
    from customers
    union all
    select
        customer_id,
        'rfm_segment_cn',
        rfm_segment_cn,
        null,
        null
    from customers
    union all
    select
        customer_id,
        'rfm_segment_en',
        rfm_segment_en,
        null,
        null
    from customers
    union all
    select
        customer_id,
        'is_super_user',
        {{ as_text('is_super_user') }},
        null,
        null
    from customers
    union all
    select
        customer_id,
        'is_trial_only_buyer',
        {{ as_text('is_trial_only_buyer') }},
        null,
        -- all purchases were trial orders since the first one
        case when is_trial_only_buyer then first_order_at end
    from customers
    union all
    select
        customer_id,
        'lost_at',
        {{ iso_utc_text('lost_at') }},
        null,
        lost_at
    from customers
    union all
    select
        customer_id,
        'orders_count',
        {{ as_text('orders_count') }},
        orders_count,
        null
    from customers
    union all
    select
        customer_id,
        'acquisition_channel',
        acquisition_channel,
        null,
        acquired_at
    from customers
    union all
    select
        customer_id,
        'home_store_code',
        home_store_code,
        null,
        null
    from customers
    union all
    select
        customer_id,
        'rfm_recency_days',
        {{ as_text('recency_days') }},
        recency_days,
        null
    from latest_rfm
),

final as (
    select
        attributes.customer_id,
        attributes.attribute,
        attributes.value_text,
        attributes.value_number,
        attributes.value_since
    from attributes
    where attributes.value_text is not null
)

select * from final
