{#- Every identifier's first touch in any source, with the channel code it carried (spec/marts.md,
    Acquisition): leads, QR scans and follows (and any other OA push), friend adds, group joins,
    mini program visits, order creations, POS receipts and memberships, invitations. A customer's
    acquisition is the first of its identifiers' first touches (int_customers__acquisition), so
    each identifier keeps one touch — the first by the acquisition's order: time, a code that maps
    to a channel, the source order of spec/marts.md, then the code — and the table holds one row
    per identifier where one per touch (each snapshot day repeating every contact's friend add)
    was ~2–20× the rows. Equal keys mean the same code, hence the same channel and campaign: the
    row kept does not depend on which of them wins. Grain: one row per (id_type, id_value).

    The touches, one `touches` branch each: the import CTE read, the source touched, the
    identifier (type, column), when, the code carried (none, or an expression over the row) and
    which rows. Any OA push shows the person was there (a follower from before the data who only
    unsubscribes); only a subscribe or a scan carries its QR scene. An anonymous POS receipt
    touches by its phone when that is a valid one. -#}
{%- set touch_branches = [
    ['leads', 'oceanengine', 'clue_id', 'clue_id', 'created_at', 'leads.promotion_id'],
    ['oa_events', 'oa', 'oa_openid', 'openid', 'event_at',
     "case when oa_events.event in ('subscribe', 'SCAN') then oa_events.qr_scene_str end"],
    ['oa_users', 'oa', 'oa_openid', 'openid', 'subscribed_at', "nullif(oa_users.qr_scene_str, '')",
     'oa_users.is_subscribed'],
    ['contacts', 'wecom', 'external_userid', 'external_userid', 'added_at', 'contacts.state'],
    ['contact_events', 'wecom', 'external_userid', 'external_userid', 'changed_at',
     'contact_events.state',
     "contact_events.change_type in ('add_external_contact', 'add_half_external_contact')"],
    ['group_members', 'wecom', 'external_userid', 'external_userid', 'joined_at', none,
     'group_members.is_external'],
    ['mp_events', 'mp', 'mp_openid', 'openid', 'event_at', 'mp_events.utm_campaign'],
    ['mp_users', 'mp', 'mp_openid', 'openid', 'created_at', none],
    ['invitations', 'fission', 'unionid', 'invitee_unionid', 'step_at',
     'invitations.campaign_id'],
    ['invitations', 'fission', 'external_userid', 'invitee_external_userid', 'step_at',
     'invitations.campaign_id'],
    ['invitations', 'fission', 'unionid', 'inviter_unionid', 'step_at',
     'invitations.campaign_id'],
    ['invitations', 'fission', 'external_userid', 'inviter_external_userid', 'step_at',
     'invitations.campaign_id'],
    ['youzan_trades', 'youzan', 'yz_open_id', 'yz_open_id', 'created_at', none],
    ['douyin_orders', 'douyin', 'doudian_open_id', 'doudian_open_id', 'created_at', none],
    ['tmall_trades', 'tmall', 'tmall_buyer_nick', 'buyer_nick', 'created_at', none],
    ['tmall_members', 'tmall', 'tmall_member_id', 'member_id', 'bound_at', none],
    ['pos_receipts', 'pos', 'pos_card_no', 'card_no', 'traded_at', none,
     'pos_receipts.card_no is not null'],
    ['pos_receipts', 'pos', 'phone', 'phone_hash', 'traded_at', none,
     "pos_receipts.card_no is null and pos_receipts.phone_kind = 'valid'"],
    ['pos_members', 'pos', 'pos_card_no', 'card_no', 'registered_at', none],
] -%}
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
    {%- for branch in touch_branches %}
    {%- set rows, source, id_type, id_column, time_column, code = branch[:6] %}
    {%- set where = branch[6] if branch | length > 6 else none %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ source }}' as touch_source,
        '{{ id_type }}' as id_type,
        {{ rows }}.{{ id_column }} as id_value,
        {{ rows }}.{{ time_column }} as touched_at,
        {{ code or as_text('null') }} as touch_code
    from {{ rows }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    {%- endfor %}
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
