{#- Every customer × employee pair's adds and ends as one timeline, the input of
    int_wecom__friendship_spans. Adds: add events, and one add per distinct snapshot createtime
    (every snapshot repeats the add, so a snapshot still showing a relation after its deletion
    repeats an add from before the deletion). Ends: deletion events, and absences from a snapshot,
    placed at that snapshot's day end so that a deletion event of the same day sorts first and
    explains the absence. -#}
with

contacts as (select * from {{ ref('stg_wecom__external_contacts') }}),
contact_events as (select * from {{ ref('stg_wecom__contact_events') }}),
disappearances as (select * from {{ ref('int_wecom__contact_disappearances') }}),

snapshot_adds as (
    -- described by the first snapshot showing that createtime
    select
        contacts.external_userid,
        contacts.userid,
        contacts.added_at,
        {{ arg_min('contacts.add_way', 'contacts.snapshot_date') }} as add_way,
        {{ arg_min("nullif(contacts.state, '')", 'contacts.snapshot_date') }} as state
    from contacts
    group by contacts.external_userid, contacts.userid, contacts.added_at
),

signals as (
    select
        snapshot_adds.external_userid,
        snapshot_adds.userid,
        snapshot_adds.added_at as signal_at,
        'add' as signal_kind,
        'snapshot' as signal_type,
        snapshot_adds.add_way,
        snapshot_adds.state,
        cast(null as {{ instant_type() }}) as ended_at,
        false as is_deleted_by_transfer
    from snapshot_adds
    union all
    select
        contact_events.external_userid,
        contact_events.userid,
        contact_events.changed_at,
        case when contact_events.change_type like 'add%' then 'add' else 'end' end,
        contact_events.change_type,
        null,
        nullif(contact_events.state, ''),
        case when contact_events.change_type like 'del%' then contact_events.changed_at end,
        contact_events.is_deleted_by_transfer
    from contact_events
    where
        contact_events.change_type in (
            'add_external_contact',
            'add_half_external_contact',
            'del_external_contact',
            'del_follow_user'
        )
    union all
    select
        disappearances.external_userid,
        disappearances.userid,
        disappearances.missing_at + interval 1 day,
        'end',
        'disappeared',
        null,
        null,
        disappearances.missing_at,
        false
    from disappearances
),

final as (
    select
        signals.external_userid,
        signals.userid,
        signals.signal_at,
        signals.signal_kind,
        signals.signal_type,
        -- total order within a pair: by time, an add before an end at the same instant, then by
        -- type
        row_number() over (
            partition by signals.external_userid, signals.userid
            order by signals.signal_at, signals.signal_kind, signals.signal_type
        ) as signal_number,
        signals.add_way,
        signals.state,
        signals.ended_at,
        signals.is_deleted_by_transfer
    from signals
)

select * from final
