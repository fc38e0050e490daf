-- Each guide's friendship book balances every day, and each day opens where the previous closed.
with

guide_days as (select * from {{ ref('guide_assets_daily') }}),

checked as (
    select
        guide_days.*,
        lag(guide_days.closing_customers) over (partition by guide_days.userid order by guide_days.business_date)
            as previous_closing
    from guide_days
)

select *
from checked
where checked.closing_customers != checked.opening_customers + checked.added_customers + checked.transferred_in
        - checked.lost_by_customer - checked.lost_by_guide - checked.transferred_out
    or (checked.previous_closing is not null and checked.previous_closing != checked.opening_customers)
