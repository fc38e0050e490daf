{#- Official Account follows that an oa/user snapshot shows over: one row per openid × snapshot date
    on which the user is a non-follower (subscribe = 0) or is missing although expected — listed as
    a follower in the previous snapshot loaded, or subscribed by an event and absent from the first
    snapshot dated after the event's Beijing date (the event's own day is not held against it, as
    for WeCom disappearances). Whether an unsubscribe event already ended the follow is settled in
    int_oa__subscriptions. A user whose snapshot row the loader quarantined with the openid readable
    was in that snapshot (stg_loads__unreadable_snapshot_rows): not missing, and, its subscribe
    unknown, still expected in the next snapshot. -#}
with

oa_users as (select * from {{ ref('stg_oa__users') }}),
oa_events as (select * from {{ ref('stg_oa__events') }}),
unreadable as (
    select * from {{ ref('stg_loads__unreadable_snapshot_rows') }}
    where origin = 'oa/user'
),

sightings as (
    select
        oa_users.snapshot_date,
        oa_users.openid,
        oa_users.is_subscribed
    from oa_users
    union
    select
        unreadable.snapshot_date,
        unreadable.openid,
        null
    from unreadable
),

snapshot_dates as (
    select
        sightings.snapshot_date,
        lead(sightings.snapshot_date) over (order by sightings.snapshot_date) as next_snapshot_date
    from sightings
    group by sightings.snapshot_date
),

event_dates as (
    select distinct oa_events.event_date from oa_events
    where oa_events.event = 'subscribe'
),

first_snapshot_after as (
    -- the first snapshot dated after each day a subscribe fell on (none after the last snapshot)
    select
        event_dates.event_date,
        min(snapshot_dates.snapshot_date) as snapshot_date
    from event_dates
    inner join snapshot_dates on event_dates.event_date < snapshot_dates.snapshot_date
    group by event_dates.event_date
),

expected as (
    select
        sightings.openid,
        snapshot_dates.next_snapshot_date as expected_date
    from sightings
    inner join snapshot_dates on sightings.snapshot_date = snapshot_dates.snapshot_date
    where
        coalesce(sightings.is_subscribed, true)
        and snapshot_dates.next_snapshot_date is not null
    union
    select
        oa_events.openid,
        first_snapshot_after.snapshot_date
    from oa_events
    inner join first_snapshot_after on oa_events.event_date = first_snapshot_after.event_date
    where oa_events.event = 'subscribe'
),

lapses as (
    select
        oa_users.openid,
        oa_users.snapshot_date as lapse_date,
        'unsubscribed_in_snapshot' as lapse_kind
    from oa_users
    where not oa_users.is_subscribed
    union all
    select
        expected.openid,
        expected.expected_date,
        'missing_from_snapshot'
    from expected
    left join sightings
        on expected.openid = sightings.openid and expected.expected_date = sightings.snapshot_date
    where sightings.openid is null
),

final as (
    select
        lapses.openid,
        lapses.lapse_date,
        {{ beijing_midnight('lapses.lapse_date') }} as lapsed_at,
        lapses.lapse_kind
    from lapses
)

select * from final
