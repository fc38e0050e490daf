{#- WeCom friendships (好友关系), one row per customer × employee × start, with hand-overs recognised. A
    transfer (sources.md) is a del_external_contact with Source = DELETE_BY_TRANSFER plus an add of
    the same customer by another employee within transfer_window_hours (either side of the deletion)
    by internal share (add_way 201) or admin assignment (202) — or of unknown way when the add came
    only as an event. Each deletion and each add take part in at most one transfer: the nearest in
    time both ways. A DELETE_BY_TRANSFER deletion is never a loss (sources.md: "a hand-over to
    another employee, not a loss"; marts.md: it "moves it to another guide"): with no such add — the
    new guide was already a friend, or the add falls after the latest loaded data — it is still a
    transfer_out, with no partner. -#}
with

spans as (select * from {{ ref('int_wecom__friendship_spans') }}),
signals as (select * from {{ ref('int_wecom__contact_signals') }}),
contacts as (select * from {{ ref('stg_wecom__external_contacts') }}),

span_handovers as (
    select
        spans.friendship_id,
        spans.external_userid,
        spans.userid,
        spans.ended_at
    from spans
    where spans.end_kind = 'del_external_contact' and spans.is_deleted_by_transfer
),

handover_deletions as (
    select * from span_handovers
    union all
    -- a hand-over of a friendship older than the data (no add of it was loaded) still moves the
    -- customer: the new guide's add is a transfer_in, not a new friendship. A deletion of a
    -- friendship the data holds (one of the pair begun by then) is that friendship's end — or, when
    -- the friendship had already ended, a repeat that hands nothing over and must not take the new
    -- guide's add from the real hand-over (a 1 M-customer simulation had one: a second transfer
    -- deletion 23 h after the first, nearer the add)
    select
        null as friendship_id,
        signals.external_userid,
        signals.userid,
        signals.signal_at as ended_at
    from signals
    where
        signals.signal_type = 'del_external_contact' and signals.is_deleted_by_transfer
        and not exists (
            select 1 from spans as begun
            where
                begun.external_userid = signals.external_userid
                and begun.userid = signals.userid
                and begun.started_at <= signals.signal_at
        )
),

handover_candidates as (
    select
        coalesce(
            handover_deletions.friendship_id,
            {{ surrogate_key(['handover_deletions.external_userid', 'handover_deletions.userid',
                              instant_text('handover_deletions.ended_at')]) }}
        ) as from_friendship_id,
        handover_deletions.userid as from_userid,
        spans.friendship_id as to_friendship_id,
        spans.userid as to_userid,
        abs(
            {{ to_epoch_seconds('spans.started_at') }}
            - {{ to_epoch_seconds('handover_deletions.ended_at') }}
        ) as gap_seconds
    from handover_deletions
    inner join spans
        on
            handover_deletions.external_userid = spans.external_userid
            and handover_deletions.userid != spans.userid
    where
        (spans.add_way in (201, 202) or spans.add_way is null)
        and abs(
            {{ to_epoch_seconds('spans.started_at') }}
            - {{ to_epoch_seconds('handover_deletions.ended_at') }}
        )
        <= {{ var('transfer_window_hours') }} * 3600
),

transfers as (
    select handover_candidates.* from handover_candidates
    qualify
        row_number() over (
            partition by handover_candidates.from_friendship_id
            order by handover_candidates.gap_seconds, handover_candidates.to_friendship_id
        ) = 1
        and row_number() over (
            partition by handover_candidates.to_friendship_id
            order by handover_candidates.gap_seconds, handover_candidates.from_friendship_id
        ) = 1
),

other_corp_contacts as (
    select distinct contacts.external_userid from contacts
    where contacts.is_other_corp
),

final as (
    select
        spans.friendship_id,
        spans.external_userid,
        spans.userid,
        spans.started_at,
        spans.ended_at,
        case when transfers_in.to_friendship_id is not null then 'transfer_in' else 'add' end
            as start_kind,
        case
            when transfers_out.from_friendship_id is not null or spans.is_deleted_by_transfer
                then 'transfer_out'
            else spans.end_kind
        end as end_kind,
        spans.state,
        spans.add_way,
        other_corp_contacts.external_userid is not null
        or spans.external_userid like 'wo%' as is_other_corp,
        coalesce(transfers_out.to_userid, transfers_in.from_userid) as transfer_partner_userid,
        transfers_in.from_userid as transferred_from_userid,
        transfers_out.to_userid as transferred_to_userid,
        transfers_out.to_friendship_id as transferred_to_friendship_id
    from spans
    left join transfers as transfers_in on spans.friendship_id = transfers_in.to_friendship_id
    left join transfers as transfers_out on spans.friendship_id = transfers_out.from_friendship_id
    left join other_corp_contacts on spans.external_userid = other_corp_contacts.external_userid
)

select * from final
