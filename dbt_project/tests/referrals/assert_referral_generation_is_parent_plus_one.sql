{#- Every customer of a campaign's referral tree has a generation (loops get a root, so no one is
    left unreached), roots have 0, and everyone else has their parent's generation + 1. Returns the
    offenders. -#}
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'int_referrals__generations'}}}) }}
select
    parents.campaign_id,
    parents.customer_id,
    parents.parent_customer_id,
    child.generation,
    parent.generation as parent_generation
from {{ ref('int_referrals__parents') }} as parents
left join {{ ref('int_referrals__generations') }} as child
    on parents.campaign_id = child.campaign_id and parents.customer_id = child.customer_id
left join {{ ref('int_referrals__generations') }} as parent
    on parents.campaign_id = parent.campaign_id and parents.parent_customer_id = parent.customer_id
where
    child.generation is null
    or (parents.parent_customer_id is null or parents.is_loop_root) and child.generation <> 0
    or not (parents.parent_customer_id is null or parents.is_loop_root)
    and child.generation is distinct from parent.generation + 1
