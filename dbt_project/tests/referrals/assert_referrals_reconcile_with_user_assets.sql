{#- user_assets counts each customer's distinct non-self invitees over all campaigns and those who
    bought at or after their invitation; the referrals mart must add up to the same numbers per
    inviter. -#}
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'referrals'}}}) }}
with

per_inviter as (
    select
        referrals.inviter_customer_id as customer_id,
        count(distinct referrals.invitee_customer_id) as invitees_count,
        count(distinct referrals.invitee_customer_id) filter (
            where referrals.invitee_first_purchase_after_invitation_at is not null
        ) as referred_buyers_count
    from {{ ref('referrals') }} as referrals
    where not referrals.is_self_invitation
    group by referrals.inviter_customer_id
)

select
    user_assets.customer_id,
    user_assets.invitees_count,
    coalesce(per_inviter.invitees_count, 0) as referrals_invitees,
    user_assets.referred_buyers_count,
    coalesce(per_inviter.referred_buyers_count, 0) as referrals_buyers
from {{ ref('user_assets') }} as user_assets
left join per_inviter on user_assets.customer_id = per_inviter.customer_id
where
    user_assets.invitees_count <> coalesce(per_inviter.invitees_count, 0)
    or user_assets.referred_buyers_count <> coalesce(per_inviter.referred_buyers_count, 0)
