{#- Incremental by the parent's key (macros/incremental_staging.sql, touched_parent_rows): a night
    unnests again only the lines of the orders it changed; a table either way, since several models
    and tests read the lines (as a view each unnested the whole history again). -#}
{%- set parent = ref('stg_youzan__trades') -%}
{{ incremental_lines_config('tid', 'line_number') }}
{%- set raw = source('youzan', 'trade') -%}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, {'tid': 'tid'}, incremental) }}

trades as (
    {{ touched_parent_rows(parent, 'tid', incremental) }}
),

trade_lists as (
    select
        trades.tid,
        trades.landed_date,
        trades.loaded_at,
        {{ json_list('trades.orders_json', 'JSON') }} as line_list
    from trades
),

lines as (
    select
        tid,
        landed_date,
        loaded_at,
        {{ unnest_with_position('line_list', value='line_json', position='line_number') }}
    from trade_lists
),

final as (
    select
        tid,
        {{ json_text('line_json', 'oid') }} as oid,
        line_number,
        {{ json_text('line_json', 'outer_sku_id') }} as outer_sku_id,
        {{ json_text('line_json', 'title') }} as title,
        try_cast({{ json_text('line_json', 'num') }} as integer) as num,
        try_cast({{ json_text('line_json', 'payment') }} as decimal(18, 2)) as payment_amount,
        coalesce(try_cast({{ json_text('line_json', 'is_present') }} as boolean), false)
            as is_present,
        landed_date,
        loaded_at
    from lines
)

select * from final
{{ vanished_keys({'tid': 'tid'}, incremental) }}
