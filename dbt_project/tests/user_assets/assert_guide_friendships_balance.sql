-- Each guide's friendship book balances every day, and each day opens where the previous closed.
with

guide_days as (select * from {{ ref('guide_assets_daily') }}),

checked as (
    select
        guide_days.*,
        lag(guide_days.closing_customers)
            over (partition by guide_days.userid order by guide_days.business_date)
            as previous_closing
    from guide_days
)

select *
from checked
where
    closing_customers
    != opening_customers + added_customers + transferred_in
    - lost_by_customer - lost_by_guide - transferred_out
    or (
        previous_closing is not null
        and previous_closing != opening_customers
    )
