{#- Order lines of the shop orders, with the product flags that decide gift, sample and trial
    orders. Youzan lines match products on outer_sku_id, Douyin lines on code; the Tmall export has
    no lines or SKUs, so each Tmall order is one line matched on its 宝贝标题 (title). A line no product
    matches is neither trial nor sample. POS receipts carry no lines. -#}
{%- set line_columns = [
    'order_source', 'order_id', 'line_number', 'line_id', 'sku', 'title', 'quantity',
    'line_amount', 'is_present', 'product_sku', 'is_trial', 'is_sample',
] -%}
with

youzan_lines as (select * from {{ ref('stg_youzan__trade_lines') }}),
douyin_lines as (select * from {{ ref('stg_douyin__order_lines') }}),
tmall_trades as (select * from {{ ref('stg_tmall__trades') }}),
products as (select * from {{ ref('stg_org__products') }}),

product_titles as (
    -- two SKUs may share a title: the smallest SKU stands for it, so a title matches one product
    select products.*
    from products
    qualify row_number() over (partition by trim(products.title) order by products.sku) = 1
),

shop_lines as (
    select
        'youzan' as order_source,
        youzan_lines.tid as order_id,
        youzan_lines.line_number,
        youzan_lines.oid as line_id,
        youzan_lines.outer_sku_id as sku,
        youzan_lines.title,
        youzan_lines.num as quantity,
        youzan_lines.payment_amount as line_amount,
        youzan_lines.is_present
    from youzan_lines
    union all
    select
        'douyin',
        douyin_lines.order_id,
        douyin_lines.line_number,
        douyin_lines.sku_order_id,
        douyin_lines.code,
        douyin_lines.product_name,
        douyin_lines.item_num,
        douyin_lines.pay_amount,
        false
    from douyin_lines
),

shop_lines_matched as (
    select
        shop_lines.*,
        products.sku as product_sku,
        products.is_trial,
        products.is_sample
    from shop_lines
    left join products on shop_lines.sku = products.sku
),

tmall_lines_matched as (
    select
        'tmall' as order_source,
        tmall_trades.order_no as order_id,
        1 as line_number,
        {{ as_text('null') }} as line_id,
        product_titles.sku,
        tmall_trades.item_title as title,
        tmall_trades.item_quantity as quantity,
        tmall_trades.paid_amount as line_amount,
        false as is_present,
        product_titles.sku as product_sku,
        product_titles.is_trial,
        product_titles.is_sample
    from tmall_trades
    left join product_titles on trim(tmall_trades.item_title) = trim(product_titles.title)
),

unioned as (
    -- both branches in one shape: its columns, named in each
    {%- for lines in ['shop_lines_matched', 'tmall_lines_matched'] %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select {{ lines }}.{{ line_columns | join(', ' ~ lines ~ '.') }}
    from {{ lines }}
    {%- endfor %}
),

final as (
    select
        unioned.order_source || ':' || unioned.order_id as order_key,
        unioned.order_source,
        unioned.order_id,
        unioned.line_number,
        unioned.line_id,
        unioned.sku,
        unioned.title,
        cast(unioned.quantity as integer) as quantity,
        cast(unioned.line_amount as decimal(18, 2)) as line_amount,
        coalesce(unioned.is_present, false) as is_present,
        unioned.product_sku is not null as is_product_matched,
        coalesce(unioned.is_trial, false) as is_trial,
        coalesce(unioned.is_sample, false) as is_sample
    from unioned
)

select * from final
