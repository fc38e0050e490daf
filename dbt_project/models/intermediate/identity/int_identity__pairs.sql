{#- Every record's identifiers, as (left, right) pairs when a record names two, else (left, null).
    `strong` pairs name one account on two platforms; `phone` pairs attach a phone hash to an
    account. Only valid/placeholder phones carry a hash; placeholders are blocked later, masked ones
    never link. An identifier is never "" or blank (sources.md), nested lists included: a blank
    value names no one. -#}
{%- set p = "phone" -%}
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
    -- record_key: a 64-bit hash naming the source record (one per staging row) within its origin,
    -- so an identifier named by several pairs of one record counts that record once. One branch per
    -- kind of record: its identifier, the identifier or phone it names, link and phone kinds, when,
    -- where from and which record.
    select
        'oa_openid' as left_type,
        oa_users.openid as left_value,
        'unionid' as right_type,
        oa_users.unionid as right_value,
        'strong' as link_kind,
        {{ as_text('null') }} as phone_kind,
        coalesce(
            oa_users.subscribed_at, {{ beijing_midnight('oa_users.snapshot_date') }}
        ) as observed_at,
        'oa/user' as origin,
        {{ record_key(['oa_users.snapshot_date', 'oa_users.openid']) }} as record_key
    from oa_users
    union all
    select
        'oa_openid',
        oa_events.openid,
        null,
        null,
        null,
        null,
        oa_events.event_at,
        'oa/event',
        {{ record_key(['oa_events.openid', 'oa_events.event_at', 'oa_events.event']) }}
    from oa_events
    union all
    select
        'mp_openid',
        mp_users.openid,
        'unionid',
        mp_users.unionid,
        'strong',
        null,
        mp_users.created_at,
        'mp/user',
        {{ record_key(['mp_users.snapshot_date', 'mp_users.openid']) }}
    from mp_users
    union all
    select
        'mp_openid',
        mp_users.openid,
        '{{ p }}',
        mp_users.phone_number_hash,
        'phone',
        mp_users.phone_number_kind,
        mp_users.created_at,
        'mp/user',
        {{ record_key(['mp_users.snapshot_date', 'mp_users.openid']) }}
    from mp_users
    union all
    select
        'mp_openid',
        mp_events.openid,
        null,
        null,
        null,
        null,
        mp_events.event_at,
        'mp/event',
        {{ record_key(['mp_events.event_id']) }}
    from mp_events
    union all
    select
        'external_userid',
        contacts.external_userid,
        'unionid',
        contacts.unionid,
        'strong',
        null,
        contacts.added_at,
        'wecom/external_contact',
        {{ record_key(['contacts.snapshot_date', 'contacts.external_userid', 'contacts.userid']) }}
    from contacts
    union all
    select
        'external_userid',
        contact_mobiles.external_userid,
        '{{ p }}',
        contact_mobiles.mobile_hash,
        'phone',
        contact_mobiles.mobile_kind,
        {{ beijing_midnight('contact_mobiles.snapshot_date') }},
        'wecom/external_contact',
        {{ record_key([
            'contact_mobiles.snapshot_date', 'contact_mobiles.external_userid',
            'contact_mobiles.userid'
        ]) }}
    from contact_mobiles
    union all
    select
        'external_userid',
        contact_events.external_userid,
        null,
        null,
        null,
        null,
        contact_events.changed_at,
        'wecom/contact_event',
        {{ record_key([
            'contact_events.external_userid', 'contact_events.userid',
            'contact_events.change_type', 'contact_events.changed_at'
        ]) }}
    from contact_events
    union all
    select
        'external_userid',
        group_members.external_userid,
        'unionid',
        group_members.unionid,
        'strong',
        null,
        group_members.joined_at,
        'wecom/group_chat',
        {{ record_key([
            'group_members.snapshot_date', 'group_members.chat_id',
            'group_members.member_userid'
        ]) }}
    from group_members
    where group_members.is_external
    union all
    select
        'unionid',
        invitations.inviter_unionid,
        null,
        null,
        null,
        null,
        invitations.step_at,
        'fission/invitation',
        {{ record_key(['invitations.invitation_id']) }}
    from invitations
    union all
    select
        'external_userid',
        invitations.inviter_external_userid,
        null,
        null,
        null,
        null,
        invitations.step_at,
        'fission/invitation',
        {{ record_key(['invitations.invitation_id']) }}
    from invitations
    union all
    select
        'unionid',
        invitations.invitee_unionid,
        'external_userid',
        invitations.invitee_external_userid,
        'strong',
        null,
        invitations.step_at,
        'fission/invitation',
        {{ record_key(['invitations.invitation_id']) }}
    from invitations
    union all
    select
        'yz_open_id',
        youzan_trades.yz_open_id,
        '{{ p }}',
        youzan_trades.buyer_phone_hash,
        'phone',
        youzan_trades.buyer_phone_kind,
        youzan_trades.created_at,
        'youzan/trade',
        {{ record_key(['youzan_trades.tid']) }}
    from youzan_trades
    union all
    -- outer_user_id, the buyer's openid in the order's storefront, links to the mp/user holding it
    -- and never makes a mini program user by itself (sources.md): no mp/user, no pair
    select
        'yz_open_id',
        youzan_trades.yz_open_id,
        'mp_openid',
        youzan_trades.outer_user_id,
        'strong',
        null,
        youzan_trades.created_at,
        'youzan/trade',
        {{ record_key(['youzan_trades.tid']) }}
    from youzan_trades
    where youzan_trades.outer_user_id in (select mp_users.openid from mp_users)
    union all
    select
        'doudian_open_id',
        douyin_orders.doudian_open_id,
        null,
        null,
        null,
        null,
        douyin_orders.created_at,
        'douyin/order',
        {{ record_key(['douyin_orders.order_id']) }}
    from douyin_orders
    union all
    select
        'tmall_buyer_nick',
        tmall_trades.buyer_nick,
        null,
        null,
        null,
        null,
        tmall_trades.created_at,
        'tmall/trade',
        {{ record_key(['tmall_trades.order_no']) }}
    from tmall_trades
    union all
    select
        'tmall_buyer_nick',
        tmall_members.buyer_nick,
        'tmall_member_id',
        tmall_members.member_id,
        'strong',
        null,
        tmall_members.bound_at,
        'tmall/member',
        {{ record_key(['tmall_members.snapshot_date', 'tmall_members.member_id']) }}
    from tmall_members
    union all
    select
        'tmall_member_id',
        tmall_members.member_id,
        '{{ p }}',
        tmall_members.phone_hash,
        'phone',
        tmall_members.phone_kind,
        tmall_members.bound_at,
        'tmall/member',
        {{ record_key(['tmall_members.snapshot_date', 'tmall_members.member_id']) }}
    from tmall_members
    union all
    select
        'pos_card_no',
        pos_receipts.card_no,
        '{{ p }}',
        pos_receipts.phone_hash,
        'phone',
        pos_receipts.phone_kind,
        pos_receipts.traded_at,
        'pos/receipt',
        {{ record_key(['pos_receipts.store_code', 'pos_receipts.receipt_no']) }}
    from pos_receipts
    union all
    select
        'pos_card_no',
        pos_members.card_no,
        '{{ p }}',
        pos_members.phone_hash,
        'phone',
        pos_members.phone_kind,
        pos_members.registered_at,
        'pos/member',
        {{ record_key(['pos_members.snapshot_date', 'pos_members.card_no']) }}
    from pos_members
    union all
    select
        'clue_id',
        leads.clue_id,
        '{{ p }}',
        leads.telephone_hash,
        'phone',
        leads.telephone_kind,
        leads.created_at,
        'leads/oceanengine',
        {{ record_key(['leads.clue_id']) }}
    from leads
),

named as (
    select
        pairs.left_type,
        case when not {{ is_blank('pairs.left_value') }} then pairs.left_value end as left_value,
        pairs.right_type,
        case when not {{ is_blank('pairs.right_value') }} then pairs.right_value end as right_value,
        pairs.link_kind,
        pairs.phone_kind,
        pairs.observed_at,
        pairs.origin,
        pairs.record_key
    from pairs
),

final as (
    select
        -- a record with no account id but a phone (an anonymous POS receipt with a phone) is the
        -- phone alone
        coalesce(named.left_value, named.right_value) is not null as has_identifier,
        case
            when named.left_value is null then named.right_type else named.left_type
        end as left_type,
        coalesce(named.left_value, named.right_value) as left_value,
        case
            when named.left_value is not null and named.right_value is not null
                then named.right_type
        end as right_type,
        case when named.left_value is not null then named.right_value end as right_value,
        case
            when named.left_value is not null and named.right_value is not null
                then named.link_kind
        end as link_kind,
        named.phone_kind,
        named.observed_at,
        named.origin,
        named.record_key
    from named
)

select * from final
where has_identifier
