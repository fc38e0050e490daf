{#- Every touch of a person in any source, with the channel code it carried (spec/marts.md,
    Acquisition): leads, QR scans and follows (and any other OA push), friend adds, group joins,
    mini program visits, order creations, POS receipts and memberships, invitations. Grain: one row
    per record touch. -#}
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

final as (
    select touches.*
    from touches
    where touches.id_value is not null and touches.touched_at is not null
)

select * from final
