{#- Official Account follow periods (关注期): one row per openid × subscribe. Read like WeCom
    friendships: subscribe events and snapshot follows (subscribe = 1, one per subscribe_time, the
    latest follow time) start or confirm a period; an unsubscribe event, or a snapshot lapse
    (subscribe = 0 or missing, placed at its day end so a same-day unsubscribe event sorts first),
    ends it. A follow while following is absorbed; an end while not following changes nothing; a
    re-subscribe starts a new period. One exception: an unsubscribe event before the end of the
    first snapshot's day, with no follow known before it, is a follower from before the data (no
    snapshot could show them): their period starts just before the first week or month the data
    touches (where the statement's range begins), so every first period opens with them and they are
    lost on that day. -#}
with

oa_users as (select * from {{ ref('stg_oa__users') }}),
oa_events as (select * from {{ ref('stg_oa__events') }}),
lapses as (select * from {{ ref('int_oa__subscription_lapses') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

known_signals as (
    select distinct
        oa_users.openid,
        oa_users.subscribed_at as signal_at,
        'add' as signal_kind,
        'snapshot' as signal_type,
        cast(null as {{ instant_type() }}) as ended_at
    from oa_users
    where oa_users.is_subscribed and oa_users.subscribed_at is not null
    union all
    select
        oa_events.openid,
        oa_events.event_at,
        case when oa_events.event = 'subscribe' then 'add' else 'end' end,
        oa_events.event,
        case when oa_events.event = 'unsubscribe' then oa_events.event_at end
    from oa_events
    where oa_events.event in ('subscribe', 'unsubscribe')
    union all
    select
        lapses.openid,
        lapses.lapsed_at + interval 1 day,
        'end',
        lapses.lapse_kind,
        lapses.lapsed_at
    from lapses
),

first_snapshot as (
    select {{ beijing_midnight('min(oa_users.snapshot_date) + 1') }} as ends_at from oa_users
),

followers_before_data as (
    select
        known_signals.openid,
        bounds.periods_from_at - interval 1 microsecond as signal_at
    from known_signals
    cross join bounds
    cross join first_snapshot
    qualify
        row_number() over (
            partition by known_signals.openid
            order by known_signals.signal_at, known_signals.signal_kind, known_signals.signal_type
        ) = 1
        and known_signals.signal_type = 'unsubscribe'
        and known_signals.signal_at < first_snapshot.ends_at
),

signals as (
    select * from known_signals
    union all
    select
        followers_before_data.openid,
        followers_before_data.signal_at,
        'add',
        'before_data',
        cast(null as {{ instant_type() }})
    from followers_before_data
),

timeline as (
    select
        signals.*,
        signals.signal_kind = 'add'
        and coalesce(lag(signals.signal_kind) over openid_order, 'end') = 'end'
            as is_start,
        signals.signal_kind = 'end'
        and lag(signals.signal_kind) over openid_order = 'add' as is_end,
        row_number() over openid_order as signal_number
    from signals
    window openid_order as (
        partition by signals.openid
        order by signals.signal_at, signals.signal_kind, signals.signal_type
    )
),

numbered as (
    select
        timeline.*,
        sum(cast(timeline.is_start as integer)) over (
            partition by timeline.openid order by timeline.signal_number
        ) as period_number
    from timeline
),

periods as (
    -- ends before an openid's first follow start nothing
    select
        numbered.openid,
        min(numbered.signal_at) as subscribed_at,
        max(numbered.ended_at) filter (where numbered.is_end) as ended_at,
        max(numbered.signal_type) filter (where numbered.is_end) as end_kind
    from numbered
    where numbered.period_number > 0
    group by numbered.openid, numbered.period_number
),

final as (
    select
        {{ surrogate_key(['periods.openid', instant_text('periods.subscribed_at')]) }}
            as subscription_id,
        periods.openid,
        periods.subscribed_at,
        -- a lapse is dated at its snapshot date's midnight, never before the follow it ends
        case
            when periods.ended_at is not null then greatest(periods.subscribed_at, periods.ended_at)
        end
            as unsubscribed_at,
        periods.end_kind
    from periods
)

select * from final
