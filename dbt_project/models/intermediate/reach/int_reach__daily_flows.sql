{#- Reach transitions per touchpoint and Beijing day, and the customers already reachable when the
    range starts. The range starts with the first week or month the data touches (its Monday or 1st,
    whichever is earlier): a friendship whose createtime falls on the days before the first delivery
    is a transition inside that first week or month (marts.md: added counts transitions inside the
    period); days before the data are marked so the statement keeps no day rows for them. The
    statement sums these: a period's closing = opening + added − lost by construction, and each
    opening is the previous closing; daily_kpis reads the day's WeCom closing balance here. -#}
with

intervals as (select * from {{ ref('int_reach__intervals') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

range_start as (
    select
        bounds.periods_from_at as start_at,
        bounds.periods_from_date as start_date,
        bounds.first_date,
        bounds.last_date
    from bounds
),

transitions as (
    select
        intervals.touchpoint,
        {{ beijing_date('intervals.started_at') }} as business_date,
        1 as added,
        0 as lost
    from intervals
    cross join range_start
    where intervals.started_at >= range_start.start_at
    union all
    select
        intervals.touchpoint,
        {{ beijing_date('intervals.ended_at') }},
        0,
        1
    from intervals
    cross join range_start
    where intervals.ended_at >= range_start.start_at
),

opening as (
    select
        intervals.touchpoint,
        count(*) as customers_at_start
    from intervals
    cross join range_start
    where
        intervals.started_at < range_start.start_at
        and (intervals.ended_at is null or intervals.ended_at >= range_start.start_at)
    group by intervals.touchpoint
),

touchpoints as (
    {{ select_values(['wecom', 'oa', 'group', 'any'], 'touchpoint') }}
),

days as (
    select
        touchpoints.touchpoint,
        cast(day.generate_series as date) as business_date,
        cast(day.generate_series as date) >= range_start.first_date as is_loaded_date
    from range_start
    cross join touchpoints
    {{ generate_series_join(
        'range_start.start_date', 'range_start.last_date', 'interval 1 day', 'day'
    ) }}
),

flows as (
    select
        days.touchpoint,
        days.business_date,
        days.is_loaded_date,
        coalesce(opening.customers_at_start, 0) as customers_at_range_start,
        coalesce(sum(transitions.added), 0) as added_customers,
        coalesce(sum(transitions.lost), 0) as lost_customers
    from days
    left join transitions
        on
            days.touchpoint = transitions.touchpoint
            and days.business_date = transitions.business_date
    left join opening on days.touchpoint = opening.touchpoint
    group by days.touchpoint, days.business_date, days.is_loaded_date, opening.customers_at_start
),

final as (
    -- each day's closing balance: the customers reachable at the range start plus every transition
    -- since, so a day's closing is the next day's opening
    select
        flows.*,
        cast(
            flows.customers_at_range_start
            + sum(flows.added_customers - flows.lost_customers)
                over (
                    partition by flows.touchpoint
                    order by flows.business_date rows unbounded preceding
                )
            as bigint
        ) as closing_customers
    from flows
)

select * from final
