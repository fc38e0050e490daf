{#- Each customer's taggable attributes in long form for the rules of seed customer_tag_rules: an
    attribute (the rules' source_column), its value as text and, when numeric, as a number, and
    since when it holds where that is cheaply known (the stage's reach time, the first trial order,
    lost_at, acquired_at); null when not known, e.g. for RFM values, which are recomputed at each
    as-of date. One `attributes` branch per attribute: its name, the rows it is read from, its
    text, its number (none: not numeric) and since when it holds (none: not known); a trial-only
    buyer's purchases were all trial orders since the first one. -#}
{%- set attributes = [
    ('lifecycle_stage', 'customers', 'customers.lifecycle_stage', none,
     'customers.stage_reached_at'),
    ('rfm_segment_cn', 'customers', 'customers.rfm_segment_cn', none, none),
    ('rfm_segment_en', 'customers', 'customers.rfm_segment_en', none, none),
    ('is_super_user', 'customers', as_text('customers.is_super_user'), none, none),
    ('is_trial_only_buyer', 'customers', as_text('customers.is_trial_only_buyer'), none,
     'case when customers.is_trial_only_buyer then customers.first_order_at end'),
    ('lost_at', 'customers', iso_utc_text('customers.lost_at'), none, 'customers.lost_at'),
    ('orders_count', 'customers', as_text('customers.orders_count'), 'customers.orders_count', none),
    ('acquisition_channel', 'customers', 'customers.acquisition_channel', none,
     'customers.acquired_at'),
    ('home_store_code', 'customers', 'customers.home_store_code', none, none),
    ('rfm_recency_days', 'latest_rfm', as_text('latest_rfm.recency_days'),
     'latest_rfm.recency_days', none),
] -%}
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
    {%- for attribute, rows, value_text, value_number, value_since in attributes %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        {{ rows }}.customer_id,
        '{{ attribute }}' as attribute,
        {{ value_text }} as value_text,
        cast({{ value_number or 'null' }} as double) as value_number,
        {{ value_since or 'null' }} as value_since
    from {{ rows }}
    {%- endfor %}
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
