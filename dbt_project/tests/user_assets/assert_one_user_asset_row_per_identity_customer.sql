-- Reconciliation: customers in user_assets are exactly the distinct customers in identity_map.
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'user_assets'}}}) }}
with

assets as (select customer_id from {{ ref('user_assets') }}),
mapped as (
    select distinct customer_id from {{ ref('identity_map') }}
    where customer_id is not null
)

select
    'missing_from_user_assets' as problem,
    mapped.customer_id
from mapped
left join assets on mapped.customer_id = assets.customer_id
where assets.customer_id is null
union all
select
    'not_in_identity_map',
    assets.customer_id
from assets
left join mapped on assets.customer_id = mapped.customer_id
where mapped.customer_id is null
