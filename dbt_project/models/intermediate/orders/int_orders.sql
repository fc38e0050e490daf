{#- One row per order across Youzan, Douyin, Tmall and POS, with the paid order, purchase and trial
    order flags of spec/marts.md. An order without lines (POS) is never a gift, sample or trial
    order. An order whose status awaits payment is never paid, whatever time fields it carries. -#}
{%- set order_columns = [
    'order_key', 'order_source', 'order_id', 'buyer_id_type', 'buyer_id_value', 'created_at',
    'paid_at', 'is_cancelled_before_payment', 'is_awaiting_payment', 'paid_amount',
    'refunded_amount', 'store_code', 'cashier_code', 'is_live_order', 'is_offline_order',
] -%}
with

youzan_orders as (select * from {{ ref('int_orders__youzan') }}),
douyin_orders as (select * from {{ ref('int_orders__douyin') }}),
tmall_orders as (select * from {{ ref('int_orders__tmall') }}),
pos_orders as (select * from {{ ref('int_orders__pos') }}),
order_lines as (select * from {{ ref('int_order_lines') }}),

unioned as (
    -- the four sources' orders share one shape: its columns, named in every branch
    {%- for source_orders in ['youzan_orders', 'douyin_orders', 'tmall_orders', 'pos_orders'] %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select {{ source_orders }}.{{ order_columns | join(', ' ~ source_orders ~ '.') }}
    from {{ source_orders }}
    {%- endfor %}
),

line_flags as (
    select
        order_lines.order_key,
        bool_and(order_lines.is_present) as is_gift_order,
        bool_and(order_lines.is_sample) as is_sample_order,
        -- null when every line is a gift: such an order is no purchase anyway
        bool_and(order_lines.is_trial) filter (where not order_lines.is_present)
            as are_paid_lines_trial
    from order_lines
    group by order_lines.order_key
),

paid as (
    select
        unioned.*,
        coalesce(line_flags.is_gift_order, false) as is_gift_order,
        coalesce(line_flags.is_sample_order, false) as is_sample_order,
        coalesce(line_flags.are_paid_lines_trial, false) as are_paid_lines_trial,
        cast(unioned.paid_amount - unioned.refunded_amount as decimal(18, 2)) as net_amount,
        -- the status decides (marts.md): an order awaiting payment is unpaid even with a pay time
        unioned.paid_at is not null
        and not unioned.is_awaiting_payment
        and not unioned.is_cancelled_before_payment
        and coalesce(unioned.paid_amount > 0, false)
        and not coalesce(line_flags.is_gift_order, false)
        and not coalesce(line_flags.is_sample_order, false) as is_paid_order
    from unioned
    left join line_flags on unioned.order_key = line_flags.order_key
),

final as (
    select
        paid.order_key,
        paid.order_source,
        paid.order_id,
        paid.buyer_id_type,
        paid.buyer_id_value,
        paid.created_at,
        paid.paid_at,
        {{ beijing_date('paid.paid_at') }} as paid_date,
        paid.paid_amount,
        paid.refunded_amount,
        paid.net_amount,
        paid.is_cancelled_before_payment,
        paid.is_awaiting_payment,
        paid.is_gift_order,
        paid.is_sample_order,
        paid.is_paid_order,
        paid.is_paid_order and paid.net_amount > 0 as is_purchase,
        case when paid.is_paid_order and paid.net_amount > 0 then paid.paid_at end as purchase_at,
        paid.is_paid_order and paid.net_amount > 0 and paid.are_paid_lines_trial as is_trial_order,
        paid.store_code,
        paid.cashier_code,
        paid.is_live_order,
        paid.is_offline_order
    from paid
)

select * from final
