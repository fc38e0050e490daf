with

flows as (select * from {{ ref('int_reach__daily_flows') }}),

running as (
    select
        flows.*,
        flows.closing_customers as closing_of_day
    from flows
),

first_loaded as (
    select min(flows.business_date) as first_date from flows
    where flows.is_loaded_date
),

periods as (
    -- the periods the data touches, from the first loaded date's day, week and month; the days
    -- before the first delivery only feed the first week or month
    select
        'day' as period_grain,
        running.business_date as period_start,
        running.*
    from running
    union all
    select
        'week',
        cast(date_trunc('week', running.business_date) as date),
        running.*
    from running
    union all
    select
        'month',
        cast(date_trunc('month', running.business_date) as date),
        running.*
    from running
),

touched_periods as (
    select periods.* from periods
    cross join first_loaded
    where periods.period_start >= case periods.period_grain
        when 'day' then first_loaded.first_date
        when 'week' then cast(date_trunc('week', first_loaded.first_date) as date)
        else cast(date_trunc('month', first_loaded.first_date) as date)
    end
),

final as (
    select
        periods.period_grain,
        periods.period_start,
        periods.touchpoint,
        cast({{ arg_min(
            'periods.closing_of_day - periods.added_customers + periods.lost_customers',
            'periods.business_date'
        ) }} as bigint) as opening_customers,
        cast(sum(periods.added_customers) as bigint) as added_customers,
        cast(sum(periods.lost_customers) as bigint) as lost_customers,
        cast({{ arg_max('periods.closing_of_day', 'periods.business_date') }} as bigint)
            as closing_customers
    from touched_periods as periods
    group by periods.period_grain, periods.period_start, periods.touchpoint
)

select * from final
