{#- A customer's generation in a campaign's referral tree: 0 for a root (an inviter nobody invited
    in the campaign, or the root chosen for a loop), else 1 + the generation of the inviter of their
    earliest non-self invitation in the campaign. Walked down from the roots. -#}
with recursive

parents as (select * from {{ ref('int_referrals__parents') }}),

tree as (
    select
        parents.campaign_id,
        parents.customer_id,
        case when not parents.is_loop_root then parents.parent_customer_id end
            as tree_parent_customer_id
    from parents
),

generations (campaign_id, customer_id, generation, path) as (
    select
        tree.campaign_id,
        tree.customer_id,
        0,
        {{ list_of('tree.customer_id') }}
    from tree
    where tree.tree_parent_customer_id is null
    union all
    select
        tree.campaign_id,
        tree.customer_id,
        generations.generation + 1,
        {{ list_append('generations.path', 'tree.customer_id') }}
    from generations
    inner join tree
        on
            generations.campaign_id = tree.campaign_id
            and generations.customer_id = tree.tree_parent_customer_id
    -- cycle guard: one parent per customer makes a forest once loops have roots, but a branch
    -- never revisits a customer even if that ever stopped holding
    where not {{ list_contains('generations.path', 'tree.customer_id') }}
),

final as (
    select
        generations.campaign_id,
        generations.customer_id,
        min(generations.generation) as generation
    from generations
    group by generations.campaign_id, generations.customer_id
)

select * from final
