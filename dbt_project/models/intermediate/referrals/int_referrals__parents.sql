{#- Each campaign's referral tree (spec/marts.md, referrals): every customer of a non-self
    invitation with the inviter of their earliest non-self invitation in the campaign as parent
    (ties: the smaller inviter id). An inviter nobody invited in the campaign has no parent: a root.
    A loop in which every member was invited by another member (A invited B, then B invited A, and
    nobody invited A first) has no root; walking up from a member comes back to it, and the member
    invited last becomes the loop's root: by then it had already invited someone, so it took part
    before anyone invited it. -#}
with recursive

invitations as (select * from {{ ref('int_invitations') }}),

counted as (
    select * from invitations
    where not is_self_invitation
),

earliest as (
    select
        counted.campaign_id,
        counted.invitee_customer_id as customer_id,
        counted.inviter_customer_id as parent_customer_id,
        counted.invited_at as parent_invited_at
    from counted
    qualify row_number() over (
        partition by counted.campaign_id, counted.invitee_customer_id
        order by counted.invited_at, counted.inviter_customer_id
    ) = 1
),

walks (campaign_id, start_customer_id, customer_id, path) as (
    select
        earliest.campaign_id,
        earliest.customer_id as start_customer_id,
        earliest.customer_id,
        {{ list_of('earliest.customer_id') }} as path
    from earliest
    union all
    select
        walks.campaign_id,
        walks.start_customer_id,
        parent.customer_id,
        {{ list_append('walks.path', 'parent.customer_id') }}
    from walks
    inner join earliest as child
        on walks.campaign_id = child.campaign_id and walks.customer_id = child.customer_id
    inner join earliest as parent
        on child.campaign_id = parent.campaign_id and child.parent_customer_id = parent.customer_id
    -- cycle guard: a walk stops before it revisits a customer, so at most one lap of a loop
    where not {{ list_contains('walks.path', 'parent.customer_id') }}
),

loop_roots as (
    select
        earliest.campaign_id,
        earliest.customer_id
    from walks
    inner join earliest
        on walks.campaign_id = earliest.campaign_id and walks.customer_id = earliest.customer_id
    -- the walk's last customer was invited by its first one: the first customer is on a loop
    where earliest.parent_customer_id = walks.start_customer_id
    qualify row_number() over (
        partition by walks.campaign_id, {{ list_sort('walks.path') }}
        order by earliest.parent_invited_at desc, earliest.customer_id desc
    ) = 1
),

members as (
    select
        earliest.campaign_id,
        earliest.customer_id,
        earliest.parent_customer_id,
        earliest.parent_invited_at
    from earliest
    union all
    select distinct
        counted.campaign_id,
        counted.inviter_customer_id,
        null,
        null
    from counted
    left join earliest
        on
            counted.campaign_id = earliest.campaign_id
            and counted.inviter_customer_id = earliest.customer_id
    where earliest.customer_id is null
),

final as (
    select
        members.campaign_id,
        members.customer_id,
        members.parent_customer_id,
        members.parent_invited_at,
        loop_roots.customer_id is not null as is_loop_root
    from members
    left join loop_roots
        on
            members.campaign_id = loop_roots.campaign_id
            and members.customer_id = loop_roots.customer_id
)

select * from final
