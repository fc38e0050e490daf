{#- 裂变/转介绍 pairs (spec/marts.md). A fission invitation is the invitee's acquisition when their first
    touch happened at invited_at and belongs to it: a fission touch, or a touch coded to this
    campaign (a WeCom add whose state is the campaign's code). An mp_share row exists only for a
    share_open visit that acquired the visitor, whose first touch is then the mini program.
    Self-invitations are kept, never new and outside the tree (generation null).
    invitee_first_purchase_at is the invitee's first purchase (marts.md names no other); the first
    one at or after the invitation, which makes the invitee a referred buyer, is
    invitee_first_purchase_after_invitation_at. -#}
with

invitations as (select * from {{ ref('int_invitations') }}),
acquisition as (select * from {{ ref('int_customers__acquisition') }}),
purchases as (select * from {{ ref('int_purchases') }}),
generations as (select * from {{ ref('int_referrals__generations') }}),

first_purchases as (
    select
        invitations.campaign_id,
        invitations.inviter_customer_id,
        invitations.invitee_customer_id,
        min(purchases.purchase_at) as invitee_first_purchase_at,
        min(purchases.purchase_at) filter (
            where purchases.purchase_at >= invitations.invited_at
        ) as invitee_first_purchase_after_invitation_at
    from invitations
    inner join purchases on invitations.invitee_customer_id = purchases.customer_id
    group by
        invitations.campaign_id, invitations.inviter_customer_id, invitations.invitee_customer_id
),

final as (
    select
        {{ as_text('invitations.campaign_id') }} as campaign_id,
        {{ as_text('invitations.inviter_customer_id') }} as inviter_customer_id,
        {{ as_text('invitations.invitee_customer_id') }} as invitee_customer_id,
        cast(invitations.invited_at as {{ instant_type() }}) as invited_at,
        cast(invitations.is_self_invitation as boolean) as is_self_invitation,
        cast(coalesce(
            not invitations.is_self_invitation
            and case
                -- int_invitations keeps only the share_open visits that acquired the visitor
                when invitations.campaign_id = 'mp_share' then acquisition.acquisition_source = 'mp'
                else
                    acquisition.acquired_at = invitations.invited_at
                    and (
                        acquisition.acquisition_source = 'fission'
                        or acquisition.acquisition_campaign = invitations.campaign_id
                    )
            end,
            false
        ) as boolean) as invitee_is_new,
        cast(first_purchases.invitee_first_purchase_at as {{ instant_type() }})
            as invitee_first_purchase_at,
        cast(first_purchases.invitee_first_purchase_after_invitation_at as {{ instant_type() }})
            as invitee_first_purchase_after_invitation_at,
        cast(
            case when not invitations.is_self_invitation then generations.generation end as integer
        )
            as generation
    from invitations
    left join acquisition on invitations.invitee_customer_id = acquisition.customer_id
    left join first_purchases
        on
            invitations.campaign_id = first_purchases.campaign_id
            and invitations.inviter_customer_id = first_purchases.inviter_customer_id
            and invitations.invitee_customer_id = first_purchases.invitee_customer_id
    left join generations
        on
            invitations.campaign_id = generations.campaign_id
            and invitations.invitee_customer_id = generations.customer_id
)

select * from final
