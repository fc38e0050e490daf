{#- Per campaign (fission campaign_id or mp_share) with at least one invitation. Counts are of
    distinct customers over non-self invitations; max_generation also sees the generation-0 roots,
    so a campaign whose participants only invited people who never invited anyone has max_generation
    1. -#}
with

referrals as (select * from {{ ref('int_referrals__pairs') }}),
generations as (select * from {{ ref('int_referrals__generations') }}),

campaigns as (
    select
        referrals.campaign_id,
        count(*) filter (where referrals.is_self_invitation) as self_invitations,
        min(referrals.invited_at) filter (where not referrals.is_self_invitation)
            as first_invited_at,
        max(referrals.invited_at) filter (where not referrals.is_self_invitation) as last_invited_at
    from referrals
    group by referrals.campaign_id
),

counts as (
    select
        referrals.campaign_id,
        count(distinct referrals.inviter_customer_id) as participants,
        count(distinct referrals.invitee_customer_id) as invitees,
        count(distinct referrals.invitee_customer_id) filter (
            where referrals.invitee_is_new
        ) as new_customers,
        count(distinct referrals.invitee_customer_id) filter (
            where referrals.invitee_first_purchase_after_invitation_at is not null
        ) as buyers
    from referrals
    where not referrals.is_self_invitation
    group by referrals.campaign_id
),

depths as (
    select
        generations.campaign_id,
        max(generations.generation) as max_generation
    from generations
    group by generations.campaign_id
),

final as (
    select
        {{ as_text('campaigns.campaign_id') }} as campaign_id,
        cast(coalesce(counts.participants, 0) as bigint) as participants,
        cast(coalesce(counts.invitees, 0) as bigint) as invitees,
        cast(coalesce(counts.new_customers, 0) as bigint) as new_customers,
        cast(coalesce(counts.buyers, 0) as bigint) as buyers,
        cast(counts.new_customers / nullif(counts.participants, 0) as double) as k_factor,
        cast(depths.max_generation as integer) as max_generation,
        cast(campaigns.self_invitations as bigint) as self_invitations,
        cast(campaigns.first_invited_at as {{ instant_type() }}) as first_invited_at,
        cast(campaigns.last_invited_at as {{ instant_type() }}) as last_invited_at
    from campaigns
    left join counts on campaigns.campaign_id = counts.campaign_id
    left join depths on campaigns.campaign_id = depths.campaign_id
)

select * from final
