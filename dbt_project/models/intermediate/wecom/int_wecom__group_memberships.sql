{#- Membership periods of external contacts (member type 2) in customer groups owned by an employee
    (owner listed in org/employee): one row per group × member × period. A period runs over
    consecutive group_chat snapshots showing the member with the same join_time; a member missing
    from a snapshot left on that snapshot's business date (sources.md) — a dissolved group is
    missing from the snapshot, so its members leave too. A changed join_time between two sightings
    is a leave and a rejoin. A group whose snapshot record the loader quarantined (one garbled
    member quarantines the group) with its chat_id readable was there that day, its members unknown:
    that snapshot does not count for the group (int_wecom__group_chat_own_snapshot_dates), and its
    periods run over it. -#}
with

members as (select * from {{ ref('stg_wecom__group_chat_members') }}),
employees as (select * from {{ ref('stg_org__employees') }}),
chat_snapshot_dates as (select * from {{ ref('int_wecom__group_chat_snapshot_dates') }}),
own_snapshot_dates as (select * from {{ ref('int_wecom__group_chat_own_snapshot_dates') }}),

sightings as (
    select
        members.*,
        case
            when own_snapshot_dates.chat_id is not null then own_snapshot_dates.next_snapshot_date
            else chat_snapshot_dates.next_snapshot_date
        end as next_snapshot_date,
        -- a new period unless seen, with the same join_time, in the previous snapshot loaded
        (
            lag(members.snapshot_date) over member_order
            is distinct from case
                when own_snapshot_dates.chat_id is not null
                    then own_snapshot_dates.previous_snapshot_date
                else chat_snapshot_dates.previous_snapshot_date
            end
        )
        or (lag(members.joined_at) over member_order is distinct from members.joined_at)
            as is_period_start
    from members
    inner join employees on members.owner_userid = employees.userid
    inner join chat_snapshot_dates on members.snapshot_date = chat_snapshot_dates.snapshot_date
    left join own_snapshot_dates
        on
            members.chat_id = own_snapshot_dates.chat_id
            and members.snapshot_date = own_snapshot_dates.snapshot_date
    where members.member_type = 2
    window member_order as (
        partition by members.chat_id, members.member_userid order by members.snapshot_date
    )
),

numbered as (
    select
        sightings.*,
        sum(cast(sightings.is_period_start as integer)) over (
            partition by sightings.chat_id, sightings.member_userid order by sightings.snapshot_date
        ) as period_number
    from sightings
),

periods as (
    select
        numbered.chat_id,
        numbered.member_userid as external_userid,
        min(numbered.snapshot_date) as first_seen_date,
        -- the _null variants keep a null (no later snapshot, no invitor) instead of skipping it
        {{ arg_max('numbered.next_snapshot_date', 'numbered.snapshot_date', keep_nulls=true) }}
            as left_date,
        {{ arg_max('numbered.owner_userid', 'numbered.snapshot_date') }} as owner_userid,
        {{ arg_max('numbered.unionid', 'numbered.snapshot_date') }} filter (
            where numbered.unionid is not null
        ) as unionid,
        -- a member without join_time had joined by the day of the first sighting
        coalesce(
            {{ arg_min('numbered.joined_at', 'numbered.snapshot_date') }},
            {{ beijing_midnight('min(numbered.snapshot_date)') }}
        ) as joined_at,
        {{ arg_min('numbered.join_scene', 'numbered.snapshot_date', keep_nulls=true) }}
            as join_scene,
        {{ arg_min('numbered.invitor_userid', 'numbered.snapshot_date', keep_nulls=true) }}
            as invitor_userid
    from numbered
    group by numbered.chat_id, numbered.member_userid, numbered.period_number
),

final as (
    select
        {{ surrogate_key([
            'periods.chat_id', 'periods.external_userid', 'periods.first_seen_date'
        ]) }} as membership_id,
        periods.chat_id,
        periods.owner_userid,
        periods.external_userid,
        periods.unionid,
        periods.joined_at,
        -- the left date's midnight, but not after a rejoin found in that snapshot nor before the
        -- join
        case when periods.left_date is not null then greatest(periods.joined_at, least(
            {{ beijing_midnight('periods.left_date') }},
            lead(periods.joined_at) over (
                partition by periods.chat_id, periods.external_userid
                order by periods.first_seen_date
            )
        )) end as left_at,
        periods.join_scene,
        periods.invitor_userid
    from periods
)

select * from final
