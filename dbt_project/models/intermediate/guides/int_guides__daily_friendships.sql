{#- Per guide and day, the friendship book: opening, adds, losses by side, transfers, closing.
    A friendship is open at a day's end when it began by then and ended after it, so the day's
    closing is the guide's friendships begun on or before the day less those ended on or before
    it: running sums over the days friendships began and ended, not a join of every day with every
    friendship (guides × days × friendships, the night's fastest-growing cost). Opening is the
    closing less the day's starts plus its ends. A friendship whose end has an earlier Beijing
    date than its start is open on no day and counted nowhere; one ending earlier on its own
    start date counts as begun and lost that day. -#}
with

days as (select * from {{ ref('int_guides__days') }}),
friendships as (select * from {{ ref('int_guides__customer_friendships') }}),

spans as (
    select
        friendships.userid,
        friendships.start_kind,
        friendships.end_kind,
        {{ beijing_date('friendships.started_at') }} as start_date,
        {{ beijing_date('friendships.ended_at') }} as end_date
    from friendships
    where
        friendships.started_at is not null
        and (
            friendships.ended_at is null
            or {{ beijing_date('friendships.ended_at') }}
            >= {{ beijing_date('friendships.started_at') }}
        )
),

day_changes as (
    select
        spans.userid,
        spans.start_date as business_date,
        count(*) as starts,
        count(*) filter (where spans.start_kind = 'add') as added_customers,
        count(*) filter (where spans.start_kind = 'transfer_in') as transferred_in,
        0 as ends,
        0 as lost_by_customer,
        0 as lost_by_guide,
        0 as transferred_out
    from spans
    group by spans.userid, spans.start_date
    union all
    select
        spans.userid,
        spans.end_date,
        0,
        0,
        0,
        count(*),
        count(*) filter (where spans.end_kind = 'del_follow_user'),
        count(*) filter (where spans.end_kind = 'del_external_contact'),
        count(*) filter (where spans.end_kind = 'transfer_out')
    from spans
    where spans.end_date is not null
    group by spans.userid, spans.end_date
),

timeline as (
    -- the guide's days and the dates its friendships changed (before the first day too)
    select
        day_changes.userid,
        day_changes.business_date,
        false as is_day,
        day_changes.starts,
        day_changes.ends,
        day_changes.added_customers,
        day_changes.transferred_in,
        day_changes.lost_by_customer,
        day_changes.lost_by_guide,
        day_changes.transferred_out
    from day_changes
    union all
    select
        days.userid,
        days.business_date,
        true,
        0,
        0,
        0,
        0,
        0,
        0,
        0
    from days
),

daily as (
    select
        timeline.userid,
        timeline.business_date,
        bool_or(timeline.is_day) as is_day,
        sum(timeline.starts) as starts,
        sum(timeline.ends) as ends,
        sum(timeline.added_customers) as added_customers,
        sum(timeline.transferred_in) as transferred_in,
        sum(timeline.lost_by_customer) as lost_by_customer,
        sum(timeline.lost_by_guide) as lost_by_guide,
        sum(timeline.transferred_out) as transferred_out
    from timeline
    group by timeline.userid, timeline.business_date
),

running as (
    select
        daily.*,
        sum(daily.starts - daily.ends) over (
            partition by daily.userid order by daily.business_date
            rows between unbounded preceding and current row
        ) as closing_customers
    from daily
),

final as (
    select
        running.userid,
        running.business_date,
        cast(running.closing_customers - running.starts + running.ends as bigint)
            as opening_customers,
        cast(running.added_customers as bigint) as added_customers,
        cast(running.transferred_in as bigint) as transferred_in,
        cast(running.lost_by_customer as bigint) as lost_by_customer,
        cast(running.lost_by_guide as bigint) as lost_by_guide,
        cast(running.transferred_out as bigint) as transferred_out,
        cast(running.closing_customers as bigint) as closing_customers
    from running
    where running.is_day
)

select * from final
