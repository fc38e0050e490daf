{#- The guide × day grid: every employee with a customer friendship, an owned group or behaviour
    data, on every loaded Beijing date, with the day's start and end instants. -#}
with

friendships as (select * from {{ ref('int_guides__customer_friendships') }}),
memberships as (select * from {{ ref('int_wecom__group_memberships') }}),
behaviors as (select * from {{ ref('stg_wecom__user_behaviors') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

guides as (
    select friendships.userid from friendships
    union
    select memberships.owner_userid from memberships
    union
    select behaviors.userid from behaviors
),

days as (
    select cast(day.generate_series as date) as business_date
    from bounds
    {{ generate_series_join('bounds.first_date', 'bounds.last_date', 'interval 1 day', 'day') }}
),

final as (
    select
        guides.userid,
        days.business_date,
        {{ beijing_midnight('days.business_date') }} as day_start_at,
        {{ beijing_midnight('days.business_date + 1') }} as day_end_at
    from guides
    cross join days
    where guides.userid is not null
)

select * from final
