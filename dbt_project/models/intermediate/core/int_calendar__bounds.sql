{#- The business dates the warehouse covers: the first and last landing-folder (business) dates of
    any activity or customer snapshot loaded. Org master data is left out: its date says when the
    brand exported its lists, not which days of activity have landed. Marts state "as of the end of
    the latest loaded business date" against last_date. -#}
with

ads_spends as (select * from {{ ref('stg_ads__spends') }}),
douyin_orders as (select * from {{ ref('stg_douyin__orders') }}),
douyin_after_sales as (select * from {{ ref('stg_douyin__after_sales') }}),
fission_invitations as (select * from {{ ref('stg_fission__invitations') }}),
leads as (select * from {{ ref('stg_leads__oceanengines') }}),
mp_events as (select * from {{ ref('stg_mp__events') }}),
mp_users as (select * from {{ ref('stg_mp__users') }}),
oa_events as (select * from {{ ref('stg_oa__events') }}),
oa_users as (select * from {{ ref('stg_oa__users') }}),
pos_receipts as (select * from {{ ref('stg_pos__receipts') }}),
pos_members as (select * from {{ ref('stg_pos__members') }}),
tmall_trades as (select * from {{ ref('stg_tmall__trades') }}),
tmall_members as (select * from {{ ref('stg_tmall__members') }}),
contact_events as (select * from {{ ref('stg_wecom__contact_events') }}),
external_contacts as (select * from {{ ref('stg_wecom__external_contacts') }}),
group_chats as (select * from {{ ref('stg_wecom__group_chats') }}),
groupmsg_sends as (select * from {{ ref('stg_wecom__groupmsg_sends') }}),
messages as (select * from {{ ref('stg_wecom__messages') }}),
user_behaviors as (select * from {{ ref('stg_wecom__user_behaviors') }}),
youzan_trades as (select * from {{ ref('stg_youzan__trades') }}),
youzan_refunds as (select * from {{ ref('stg_youzan__refunds') }}),

landed_dates as (
    select ads_spends.landed_date as business_date from ads_spends
    union
    select douyin_orders.landed_date from douyin_orders
    union
    select douyin_after_sales.landed_date from douyin_after_sales
    union
    select fission_invitations.landed_date from fission_invitations
    union
    select leads.landed_date from leads
    union
    select mp_events.landed_date from mp_events
    union
    select mp_users.snapshot_date from mp_users
    union
    select oa_events.landed_date from oa_events
    union
    select oa_users.snapshot_date from oa_users
    union
    select pos_receipts.landed_date from pos_receipts
    union
    select pos_members.snapshot_date from pos_members
    union
    select tmall_trades.landed_date from tmall_trades
    union
    select tmall_members.snapshot_date from tmall_members
    union
    select contact_events.landed_date from contact_events
    union
    select external_contacts.snapshot_date from external_contacts
    union
    select group_chats.snapshot_date from group_chats
    union
    select groupmsg_sends.landed_date from groupmsg_sends
    union
    select messages.landed_date from messages
    union
    select user_behaviors.landed_date from user_behaviors
    union
    select youzan_trades.landed_date from youzan_trades
    union
    select youzan_refunds.landed_date from youzan_refunds
),

dates as (
    -- one row even on an empty warehouse (all columns null then)
    select
        min(landed_dates.business_date) as first_date,
        max(landed_dates.business_date) as last_date
    from landed_dates
),

periods as (
    -- the first week or month the data touches begins on its Monday or 1st, whichever is earlier
    select
        dates.*,
        cast(
            least(
                date_trunc('week', dates.first_date), date_trunc('month', dates.first_date)
            ) as date
        )
            as periods_from_date
    from dates
),

final as (
    select
        periods.first_date,
        periods.last_date,
        {{ beijing_midnight('periods.first_date') }} as loaded_from_at,
        {{ beijing_midnight('periods.last_date + 1') }} as loaded_until_at,
        periods.periods_from_date,
        {{ beijing_midnight('periods.periods_from_date') }} as periods_from_at
    from periods
)

select * from final
