{#- Every record's identifiers, as (left, right) pairs when a record names two, else (left, null).
    `strong` pairs name one account on two platforms; `phone` pairs attach a phone hash to an account.
    Only valid/placeholder phones carry a hash; placeholders are blocked later, masked ones never link.
    An identifier is never "" or blank (sources.md), nested lists included: a blank value names no one. -#}
{%- set p = "phone" -%}
{%- set blank = "[\\s\\p{Z}\\v]*" -%}
with

oa_users as (select * from {{ ref('stg_oa__users') }}),
oa_events as (select * from {{ ref('stg_oa__events') }}),
mp_users as (select * from {{ ref('stg_mp__users') }}),
mp_events as (select * from {{ ref('stg_mp__events') }}),
contacts as (select * from {{ ref('stg_wecom__external_contacts') }}),
contact_mobiles as (select * from {{ ref('stg_wecom__external_contact_mobiles') }}),
contact_events as (select * from {{ ref('stg_wecom__contact_events') }}),
group_members as (select * from {{ ref('stg_wecom__group_chat_members') }}),
invitations as (select * from {{ ref('stg_fission__invitations') }}),
youzan_trades as (select * from {{ ref('stg_youzan__trades') }}),
douyin_orders as (select * from {{ ref('stg_douyin__orders') }}),
tmall_trades as (select * from {{ ref('stg_tmall__trades') }}),
tmall_members as (select * from {{ ref('stg_tmall__members') }}),
pos_receipts as (select * from {{ ref('stg_pos__receipts') }}),
pos_members as (select * from {{ ref('stg_pos__members') }}),
leads as (select * from {{ ref('stg_leads__oceanengines') }}),

pairs as (
    -- record_key: a 64-bit hash naming the source record (one per staging row) within its origin, so an
    -- identifier named by several pairs of one record counts that record once
    select 'oa_openid' as left_type, openid as left_value, 'unionid' as right_type, unionid as right_value,
        'strong' as link_kind, cast(null as varchar) as phone_kind, coalesce(subscribed_at, {{ beijing_midnight('snapshot_date') }}) as observed_at, 'oa/user' as origin,
        hash(snapshot_date, openid) as record_key
    from oa_users
    union all select 'oa_openid', openid, null, null, null, null, event_at, 'oa/event', hash(openid, event_at, event) from oa_events
    union all select 'mp_openid', openid, 'unionid', unionid, 'strong', null, created_at, 'mp/user', hash(snapshot_date, openid) from mp_users
    union all select 'mp_openid', openid, '{{ p }}', phone_number_hash, 'phone', phone_number_kind, created_at, 'mp/user', hash(snapshot_date, openid) from mp_users
    union all select 'mp_openid', openid, null, null, null, null, event_at, 'mp/event', hash(event_id) from mp_events
    union all select 'external_userid', external_userid, 'unionid', unionid, 'strong', null, added_at, 'wecom/external_contact',
        hash(snapshot_date, external_userid, userid) from contacts
    union all select 'external_userid', external_userid, '{{ p }}', mobile_hash, 'phone', mobile_kind, {{ beijing_midnight('snapshot_date') }}, 'wecom/external_contact',
        hash(snapshot_date, external_userid, userid)
    from contact_mobiles
    union all select 'external_userid', external_userid, null, null, null, null, changed_at, 'wecom/contact_event',
        hash(external_userid, userid, change_type, changed_at) from contact_events
    union all select 'external_userid', external_userid, 'unionid', unionid, 'strong', null, joined_at, 'wecom/group_chat',
        hash(snapshot_date, chat_id, member_userid)
    from group_members where is_external
    union all select 'unionid', inviter_unionid, null, null, null, null, step_at, 'fission/invitation', hash(invitation_id) from invitations
    union all select 'external_userid', inviter_external_userid, null, null, null, null, step_at, 'fission/invitation', hash(invitation_id) from invitations
    union all select 'unionid', invitee_unionid, 'external_userid', invitee_external_userid, 'strong', null, step_at, 'fission/invitation', hash(invitation_id)
    from invitations
    union all select 'yz_open_id', yz_open_id, '{{ p }}', buyer_phone_hash, 'phone', buyer_phone_kind, created_at, 'youzan/trade', hash(tid) from youzan_trades
    -- outer_user_id, the buyer's openid in the order's storefront, links to the mp/user holding it and
    -- never makes a mini program user by itself (sources.md): no mp/user, no pair
    union all select 'yz_open_id', yz_open_id, 'mp_openid', outer_user_id, 'strong', null, created_at, 'youzan/trade', hash(tid)
    from youzan_trades semi join mp_users on youzan_trades.outer_user_id = mp_users.openid
    union all select 'doudian_open_id', doudian_open_id, null, null, null, null, created_at, 'douyin/order', hash(order_id) from douyin_orders
    union all select 'tmall_buyer_nick', buyer_nick, null, null, null, null, created_at, 'tmall/trade', hash(order_no) from tmall_trades
    union all select 'tmall_buyer_nick', buyer_nick, 'tmall_member_id', member_id, 'strong', null, bound_at, 'tmall/member',
        hash(snapshot_date, member_id) from tmall_members
    union all select 'tmall_member_id', member_id, '{{ p }}', phone_hash, 'phone', phone_kind, bound_at, 'tmall/member',
        hash(snapshot_date, member_id) from tmall_members
    union all select 'pos_card_no', card_no, '{{ p }}', phone_hash, 'phone', phone_kind, traded_at, 'pos/receipt',
        hash(store_code, receipt_no) from pos_receipts
    union all select 'pos_card_no', card_no, '{{ p }}', phone_hash, 'phone', phone_kind, registered_at, 'pos/member',
        hash(snapshot_date, card_no) from pos_members
    union all select 'clue_id', clue_id, '{{ p }}', telephone_hash, 'phone', telephone_kind, created_at, 'leads/oceanengine', hash(clue_id) from leads
),

named as (
    select pairs.* replace (
        case when not regexp_full_match(pairs.left_value, '{{ blank }}') then pairs.left_value end as left_value,
        case when not regexp_full_match(pairs.right_value, '{{ blank }}') then pairs.right_value end as right_value
    )
    from pairs
),

final as (
    select
        -- a record with no account id but a phone (an anonymous POS receipt with a phone) is the phone alone
        coalesce(named.left_value, named.right_value) is not null as has_identifier,
        case when named.left_value is null then named.right_type else named.left_type end as left_type,
        coalesce(named.left_value, named.right_value) as left_value,
        case when named.left_value is not null and named.right_value is not null then named.right_type end as right_type,
        case when named.left_value is not null then named.right_value end as right_value,
        case when named.left_value is not null and named.right_value is not null then named.link_kind end as link_kind,
        named.phone_kind,
        named.observed_at,
        named.origin,
        named.record_key
    from named
)

select * from final where has_identifier
