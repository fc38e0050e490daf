{#- WeCom friendships before hand-overs are recognised: one row per customer × employee × start
    (sources.md, "Reading friendships"). Walking a pair's timeline: an add while the pair is
    inactive starts a friendship; adds while it is active (the same add seen as an event and as a
    snapshot createtime, a snapshot still showing a deleted relation) are absorbed; the first end
    after the start closes it; ends while inactive change nothing. So a friendship starts at an add
    whose previous signal is not an add, and ends at an end whose previous signal is an add. -#}
with

signals as (select * from {{ ref('int_wecom__contact_signals') }}),

timeline as (
    select
        signals.*,
        lag(signals.signal_kind) over (
            partition by signals.external_userid, signals.userid order by signals.signal_number
        ) as previous_kind
    from signals
),

flagged as (
    select
        timeline.*,
        timeline.signal_kind = 'add'
        and coalesce(timeline.previous_kind, 'end') = 'end' as is_start,
        timeline.signal_kind = 'end' and timeline.previous_kind = 'add' as is_end
    from timeline
),

numbered as (
    select
        flagged.*,
        sum(cast(flagged.is_start as integer)) over (
            partition by flagged.external_userid, flagged.userid order by flagged.signal_number
        ) as friendship_number
    from flagged
),

spans as (
    -- signals before a pair's first add (e.g. deleting a friendship older than the data) start
    -- nothing
    select
        numbered.external_userid,
        numbered.userid,
        min(numbered.signal_at) as started_at,
        max(numbered.ended_at) filter (where numbered.is_end) as ended_at,
        max(numbered.signal_type) filter (where numbered.is_end) as end_kind,
        coalesce(bool_or(numbered.is_deleted_by_transfer) filter (where numbered.is_end), false)
            as is_deleted_by_transfer,
        {{ arg_min('numbered.add_way', 'numbered.signal_number') }} filter (
            where numbered.add_way is not null
        )
            as add_way,
        {{ arg_min('numbered.state', 'numbered.signal_number') }} filter (
            where numbered.state is not null
        )
            as state
    from numbered
    where numbered.friendship_number > 0
    group by numbered.external_userid, numbered.userid, numbered.friendship_number
),

final as (
    select
        {{ surrogate_key([
            'spans.external_userid', 'spans.userid', instant_text('spans.started_at')
        ]) }}
            as friendship_id,
        spans.external_userid,
        spans.userid,
        spans.started_at,
        -- a disappearance is dated at its snapshot date's midnight, never before the add it ends
        case when spans.ended_at is not null then greatest(spans.started_at, spans.ended_at) end
            as ended_at,
        spans.end_kind,
        spans.is_deleted_by_transfer,
        spans.add_way,
        spans.state
    from spans
)

select * from final
