{#- Customer × employee relations missing from an external_contact snapshot where they were
    expected: after a sighting (the pair was in the previous snapshot loaded; snapshots need not
    come daily) or after an add event (the first snapshot dated after the add's Beijing date: the
    add's own day is not held against it, so a snapshot pulled before the day's end cannot end every
    new friendship at once, at the cost of dating a silent same-day deletion a snapshot late).
    Whether a deletion event explains the absence is settled in int_wecom__contact_signals /
    int_wecom__friendship_spans. A pair whose snapshot row the loader quarantined with its key
    readable was there that day (stg_loads__unreadable_snapshot_rows): a sighting, not an absence. -#}
with

contacts as (select * from {{ ref('stg_wecom__external_contacts') }}),
contact_events as (select * from {{ ref('stg_wecom__contact_events') }}),
unreadable as (select * from {{ ref('stg_loads__unreadable_snapshot_rows') }}),

sightings as (
    select
        contacts.snapshot_date,
        contacts.external_userid,
        contacts.userid
    from contacts
    union
    select
        unreadable.snapshot_date,
        unreadable.external_userid,
        unreadable.userid
    from unreadable
    where unreadable.origin = 'wecom/external_contact'
),

snapshot_dates as (
    select
        sightings.snapshot_date,
        lead(sightings.snapshot_date) over (order by sightings.snapshot_date) as next_snapshot_date
    from sightings
    group by sightings.snapshot_date
),

add_dates as (
    select distinct contact_events.changed_date from contact_events
    where contact_events.change_type in ('add_external_contact', 'add_half_external_contact')
),

first_snapshot_after as (
    -- the first snapshot dated after each day an add fell on (none after the last snapshot)
    select
        add_dates.changed_date,
        min(snapshot_dates.snapshot_date) as snapshot_date
    from add_dates
    inner join snapshot_dates on add_dates.changed_date < snapshot_dates.snapshot_date
    group by add_dates.changed_date
),

expected_after_sighting as (
    select
        sightings.external_userid,
        sightings.userid,
        snapshot_dates.next_snapshot_date as expected_date
    from sightings
    inner join snapshot_dates on sightings.snapshot_date = snapshot_dates.snapshot_date
    where snapshot_dates.next_snapshot_date is not null
),

expected_after_add_event as (
    select
        contact_events.external_userid,
        contact_events.userid,
        first_snapshot_after.snapshot_date as expected_date
    from contact_events
    inner join first_snapshot_after
        on contact_events.changed_date = first_snapshot_after.changed_date
    where contact_events.change_type in ('add_external_contact', 'add_half_external_contact')
),

expected as (
    select * from expected_after_sighting
    union
    select * from expected_after_add_event
),

final as (
    select
        expected.external_userid,
        expected.userid,
        expected.expected_date as missing_date,
        {{ beijing_midnight('expected.expected_date') }} as missing_at
    from expected
    left join sightings
        on
            expected.external_userid = sightings.external_userid
            and expected.userid = sightings.userid
            and expected.expected_date = sightings.snapshot_date
    where sightings.external_userid is null
)

select * from final
