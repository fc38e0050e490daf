{#- Every identifier's first touch in any source, with the channel code it carried (spec/marts.md,
    Acquisition): leads, QR scans and follows (and any other OA push), friend adds, group joins,
    mini program visits, order creations, POS receipts and memberships, invitations. A customer's
    acquisition is the first of its identifiers' first touches (int_customers__acquisition), so
    each identifier keeps one touch — the first by the acquisition's order: time, a code that maps
    to a channel, the source order of spec/marts.md, then the code — and the table holds one row
    per identifier where one per touch (each snapshot day repeating every contact's friend add)
    was ~2–20× the rows. Equal keys mean the same code, hence the same channel and campaign: the
    row kept does not depend on which of them wins. Grain: one row per (id_type, id_value). -#}
with

leads as (select * from {{ ref('stg_leads__oceanengines') }}),
oa_events as (select * from {{ ref('stg_oa__events') }}),
oa_users as (select * from {{ ref('stg_oa__users') }}),
contacts as (select * from {{ ref('stg_wecom__external_contacts') }}),
contact_events as (select * from {{ ref('stg_wecom__contact_events') }}),
group_members as (select * from {{ ref('stg_wecom__group_chat_members') }}),
mp_events as (select * from {{ ref('stg_mp__events') }}),
mp_users as (select * from {{ ref('stg_mp__users') }}),
invitations as (select * from {{ ref('stg_fission__invitations') }}),
youzan_trades as (select * from {{ ref('stg_youzan__trades') }}),
douyin_orders as (select * from {{ ref('stg_douyin__orders') }}),
tmall_trades as (select * from {{ ref('stg_tmall__trades') }}),
tmall_members as (select * from {{ ref('stg_tmall__members') }}),
pos_receipts as (select * from {{ ref('stg_pos__receipts') }}),
pos_members as (select * from {{ ref('stg_pos__members') }}),
channel_codes as (select * from {{ ref('stg_org__channel_codes') }}),

touches as (
    select
        'oceanengine' as touch_source,
        'clue_id' as id_type,
        clue_id as id_value,
        created_at as touched_at,
        promotion_id as touch_code
    from leads
    -- any push shows the person was there (a follower from before the data who only unsubscribes)
    union all
    select
        'oa',
        'oa_openid',
        openid,
        event_at,
        case when event in ('subscribe', 'SCAN') then qr_scene_str end
    from oa_events
    union all
    select
        'oa',
        'oa_openid',
        openid,
        subscribed_at,
        nullif(qr_scene_str, '')
    from oa_users
    where is_subscribed
    union all
    select
        'wecom',
        'external_userid',
        external_userid,
        added_at,
        state
    from contacts
    union all
    select
        'wecom',
        'external_userid',
        external_userid,
        changed_at,
        state
    from contact_events
    where change_type in ('add_external_contact', 'add_half_external_contact')
    union all
    select
        'wecom',
        'external_userid',
        external_userid,
        joined_at,
        null
    from group_members
    where is_external
    union all
    select
        'mp',
        'mp_openid',
        openid,
        event_at,
        utm_campaign
    from mp_events
    union all
    select
        'mp',
        'mp_openid',
        openid,
        created_at,
        null
    from mp_users
    union all
    select
        'fission',
        'unionid',
        invitee_unionid,
        step_at,
        campaign_id
    from invitations
    union all
    select
        'fission',
        'external_userid',
        invitee_external_userid,
        step_at,
        campaign_id
    from invitations
    union all
    select
        'fission',
        'unionid',
        inviter_unionid,
        step_at,
        campaign_id
    from invitations
    union all
    select
        'fission',
        'external_userid',
        inviter_external_userid,
        step_at,
        campaign_id
    from invitations
    union all
    select
        'youzan',
        'yz_open_id',
        yz_open_id,
        created_at,
        null
    from youzan_trades
    union all
    select
        'douyin',
        'doudian_open_id',
        doudian_open_id,
        created_at,
        null
    from douyin_orders
    union all
    select
        'tmall',
        'tmall_buyer_nick',
        buyer_nick,
        created_at,
        null
    from tmall_trades
    union all
    select
        'tmall',
        'tmall_member_id',
        member_id,
        bound_at,
        null
    from tmall_members
    union all
    select
        'pos',
        'pos_card_no',
        card_no,
        traded_at,
        null
    from pos_receipts
    where card_no is not null
    union all
    select
        'pos',
        'phone',
        phone_hash,
        traded_at,
        null
    from pos_receipts
    where card_no is null and phone_kind = 'valid'
    union all
    select
        'pos',
        'pos_card_no',
        card_no,
        registered_at,
        null
    from pos_members
),

earliest as (
    -- each identifier's earliest touch per source and code first: a snapshot repeats every
    -- contact's friend add, and touches with equal source and code differ only in time, so the
    -- first touch below is the same, from ~5× fewer rows (13.4 M touches, 2.5 M kept at 1,000,000
    -- customers)
    select
        touches.id_type,
        touches.id_value,
        touches.touch_source,
        touches.touch_code,
        min(touches.touched_at) as touched_at
    from touches
    where touches.id_value is not null and touches.touched_at is not null
    group by touches.id_type, touches.id_value, touches.touch_source, touches.touch_code
),

coded as (
    select
        earliest.*,
        channel_codes.channel,
        channel_codes.campaign_id,
        {{ position_in(
            ['wecom', 'oa', 'mp', 'fission', 'oceanengine', 'youzan', 'douyin', 'tmall', 'pos'],
            'earliest.touch_source'
        ) }} as source_rank
    from earliest
    left join channel_codes on earliest.touch_code = channel_codes.code
),

first_touches as (
    -- arg_min over a key of non-null fields (a hash aggregate: no sort of every touch); a null
    -- code sorts last, as `touch_code nulls last` does
    select
        coded.id_type,
        coded.id_value,
        {{ arg_min(
            struct_of({
                'touched_at': 'coded.touched_at',
                'touch_source': 'coded.touch_source',
                'touch_code': 'coded.touch_code',
                'channel': 'coded.channel',
                'campaign_id': 'coded.campaign_id',
                'source_rank': 'coded.source_rank',
            }),
            struct_of({
                'touched_at': 'coded.touched_at',
                'uncoded': 'coded.channel is null',
                'source_rank': 'coded.source_rank',
                'no_code': 'coded.touch_code is null',
                'touch_code': "coalesce(coded.touch_code, '')",
            })
        ) }} as touch
    from coded
    group by coded.id_type, coded.id_value
),

final as (
    select
        first_touches.id_type,
        first_touches.id_value,
        first_touches.touch.touched_at,
        first_touches.touch.touch_source,
        first_touches.touch.touch_code,
        first_touches.touch.channel,
        first_touches.touch.campaign_id,
        first_touches.touch.source_rank
    from first_touches
)

select * from final
