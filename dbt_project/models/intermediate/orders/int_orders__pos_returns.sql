{#- POS returns (negative 金额) matched to the sale receipt their 原单流水号 names: a sale of the same
    store first; failing that, the one sale with that receipt number in another store. A return
    naming no sale, or several sales in other stores, stays unmatched (order_key null) and nets
    nothing. -#}
with

receipts as (select * from {{ ref('stg_pos__receipts') }}),

returns as (
    select * from receipts
    where is_return
),

sales as (
    select * from receipts
    where not is_return
),

candidates as (
    select
        returns.store_code,
        returns.receipt_no,
        sales.store_code as sale_store_code,
        sales.receipt_no as sale_receipt_no,
        sales.store_code = returns.store_code as is_same_store
    from returns
    inner join sales on returns.original_receipt_no = sales.receipt_no
    qualify
        row_number() over (
            partition by returns.store_code, returns.receipt_no
            order by is_same_store desc, sales.store_code asc
        ) = 1
        and (
            is_same_store or count(*) over (partition by returns.store_code, returns.receipt_no) = 1
        )
),

final as (
    select
        'pos:' || returns.store_code || ':' || returns.receipt_no as return_key,
        returns.store_code,
        returns.receipt_no,
        returns.original_receipt_no,
        returns.traded_at as returned_at,
        cast(abs(returns.amount) as decimal(18, 2)) as returned_amount,
        'pos:' || candidates.sale_store_code || ':' || candidates.sale_receipt_no as order_key,
        candidates.is_same_store
    from returns
    left join candidates
        on
            returns.store_code = candidates.store_code
            and returns.receipt_no = candidates.receipt_no
)

select * from final
