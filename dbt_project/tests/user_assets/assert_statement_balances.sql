-- Every period balances, and each period's opening equals the previous period's closing.
with

statement as (select * from {{ ref('user_asset_statement') }}),

checked as (
    select
        statement.*,
        lag(statement.closing_customers) over (
            partition by statement.period_grain, statement.touchpoint order by statement.period_start
        ) as previous_closing
    from statement
)

select *
from checked
where checked.closing_customers != checked.opening_customers + checked.added_customers - checked.lost_customers
    or (checked.previous_closing is not null and checked.previous_closing != checked.opening_customers)
