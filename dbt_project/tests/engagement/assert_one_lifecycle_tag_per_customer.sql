{#- The lifecycle rules of seed customer_tag_rules cover the five stages, each customer is at
    exactly one stage, so each customer carries exactly one lifecycle_stage tag. -#}
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'customer_tags'}}}) }}
select
    user_assets.customer_id,
    count(customer_tags.tag) as lifecycle_tags
from {{ ref('user_assets') }} as user_assets
left join {{ ref('customer_tags') }} as customer_tags
    on
        user_assets.customer_id = customer_tags.customer_id
        and customer_tags.tag_group = 'lifecycle_stage'
group by user_assets.customer_id
having count(customer_tags.tag) <> 1
