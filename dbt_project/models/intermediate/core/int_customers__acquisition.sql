{#- A customer's acquisition: the first touch of any kind, the first of its identifiers' first
    touches (int_touches__first_by_identifier, ordered the same way). Simultaneous first touches: a
    touch whose code maps to a channel wins, then the source order of spec/marts.md. -#}
with

touches as (select * from {{ ref('int_touches__first_by_identifier') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
customers as (select * from {{ ref('int_customers') }}),

customer_touches as (
    select
        customer_map.customer_id,
        touches.touched_at,
        touches.touch_source,
        touches.touch_code,
        touches.channel,
        touches.campaign_id,
        touches.source_rank
    from touches
    inner join customer_map
        on touches.id_type = customer_map.id_type and touches.id_value = customer_map.id_value
    inner join customers on customer_map.customer_id = customers.customer_id
),

first_touch as (
    select *
    from customer_touches
    qualify row_number() over (
        partition by customer_id
        order by touched_at, (channel is null), source_rank, touch_code nulls last
    ) = 1
),

final as (
    select
        first_touch.customer_id,
        first_touch.touched_at as acquired_at,
        {{ beijing_date('first_touch.touched_at') }} as acquired_date,
        coalesce(first_touch.channel, first_touch.touch_source) as acquisition_channel,
        first_touch.campaign_id as acquisition_campaign,
        first_touch.touch_source as acquisition_source
    from first_touch
)

select * from final
