{#- The pairs as the contract publishes them; int_referrals__pairs holds the logic, which
    fission_campaigns reads too. -#}
with

pairs as (select * from {{ ref('int_referrals__pairs') }}),

final as (
    select
        pairs.campaign_id,
        pairs.inviter_customer_id,
        pairs.invitee_customer_id,
        pairs.invited_at,
        pairs.is_self_invitation,
        pairs.invitee_is_new,
        pairs.invitee_first_purchase_at,
        pairs.invitee_first_purchase_after_invitation_at,
        pairs.generation
    from pairs
)

select * from final
