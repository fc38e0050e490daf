-- Every period balances, and each period's opening equals the previous period's closing.
with

statement as (select * from {{ ref('user_asset_statement') }}),

checked as (
    select
        statement.*,
        lag(statement.closing_customers) over (
            partition by statement.period_grain, statement.touchpoint
            order by statement.period_start
        ) as previous_closing
    from statement
)

select *
from checked
where
    closing_customers
    != opening_customers + added_customers - lost_customers
    or (
        previous_closing is not null
        and previous_closing != opening_customers
    )
