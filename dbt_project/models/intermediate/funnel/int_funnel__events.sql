{#- Funnel events per customer in the fixed vocabulary of seed funnel_step_definitions' event_type.
    A point event ends when it happens (event_ended_at = event_at); a `reachable` event is an
    interval of reach on any touchpoint, lasting until event_ended_at (null = still reachable), so a
    step anchored inside it is reached at the anchor. Invitations and invitee purchases never count
    self-invitations; an invitee's purchase counts for each inviter from that inviter's earliest
    invitation of them on (mp_share included). -#}
with

acquisition as (select * from {{ ref('int_customers__acquisition') }}),
intervals as (select * from {{ ref('int_reach__intervals') }}),
invitations as (select * from {{ ref('int_invitations') }}),
purchases as (select * from {{ ref('int_purchases') }}),

acquisitions as (
    select
        acquisition.customer_id,
        'acquisition' as event_type,
        acquisition.acquired_at as event_at,
        acquisition.acquired_at as event_ended_at
    from acquisition
),

reach as (
    select
        intervals.customer_id,
        'reachable' as event_type,
        intervals.started_at as event_at,
        intervals.ended_at as event_ended_at
    from intervals
    where intervals.touchpoint = 'any'
),

invitations_sent as (
    select
        invitations.inviter_customer_id as customer_id,
        'invitation_sent' as event_type,
        invitations.invited_at as event_at,
        invitations.invited_at as event_ended_at
    from invitations
    where not invitations.is_self_invitation
),

own_purchases as (
    select
        purchases.customer_id,
        'purchase' as event_type,
        purchases.purchase_at as event_at,
        purchases.purchase_at as event_ended_at
    from purchases
),

invitee_purchases as (
    select distinct
        invitations.inviter_customer_id as customer_id,
        'invitee_purchase' as event_type,
        purchases.purchase_at as event_at,
        purchases.purchase_at as event_ended_at,
        purchases.order_key
    from invitations
    inner join purchases
        on
            invitations.invitee_customer_id = purchases.customer_id
            and purchases.purchase_at >= invitations.invited_at
    where not invitations.is_self_invitation
),

final as (
    select * from acquisitions
    union all
    select * from reach
    union all
    select * from invitations_sent
    union all
    select * from own_purchases
    union all
    select
        invitee_purchases.customer_id,
        invitee_purchases.event_type,
        invitee_purchases.event_at,
        invitee_purchases.event_ended_at
    from invitee_purchases
)

select * from final
